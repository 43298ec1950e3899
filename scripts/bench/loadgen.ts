// Runs weft-loadgen (scripts/bench/loadgen/weft-loadgen.c) and reads what it prints:
// progress lines (`listening PORT`, `attached`, `stalled`, the sender's `credited`; with
// receive --timestamps `gap …` and `progress …`, see reconverge.ts) and one JSON line at the end.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReceiveResult, SendResult } from './types';

export function loadgenPaths(root: string): { binary: string; source: string; build: string } {
  const dir = join(root, 'scripts/bench/loadgen');
  return { binary: join(root, 'dist/loadgen/weft-loadgen'), source: join(dir, 'weft-loadgen.c'), build: join(dir, 'build.sh') };
}

/** Builds the load generator when it is missing or older than its source; returns its path. */
export function ensureLoadgen(root: string): string {
  const { binary, source, build } = loadgenPaths(root);
  const stale = !existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs;
  if (!stale) return binary;
  try {
    execFileSync('bash', [build], { stdio: ['ignore', 2, 2] }); // keep stdout for the table
  } catch {
    throw new Error(`could not build the load generator with ${build}: run \`npm run setup\` (it installs gcc and Proton C)`);
  }
  return binary;
}

/** The last JSON line of a load generator's output, or null if it printed none. */
export function parseLoadgenOutput(stdout: string): SendResult | ReceiveResult | null {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  if (lines.length === 0) return null;
  const value = JSON.parse(lines[lines.length - 1]) as SendResult | ReceiveResult;
  if (value.role !== 'send' && value.role !== 'receive') throw new Error(`not a load generator result: ${lines[lines.length - 1]}`);
  return value;
}

export interface LoadgenExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class LoadgenProcess {
  private readonly child: ChildProcess;
  private stdout = '';
  private stderr = '';
  private readonly exited: Promise<LoadgenExit>;
  private exit: LoadgenExit | null = null;
  private readonly lineWaiters = new Set<() => void>();

  constructor(binary: string, readonly args: readonly string[]) {
    this.child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      for (const wake of this.lineWaiters) wake();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.stderr += String(err);
        this.exit = { code: -1, signal: null, stdout: this.stdout, stderr: this.stderr };
        resolve(this.exit);
      });
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal, stdout: this.stdout, stderr: this.stderr };
        for (const wake of this.lineWaiters) wake();
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything it has printed on stdout so far. */
  get output(): string {
    return this.stdout;
  }

  /** Whether it has exited. */
  get ended(): boolean {
    return this.exit !== null;
  }

  /** Waits for a stdout line matching `pattern`; fails if the process ends first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`weft-loadgen ${this.args[0]}: no ${pattern} within ${timeoutMs} ms${this.describeStderr()}`)), timeoutMs);
      const finish = (err: Error | null, match?: RegExpMatchArray): void => {
        clearTimeout(timer);
        this.lineWaiters.delete(check);
        if (err) reject(err);
        else resolve(match!);
      };
      const check = (): void => {
        for (const line of this.stdout.split('\n')) {
          const m = pattern.exec(line.trim());
          if (m) return finish(null, m);
        }
        if (this.exit) finish(new Error(`weft-loadgen ${this.args[0]} exited (${this.exit.code ?? this.exit.signal}) before printing ${pattern}${this.describeStderr()}`));
      };
      this.lineWaiters.add(check);
      check();
    });
  }

  /** Resolves when the process has exited; asks it to stop (SIGTERM: it still prints its
   *  figures) after `timeoutMs`, and kills it 5 s after that. */
  async done(timeoutMs: number): Promise<LoadgenExit & { timedOut: boolean }> {
    let timedOut = false;
    const term = setTimeout(() => {
      timedOut = true;
      this.terminate();
    }, timeoutMs);
    const kill = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs + 5000);
    const exit = await this.exited;
    clearTimeout(term);
    clearTimeout(kill);
    return { ...exit, timedOut };
  }

  terminate(): void {
    if (!this.exit) this.child.kill('SIGTERM');
  }

  /** Asks a sender to finish: no more transfers, outcomes of those in flight awaited (up to
   *  5 s), then it closes and prints its figures. */
  finish(): void {
    if (!this.exit) this.child.kill('SIGUSR1');
  }

  result<T extends SendResult | ReceiveResult>(role: T['role']): T | null {
    const value = parseLoadgenOutput(this.stdout);
    return value && value.role === role ? (value as T) : null;
  }

  describeStderr(): string {
    const text = this.stderr.trim();
    return text ? `:\n${text.slice(-2000)}` : '';
  }
}
