// Client processes for interop tests: Proton Python scripts (test/interop/python, JSON lines on
// stdout) and the Debian Proton C examples. Every wait is bounded and event-driven (a new line or
// the process's exit re-checks the condition); a failing wait carries the client's output.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { REPO_ROOT } from './router-process';

/** Exactly this interpreter: it is the one Debian's python3-qpid-proton is installed for. */
export const PYTHON = '/usr/bin/python3';
export const PYTHON_CLIENTS_DIR = path.join(REPO_ROOT, 'test/interop/python');
export const PROTON_C_EXAMPLES_DIR = '/usr/share/proton/examples/c';

/** One line a Python client printed: {"event": ..., ...}. */
export interface ClientEvent { event: string; [field: string]: unknown }

export class ClientProcess {
  readonly child: ChildProcess;
  /** Stdout lines, complete ones only. */
  readonly lines: string[] = [];
  /** The stdout lines that are JSON objects with an `event`. */
  readonly events: ClientEvent[] = [];
  readonly exited: Promise<number | null>;
  /** Undefined while running; the exit code (null when killed by a signal) afterwards. */
  exitCode: number | null | undefined = undefined;
  private stdoutText = '';
  private partial = '';
  private stderrText = '';
  private readonly watchers = new Set<() => void>();

  constructor(readonly name: string, readonly command: string, readonly args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stderr!.setEncoding('utf8');
    this.child.stdout!.on('data', (s: string) => this.onStdout(s));
    this.child.stderr!.on('data', (s: string) => { this.stderrText += s; });
    this.child.stdin!.on('error', () => { /* the client may exit before reading its stdin */ });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => { this.stderrText += `spawn failed: ${err.message}\n`; this.exitCode = -1; this.notify(); resolve(-1); });
      // 'close' comes after stdout and stderr have ended: every line has been seen.
      this.child.on('close', (code) => { this.exitCode = code; this.notify(); resolve(code); });
    });
  }

  private onStdout(s: string): void {
    this.stdoutText += s;
    const parts = (this.partial + s).split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) {
      this.lines.push(line);
      if (line.startsWith('{')) {
        try {
          const v = JSON.parse(line);
          if (v && typeof v.event === 'string') this.events.push(v);
        } catch { /* not ours: kept in lines */ }
      }
    }
    if (parts.length > 0) this.notify();
  }

  private notify(): void { for (const w of [...this.watchers]) w(); }

  get running(): boolean { return this.exitCode === undefined; }

  /** Events of one kind. */
  eventsOf(kind: string): ClientEvent[] { return this.events.filter((e) => e.event === kind); }

  /** Resolves with `check()`'s first truthy value, re-checked on each line; fails on timeout or exit. */
  waitUntil<T>(check: () => T | undefined | false | null, what: string, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (err: Error | undefined, v?: T) => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
        if (err) reject(err); else resolve(v as T);
      };
      const watcher = () => {
        const v = check();
        if (v) return done(undefined, v);
        if (!this.running) done(new Error(`${this.name} exited (${this.exitCode}) before ${what}\n${this.output()}`));
      };
      const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${this.name}: ${what}\n${this.output()}`)), timeoutMs);
      this.watchers.add(watcher);
      watcher();
    });
  }

  /** The first event of this kind (and matching `match`), waiting for it if needed. */
  waitForEvent(kind: string, timeoutMs = 10000, match: (e: ClientEvent) => boolean = () => true): Promise<ClientEvent> {
    return this.waitUntil(() => this.events.find((e) => e.event === kind && match(e)), `a "${kind}" event`, timeoutMs);
  }

  /** Waits for the exit and returns its code; a client still running after `timeoutMs` is killed and the wait fails. */
  async finish(timeoutMs = 15000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const r = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (r === 'timeout') {
      this.kill();
      await this.exited;
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms (killed)\n${this.output()}`);
    }
    return r;
  }

  /** Waits for a clean exit (code 0), failing with the client's output otherwise. */
  async succeed(timeoutMs = 15000): Promise<void> {
    const code = await this.finish(timeoutMs);
    if (code !== 0) throw new Error(`${this.name} exited with ${code}\n${this.output()}`);
  }

  /** Closes stdin: clients that receive "until stdin is closed" finish cleanly. */
  endInput(): void { this.child.stdin!.end(); }

  kill(): void { if (this.running) this.child.kill('SIGKILL'); }

  stdout(): string { return this.stdoutText; }

  output(): string {
    const state = this.running ? 'running' : `exit ${this.exitCode}`;
    return `--- ${this.name} (${state}): ${this.command} ${this.args.join(' ')}\n[stdout]\n${this.stdoutText}[stderr]\n${this.stderrText}`;
  }
}

/** The clients one test started: killed together afterwards, their outputs printed on failure. */
export class ClientGroup {
  readonly clients: ClientProcess[] = [];

  /** Runs test/interop/python/<script> with /usr/bin/python3. */
  python(script: string, args: Array<string | number>, name = script.replace(/\.py$/, '')): ClientProcess {
    return this.add(new ClientProcess(`${name}#${this.clients.length + 1}`, PYTHON, [path.join(PYTHON_CLIENTS_DIR, script), ...args.map(String)], {
      cwd: PYTHON_CLIENTS_DIR,
      // No __pycache__ left in the source tree.
      env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    }));
  }

  /** Runs any program (a built C example). */
  program(file: string, args: Array<string | number>, name = path.basename(file)): ClientProcess {
    return this.add(new ClientProcess(`${name}#${this.clients.length + 1}`, file, args.map(String)));
  }

  private add(c: ClientProcess): ClientProcess {
    this.clients.push(c);
    return c;
  }

  output(): string { return this.clients.map((c) => c.output()).join('\n'); }

  async killAll(): Promise<void> {
    for (const c of this.clients) c.kill();
    await Promise.all(this.clients.map((c) => c.exited));
    this.clients.length = 0;
  }
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, output: `$ ${command} ${args.join(' ')}\n${stdout}${stderr}${err && code === -1 ? err.message : ''}` });
    });
  });
}

/**
 * Compiles Proton C examples (send.c, receive.c, ...) from the Debian package
 * libqpid-proton11-dev-examples into `outDir`. Debian's libqpid-proton11-dev ships one library
 * (libqpid-proton.so, core and proactor together, pkg-config name libqpid-proton) and no
 * separate -core/-proactor development links, so the build is:
 *   cc -g -Wall -Wextra -o OUT/NAME /usr/share/proton/examples/c/NAME.c \
 *      $(pkg-config --cflags --libs libqpid-proton) -lpthread
 * Throws with the compiler's output if anything fails: a missing build is a failure, not a skip.
 */
export async function buildProtonCExamples(outDir: string, names: string[]): Promise<Record<string, string>> {
  const pc = await run('pkg-config', ['--cflags', '--libs', 'libqpid-proton']);
  if (pc.code !== 0) throw new Error(`pkg-config found no Proton C library (is libqpid-proton11-dev installed?):\n${pc.output}`);
  const flags = pc.stdout.split(/\s+/).filter(Boolean);
  fs.mkdirSync(outDir, { recursive: true });
  const built: Record<string, string> = {};
  await Promise.all(names.map(async (name) => {
    const source = path.join(PROTON_C_EXAMPLES_DIR, `${name}.c`);
    if (!fs.existsSync(source)) throw new Error(`${source} is missing (is libqpid-proton11-dev-examples installed?)`);
    const exe = path.join(outDir, name);
    const cc = await run('cc', ['-g', '-Wall', '-Wextra', '-o', exe, source, ...flags, '-lpthread']);
    if (cc.code !== 0) throw new Error(`building the Proton C example ${name} failed (exit ${cc.code}):\n${cc.output}`);
    built[name] = exe;
  }));
  return built;
}
