// Auto-links to a broker (reference §6.2, §4.3): with `orders` a waypoint, client producers
// send at phase 0 to the broker through the `out` auto-link, and the `in` auto-link routes the
// broker's messages at phase 1 to consumers. Against the rhea test broker; real weftd.

import { expect } from 'chai';
import type { Connection } from 'rhea';
import { RheaBroker } from '../helpers/rhea-broker';
import { SharedStorePair } from '../helpers/shared-store-broker';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { ClientGroup } from '../helpers/spawn-client';
import { activeCount, autoLinkConf } from '../helpers/auto-link-conf';

describe('auto-links', function () {
  this.timeout(20000);
  let broker: RheaBroker | undefined;
  let pair: SharedStorePair | undefined;
  let router: RouterProcess | undefined;
  let clients: ClientGroup;
  const conns: Connection[] = [];

  beforeEach(() => { clients = new ClientGroup(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && router) console.log(`${clients.output()}\n--- weftd (${router.dir})\n${router.output()}`);
    for (const c of conns.splice(0)) await closeConnection(c).catch(() => undefined);
    await clients.killAll();
    await router?.stop();
    await broker?.close();
    await pair?.close();
    router = undefined;
    broker = undefined;
    pair = undefined;
  });

  const client = async (): Promise<Connection> => { const c = await rheaConnect(router!.port); conns.push(c); return c; };

  it('a waypoint through the broker: accepted when the broker accepted, stored, delivered when a consumer attaches', async () => {
    broker = await RheaBroker.start();
    router = await startRouter(autoLinkConf(broker.port));
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'both auto-links active', 5000);
    expect(router.output()).to.match(/Auto-link orders-out \(out orders\) active on \[C\d+\] as M0orders/);
    expect(router.output()).to.match(/Auto-link orders-in \(in orders\) active on \[C\d+\] as M1orders/);
    // The broker saw a sender to `orders` and a receiver from it, named like qdrouterd's.
    await broker.waitFor(() => broker!.receiverCount('orders') === 1, 'the in auto-link on the broker');

    const c = await client();
    const sender = await openSender(c, 'orders');
    await sendable(sender);
    const outcomes: string[] = [];
    for (const e of ['accepted', 'released', 'rejected', 'modified']) sender.on(e, () => outcomes.push(e));
    for (let i = 0; i < 10; i++) sender.send({ body: `order-${i}` });
    await waitFor(() => outcomes.length === 10, 'ten outcomes');
    expect(outcomes).to.deep.equal(Array(10).fill('accepted'));
    // Nobody consumes: the broker keeps them (the in auto-link has no credit).
    expect(broker.received.map((m) => m.message.body)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `order-${i}`));
    await new Promise((r) => setTimeout(r, 200));
    expect(broker.depth('orders')).to.equal(10);

    // A consumer (phase 1) gets them from the broker, in order; the broker sees them accepted.
    const receiver = await openReceiver(c, { source: { address: 'orders' }, credit_window: 20 });
    const got = collectMessages(receiver);
    await waitFor(() => got.length === 10, 'the stored messages');
    expect(got.map((m) => m.message!.body)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `order-${i}`));
    await broker.waitFor(() => broker!.consumerOutcomes.length === 10, 'the broker to hear the outcomes');
    expect(broker.consumerOutcomes.every((o) => o.outcome === 'accepted')).to.equal(true);
    // No router annotations reached the broker, nor delivery-annotations (RabbitMQ drops the connection on them).
    expect(broker.received.every((m) => !Object.keys(m.message.message_annotations ?? {}).some((k) => k.startsWith('x-opt-qd')))).to.equal(true);
    sender.send({ body: 'annotated', delivery_annotations: { 'x-opt-client': 'da' }, message_annotations: { 'x-opt-user': 'kept' } });
    await broker.waitFor(() => broker!.received.length === 11, 'the annotated message');
    expect(broker.received[10].message.delivery_annotations).to.equal(undefined);
    expect(broker.received[10].message.message_annotations).to.deep.equal({ 'x-opt-user': 'kept' });
  });

  it("the broker's outcome comes back to the producer: rejected stays rejected", async () => {
    broker = await RheaBroker.start({ outcome: (_a, m) => (String(m.body).startsWith('bad') ? 'reject' : 'accept') });
    router = await startRouter(autoLinkConf(broker.port));
    await waitFor(() => activeCount(router!, 'orders-out') === 1, 'the out auto-link active', 5000);
    const sender = await openSender(await client(), 'orders');
    await sendable(sender);
    const outcomes: string[] = [];
    sender.on('accepted', () => outcomes.push('accepted'));
    sender.on('rejected', (ctx) => outcomes.push(`rejected ${(ctx.delivery!.remote_state as { error?: { condition?: string } })?.error?.condition}`));
    // One at a time: rhea (the test broker) mislabels outcomes it settles in one pass (DESIGN.md §1).
    for (const [i, body] of ['good-1', 'bad-1', 'good-2'].entries()) {
      sender.send({ body });
      await waitFor(() => outcomes.length === i + 1, `the outcome of ${body}`);
    }
    expect(outcomes).to.deep.equal(['accepted', 'rejected amqp:not-allowed', 'accepted']);
  });

  it('a Proton Python producer and consumer through the broker waypoint', async () => {
    broker = await RheaBroker.start();
    router = await startRouter(autoLinkConf(broker.port));
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'both auto-links active', 5000);
    const url = `amqp://127.0.0.1:${router.port}`;
    const send = clients.python('sender.py', ['--url', url, '--timeout', '8', '--address', 'orders', '--count', 15]);
    await send.succeed();
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 15 });
    expect(broker.depth('orders')).to.equal(15);
    const recv = clients.python('receiver.py', ['--url', url, '--timeout', '8', '--address', 'orders', '--count', 15, '--credit', 5]);
    await recv.succeed();
    expect(recv.eventsOf('message').map((e) => e.body)).to.deep.equal(Array.from({ length: 15 }, (_, i) => `message-${i}`));
  });

  it('no consumer anywhere: the broker keeps the messages; when the last consumer leaves, what it still sends goes back to it', async () => {
    // A broker that takes back what is released (the rhea test broker drops it).
    pair = await SharedStorePair.start();
    const store = pair.store;
    router = await startRouter(autoLinkConf(pair.ports[0]));
    await waitFor(() => activeCount(router!, 'orders-in') === 1 && activeCount(router!, 'orders-out') === 1, 'both auto-links active', 5000);
    const c = await client();
    const receiver = await openReceiver(c, { source: { address: 'orders' }, credit_window: 50 });
    const got = collectMessages(receiver);
    const sender = await openSender(c, 'orders');
    await sendable(sender);
    for (let i = 0; i < 5; i++) sender.send({ body: `a-${i}` });
    await waitFor(() => got.length === 5, 'five through the broker');
    receiver.close();
    await waitFor(() => router!.output().includes('M1orders') && !receiver.is_open(), 'the consumer gone');
    await new Promise((r) => setTimeout(r, 200));
    const outcomes: string[] = [];
    sender.on('accepted', () => outcomes.push('accepted'));
    for (let i = 0; i < 5; i++) sender.send({ body: `b-${i}` });
    await waitFor(() => outcomes.length === 5, 'the broker to accept five more');
    await waitFor(() => store.queue('orders').length === 5, 'the five kept on the broker', 3000);
    const later = await openReceiver(c, { source: { address: 'orders' }, credit_window: 50 });
    const got2 = collectMessages(later);
    await waitFor(() => got2.length >= 5, 'the five later');
    expect(got2.map((m) => m.message!.body)).to.deep.equal(['b-0', 'b-1', 'b-2', 'b-3', 'b-4']);
  });
});
