// Connector failover to a real master/slave pair: two RabbitMQ 3.10 nodes (test/helpers/rabbitmq.ts)
// clustered through one epmd and cookie, `orders` a classic queue mirrored on both (policy
// ha-mode all, promoted on the master's failure or shutdown). RabbitMQ accepts a persistent
// message sent to a mirrored queue only once every mirror has it, so a message accepted by the
// master is on the slave too: killing the master (SIGKILL, a crash) loses nothing accepted. The
// router's connector has node A as host/port and node B in failoverUrls; under load from an
// at-least-once producer, A dies, the connector moves to B, the auto-links go active again and
// every accepted message reaches the consumer at least once (duplicates allowed: what A had
// delivered but not yet seen settled is delivered again by B).

import { expect } from 'chai';
import type { Connection } from 'rhea';
import { activeCount, autoLinkConf } from '../helpers/auto-link-conf';
import { sendAtLeastOnce } from '../helpers/at-least-once';
import { ManagementClient } from '../helpers/management-client';
import { RabbitMq } from '../helpers/rabbitmq';
import { RABBITMQ_START_TIMEOUT_MS } from '../helpers/rabbitmq-shared';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect } from '../helpers/rhea-client';

const HA_POLICY = JSON.stringify({ 'ha-mode': 'all', 'ha-sync-mode': 'automatic', 'ha-promote-on-shutdown': 'always', 'ha-promote-on-failure': 'always' });

/** True once node `a`'s queue `orders` has a synchronised mirror on every other node. */
async function mirrored(a: RabbitMq, others: RabbitMq[]): Promise<boolean> {
  const out = await a.rabbitmqctl(['list_queues', '--no-table-headers', '--silent', 'name', 'synchronised_slave_pids']);
  const line = out.split('\n').find((l) => l.startsWith('orders\t')) ?? '';
  return others.every((o) => line.includes(o.nodeName));
}

describe('connector failover to a clustered RabbitMQ pair (mirrored queue)', function () {
  this.timeout(90_000);
  let a: RabbitMq | undefined;
  let b: RabbitMq | undefined;
  let router: RouterProcess | undefined;
  const conns: Connection[] = [];

  before(async function () {
    this.timeout(2 * RABBITMQ_START_TIMEOUT_MS);
    a = await RabbitMq.start({ name: 'fo-a' });
    b = await a.startClusterMember({ name: 'fo-b' });
    await a.rabbitmqctl(['set_policy', '--apply-to', 'queues', 'ha-orders', '^orders$', HA_POLICY]);
    // Declared durable on A (the queue's master) by a terminus with durability; the auto-links
    // name it with /amq/queue/, which declares nothing.
    const direct = await rheaConnect(a.port);
    await openReceiver(direct, { source: { address: '/queue/orders', durable: 2 }, credit_window: 0 });
    await closeConnection(direct);
    await waitFor(() => mirrored(a!, [b!]), 'orders mirrored on B', 15_000);
  });
  after(async function () {
    this.timeout(30_000);
    // B first: it uses A's epmd, which A's stop() ends.
    await b?.stop();
    await a?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`--- weftd (${router?.dir})\n${router?.output()}\n${a?.logTail(20)}\n${b?.logTail(20)}`);
    for (const c of conns.splice(0)) await closeConnection(c).catch(() => undefined);
    await router?.stop();
    router = undefined;
  });

  it('under load: A dies, the connector moves to B, the auto-links resume, every accepted message is consumed', async () => {
    const conf = autoLinkConf(a!.port, { address: 'orders', externalAddress: '/amq/queue/orders' })
      .replace('    role: route-container\n', `    role: route-container\n    failoverUrls: amqp://127.0.0.1:${b!.port}\n`);
    router = await startRouter(conf);
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'auto-links active on A', 10_000);
    expect(router.output()).to.include(`Connection to amqp://127.0.0.1:${a!.port} (broker) established (URL 1 of 2)`);

    const c = await rheaConnect(router.port);
    conns.push(c);
    // Until A dies the consumer gets one credit for every second message accepted: a backlog of
    // accepted messages, still on A (queued, or delivered to the router and not yet settled),
    // that only B's mirror can deliver after the kill.
    const receiver = await openReceiver(c, { source: { address: 'orders' }, credit_window: 0 });
    const got = collectMessages(receiver);
    const sender = await openSender(c, 'orders');
    let acceptedCount = 0;
    let throttled = true;
    sender.on('accepted', () => { if (throttled && ++acceptedCount % 2 === 0) receiver.add_credit(1); });
    const bodies = Array.from({ length: 500 }, (_, i) => `m-${i}`);
    const producer = sendAtLeastOnce(sender, bodies, 50);

    await waitFor(() => producer.accepted.size >= 150, 'A to accept 150', 20_000);
    const consumed = (): Set<string> => new Set(got.map((m) => String(m.message!.body)));
    const acceptedByA = producer.accepted.size;
    const unconsumed = [...producer.accepted].filter((body) => !consumed().has(body)).length;
    await a!.kill();
    throttled = false;
    receiver.add_credit(10 * bodies.length);
    expect(unconsumed).to.be.at.least(50);
    await waitFor(() => activeCount(router!, 'orders-out') === 2 && activeCount(router!, 'orders-in') === 2, 'auto-links active on B', 30_000);
    expect(router.output()).to.include(`Connection to amqp://127.0.0.1:${b!.port} (broker) established (URL 2 of 2)`);

    await waitFor(() => producer.accepted.size === bodies.length, 'every message accepted', 30_000);
    await waitFor(() => [...producer.accepted].every((body) => consumed().has(body)), 'every accepted message consumed', 20_000);
    expect(consumed().size).to.equal(bodies.length);

    const mgmt = await ManagementClient.connect(router.port);
    const rows = await mgmt.rows('router.config.autoLink', ['name', 'operStatus', 'lastError']);
    await mgmt.close();
    expect(rows.map((r) => [r.name, r.operStatus]).sort()).to.deep.equal([['orders-in', 'active'], ['orders-out', 'active']]);
    console.log(`      (${acceptedByA} accepted before A was killed, ${unconsumed} of them not yet received, ${producer.resent()} sent again, ${got.length} received for ${bodies.length})`);
  });
});
