// `weft bench …` runs the benchmark script (dist/scripts/bench/bench.js) with our stdio, so
// that its progress and report reach the terminal as they are written.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import * as path from 'node:path';
import { Command } from './command';

/** dist/router/cli/commands → dist/scripts/bench/bench.js */
const BENCH_SCRIPT = path.resolve(__dirname, '../../../scripts/bench/bench.js');

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmark (arguments are passed to scripts/bench/bench.js)',
  run: (argv) => new Promise((resolve) => {
    const child = spawn(process.execPath, [BENCH_SCRIPT, ...argv], { stdio: 'inherit' });
    // Ctrl-C reaches the child through the terminal; we only wait for it to end.
    const ignore = (): void => {};
    process.on('SIGINT', ignore);
    child.on('error', (e) => {
      process.stderr.write(`weft: cannot run ${BENCH_SCRIPT}: ${e.message}\n`);
      resolve(2);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  }),
};

