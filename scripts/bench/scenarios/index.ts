// Every scenario the bench knows, in the order they run.
import { direct } from './direct';
import { line } from './line';
import { memory } from './memory';
import { mesh } from './mesh';
import { reconverge } from './reconverge';
import type { Scenario } from './scenario';
import { single } from './single';
import { topology } from './topology';

export const scenarios: readonly Scenario[] = [direct, single, mesh, line, reconverge, memory, topology];

export function scenarioNamed(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`unknown scenario ${name}`);
  return found;
}
