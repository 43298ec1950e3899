// Reloading the configuration of a running weftd (SIGHUP): listeners added and removed while a
// client keeps sending on another connection, an address treatment added, a broken file that
// changes nothing, and a connector added and removed between two interior routers.

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'rhea';
import { canConnect, freePort } from '../../scripts/bench/ports';
import { meshRouterConf, type Mesh } from '../helpers/mesh';
import { RouterProcess, startRouter, standaloneConf, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';

const DONE = /Configuration (reloaded from|not reloaded:)/g;

/** Rewrites the router's file, sends SIGHUP and waits for the reload to finish; returns its log lines. */
async function reload(router: RouterProcess, conf: string): Promise<string> {
  const before = router.output().length;
  const reloadsBefore = router.output().match(DONE)?.length ?? 0;
  fs.writeFileSync(path.join(router.dir, 'router.conf'), conf);
  router.child.kill('SIGHUP');
  await waitFor(() => (router.output().match(DONE)?.length ?? 0) > reloadsBefore, 'the reload to finish', 10000);
  return router.output().slice(before);
}

function portsFile(router: RouterProcess): Record<string, number> {
  return JSON.parse(fs.readFileSync(path.join(router.dir, 'ports.json'), 'utf8'));
}

const OLD_LISTENER = 'listener {\n    name: old\n    host: 127.0.0.1\n    port: 0\n}\n';
const EXTRA_LISTENER = 'listener {\n    name: extra\n    host: 127.0.0.1\n    port: 0\n}\n';
const NEWS_MULTICAST = 'address {\n    prefix: news\n    distribution: multicast\n}\n';

describe('reloading the configuration (SIGHUP)', function () {
  this.timeout(30000);
  const routers: RouterProcess[] = [];
  const conns: Connection[] = [];
  const start = async (conf: string): Promise<RouterProcess> => {
    const r = await startRouter(conf);
    routers.push(r);
    return r;
  };
  const connect = async (port: number): Promise<Connection> => {
    const c = await rheaConnect(port);
    conns.push(c);
    return c;
  };

  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') for (const r of routers) console.log(r.output());
    await Promise.all(routers.splice(0).map((r) => r.stop()));
  });

  it('adds a listener and an address, removes a listener; traffic on another connection never stops', async () => {
    const router = await start(standaloneConf(OLD_LISTENER));
    const oldPort = router.ports.old;

    // Traffic: one connection, one sender and one receiver, a message every few ms, unsettled.
    const traffic = await connect(router.ports.amqp);
    let dropped = false;
    traffic.on('disconnected', () => { dropped = true; });
    traffic.on('connection_close', () => { dropped = true; });
    const received = collectMessages(await openReceiver(traffic, 'traffic'));
    const sender = await openSender(traffic, 'traffic');
    await sendable(sender);
    let sent = 0;
    let accepted = 0;
    let otherOutcomes = 0;
    sender.on('accepted', () => { accepted++; });
    for (const o of ['released', 'rejected', 'modified']) sender.on(o, () => { otherOutcomes++; });
    const pump = setInterval(() => { for (let i = 0; i < 5 && sender.sendable(); i++) sender.send({ body: sent++ }); }, 2);

    // A client of the listener about to be removed: it must stay connected.
    const viaOld = await connect(oldPort);
    const viaOldGot = collectMessages(await openReceiver(viaOld, 'via-old'));
    const viaOldSender = await openSender(viaOld, 'via-old');

    try {
      await waitFor(() => received.length > 100, 'traffic to flow');
      const log = await reload(router, standaloneConf(EXTRA_LISTENER + NEWS_MULTICAST));
      expect(log).to.match(/ROUTER \(notice\) Reload: listener extra added \(127\.0\.0\.1:0\): listening on 127\.0\.0\.1:\d+/);
      expect(log).to.match(/ROUTER \(notice\) Reload: listener old removed: no longer accepting; its connections stay up/);
      expect(log).to.match(/ROUTER \(notice\) Reload: address address\/0 added \(prefix news, multicast\)/);
      expect(log).to.match(/Configuration reloaded from .*router\.conf: 3 applied, 0 not applied, 0 problems/);

      // The ports file names the listeners now open.
      const ports = portsFile(router);
      expect(Object.keys(ports).sort()).to.deep.equal(['amqp', 'extra']);
      expect(ports.amqp).to.equal(router.ports.amqp);

      // The new listener accepts, and the new address is multicast: both receivers get the message.
      const viaExtra = await connect(ports.extra);
      const got1 = collectMessages(await openReceiver(viaExtra, 'news.today'));
      const got2 = collectMessages(await openReceiver(viaExtra, 'news.today'));
      const news = await openSender(viaExtra, 'news.today');
      await sendable(news);
      news.send({ body: 'extra extra' });
      await waitFor(() => got1.length === 1 && got2.length === 1, 'a copy for each receiver');

      // The removed listener refuses; the connection it accepted before still works.
      expect(await canConnect(oldPort)).to.equal(false);
      await sendable(viaOldSender);
      viaOldSender.send({ body: 'still here' });
      await waitFor(() => viaOldGot.length === 1, 'a message on the connection of the removed listener');
    } finally {
      clearInterval(pump);
    }

    // Nothing lost, nothing duplicated, in order, and the traffic connection never dropped.
    await waitFor(() => accepted + otherOutcomes === sent, `outcomes of all ${sent} messages`, 10000);
    expect(otherOutcomes).to.equal(0);
    expect(received.map((m) => m.message!.body)).to.deep.equal([...Array(sent).keys()]);
    expect(dropped).to.equal(false);
    expect(traffic.is_open()).to.equal(true);
  });

  it('a broken file changes nothing, and the log names every problem with its line', async () => {
    const router = await start(standaloneConf());
    const unusedPort = await freePort();
    const broken = standaloneConf([
      'listener {',
      '    name: never',
      '    host: 127.0.0.1',
      `    port: ${unusedPort}`,
      '    colour: blue',
      '}',
      'address {',
      '    prefix: q',
      '    distribution: sideways',
      '}',
      'connector {',
      '    port: not-a-port',
      '}',
      '',
    ].join('\n'));
    const log = await reload(router, broken);
    const file = path.join(router.dir, 'router.conf');
    const line = (text: string) => broken.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(log).to.contain(`ROUTER (warning) Reload: ${file}:${line('colour')}: listener.colour: unknown attribute`);
    expect(log).to.contain(`ROUTER (warning) Reload: ${file}:${line('sideways')}: address.distribution: `);
    expect(log).to.contain(`ROUTER (warning) Reload: ${file}:${line('not-a-port')}: connector.port: `);
    expect(log).to.match(/Configuration not reloaded: .* has 3 problem\(s\); nothing was changed/);
    expect(await canConnect(unusedPort)).to.equal(false);
    expect(portsFile(router)).to.deep.equal(router.ports);
    await closeConnection(await rheaConnect(router.ports.amqp));
  });

  it('a connector added by a reload joins a second router; removing it closes the inter-router connection', async () => {
    const mesh: Mesh = new Map();
    const r2 = await start(meshRouterConf({ id: 'R2' }, mesh));
    mesh.set('R2', r2);
    const r1 = await start(meshRouterConf({ id: 'R1' }, mesh));

    const log = await reload(r1, meshRouterConf({ id: 'R1', connectTo: ['R2'] }, mesh));
    expect(log).to.match(/Reload: connector to-R2 added \(127\.0\.0\.1:\d+, role inter-router\)/);
    await waitFor(() => /Connection Opened: dir=in .* role=inter-router listener=inter-router/.test(r2.output()), 'R1 to connect to R2');
    const got = collectMessages(await openReceiver(await connect(r2.ports.amqp), 'across'));
    const s = await openSender(await connect(r1.ports.amqp), 'across');
    await sendable(s, 15000); // credit once R1 has learned the address from R2
    s.send({ body: 'over the new connection' });
    await waitFor(() => got.length === 1, 'the message on R2');

    const removed = await reload(r1, meshRouterConf({ id: 'R1' }, mesh));
    expect(removed).to.match(/Reload: connector to-R2 removed: its connection closed/);
    await waitFor(() => /Connection Closed: by=peer condition=amqp:connection:forced description="connector to-R2 removed"/.test(r2.output()), 'R2 to see the connection closed');
    await new Promise((r) => setTimeout(r, 1000)); // several reconnect delays (200 ms first): none comes
    expect(r2.output().match(/Connection Opened: dir=in .* role=inter-router/g)).to.have.length(1);
  });
});
