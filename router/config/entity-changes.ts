// Which attributes of an entity differ between two loads, said for a log line:
// `port 5672 → 5673, cost 1 → 2`. Values compare deeply; ports by number; passwords are hidden.

import type { AnyEntity } from './entities';
import { parsePort } from './port';

const NOT_ATTRIBUTES = new Set(['name', 'identity', 'type', 'source']);

/** What differs (`ignore` left out), or undefined when nothing does. */
export function describeChanges(before: AnyEntity | undefined, after: AnyEntity | undefined, ignore: readonly string[] = []): string | undefined {
  const a = (before ?? {}) as unknown as Record<string, unknown>;
  const b = (after ?? {}) as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !NOT_ATTRIBUTES.has(k) && !ignore.includes(k));
  const changed = keys.filter((k) => (k === 'port' ? portOf(a[k]) !== portOf(b[k]) : !sameValue(a[k], b[k])));
  if (changed.length === 0) return undefined;
  return changed.map((k) => `${k} ${show(k, a[k])} → ${show(k, b[k])}`).join(', ');
}

function portOf(v: unknown): unknown {
  return typeof v === 'string' ? parsePort(v) ?? v : v;
}

function sameValue(x: unknown, y: unknown): boolean {
  return canonical(x) === canonical(y);
}

/** JSON with object keys sorted, so that `{a, b}` equals `{b, a}`. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => (value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
    : value)) ?? 'undefined';
}

function show(key: string, v: unknown): string {
  if (v === undefined) return '(unset)';
  if (/password/i.test(key)) return '***';
  const text = typeof v === 'string' ? v : canonical(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
