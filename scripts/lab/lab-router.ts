// One router of the lab as a weftd process: its conf copy, log, pid and ports files in the run
// folder; up once weftd has written its ports file (racing an early exit); stopped by its pid.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { WEFTD_NODE_FLAGS } from '../../router/cli/node-flags';
import { LabError, WEFTD } from './lab-layout';

export interface RouterFiles { conf: string; log: string; pid: string; ports: string }

export function routerFiles(runDir: string, name: string): RouterFiles {
  const file = (ext: string) => path.join(runDir, `${name}.${ext}`);
  return { conf: file('conf'), log: file('log'), pid: file('pid'), ports: file('ports.json') };
}

export interface RouterStart {
  /** Service name (router1). */
  name: string;
  /** The router id in its conf (Router1). */
  id: string;
  confText: string;
  runDir: string;
  /** Its own session, left running when this process exits (start.sh). */
  detached: boolean;
}

const POLL_MS = 25;
const STOP_GRACE_MS = 4000;

export class LabRouter {
  /** Listener name → port, from weftd's --ports-file; filled by ready(). */
  ports: Readonly<Record<string, number>> = {};
  readonly pid: number;
  private ended: string | undefined;
  private readonly exited: Promise<void>;

  private constructor(readonly name: string, readonly id: string, readonly files: RouterFiles, private readonly child: ChildProcess, private readonly detached: boolean) {
    this.pid = child.pid ?? -1;
    this.exited = new Promise<void>((resolve) => {
      child.once('error', (e) => { this.ended = `could not be run: ${e.message}`; resolve(); });
      child.once('exit', (code, signal) => { this.ended = `exited (${signal ?? `code ${code}`})`; resolve(); });
    });
  }

  /** Starts the process; it is up once ready() resolves. */
  static spawn(s: RouterStart): LabRouter {
    if (!fs.existsSync(WEFTD)) throw new LabError(`${WEFTD} is missing: build first (npm run build)`);
    const files = routerFiles(s.runDir, s.name);
    for (const f of [files.log, files.pid, files.ports]) fs.rmSync(f, { force: true });
    fs.writeFileSync(files.conf, s.confText);
    // A file, not a pipe: the router never blocks on output nobody reads, and it may outlive us.
    const log = fs.openSync(files.log, 'a');
    const child = spawn(process.execPath, [...WEFTD_NODE_FLAGS, WEFTD, '-c', files.conf, '--ports-file', files.ports, '-P', files.pid], {
      cwd: s.runDir, stdio: ['ignore', log, log], detached: s.detached,
    });
    fs.closeSync(log);
    return new LabRouter(s.name, s.id, files, child, s.detached);
  }

  /** Waits for weftd's ports file (written once every listener is bound), racing its exit. */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!fs.existsSync(this.files.ports)) {
      if (this.ended !== undefined || Date.now() > deadline) {
        const why = this.ended ?? `did not report its listener ports within ${timeoutMs} ms`;
        await this.stop();
        throw new LabError(`${this.name} (${this.id}) ${why} before it was up.\n  its log, ${this.files.log}:\n${indent(tail(this.files.log, 20))}`);
      }
      await sleep(POLL_MS);
    }
    this.ports = JSON.parse(fs.readFileSync(this.files.ports, 'utf8')) as Record<string, number>;
    if (this.detached) this.child.unref();
  }

  get running(): boolean { return this.child.exitCode === null && this.child.signalCode === null; }

  log(): string { return readText(this.files.log); }

  /** SIGTERM, then SIGKILL if it has not gone after a grace period. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    fs.rmSync(this.files.pid, { force: true });
  }
}

/** The pid in a pid file, if that process is still a weftd (not a later process with the same pid). */
export function runningWeftd(pidFile: string): number | undefined {
  const pid = Number.parseInt(readText(pidFile), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let command: string;
  try {
    command = fs.existsSync('/proc') ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return undefined; // gone
  }
  return command.includes('weftd') ? pid : undefined;
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function tail(file: string, lines: number): string {
  const text = readText(file).trimEnd();
  return text === '' ? '(empty)' : text.split('\n').slice(-lines).join('\n');
}

export function indent(text: string, by = '    '): string {
  return text.split('\n').map((l) => by + l).join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
