// Interop with Qpid Proton Python (Debian's python3-qpid-proton 0.37, run by /usr/bin/python3)
// against a real weftd: the client scripts in ./python print JSON lines that these tests read.
// Every test has its own router; on failure the clients' and the router's output is printed.

import { expect } from 'chai';
import { startRouter, standaloneConf, RouterProcess, waitFor } from '../helpers/router-process';
import { ClientEvent, ClientGroup, ClientProcess } from '../helpers/spawn-client';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import type { Connection } from 'rhea';

const CONF_EXTRA = 'address {\n    prefix: multicast\n    distribution: multicast\n}\n';
/** Seconds a Python client waits for its work before it gives up (exit 3): below the mocha timeout. */
const CLIENT_TIMEOUT_S = '8';

describe('interop: Qpid Proton Python clients', function () {
  this.timeout(20000);
  let router: RouterProcess;
  let url: string;
  let clients: ClientGroup;
  let rheaConns: Connection[];

  beforeEach(async () => {
    clients = new ClientGroup();
    rheaConns = [];
    router = await startRouter(standaloneConf(CONF_EXTRA));
    url = `amqp://127.0.0.1:${router.port}`;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`${clients.output()}\n--- weftd (${router.dir})\n${router.output()}`);
    for (const c of rheaConns) await closeConnection(c).catch(() => undefined);
    await clients.killAll();
    await router.stop();
  });

  /** A Python sender; `more` may carry its own --timeout (the last one counts). */
  const sender = (address: string, count: number, ...more: Array<string | number>): ClientProcess =>
    clients.python('sender.py', ['--url', url, '--timeout', CLIENT_TIMEOUT_S, '--address', address, '--count', count, ...more]);
  const receiver = (args: Array<string | number>): ClientProcess =>
    clients.python('receiver.py', ['--url', url, '--timeout', CLIENT_TIMEOUT_S, ...args]);
  const bodies = (c: ClientProcess): unknown[] => c.eventsOf('message').map((e) => e.body);
  const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  const rhea = async (): Promise<Connection> => { const c = await rheaConnect(router.port); rheaConns.push(c); return c; };

  it('Python sender to Python receiver, unsettled: every message accepted, in order', async () => {
    const recv = receiver(['--address', 'py.unsettled', '--count', 20, '--credit', 7]);
    await recv.waitForEvent('ready');
    const send = sender('py.unsettled', 20);
    await send.succeed();
    await recv.succeed();
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 20 });
    expect(send.eventsOf('outcome').map((e) => e.index)).to.have.members(range(20, (i) => i));
    expect(bodies(recv)).to.deep.equal(range(20, (i) => `message-${i}`));
    expect(recv.eventsOf('message').every((e) => e.settled === false)).to.equal(true);
  });

  it('Python sender to Python receiver, pre-settled: every message received, settled', async () => {
    const recv = receiver(['--address', 'py.presettled', '--count', 20, '--credit', 20]);
    await recv.waitForEvent('ready');
    const send = sender('py.presettled', 20, '--presettled');
    await send.succeed();
    await recv.succeed();
    expect(send.eventsOf('outcome')).to.have.length(0);
    expect(bodies(recv)).to.deep.equal(range(20, (i) => `message-${i}`));
    expect(recv.eventsOf('message').every((e) => e.settled === true)).to.equal(true);
  });

  it('Python sender to rhea receiver', async () => {
    const conn = await rhea();
    const r = await openReceiver(conn, { source: { address: 'py.to.rhea' }, credit_window: 5 });
    const got = collectMessages(r);
    const send = sender('py.to.rhea', 12, '--subject', 'from-python', '--properties', '{"k": "v", "n": 3}');
    await send.succeed();
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 12 });
    expect(got.map((c) => c.message!.body)).to.deep.equal(range(12, (i) => `message-${i}`));
    expect(got[0].message!.subject).to.equal('from-python');
    expect(got[0].message!.application_properties).to.deep.equal({ k: 'v', n: 3 });
  });

  it('rhea sender to Python receiver', async () => {
    const recv = receiver(['--address', 'rhea.to.py', '--count', 12]);
    await recv.waitForEvent('ready');
    const conn = await rhea();
    const s = await openSender(conn, { target: { address: 'rhea.to.py' } });
    const outcomes: string[] = [];
    s.on('accepted', () => outcomes.push('accepted'));
    s.on('rejected', () => outcomes.push('rejected'));
    s.on('released', () => outcomes.push('released'));
    s.on('modified', () => outcomes.push('modified'));
    for (let i = 0; i < 12; i++) {
      await sendable(s);
      s.send({ body: `rhea-${i}`, subject: 'from-rhea', application_properties: { i } });
    }
    await recv.succeed();
    await waitFor(() => outcomes.length === 12, '12 outcomes at the rhea sender');
    expect(outcomes).to.deep.equal(range(12, () => 'accepted'));
    expect(bodies(recv)).to.deep.equal(range(12, (i) => `rhea-${i}`));
    const m = recv.eventsOf('message')[5];
    expect(m.subject).to.equal('from-rhea');
    expect(m.application_properties).to.deep.equal({ i: 5 });
  });

  it('request/response: replies come back to the dynamic reply address the router assigned', async () => {
    const service = clients.python('responder.py', ['--url', url, '--address', 'py.service', '--count', 5, '--timeout', CLIENT_TIMEOUT_S]);
    await service.waitForEvent('ready');
    const client = clients.python('requester.py', ['--url', url, '--address', 'py.service', '--count', 5, '--timeout', CLIENT_TIMEOUT_S]);
    await client.succeed();
    await service.succeed();
    const replyTo = client.eventsOf('reply_to')[0].address as string;
    expect(replyTo).to.match(/^amqp:\/_topo\/0\/TestRouter\/temp\.\S+$/);
    expect(service.eventsOf('request').map((e) => e.reply_to)).to.deep.equal(range(5, () => replyTo));
    const replies = client.eventsOf('reply').map((e) => [e.correlation_id, e.body]);
    expect(replies).to.have.deep.members(range(5, (i) => [`corr-${i}`, `REQUEST-${i}`]));
    expect(service.eventsOf('reply_outcome').map((e) => e.state)).to.deep.equal(range(5, () => 'accepted'));
  });

  it('a Python dynamic receiver gets an address, and messages sent to it arrive', async () => {
    const recv = receiver(['--dynamic', '--count', 4]);
    const ready = await recv.waitForEvent('ready');
    const address = ready.address as string;
    expect(address).to.match(/^amqp:\/_topo\/0\/TestRouter\/temp\.\S+$/);
    const send = sender(address, 4);
    await send.succeed();
    await recv.succeed();
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 4 });
    expect(bodies(recv)).to.deep.equal(range(4, (i) => `message-${i}`));
  });

  it('two Python consumers on an anycast address share the messages: each message to exactly one', async () => {
    const a = receiver(['--address', 'py.anycast', '--count', 0, '--credit', 5]);
    const b = receiver(['--address', 'py.anycast', '--count', 0, '--credit', 5]);
    await Promise.all([a.waitForEvent('ready'), b.waitForEvent('ready')]);
    const send = sender('py.anycast', 40);
    await send.succeed();
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 40 });
    // Every message was accepted by one of them; stop them once both reports are in.
    await waitFor(() => a.eventsOf('message').length + b.eventsOf('message').length >= 40, '40 messages at the two consumers');
    a.endInput();
    b.endInput();
    await Promise.all([a.succeed(), b.succeed()]);
    const all = [...bodies(a), ...bodies(b)];
    expect(all).to.have.length(40);
    expect(all).to.have.members(range(40, (i) => `message-${i}`));
    expect(bodies(a).length, 'messages at consumer A').to.be.greaterThan(0);
    expect(bodies(b).length, 'messages at consumer B').to.be.greaterThan(0);
    expect((a.eventsOf('done')[0].received as number) + (b.eventsOf('done')[0].received as number)).to.equal(40);
  });

  it('multicast: every Python consumer gets every message', async () => {
    const consumers = [1, 2, 3].map(() => receiver(['--address', 'multicast.news', '--count', 10, '--credit', 10]));
    await Promise.all(consumers.map((c) => c.waitForEvent('ready')));
    const send = sender('multicast.news', 10);
    await send.succeed();
    await Promise.all(consumers.map((c) => c.succeed()));
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 10 });
    for (const c of consumers) expect(bodies(c)).to.deep.equal(range(10, (i) => `message-${i}`));
  });

  it('a rejected outcome travels back to the sender with its condition', async () => {
    const recv = receiver(['--address', 'py.reject', '--count', 3, '--outcome', 'reject', '--condition', 'amqp:not-allowed', '--description', 'refused by the test']);
    await recv.waitForEvent('ready');
    const send = sender('py.reject', 3);
    await send.succeed();
    await recv.succeed();
    const outcomes = send.eventsOf('outcome').map((e: ClientEvent) => ({ state: e.state, condition: e.condition, description: e.description }));
    expect(outcomes).to.deep.equal(range(3, () => ({ state: 'rejected', condition: 'amqp:not-allowed', description: 'refused by the test' })));
  });

  // A working router moves 10 MB between two Python clients in about a second; a stalled
  // transfer fails the test after this many seconds.
  const LARGE_TIMEOUT_S = '4';

  for (const [label, size] of [['1 MB', 1 << 20], ['10 MB', 10 << 20]] as const) {
    it(`a ${label} message (many frames) arrives intact`, async () => {
      const recv = receiver(['--address', 'py.large', '--count', 1, '--credit', 1, '--timeout', LARGE_TIMEOUT_S]);
      await recv.waitForEvent('ready');
      const send = sender('py.large', 1, '--body-size', size, '--timeout', LARGE_TIMEOUT_S);
      await Promise.all([send.finish(), recv.finish()]);
      const sent = send.eventsOf('sent')[0];
      const got = recv.eventsOf('message')[0];
      expect(got, 'the receiver got no message').to.not.equal(undefined);
      expect({ size: got.body_size, sha256: got.body_sha256 }).to.deep.equal({ size, sha256: sent.body_sha256 });
      expect(send.eventsOf('outcome').map((e) => e.state)).to.deep.equal(['accepted']);
      expect([send.exitCode, recv.exitCode]).to.deep.equal([0, 0]);
    });
  }

  it('multi-frame messages that wait for the consumer\'s credit arrive intact, in order, once each', async () => {
    // Credit 1: the second and later messages are parked in the router until the consumer
    // gives credit again, while their frames are still coming in.
    const recv = receiver(['--address', 'py.parked', '--count', 4, '--credit', 1, '--timeout', LARGE_TIMEOUT_S]);
    await recv.waitForEvent('ready');
    const send = sender('py.parked', 4, '--body-size', 40000, '--timeout', LARGE_TIMEOUT_S);
    await Promise.all([send.finish(), recv.finish()]);
    const got = recv.eventsOf('message').map((e) => [e.body_size, e.body_sha256]);
    expect(got).to.deep.equal(send.eventsOf('sent').map((e) => [e.body_size, e.body_sha256]));
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 4 });
    expect([send.exitCode, recv.exitCode]).to.deep.equal([0, 0]);
  });
});
