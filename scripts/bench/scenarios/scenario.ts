// A benchmark scenario. Adding one (latency, say) is a file beside this one and a line
// in index.ts.
import type { RunContext } from '../context';
import type { Mode, Run } from '../types';

export interface Scenario {
  readonly name: string;
  /** One line for the report. */
  readonly description: string;
  /** Throughput scenarios run once per --mode; the others run once, as they are. */
  readonly perMode: boolean;
  /** How many runs the scenario makes (throughput scenarios: --runs). */
  runs(ctx: RunContext): number;
  /** One run; problems are reported in the run's `error`, never thrown. */
  run(ctx: RunContext, mode: Mode, run: number): Promise<Run>;
}
