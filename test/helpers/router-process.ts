// Runs a real weftd process for a test: its own temporary folder, a config written there with
// every port 0, ports read back from --ports-file (racing an early exit), logs kept and printed
// when the test fails.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { WEFTD_NODE_FLAGS } from '../../router/cli/node-flags';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const WEFTD = path.join(REPO_ROOT, 'dist/router/cli/weftd.js');
export const WEFT = path.join(REPO_ROOT, 'dist/router/cli/weft.js');

export interface RouterProcess {
  dir: string;
  child: ChildProcess;
  ports: Record<string, number>;
  /** The port of the first listener. */
  port: number;
  output(): string;
  stop(): Promise<void>;
  /** Resolves when the process exits. */
  exited: Promise<number | null>;
}

export function tempDir(prefix = 'weft-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A standalone router with one normal listener on 127.0.0.1 port 0, plus extra conf text. */
export function standaloneConf(extra = '', listenerExtra = ''): string {
  return `router {\n    mode: standalone\n    id: TestRouter\n}\n\nlistener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n    authenticatePeer: no\n    saslMechanisms: ANONYMOUS PLAIN\n${listenerExtra}}\n${extra}`;
}

export async function startRouter(confText: string, options: { fileName?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RouterProcess> {
  const dir = tempDir();
  const conf = path.join(dir, options.fileName ?? 'router.conf');
  fs.writeFileSync(conf, confText);
  const portsFile = path.join(dir, 'ports.json');
  const child = spawn(process.execPath, [...WEFTD_NODE_FLAGS, WEFTD, '-c', conf, '--ports-file', portsFile], { cwd: dir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b) => { out += b; });
  child.stderr!.on('data', (b) => { out += b; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 10000);
  let ports: Record<string, number> | undefined;
  let exitCode: number | null | undefined;
  void exited.then((c) => { exitCode = c; });
  while (!ports) {
    if (exitCode !== undefined) throw new Error(`weftd exited with ${exitCode} before listening:\n${out}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`weftd did not report its ports in time:\n${out}`); }
    if (fs.existsSync(portsFile)) ports = JSON.parse(fs.readFileSync(portsFile, 'utf8'));
    else await new Promise((r) => setTimeout(r, 20));
  }
  return {
    dir, child, ports, port: Object.values(ports)[0], exited,
    output: () => out,
    stop: async () => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
