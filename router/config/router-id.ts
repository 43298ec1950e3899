// Router ids: generated when absent, checked when given (reference §1.2, §1.3).

import { randomInt } from 'node:crypto';
import type { RouterMode } from './entities';

export const ROUTER_ID_MAX_LENGTH = 127;
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+_';
const PREFIX: Record<RouterMode, string> = { standalone: 'Standalone_', interior: 'Interior_', edge: 'Edge_' };

/** `Standalone_` / `Interior_` / `Edge_` followed by 15 random characters from [a-zA-Z0-9+_]. */
export function generateRouterId(mode: RouterMode, random: (n: number) => number = randomInt): string {
  let id = PREFIX[mode];
  for (let i = 0; i < 15; i++) id += ID_CHARS[random(ID_CHARS.length)];
  return id;
}

/** Why a router id is refused, or undefined when it is fine. */
export function routerIdProblem(id: string): string | undefined {
  if (id.length > ROUTER_ID_MAX_LENGTH) return `must be at most ${ROUTER_ID_MAX_LENGTH} characters (it has ${id.length})`;
  if (/[\p{Cc}\p{Z}\s]/u.test(id)) return 'must not contain whitespace or control characters';
  return undefined;
}
