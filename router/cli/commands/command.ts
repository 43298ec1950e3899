// What a `weft` subcommand is: a name, a one-line summary for `weft --help`, and `run`, which
// resolves to the exit code. `run` may throw UsageError; weft.ts then prints the usage.

import { OptionSpec, formatOptions } from '../args';

export interface Command {
  name: string;
  summary: string;
  /** Options, for the usage text; commands that pass their arguments on have none. */
  specs?: readonly OptionSpec[];
  run(argv: readonly string[]): Promise<number>;
}

export function usageOf(command: Command): string {
  const head = `usage: weft ${command.name}${command.specs ? ' [options]' : ' [args...]'}\n${command.summary}\n`;
  return command.specs ? `${head}\noptions:\n${formatOptions(command.specs)}\n` : head;
}

export function out(line: string): void {
  process.stdout.write(line + '\n');
}
