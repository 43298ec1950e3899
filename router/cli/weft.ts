#!/usr/bin/env node
// `weft`: the command-line client of a Weft (or qdrouterd) mesh. Each subcommand lives in
// commands/; this file only picks one and turns its result into the exit code.

import { UsageError } from './args';
import { benchCommand } from './commands/bench';
import { EXIT_UNREACHABLE } from './commands/client';
import { Command, usageOf } from './commands/command';
import { manageCommand } from './commands/manage';
import { receiveCommand } from './commands/receive';
import { sendCommand } from './commands/send';
import { statCommand } from './commands/stat';

const COMMANDS: readonly Command[] = [sendCommand, receiveCommand, statCommand, manageCommand, benchCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return 'usage: weft <command> [options]\n\ncommands:\n'
    + COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')
    + '\n\n`weft <command> --help` shows the options of a command.\n';
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) { process.stderr.write(usage()); return EXIT_UNREACHABLE; }
  if (name === '-h' || name === '--help' || name === 'help') { process.stdout.write(usage()); return 0; }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) { process.stderr.write(`weft: unknown command '${name}'\n\n${usage()}`); return EXIT_UNREACHABLE; }
  try {
    return await command.run(rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`weft ${command.name}: ${e.message}\n\n${usageOf(command)}`);
    return EXIT_UNREACHABLE; // bad arguments share the exit code of "cannot connect"
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`weft: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
