// The brokerless lab end to end, as a user runs it: `npm run lab` (dist/scripts/lab.js), and the
// four scripts one by one. Both need the inter-router mesh: three weftd processes on loopback,
// ten messages from a sender on router1 to a receiver on router3, each carrying an
// x-opt-qd.trace that starts at Router1 and ends at Router3.

import { expect } from 'chai';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT, tempDir } from '../helpers/router-process';
import { readText, routerFiles, runningWeftd } from '../../scripts/lab/lab-router';

const LAB = path.join(REPO_ROOT, 'labs/brokerless');
const LAB_JS = path.join(REPO_ROOT, 'dist/scripts/lab.js');
const NAMES = ['router1', 'router2', 'router3'];

class Proc {
  output = '';
  stdout = '';
  code: number | null | undefined;
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;

  constructor(readonly name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => { this.stdout += s; this.output += s; });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.output += s; });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => { this.code = code; resolve(code); }));
  }

  /** The exit code; killed (and failing) after `timeoutMs`. */
  async finish(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), timeoutMs); });
    const r = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (r === 'late') {
      this.child.kill('SIGINT');
      await this.exited;
      throw new Error(`${this.name} did not finish within ${timeoutMs} ms:\n${this.output}`);
    }
    return r;
  }

  kill(): void { if (this.code === undefined) this.child.kill('SIGKILL'); }
}

/** The traces the lab printed: `#3/10  … x-opt-qd.trace=["0/Router1","0/Router3"]`. */
function labTraces(stdout: string): string[][] {
  return [...stdout.matchAll(/^\s+#(\d+)\/10 .* x-opt-qd\.trace=(\[.*\])$/gm)].map((m) => JSON.parse(m[2]) as string[]);
}

/** The traces `weft receive --print` printed, one JSON line per message. */
function receiveTraces(stdout: string): string[][] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { message_annotations?: Record<string, string[]> }).message_annotations?.['x-opt-qd.trace'] ?? []);
}

function expectThroughMesh(traces: string[][], output: string): void {
  expect(traces, output).to.have.length(10);
  for (const t of traces) {
    expect(t[0], output).to.equal('0/Router1');
    expect(t[t.length - 1], output).to.equal('0/Router3');
  }
}

/** Runs `body`; a failure carries the end of each router's log from `runDir`. */
async function withRouterLogs(runDir: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const logs = NAMES.map((n) => `--- ${n}.log\n${readText(routerFiles(runDir, n).log).split('\n').slice(-30).join('\n')}`).join('\n');
    if (err instanceof Error) err.message += `\n${logs}`;
    throw err;
  }
}

function expectAllStopped(runDir: string): void {
  for (const n of NAMES) expect(runningWeftd(routerFiles(runDir, n).pid), `${n} still running`).to.equal(undefined);
}

describe('the brokerless lab (needs the inter-router mesh)', function () {
  this.timeout(120000);

  it('npm run lab: ten messages from router1 reach the receiver on router3 through the mesh; everything stops', async () => {
    const runDir = tempDir('weft-lab-');
    const lab = new Proc('lab.js', process.execPath, [LAB_JS, '--run-dir', runDir, '--count', '10']);
    try {
      const code = await lab.finish(90000);
      expect(code, lab.output).to.equal(0);
      expectThroughMesh(labTraces(lab.stdout), lab.output);
      expect(lab.stdout).to.match(/outcomes at the sender: 10 accepted/);
      expect(lab.stdout).to.match(/inter-router connections: .*Router1 → Router3/);
      expect(lab.stdout).to.match(/brokerless lab: OK/);
      expectAllStopped(runDir);
    } finally {
      lab.kill();
    }
  });

  it('the four scripts one by one: start.sh, receiver_router3.sh, sender_router1.sh, stop.sh', async () => {
    const env = { WEFT_LAB_RUN_DIR: tempDir('weft-lab-scripts-') };
    const procs: Proc[] = [];
    const script = (name: string, ...args: string[]): Proc => {
      const p = new Proc(name, 'bash', [path.join(LAB, name), ...args], env);
      procs.push(p);
      return p;
    };
    try {
      await withRouterLogs(env.WEFT_LAB_RUN_DIR, async () => {
        const start = script('start.sh');
        expect(await start.finish(45000), start.output).to.equal(0);
        expect(start.stdout, start.output).to.match(/mesh formed after/);
        const receiver = script('receiver_router3.sh', '-c', '10', '--timeout', '60');
        const sender = script('sender_router1.sh', '-c', '10', '--timeout', '60');
        expect(await sender.finish(70000), sender.output).to.equal(0);
        expect(sender.stdout).to.match(/accepted 10\b/);
        expect(await receiver.finish(15000), receiver.output).to.equal(0);
        expectThroughMesh(receiveTraces(receiver.stdout), receiver.output);
      });
    } finally {
      // Stopped whatever happened; checked below only if the rest passed (not to hide its failure).
      for (const p of procs) p.kill();
      await script('stop.sh').finish(20000).catch(() => undefined);
    }
    const stop = procs[procs.length - 1];
    expect(stop.code, stop.output).to.equal(0);
    expect(stop.output).to.match(/stopped router1/);
    expectAllStopped(env.WEFT_LAB_RUN_DIR);
  });
});
