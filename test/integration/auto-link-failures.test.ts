// Auto-links when the broker misbehaves (reference §6.2): a refused attach leaves the
// auto-link failed with the broker's error and tries again (2 s, then every 5 s); a broker that
// dies mid-transfer gives the producers their unsettled deliveries back (modified or released)
// and the auto-links go inactive until it is back.

import { expect } from 'chai';
import type { Connection, EventContext } from 'rhea';
import type { Link } from '../../router/amqp/link';
import { RouterNode } from '../../router/node/router-node';
import { Logging } from '../../router/observe/logger';
import { AttachAnswer, ScriptedBroker } from '../helpers/scripted-broker';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';
import { closeConnection, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { activeCount, autoLinkConf } from '../helpers/auto-link-conf';

/** Refuses the first attach of each direction: the out link as qdrouterd/Artemis do, the in link as RabbitMQ does. */
function refuseOnce(): (link: Link) => AttachAnswer {
  const refused = new Set<boolean>();
  return (link) => {
    if (refused.has(link.isSender)) return 'accept';
    refused.add(link.isSender);
    return link.isSender
      ? { endSession: { condition: 'amqp:not-found', description: 'no queue orders (session ended)' } }
      : { refuse: { condition: 'amqp:not-found', description: 'no queue orders' } };
  };
}

describe('auto-links: bad input from the broker', function () {
  this.timeout(20000);
  let broker: ScriptedBroker | undefined;
  let router: RouterProcess | undefined;
  let node: RouterNode | undefined;
  const conns: Connection[] = [];

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && router) console.log(`--- weftd (${router.dir})\n${router.output()}`);
    for (const c of conns.splice(0)) await closeConnection(c).catch(() => undefined);
    await router?.stop();
    await node?.stop();
    await broker?.kill();
    router = undefined;
    node = undefined;
    broker = undefined;
  });

  it("a refused attach: failed with the broker's error, attached again 2 s later", async () => {
    broker = await ScriptedBroker.start({ answer: refuseOnce() });
    router = await startRouter(autoLinkConf(broker.port));
    const out = () => router!.output();
    await waitFor(() => /Auto-link orders-out .* failed/.test(out()) && /Auto-link orders-in .* failed/.test(out()), 'both refusals', 5000);
    expect(out()).to.match(/Auto-link orders-out \(out orders\) failed on \[C1\]: amqp:not-found: no queue orders; attaching again in 2 s/);
    expect(out()).to.match(/Auto-link orders-in \(in orders\) failed on \[C1\]: amqp:not-found: no queue orders \(session ended\); attaching again in 2 s/);
    const failedAt = Date.now();
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'both active on the second try', 6000);
    expect(Date.now() - failedAt).to.be.above(1500);
    // Four attaches in all: each direction refused once, then taken; the connection stayed up.
    expect(broker.attaches.map((a) => `${a.routerSends ? 'out' : 'in'} ${a.address}`).sort()).to.deep.equal(['in orders', 'in orders', 'out orders', 'out orders']);
    expect(broker.attaches.every((a) => /^qdlink\.[A-Za-z0-9+_]{15}$/.test(a.name))).to.equal(true);
    expect(out()).not.to.match(/Connection Closed/);
  });

  it('node.autoLinks shows operStatus and lastError (in-process router)', async () => {
    broker = await ScriptedBroker.start({ answer: (l) => (l.isSender ? { refuse: { condition: 'amqp:unauthorized-access', description: 'not yours' } } : 'accept') });
    node = new RouterNode({
      id: 'R', mode: 'standalone', logging: new Logging([{ module: 'DEFAULT', enable: 'none' }]),
      addresses: [{ prefix: 'orders', distribution: 'balanced', waypoint: true }],
      autoLinks: [{ name: 'o', address: 'orders', direction: 'out', connection: 'broker', externalAddress: '/queue/orders' }, { name: 'i', address: 'orders', direction: 'in', connection: 'broker' }],
    });
    expect(node.autoLinks.list().map((a) => a.operStatus)).to.deep.equal(['inactive', 'inactive']);
    node.connect({ name: 'broker', host: '127.0.0.1', port: broker.port, role: 'route-container', cost: 1, linkCapacity: 250, maxFrameSize: 16384, maxSessions: 32768, idleTimeoutSeconds: 16 });
    await waitFor(() => node!.autoLinks.get('i')!.operStatus === 'failed' && node!.autoLinks.get('o')!.operStatus === 'active', 'o active, i failed');
    expect(node.autoLinks.get('i')!.status()).to.deep.include({ operStatus: 'failed', lastError: 'amqp:unauthorized-access: not yours', direction: 'in', phase: 1, connectionId: 1 });
    expect(node.autoLinks.get('o')!.status()).to.deep.include({ operStatus: 'active', lastError: '', phase: 0, externalAddress: '/queue/orders' });
    expect(node.autoLinks.get('o')!.status().linkRef).to.match(/^qdlink\./);
    expect(broker.attaches.find((a) => a.routerSends)!.address).to.equal('/queue/orders');
    // Management may add and remove auto-links at run time.
    node.autoLinks.add({ name: 'o2', address: 'other', direction: 'out', connection: 'broker' });
    await waitFor(() => node!.autoLinks.get('o2')!.operStatus === 'active', 'o2 active');
    expect(node.autoLinks.remove('o2')).to.equal(true);
    expect(node.autoLinks.get('o2')).to.equal(undefined);
    await broker.kill();
    await waitFor(() => node!.autoLinks.list().every((a) => a.operStatus === 'inactive'), 'all inactive with the broker gone');
    expect(node.autoLinks.get('o')!.status().linkRef).to.equal(undefined);
  });

  it('a broker that dies mid-transfer: unsettled deliveries come back modified or released; the auto-links resume with the broker', async () => {
    // Credit for 5, never settles: 5 out and unsettled, 5 waiting in the router.
    broker = await ScriptedBroker.start({ credit: 5 });
    const port = broker.port;
    router = await startRouter(autoLinkConf(port));
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'both auto-links active', 5000);
    const c = await rheaConnect(router.port);
    conns.push(c);
    const sender = await openSender(c, 'orders');
    await sendable(sender);
    // One outcome per delivery (rhea reports a modified delivery as released too).
    const byDelivery = new Map<unknown, string>();
    for (const e of ['accepted', 'released', 'rejected', 'modified']) {
      sender.on(e, (ctx: EventContext) => {
        const failed = (ctx.delivery!.remote_state as { delivery_failed?: boolean } | undefined)?.delivery_failed;
        if (e === 'modified') byDelivery.set(ctx.delivery, failed ? 'modified failed' : 'modified');
        else if (!byDelivery.has(ctx.delivery)) byDelivery.set(ctx.delivery, e);
      });
    }
    const outcomes = (): string[] => [...byDelivery.values()];
    for (let i = 0; i < 10; i++) sender.send({ body: `m-${i}` });
    await waitFor(() => broker!.deliveries.length === 5, 'five at the broker');
    await new Promise((r) => setTimeout(r, 100));
    expect(outcomes()).to.deep.equal([]);
    await broker.kill();
    await waitFor(() => outcomes().length === 10, 'all ten back');
    await new Promise((r) => setTimeout(r, 50));
    expect(outcomes().filter((o) => o === 'modified failed')).to.have.length(5);
    expect(outcomes().filter((o) => o === 'released')).to.have.length(5);
    await waitFor(() => /Auto-link orders-out \(out orders\) inactive: connection \[C1\] closed/.test(router!.output()), 'the auto-links inactive');
    // The broker is back on its port: the connector reconnects and the auto-links are active again.
    broker = await ScriptedBroker.start({}, port);
    await waitFor(() => activeCount(router!, 'orders-out') === 2 && activeCount(router!, 'orders-in') === 2, 'both active again', 5000);
    await sendable(sender);
    sender.send({ body: 'after' });
    await waitFor(() => broker!.deliveries.length === 1, 'a new message at the broker');
  });
});
