// What a `weft` subcommand is: a name, a one-line summary for `weft --help`, and `run`, which
// resolves to the exit code. `run` may throw UsageError; weft.ts then prints the usage.

import { OptionSpec, formatOptions } from '../args';

export interface Command {
  name: string;
  summary: string;
  /** What follows `weft <name>` in the usage line, when not just `[options]`. */
  synopsis?: string;
  /** Options, for the usage text; commands that pass their arguments on have none. */
  specs?: readonly OptionSpec[];
  run(argv: readonly string[]): Promise<number>;
}

export function usageOf(command: Command): string {
  const synopsis = command.synopsis ?? (command.specs ? '[options]' : '[args...]');
  const head = `usage: weft ${command.name} ${synopsis}\n${command.summary}\n`;
  return command.specs ? `${head}\noptions:\n${formatOptions(command.specs)}\n` : head;
}

export function out(line: string): void {
  process.stdout.write(line + '\n');
}
