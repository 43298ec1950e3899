// Auto-links to a real RabbitMQ 3.10 (AMQP 1.0 plugin; test/helpers/rabbitmq.ts): a waypoint
// queue stores what producers send until a consumer attaches; a broker restart takes the
// auto-links inactive and back to active; a queue that does not exist fails the auto-link with
// RabbitMQ's error (a session end) until it does. One node of its own: this file restarts it.

import { expect } from 'chai';
import type { Connection, Sender } from 'rhea';
import { RabbitMq } from '../helpers/rabbitmq';
import { RABBITMQ_START_TIMEOUT_MS } from '../helpers/rabbitmq-shared';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { ClientGroup } from '../helpers/spawn-client';
import { activeCount, autoLinkConf } from '../helpers/auto-link-conf';

/** Sends `bodies` (durable: they survive a broker restart) and resolves with their outcomes. */
async function sendAll(sender: Sender, bodies: string[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const e of ['accepted', 'released', 'rejected', 'modified']) sender.on(e, () => outcomes.push(e));
  for (const body of bodies) sender.send({ body, durable: true });
  await waitFor(() => outcomes.length >= bodies.length, `${bodies.length} outcomes`, 10000);
  return outcomes;
}

const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('auto-links to RabbitMQ', function () {
  this.timeout(60000);
  let rabbit: RabbitMq;
  let router: RouterProcess | undefined;
  let clients: ClientGroup;
  const conns: Connection[] = [];

  before(async function () {
    this.timeout(RABBITMQ_START_TIMEOUT_MS);
    rabbit = await RabbitMq.start({ name: 'autolink' });
  });
  after(async () => { await rabbit?.stop(); });
  beforeEach(() => { clients = new ClientGroup(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`${clients.output()}\n--- weftd (${router?.dir})\n${router?.output()}\n${rabbit.logTail(20)}`);
    for (const c of conns.splice(0)) await closeConnection(c).catch(() => undefined);
    await clients.killAll();
    await router?.stop();
    router = undefined;
  });

  const client = async (): Promise<Connection> => { const c = await rheaConnect(router!.port); conns.push(c); return c; };

  it('store and forward: what producers send waits in the queue; a Python consumer attached after all sends gets it all', async () => {
    router = await startRouter(autoLinkConf(rabbit.port, { address: 'sf', externalAddress: '/queue/sf' }));
    await waitFor(() => activeCount(router!, 'sf-out') === 1 && activeCount(router!, 'sf-in') === 1, 'both auto-links active', 10000);
    const sender = await openSender(await client(), 'sf');
    await sendable(sender);
    expect(await sendAll(sender, range('sf', 50))).to.deep.equal(Array(50).fill('accepted'));
    // Delivery-annotations would make RabbitMQ drop the connection: the router leaves them out.
    const outcome = new Promise((resolve) => sender.once('accepted', () => resolve('accepted')));
    sender.send({ body: 'sf-annotated', delivery_annotations: { 'x-opt-client': 'da' }, message_annotations: { 'x-opt-user': 'kept' } });
    expect(await outcome).to.equal('accepted');
    // Nobody anywhere consumes: RabbitMQ gets no credit from the in auto-link and keeps them.
    await new Promise((r) => setTimeout(r, 300));
    const recv = clients.python('receiver.py', ['--url', `amqp://127.0.0.1:${router.port}`, '--timeout', '15', '--address', 'sf', '--count', 51, '--credit', 10]);
    await recv.succeed(20000);
    expect(recv.eventsOf('message').map((e) => e.body)).to.deep.equal([...range('sf', 50), 'sf-annotated']);
    expect(recv.eventsOf('message')[50].message_annotations).to.deep.include({ 'x-opt-user': 'kept' });
    // RabbitMQ never saw router annotations or modified: the connection stayed up throughout.
    expect(router.output()).not.to.match(/\[C1\] Connection Closed/);
  });

  it('a broker restart: the auto-links go inactive, then active again; durable messages sent before are delivered after', async () => {
    // A durable queue (a terminus with durability declares it so), which the auto-links name without declaring.
    const direct = await rheaConnect(rabbit.port);
    await openReceiver(direct, { source: { address: '/queue/rs', durable: 2 }, credit_window: 0 });
    await closeConnection(direct);
    router = await startRouter(autoLinkConf(rabbit.port, { address: 'rs', externalAddress: '/amq/queue/rs' }));
    await waitFor(() => activeCount(router!, 'rs-out') === 1 && activeCount(router!, 'rs-in') === 1, 'both auto-links active', 10000);
    const c = await client();
    const sender = await openSender(c, 'rs');
    await sendable(sender);
    expect(await sendAll(sender, range('before', 10))).to.deep.equal(Array(10).fill('accepted'));

    // A clean restart: after a SIGKILL, RabbitMQ 3.10 now and then loses a durable queue declared
    // just before it (scripts/lab/rabbitmq-node.ts); a broker killed outright is covered by
    // failover-rabbitmq.test.ts (a mirrored queue) and the rhea-broker auto-link tests.
    await rabbit.restart({ clean: true });
    await waitFor(() => /Auto-link rs-out \(out rs\) inactive/.test(router!.output()) && /Auto-link rs-in \(in rs\) inactive/.test(router!.output()), 'both inactive');
    await waitFor(() => activeCount(router!, 'rs-out') === 2 && activeCount(router!, 'rs-in') === 2, 'both active again', 15000);

    const receiver = await openReceiver(c, { source: { address: 'rs' }, credit_window: 20 });
    const got = collectMessages(receiver);
    await waitFor(() => got.length >= 10, 'the ten sent before the restart', 10000);
    expect(got.map((m) => m.message!.body)).to.deep.equal(range('before', 10));
    await sendable(sender);
    sender.send({ body: 'after' });
    await waitFor(() => got.length === 11, 'one sent after the restart');
  });

  it("a queue that does not exist: failed with RabbitMQ's error, active once the queue is there", async () => {
    // /amq/queue/ names an existing queue only: RabbitMQ refuses the attach by ending the session.
    router = await startRouter(autoLinkConf(rabbit.port, { address: 'late', externalAddress: '/amq/queue/late' }));
    await waitFor(() => /Auto-link late-in \(in late\) failed/.test(router!.output()), 'the in auto-link failed', 10000);
    expect(router.output()).to.match(/Auto-link late-in \(in late\) failed on \[C1\]: amqp:not-found: NOT_FOUND - no queue 'late' in vhost '\/'; attaching again in 2 s/);
    // Declared by a client of RabbitMQ's own (/queue/ declares it); the retries find it.
    const direct = await rheaConnect(rabbit.port);
    conns.push(direct);
    await openReceiver(direct, { source: { address: '/queue/late' }, credit_window: 0 });
    await waitFor(() => activeCount(router!, 'late-in') === 1 && activeCount(router!, 'late-out') === 1, 'both active', 15000);
    expect(router.output()).not.to.match(/\[C1\] Connection Closed/);
  });
});
