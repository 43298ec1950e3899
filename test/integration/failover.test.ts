// Connector failover to a master/slave broker pair (seeds 001, 002): the connector goes
// through its own host:port, its failoverUrls and the peer's failover-server-list, reaches the
// live one at once, says which; auto-links resume on the new connection. Under load with an
// at-least-once producer, every message the pair accepted reaches the consumer.

import { expect } from 'chai';
import type { Connection } from 'rhea';
import { AmqpMap, sym } from '../../router/amqp/codec/values';
import { freePort } from '../../scripts/bench/ports';
import { activeCount, autoLinkConf } from '../helpers/auto-link-conf';
import { sendAtLeastOnce } from '../helpers/at-least-once';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect } from '../helpers/rhea-client';
import { ScriptedBroker } from '../helpers/scripted-broker';
import { SharedStorePair } from '../helpers/shared-store-broker';

/** autoLinkConf() with the connector's failoverUrls set (host/port of the conf are the master's). */
function failoverConf(masterPort: number, failoverUrls: string): string {
  return autoLinkConf(masterPort).replace('    role: route-container\n', `    role: route-container\n    failoverUrls: ${failoverUrls}\n`);
}

describe('connector failover to a master/slave pair', function () {
  this.timeout(30000);
  let router: RouterProcess | undefined;
  const brokers: ScriptedBroker[] = [];
  let pair: SharedStorePair | undefined;
  const conns: Connection[] = [];

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && router) console.log(`--- weftd (${router.dir})\n${router.output()}`);
    for (const c of conns.splice(0)) await closeConnection(c).catch(() => undefined);
    await router?.stop();
    for (const b of brokers.splice(0)) await b.kill().catch(() => undefined);
    await pair?.close();
    router = undefined;
    pair = undefined;
  });

  it("with the master down, seed 001's failover: URI reaches the slave at once and says so", async () => {
    const masterPort = await freePort(); // nothing listens: the master is down
    const slave = await ScriptedBroker.start();
    brokers.push(slave);
    const started = Date.now();
    router = await startRouter(failoverConf(masterPort, `failover:(amqp://127.0.0.1:${masterPort},amqp://127.0.0.1:${slave.port})?randomize=false&initialReconnectDelay=100&maxReconnectDelay=2000`));
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'auto-links active on the slave', 5000);
    expect(Date.now() - started).to.be.below(3000);
    expect(router.output()).to.include(`Connection to amqp://127.0.0.1:${slave.port} (broker) established (URL 2 of 2)`);
    expect(slave.attaches.map((a) => a.address).sort()).to.deep.equal(['orders', 'orders']);
  });

  it("learns the slave from the master's failover-server-list and moves to it when the master dies", async () => {
    const slave = await ScriptedBroker.start();
    brokers.push(slave);
    const list = [new AmqpMap([[sym('network-host'), '127.0.0.1'], [sym('port'), String(slave.port)], [sym('scheme'), 'amqp']])];
    const master = await ScriptedBroker.start({ openProperties: new AmqpMap([[sym('failover-server-list'), list]]) });
    brokers.push(master);
    router = await startRouter(autoLinkConf(master.port)); // no failoverUrls: only what the master says
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'auto-links active on the master');
    expect(slave.attaches).to.have.length(0);
    const masterPort = master.port;
    await master.kill();
    await waitFor(() => activeCount(router!, 'orders-out') === 2 && activeCount(router!, 'orders-in') === 2, 'auto-links active on the slave', 5000);
    expect(router.output()).to.include(`Connection to amqp://127.0.0.1:${masterPort} (broker) lost; next: amqp://127.0.0.1:${slave.port}`);
    expect(router.output()).to.include(`Connection to amqp://127.0.0.1:${slave.port} (broker) established (URL 2 of 2)`);
    expect(slave.attaches).to.have.length(2);
  });

  it('under load: the master dies, the connector moves to the slave, every message the pair accepted is consumed at least once', async () => {
    pair = await SharedStorePair.start();
    const [masterPort, slavePort] = pair.ports;
    router = await startRouter(failoverConf(masterPort, `masterslave:(tcp://127.0.0.1:${masterPort},tcp://127.0.0.1:${slavePort})`));
    await waitFor(() => activeCount(router!, 'orders-out') === 1 && activeCount(router!, 'orders-in') === 1, 'auto-links active on the master', 5000);
    const c = await rheaConnect(router.port);
    conns.push(c);
    const got = collectMessages(await openReceiver(c, { source: { address: 'orders' }, credit_window: 100 }));
    const sender = await openSender(c, 'orders');

    const bodies = Array.from({ length: 600 }, (_, i) => `m-${i}`);
    const producer = sendAtLeastOnce(sender, bodies);
    await waitFor(() => pair!.store.accepted.length >= 200, 'the master to accept a third', 10000);
    await pair.failover(300);
    await waitFor(() => producer.accepted.size === bodies.length, 'every message accepted', 20000);
    const consumed = () => new Set(got.map((m) => String(m.message!.body)));
    await waitFor(() => pair!.store.accepted.every((b) => consumed().has(b)), 'every accepted message consumed', 10000);

    expect(consumed().size).to.equal(bodies.length);
    expect(activeCount(router, 'orders-out')).to.equal(2);
    expect(router.output()).to.include(`Connection to amqp://127.0.0.1:${slavePort} (broker) established (URL 2 of 2)`);
    console.log(`      (${pair.store.accepted.length} accepted by the pair for ${bodies.length} messages, ${producer.resent()} sent again, ${got.length} consumed)`);
  });
});
