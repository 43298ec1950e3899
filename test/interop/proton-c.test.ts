// Interop with the Qpid Proton C examples `send` and `receive` from Debian's
// libqpid-proton11-dev-examples, compiled once per run (a failed build fails the tests with the
// compiler's output), against a real weftd.
//   send HOST PORT ADDRESS COUNT     prints "COUNT messages sent and acknowledged"
//   receive HOST PORT ADDRESS COUNT  prints each body ({"sequence"=N}), then "COUNT messages received"

import * as fs from 'node:fs';
import { expect } from 'chai';
import { startRouter, standaloneConf, RouterProcess, tempDir, waitFor } from '../helpers/router-process';
import { buildProtonCExamples, ClientGroup } from '../helpers/spawn-client';
import { closeConnection, collectMessages, openReceiver, rheaConnect } from '../helpers/rhea-client';
import type { Connection } from 'rhea';

/** The C examples have no timeout of their own: a stuck client is killed after this. */
const CLIENT_TIMEOUT_MS = 8000;

describe('interop: Qpid Proton C examples (send, receive)', function () {
  this.timeout(20000);
  let buildDir: string;
  let exe: Record<string, string>;
  let router: RouterProcess;
  let clients: ClientGroup;
  let rheaConns: Connection[];

  before(async function () {
    this.timeout(60000);
    buildDir = tempDir('weft-proton-c-');
    exe = await buildProtonCExamples(buildDir, ['send', 'receive']);
  });

  after(() => { if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true }); });

  beforeEach(async () => {
    clients = new ClientGroup();
    rheaConns = [];
    router = await startRouter(standaloneConf());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`${clients.output()}\n--- weftd (${router.dir})\n${router.output()}`);
    for (const c of rheaConns) await closeConnection(c).catch(() => undefined);
    await clients.killAll();
    await router.stop();
  });

  const send = (address: string, count: number) => clients.program(exe.send, ['127.0.0.1', router.port, address, count]);
  const receive = (address: string, count: number) => clients.program(exe.receive, ['127.0.0.1', router.port, address, count]);
  /** send.c numbers its messages 1..N (body {"sequence": n}, message-id n). */
  const sequenceLines = (n: number) => Array.from({ length: n }, (_, i) => `{"sequence"=${i + 1}}`);

  it('send N messages and receive N from the same address', async () => {
    // Either may start first: the router gives the sender no credit until a receiver is attached.
    const receiver = receive('c.examples', 25);
    const sender = send('c.examples', 25);
    await Promise.all([sender.succeed(CLIENT_TIMEOUT_MS), receiver.succeed(CLIENT_TIMEOUT_MS)]);
    expect(sender.lines).to.deep.equal(['25 messages sent and acknowledged']);
    expect(receiver.lines).to.deep.equal([...sequenceLines(25), '25 messages received']);
  });

  it('send waits for a receiver that attaches later, then all its messages are acknowledged', async () => {
    const sender = send('c.late', 10);
    // Once send has connected it waits for credit (a sender given credit with no receiver would
    // see its messages released and exit 1); a late receiver lets it go on.
    await waitFor(() => router.output().includes('Connection Opened') || !sender.running, 'send to connect (router log)');
    expect(sender.running, `send exited before any receiver existed\n${sender.output()}`).to.equal(true);
    const receiver = receive('c.late', 10);
    await Promise.all([sender.succeed(CLIENT_TIMEOUT_MS), receiver.succeed(CLIENT_TIMEOUT_MS)]);
    expect(sender.lines).to.deep.equal(['10 messages sent and acknowledged']);
    expect(receiver.lines).to.deep.equal([...sequenceLines(10), '10 messages received']);
  });

  it('C send to a rhea receiver: map bodies and ulong message-ids arrive unchanged', async () => {
    const conn = await rheaConnect(router.port);
    rheaConns.push(conn);
    const r = await openReceiver(conn, { source: { address: 'c.to.rhea' }, credit_window: 10 });
    const got = collectMessages(r);
    const sender = send('c.to.rhea', 12);
    await sender.succeed(CLIENT_TIMEOUT_MS);
    await waitFor(() => got.length >= 12, '12 messages at the rhea receiver');
    expect(got.map((c) => c.message!.body)).to.deep.equal(Array.from({ length: 12 }, (_, i) => ({ sequence: i + 1 })));
    expect(got.map((c) => Number(c.message!.message_id))).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('a Proton Python sender to C receive: string bodies arrive', async () => {
    const receiver = receive('py.to.c', 5);
    const sender = clients.python('sender.py', ['--url', `amqp://127.0.0.1:${router.port}`, '--address', 'py.to.c', '--count', 5, '--timeout', 8]);
    await Promise.all([sender.succeed(CLIENT_TIMEOUT_MS), receiver.succeed(CLIENT_TIMEOUT_MS)]);
    expect(receiver.lines).to.deep.equal([...Array.from({ length: 5 }, (_, i) => `"message-${i}"`), '5 messages received']);
    expect(sender.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 5 });
  });
});
