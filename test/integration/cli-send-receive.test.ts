// `weft send` and `weft receive` as subprocesses against a real AMQP peer (a tiny rhea
// broker until the router can stand in). Every wait is on a condition: process output,
// process exit or broker state.

import { expect } from 'chai';
import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import * as path from 'node:path';
import { Message, connect } from 'rhea';
import { RheaBroker } from '../helpers/rhea-broker';

/** dist/test/integration → dist/router/cli/weft.js */
const WEFT = path.resolve(__dirname, '../../router/cli/weft.js');

interface Result { code: number | null; stdout: string; stderr: string }

class Weft {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Result>;
  private readonly child: ChildProcess;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [WEFT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => { this.stdout += s; });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.stderr += s; });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /** Resolves with the match once stdout matches `re`; fails if the process ends first. */
  output(re: RegExp, timeoutMs = 3000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(this.stdout);
        if (m) { done(); resolve(m); }
      };
      const ended = (): void => { done(); reject(new Error(`weft ended before printing ${re}:\n${this.transcript()}`)); };
      const timer = setTimeout(() => { done(); reject(new Error(`no ${re} after ${timeoutMs} ms:\n${this.transcript()}`)); }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.child.stdout!.off('data', check);
        this.child.off('close', ended);
      };
      this.child.stdout!.on('data', check);
      this.child.on('close', ended);
      check();
    });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  transcript(): string {
    return `--- stdout\n${this.stdout}--- stderr\n${this.stderr}`;
  }
}

/** What a failed assertion prints, so that a broken run explains itself. */
function transcript(r: Result): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

describe('weft send / receive (subprocess, against a rhea broker)', function () {
  this.timeout(5000);
  let broker: RheaBroker;
  const running: Weft[] = [];
  const weft = (...args: string[]): Weft => {
    const w = new Weft(args);
    running.push(w);
    return w;
  };

  beforeEach(async () => {
    broker = await RheaBroker.start({
      outcome: (address) => (address === 'refused' ? 'reject' : address === 'busy' ? 'release' : 'accept'),
    });
  });

  afterEach(async () => {
    for (const w of running.splice(0)) w.kill();
    await broker.close();
  });

  it('sends messages that a later receive prints', async () => {
    const sent = await weft('send', '-b', broker.url, '-a', 'q1', '-c', '3', '-m', 'hello').exited;
    expect(sent.code, transcript(sent)).to.equal(0);
    expect(sent.stdout).to.equal('sent 3: accepted 3, rejected 0, released 0, modified 0\n');
    expect(broker.depth('q1')).to.equal(3);

    const got = await weft('receive', '-b', broker.url, '-a', 'q1', '-c', '3').exited;
    expect(got.code, transcript(got)).to.equal(0);
    expect(got.stdout).to.equal('hello\nhello\nhello\nreceived 3\n');
    expect(broker.consumerOutcomes.map((o) => o.outcome)).to.deep.equal(['accepted', 'accepted', 'accepted']);
  });

  it('delivers to a receiver that is already waiting, within its credit', async () => {
    const receiver = weft('receive', '-b', broker.url, '-a', 'q2', '-c', '2', '--credit', '1');
    await broker.waitFor(() => broker.receiverCount('q2') === 1, 'the receiver to attach');
    const sent = await weft('send', '-b', broker.url, '-a', 'q2', '-c', '3', '-m', 'm').exited;
    expect(sent.code, transcript(sent)).to.equal(0);
    const got = await receiver.exited;
    expect(got.code, transcript(got)).to.equal(0);
    expect(got.stdout).to.equal('m\nm\nreceived 2\n');
    expect(broker.depth('q2')).to.equal(1); // the third was never given credit
  });

  it('reports rejections with their condition and exits 1', async () => {
    const r = await weft('send', '-b', broker.url, '-a', 'refused', '-c', '2').exited;
    expect(r.code, transcript(r)).to.equal(1);
    expect(r.stdout).to.equal('sent 2: accepted 0, rejected 2, released 0, modified 0\n'
      + '  rejected 2: amqp:not-allowed: rejected by the test broker\n');
  });

  it('counts released outcomes', async () => {
    const r = await weft('send', '-b', broker.url, '-a', 'busy').exited;
    expect(r.code, transcript(r)).to.equal(1);
    expect(r.stdout).to.equal('sent 1: accepted 0, rejected 0, released 1, modified 0\n');
  });

  it('sends presettled binary bodies of a given size', async () => {
    const r = await weft('send', '-b', broker.url, '-a', 'bin', '-c', '2', '--presettled', '--size', '1000').exited;
    expect(r.code, transcript(r)).to.equal(0);
    expect(r.stdout).to.equal('sent 2 (presettled)\n');
    await broker.waitFor(() => broker.received.length === 2, 'two messages');
    const body = broker.received[0].message.body as { content: Buffer };
    expect(body.content.length).to.equal(1000);
    const got = await weft('receive', '-b', broker.url, '-a', 'bin', '-c', '1').exited;
    expect(got.stdout).to.equal('<binary, 1000 bytes>\nreceived 1\n');
  });

  it('sends no faster than the credit it is given, presettled or not', async () => {
    const stingy = await RheaBroker.start({ producerCredit: 2 });
    try {
      const settled = await weft('send', '-b', stingy.url, '-a', 'q', '-c', '7', '--presettled').exited;
      expect(settled.code, transcript(settled)).to.equal(0);
      await stingy.waitFor(() => stingy.received.length === 7, 'seven presettled messages');
      const unsettled = await weft('send', '-b', stingy.url, '-a', 'q', '-c', '7').exited;
      expect(unsettled.stdout, transcript(unsettled)).to.equal('sent 7: accepted 7, rejected 0, released 0, modified 0\n');
    } finally {
      await stingy.close();
    }
  });

  it('settles with the outcome asked for', async () => {
    await weft('send', '-b', broker.url, '-a', 'q3', '-c', '2').exited;
    const got = await weft('receive', '-b', broker.url, '-a', 'q3', '-c', '2', '--outcome', 'modify').exited;
    expect(got.code, transcript(got)).to.equal(0);
    await broker.waitFor(() => broker.consumerOutcomes.length === 2, 'two outcomes');
    expect(broker.consumerOutcomes).to.deep.equal([{ address: 'q3', outcome: 'modified' }, { address: 'q3', outcome: 'modified' }]);
  });

  it('prints properties and annotations, x-opt-qd.trace included', async () => {
    await sendWithRhea(broker.url, 'traced', {
      body: 'hop', subject: 's1', message_id: 'id-1',
      message_annotations: { 'x-opt-qd.trace': ['0/Router.A', '0/Router.B'] },
    });
    const got = await weft('receive', '-b', broker.url, '-a', 'traced', '-c', '1', '--print').exited;
    expect(got.code, transcript(got)).to.equal(0);
    const [body, json, summary] = got.stdout.trimEnd().split('\n');
    expect(body).to.equal('hop');
    expect(JSON.parse(json)).to.deep.equal({
      properties: { message_id: 'id-1', subject: 's1' },
      message_annotations: { 'x-opt-qd.trace': ['0/Router.A', '0/Router.B'] },
    });
    expect(summary).to.equal('received 1');
  });

  it('does request/response through a dynamic reply address and a --reply responder', async () => {
    const responder = weft('receive', '-b', broker.url, '-a', 'service', '-c', '2', '--reply');
    await broker.waitFor(() => broker.receiverCount('service') === 1, 'the responder to attach');
    const r = await weft('send', '-b', broker.url, '-a', 'service', '-c', '2', '-m', 'ping', '--request').exited;
    expect(r.code, transcript(r)).to.equal(0);
    expect(r.stdout).to.equal('PING\nPING\nsent 2: accepted 2, rejected 0, released 0, modified 0\nreceived 2 replies\n');
    const served = await responder.exited;
    expect(served.code, transcript(served)).to.equal(0);
    expect(served.stdout).to.equal('ping\nping\nreceived 2\n');
  });

  it('prints the address of a dynamic receiver, which others can send to', async () => {
    const receiver = weft('receive', '-b', broker.url, '--dynamic', '-c', '1');
    const [, address] = await receiver.output(/^dynamic address: (\S+)$/m);
    const sent = await weft('send', '-b', broker.url, '-a', address, '-m', 'to you').exited;
    expect(sent.code, transcript(sent)).to.equal(0);
    const got = await receiver.exited;
    expect(got.code, transcript(got)).to.equal(0);
    expect(got.stdout).to.equal(`dynamic address: ${address}\nto you\nreceived 1\n`);
  });

  it('stops at --timeout: normally when receiving forever, as a failure short of COUNT', async () => {
    const forever = await weft('receive', '-b', broker.url, '-a', 'empty', '--timeout', '0.2').exited;
    expect(forever.code, transcript(forever)).to.equal(0);
    expect(forever.stdout).to.equal('received 0\n');
    const counted = await weft('receive', '-b', broker.url, '-a', 'empty', '-c', '1', '--timeout', '0.2').exited;
    expect(counted.code, transcript(counted)).to.equal(1);
    expect(counted.stdout).to.equal('received 0\n');
  });

  it('says it cannot connect, in one line, and exits 2', async () => {
    const port = await closedPort();
    const r = await weft('send', '-b', `amqp://127.0.0.1:${port}`).exited;
    expect(r.code, transcript(r)).to.equal(2);
    expect(r.stderr).to.equal(`weft: cannot connect to amqp://127.0.0.1:${port}: ECONNREFUSED\n`);
    expect(r.stdout).to.equal('');
  });

  it('prints the usage and exits 2 on bad arguments', async () => {
    const r = await weft('receive', '--outcome', 'drop').exited;
    expect(r.code, transcript(r)).to.equal(2);
    expect(r.stderr).to.match(/^weft receive: --outcome takes one of accept, reject, release, modify, not 'drop'\n\nusage: weft receive \[options\]/);
    const none = await weft().exited;
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/^usage: weft <command>/);
  });
});

/** Sends one message with rhea itself, for what the CLI cannot set (annotations). */
function sendWithRhea(url: string, address: string, message: Message): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const connection = connect({ host: hostname, port: Number(port), reconnect: false });
    const sender = connection.open_sender(address);
    sender.once('sendable', () => sender.send(message));
    sender.once('accepted', () => { connection.close(); resolve(); });
    connection.on('disconnected', (ctx) => reject(ctx.error ?? new Error('disconnected')));
  });
}

/** A port nobody listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
