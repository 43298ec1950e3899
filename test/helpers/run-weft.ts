// Runs the built `weft` (dist/router/cli/weft.js) as a child process and collects its output;
// a run still going after `timeoutMs` is killed and reported as such.

import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** dist/test/helpers → dist/router/cli/weft.js */
export const WEFT = path.resolve(__dirname, '../../router/cli/weft.js');

export interface WeftRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runWeft(args: readonly string[], timeoutMs = 15000): Promise<WeftRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WEFT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => { stderr += `\n[killed after ${timeoutMs} ms]`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** What a failed assertion prints, so that a broken run explains itself. */
export function transcript(args: readonly string[], r: WeftRun): string {
  return `weft ${args.join(' ')} → exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}
