// Every scenario the bench knows, in the order they run. The `mesh` and `line` scenarios
// (three routers) will join here.
import { direct } from './direct';
import { memory } from './memory';
import type { Scenario } from './scenario';
import { single } from './single';

export const scenarios: readonly Scenario[] = [direct, single, memory];

export function scenarioNamed(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`unknown scenario ${name}`);
  return found;
}
