// The counters that need a clock (reference §8.6): deliveries delayed > 1 s / > 10 s, stuck
// for > 10 s, links blocked with no credit for > 10 s. A router in this process, with its
// once-a-second sweep driven by the test's clock instead of the real one.

import { expect } from 'chai';
import type { Connection, EventContext } from 'rhea';
import { RouterNode } from '../../router/node/router-node';
import { sweepStats } from '../../router/node/stats-sweep';
import { Consumer, Producer } from '../../router/node/links';
import { Logging } from '../../router/observe/logger';
import { waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';

describe('management counters kept by the 1-second sweep', function () {
  this.timeout(15000);
  let node: RouterNode;
  let port: number;
  const conns: Connection[] = [];

  beforeEach(async () => {
    node = new RouterNode({ id: 'Swept', mode: 'standalone', logging: new Logging([{ module: 'DEFAULT', enable: 'warning+' }]) });
    clearInterval((node as unknown as { sweepTimer: NodeJS.Timeout }).sweepTimer); // the test is the clock
    port = (await node.listen({ name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal', saslMechanisms: ['ANONYMOUS'], authenticatePeer: false, maxFrameSize: 16384, maxSessions: 32768, maxSessionFrames: undefined, idleTimeoutSeconds: 16, linkCapacity: 250, stripAnnotations: 'both' })).port;
  });
  afterEach(async () => {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    await node.stop();
  });

  const connect = async (): Promise<Connection> => { const c = await rheaConnect(port); conns.push(c); return c; };
  const consumer = (): Consumer => [...node.allLinks()].map((l) => l.context).find((c): c is Consumer => c instanceof Consumer)!;
  const producer = (): Producer => [...node.allLinks()].map((l) => l.context).find((c): c is Producer => c instanceof Producer)!;

  it('unsettled for more than 10 s: stuck (once each); settled then: delayed > 10 s, per link and router-wide', async () => {
    const t0 = node.stats.clockSec;
    const got = collectMessages(await openReceiver(await connect(), { source: 'slow', autoaccept: false }));
    const s = await openSender(await connect(), 'slow');
    await sendable(s);
    s.send({ body: 'a' });
    s.send({ body: 'b' });
    await waitFor(() => got.length === 2, 'two deliveries at the receiver');
    sweepStats(node, t0 + 5);
    expect(node.stats.deliveriesStuck).to.equal(0);
    sweepStats(node, t0 + 11);
    sweepStats(node, t0 + 12);
    expect(node.stats.deliveriesStuck).to.equal(2);
    expect(consumer().stats.deliveriesStuck).to.equal(2);
    let accepted = 0;
    s.on('accepted', () => { accepted++; });
    got.forEach((m: EventContext) => m.delivery!.accept());
    await waitFor(() => accepted === 2, 'outcomes back at the sender');
    expect(node.stats.deliveriesDelayed10Sec).to.equal(2);
    expect(node.stats.deliveriesDelayed1Sec).to.equal(0);
    expect(consumer().stats.deliveriesDelayed10Sec).to.equal(2);
    expect(producer().stats.deliveriesDelayed10Sec).to.equal(2);
    expect(node.stats.acceptedDeliveries).to.equal(2);
  });

  it('settled 1 to 10 s after arriving: delayed > 1 s; settle rate per second from the sweep', async () => {
    const t0 = node.stats.clockSec;
    const got = collectMessages(await openReceiver(await connect(), { source: 'medium', autoaccept: false }));
    const s = await openSender(await connect(), 'medium');
    await sendable(s);
    for (let i = 0; i < 3; i++) s.send({ body: i });
    await waitFor(() => got.length === 3, 'three deliveries');
    sweepStats(node, t0 + 3);
    let accepted = 0;
    s.on('accepted', () => { accepted++; });
    got.forEach((m: EventContext) => m.delivery!.accept());
    await waitFor(() => accepted === 3, 'outcomes back');
    expect(node.stats.deliveriesDelayed1Sec).to.equal(3);
    sweepStats(node, t0 + 4);
    expect(consumer().stats.settleRate).to.equal(3);
    sweepStats(node, t0 + 5);
    expect(consumer().stats.settleRate).to.equal(0);
  });

  it('an outgoing link without credit for 10 s is blocked; credit again unblocks it', async () => {
    const t0 = node.stats.clockSec;
    const r = await openReceiver(await connect(), { source: 'starved', credit_window: 0 });
    sweepStats(node, t0 + 1);
    expect(consumer().stats.zeroCreditSeconds).to.equal(0);
    sweepStats(node, t0 + 6);
    expect(consumer().stats.zeroCreditSeconds).to.equal(5);
    expect(node.stats.linksBlocked).to.equal(0);
    sweepStats(node, t0 + 11);
    expect(node.stats.linksBlocked).to.equal(1);
    r.add_credit(5);
    await waitFor(() => consumer().link.credit === 5, 'the credit at the router');
    sweepStats(node, t0 + 12);
    expect(node.stats.linksBlocked).to.equal(0);
    expect(consumer().stats.zeroCreditSeconds).to.equal(0);
  });
});
