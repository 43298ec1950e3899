// A router under test: started from its command line with a generated configuration file,
// considered up once it accepts TCP connections, measured through /proc, stopped at the end.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForAccept } from './ports';
import { formatCommandLine } from './router-command';
import { findServingProcess, ProcessSample, sampleProcess } from './proc-stats';

export interface RouterStart {
  /** The router command, `-c CONF` is appended (see router-command.ts). */
  argv: readonly string[];
  /** Names the files in `dir`: NAME.conf, NAME.stdout.log, NAME.stderr.log. */
  name: string;
  conf: string;
  /** The client port in `conf`: the router is up when it accepts there. */
  port: number;
  /** Other ports in `conf` it must accept on too before it counts as up (inter-router). */
  extraPorts?: readonly number[];
  dir: string;
  cwd: string;
  startTimeoutMs: number;
}

export class RouterProcess {
  /** The process that serves the port, not a wrapper shell (findServingProcess). */
  readonly pid: number;

  private constructor(
    private readonly child: ChildProcess,
    readonly start: RouterStart,
    private readonly stderrPath: string,
    private readonly exited: Promise<void>,
  ) {
    this.pid = findServingProcess(child.pid!, start.port);
  }

  static async start(start: RouterStart): Promise<RouterProcess> {
    const confPath = join(start.dir, `${start.name}.conf`);
    const stdoutPath = join(start.dir, `${start.name}.stdout.log`);
    const stderrPath = join(start.dir, `${start.name}.stderr.log`);
    mkdirSync(start.dir, { recursive: true });
    writeFileSync(confPath, start.conf);
    const [command, ...args] = start.argv;
    // Output goes to files, not pipes: a router never blocks on a pipe we are slow to read.
    const out = openSync(stdoutPath, 'w');
    const err = openSync(stderrPath, 'w');
    // Own process group, so that stop() also ends whatever a wrapper command started.
    const child = spawn(command, [...args, '-c', confPath], { cwd: start.cwd, stdio: ['ignore', out, err], detached: true });
    closeSync(out);
    closeSync(err);
    let ended: string | null = null;
    const exited = new Promise<void>((resolve) => {
      child.once('error', (e) => {
        ended = `could not run the router: ${e.message}`;
        resolve();
      });
      child.once('exit', (code, signal) => {
        ended = `router exited (${code ?? signal}) before accepting connections on 127.0.0.1:${start.port}`;
        resolve();
      });
    });
    const commandLine = formatCommandLine([...start.argv, '-c', confPath]);
    try {
      const deadline = Date.now() + start.startTimeoutMs;
      for (const port of [start.port, ...(start.extraPorts ?? [])]) {
        await waitForAccept(port, Math.max(0, deadline - Date.now()), () => ended);
      }
    } catch (e) {
      killGroup(child, 'SIGKILL');
      await exited;
      throw new Error(`${(e as Error).message}\n  command: ${commandLine}\n  stderr (${stderrPath}):\n${tail(stderrPath)}`);
    }
    return new RouterProcess(child, start, stderrPath, exited);
  }

  /** CPU seconds and memory now; throws if the router has gone. */
  sample(): ProcessSample {
    return sampleProcess(this.pid);
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && existsSync(`/proc/${this.pid}`);
  }

  stderrTail(bytes?: number): string {
    return tail(this.stderrPath, bytes);
  }

  /** Where the router's stderr goes. */
  get stderrFile(): string {
    return this.stderrPath;
  }

  /** Kills the router's process group at once (SIGKILL by default), as a crash would. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    killGroup(this.child, signal);
  }

  /** Resolves once the router has exited. */
  exit(): Promise<void> {
    return this.exited;
  }

  /** SIGTERM to the router's process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    killGroup(this.child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function tail(path: string, bytes = 4000): string {
  try {
    const text = readFileSync(path, 'utf8');
    return (text.length > bytes ? '…' + text.slice(-bytes) : text).trimEnd() || '(empty)';
  } catch {
    return '(none)';
  }
}
