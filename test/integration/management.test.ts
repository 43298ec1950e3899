// AMQP management against a real weftd, with the requests qdstat and qdmanage 1.19 send
// (reference §7.8, §7.9; wire capture 3): every qdstat column list, every qdmanage operation,
// changes made through management, and bad requests answered with a status while the router
// keeps serving.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Connection, EventContext } from 'rhea';
import { types } from 'rhea';
import { startRouter, standaloneConf, RouterProcess, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, nextEvent, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { ManagementClient, long } from '../helpers/management-client';
import { canConnect, freePort } from '../../scripts/bench/ports';
import type { EventEmitter } from 'node:events';

// Column lists exactly as qdstat requests them, or as qdrouterd returns them for "all" (reference §7.6, §7.8).
const ROUTER_ALL = 'name identity id type mode area version metadata addrCount linkCount nodeCount linkRouteCount autoLinkCount connectionCount presettledDeliveries droppedPresettledDeliveries acceptedDeliveries rejectedDeliveries releasedDeliveries modifiedDeliveries deliveriesDelayed1Sec deliveriesDelayed10Sec deliveriesStuck deliveriesIngress deliveriesEgress deliveriesTransit deliveriesIngressRouteContainer deliveriesEgressRouteContainer deliveriesRedirectedToFallback linksBlocked uptimeSeconds memoryUsage workerThreads'.split(' ');
const CONNECTION_ALL = 'name identity host role protocol dir container sasl isAuthenticated user isEncrypted sslProto sslCipher properties sslSsf tenant type ssl opened active adminStatus operStatus uptimeSeconds lastDlvSeconds enableProtocolTrace'.split(' ');
const QDSTAT_L = 'linkType linkDir connectionId identity peer owningAddr capacity undeliveredCount unsettledCount deliveryCount presettledCount droppedPresettledCount acceptedCount rejectedCount releasedCount modifiedCount deliveriesDelayed1Sec deliveriesDelayed10Sec deliveriesStuck creditAvailable zeroCreditSeconds adminStatus operStatus linkName priority settleRate'.split(' ');
const QDSTAT_A = 'distribution inProcess subscriberCount remoteCount containerCount deliveriesIngress deliveriesEgress deliveriesRedirectedToFallback deliveriesTransit deliveriesToContainer deliveriesFromContainer name priority'.split(' ');
const QDSTAT_M = 'identity typeSize transferBatchSize localFreeListMax totalAllocFromHeap heldByThreads batchesRebalancedToThreads batchesRebalancedToGlobal'.split(' ');
const QDSTAT_AUTOLINKS = 'address direction phase externalAddress linkRef operStatus lastError'.split(' ');
const QDSTAT_LINKROUTES = 'prefix direction distribution operStatus pattern addExternalPrefix delExternalPrefix'.split(' ');
const QDSTAT_P = 'maxConnections maxMessageSize enableVhostPolicy enableVhostNamePatterns policyDir defaultVhost connectionsProcessed connectionsDenied connectionsCurrent linksDenied maxMessageSizeDenied totalDenials'.split(' ');

/** The container-id rhea sent in its open. */
const containerOf = (c: Connection): string => (c as unknown as { options: { container_id: string } }).options.container_id;

describe('management: qdstat and qdmanage against one router', function () {
  this.timeout(20000);
  let router: RouterProcess;
  let mgmt: ManagementClient;
  const conns: Connection[] = [];
  const connect = async (port = router.port): Promise<Connection> => { const c = await rheaConnect(port); conns.push(c); return c; };

  before(async () => { router = await startRouter(standaloneConf()); });
  beforeEach(async () => { mgmt = await ManagementClient.connect(router.port); });
  afterEach(async function () {
    await mgmt.close();
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') console.log(router.output());
  });
  after(async () => { await router.stop(); });

  /** Sends `n` unsettled messages from one connection to a receiver on another; resolves when all are accepted. */
  async function traffic(address: string, n: number): Promise<void> {
    const got = collectMessages(await openReceiver(await connect(), address));
    const s = await openSender(await connect(), address);
    let accepted = 0;
    s.on('accepted', () => { accepted++; });
    await sendable(s);
    for (let i = 0; i < n; i++) s.send({ body: `m${i}` });
    await waitFor(() => accepted === n && got.length === n, `${n} messages to ${address} accepted`);
  }

  describe('qdstat', () => {
    it('every run starts with GET-MGMT-NODES: this router\'s management address', async () => {
      const r = await mgmt.node('GET-MGMT-NODES');
      expect(r.statusCode).to.equal(200);
      expect(r.body).to.deep.equal(['amqp:/_topo/0/TestRouter/$management']);
      expect(r.message.durable).to.equal(false);
      expect(r.message.to).to.equal(mgmt.replyTo);
    });

    it('the agent also answers on _local/$management and _topo/0/<this router>/$management (qdstat --all-routers)', async () => {
      for (const address of ['_local/$management', '_topo/0/TestRouter/$management', 'amqp:/_topo/0/TestRouter/$management']) {
        const m = await ManagementClient.connect(router.port, address);
        try {
          expect((await m.rows('router', ['id']))[0].id, address).to.equal('TestRouter');
        } finally { await m.close(); }
      }
      const l = (await mgmt.rows('router.address', ['name', 'deliveriesToContainer'])).find((r) => r.name === 'L$management')!;
      expect(l.deliveriesToContainer).to.equal(3);
    });

    it('-g: every router attribute in qdrouterd\'s order, and deliveries counted as traffic passes', async () => {
      const before = (await mgmt.rows('router'))[0];
      expect(Object.keys(before)).to.deep.equal(ROUTER_ALL);
      expect(before).to.include({ name: 'TestRouter', identity: '1', id: 'TestRouter', type: long('router'), mode: 'standalone', area: '0', nodeCount: 0, linkRouteCount: 0, autoLinkCount: 0 });
      for (const k of ROUTER_ALL.slice(8)) expect(before[k], k).to.be.a('number');
      await traffic('g.counted', 10);
      const after = (await mgmt.rows('router'))[0];
      const moved = (k: string) => (after[k] as number) - (before[k] as number);
      // Ten messages plus management's own traffic: the second QUERY in, the first one's reply out.
      expect(moved('deliveriesIngress')).to.equal(11);
      expect(moved('deliveriesEgress')).to.equal(11);
      expect(moved('acceptedDeliveries')).to.equal(11);
      expect(moved('presettledDeliveries')).to.equal(0);
      expect(after.connectionCount).to.equal((before.connectionCount as number) + 2);
      expect(after.linkCount).to.equal((before.linkCount as number) + 2);
      expect(after.deliveriesTransit).to.equal(0);
    });

    it('-c: every connection attribute; our clients listed with their container and last delivery', async () => {
      const c = await connect();
      await openReceiver(c, 'c.listed');
      const rows = await mgmt.rows('connection');
      expect(Object.keys(rows[0])).to.deep.equal(CONNECTION_ALL);
      const mine = rows.find((r) => r.container === containerOf(c))!;
      expect(mine).to.include({ role: 'normal', protocol: 'amqp', dir: 'in', isEncrypted: false, type: long('connection'), opened: true, adminStatus: 'enabled', operStatus: 'up', enableProtocolTrace: false, lastDlvSeconds: null });
      expect(mine.identity).to.match(/^\d+$/);
      expect(mine.name).to.equal(`connection/${mine.host}`);
      expect(mine.host).to.match(/^127\.0\.0\.1:\d+$/);
      // The management client's own connection has had deliveries.
      expect(rows.find((r) => r.container === containerOf(mgmt.connection))!.lastDlvSeconds).to.be.a('number');
    });

    it('-l: the 26 attributes qdstat asks for, per link, moving with traffic', async () => {
      await traffic('l.counted', 5);
      const q = await mgmt.query('router.link', QDSTAT_L);
      expect(q.attributeNames).to.deep.equal(QDSTAT_L);
      const rows = q.results.map((row) => Object.fromEntries(QDSTAT_L.map((n, i) => [n, row[i]])));
      const into = rows.find((r) => r.owningAddr === 'M0l.counted' && r.linkDir === 'in')!;
      const out = rows.find((r) => r.owningAddr === 'M0l.counted' && r.linkDir === 'out')!;
      for (const r of [into, out]) {
        expect(r).to.include({ linkType: 'endpoint', deliveryCount: 5, acceptedCount: 5, presettledCount: 0, undeliveredCount: 0, unsettledCount: 0, adminStatus: 'enabled', operStatus: 'up', capacity: 250, priority: 4, peer: null });
        expect(r.connectionId).to.match(/^\d+$/);
      }
      const mgmtLink = rows.find((r) => r.owningAddr === 'M0$management')!;
      expect(mgmtLink.linkDir).to.equal('in');
      expect(new Set(rows.map((r) => r.identity)).size).to.equal(rows.length);
    });

    it('-a: the 13 attributes qdstat asks for; names are hash keys; counters move with traffic', async () => {
      await traffic('a.counted', 7);
      await mgmt.node('GET-MGMT-NODES'); // as qdstat does: its reply is one from the container
      const q = await mgmt.query('router.address', QDSTAT_A);
      expect(q.attributeNames).to.deep.equal(QDSTAT_A);
      const rows = q.results.map((row) => Object.fromEntries(QDSTAT_A.map((n, i) => [n, row[i]])));
      for (const r of rows) expect(r.name).to.match(/^[MLRTACDEFH]/);
      expect(rows.find((r) => r.name === 'M0a.counted')).to.include({ distribution: 'balanced', inProcess: 0, subscriberCount: 1, deliveriesIngress: 7, deliveriesEgress: 7, deliveriesTransit: 0, priority: -1 });
      const m = rows.find((r) => r.name === 'M0$management')!;
      expect(m).to.include({ distribution: 'closest', inProcess: 1, subscriberCount: 0 });
      expect(m.deliveriesToContainer).to.equal(m.deliveriesIngress);
      expect(rows.find((r) => r.name === 'L$management')).to.include({ inProcess: 1 });
      expect((rows.find((r) => r.name === `L${mgmt.replyTo.split('/').pop()}`)!.deliveriesFromContainer as number)).to.be.greaterThan(0);
    });

    it('-n on a standalone router: no router.node (qdstat says "Router is Standalone")', async () => {
      const q = await mgmt.query('router.node');
      expect(q.results).to.deep.equal([]);
      expect(q.attributeNames).to.deep.equal('id protocolVersion instance linkState nextHop validOrigins address routerLink cost lastTopoChange index name identity type'.split(' '));
    });

    it('-m: allocator is empty, then router memoryUsage', async () => {
      const q = await mgmt.query('allocator', QDSTAT_M);
      expect(q).to.deep.equal({ attributeNames: QDSTAT_M, results: [] });
      expect((await mgmt.rows('router', ['memoryUsage']))[0].memoryUsage).to.be.greaterThan(1_000_000);
    });

    it('--autolinks and --linkroutes: configured entities listed, inactive until link routes exist', async () => {
      expect((await mgmt.entity('CREATE', 'router.config.linkRoute', { name: 'lr1' }, { prefix: 'broker', direction: 'in' })).statusCode).to.equal(201);
      expect((await mgmt.entity('CREATE', 'router.config.autoLink', { name: 'al1' }, { address: 'q1', direction: 'out' })).statusCode).to.equal(201);
      const lr = await mgmt.query('router.config.linkRoute', QDSTAT_LINKROUTES);
      expect(lr.results).to.deep.equal([['broker', 'in', 'linkBalanced', 'inactive', null, null, null]]);
      const al = await mgmt.query('router.config.autoLink', QDSTAT_AUTOLINKS);
      expect(al.results).to.deep.equal([['q1', 'out', 0, null, null, 'inactive', null]]);
      expect((await mgmt.rows('router'))[0]).to.include({ linkRouteCount: 1, autoLinkCount: 1 });
      expect((await mgmt.entity('DELETE', 'router.config.linkRoute', { name: 'lr1' })).statusCode).to.equal(204);
      expect((await mgmt.entity('DELETE', 'router.config.autoLink', { name: 'al1' })).statusCode).to.equal(204);
      expect((await mgmt.query('router.config.linkRoute')).results).to.deep.equal([]);
    });

    it('-p: exactly one policy row with every attribute qdstat reads', async () => {
      const rows = await mgmt.rows('policy');
      expect(rows).to.have.length(1);
      for (const k of QDSTAT_P) expect(rows[0], k).to.have.property(k);
      expect(rows[0]).to.include({ enableVhostPolicy: false, defaultVhost: '$default' });
      expect(rows[0].connectionsCurrent).to.be.greaterThan(0);
    });

    it('--vhosts, --vhoststats: empty; --vhostgroups reads vhostUserGroupSettings from GET-SCHEMA', async () => {
      expect((await mgmt.query('vhost')).results).to.deep.equal([]);
      expect((await mgmt.query('vhostStats')).results).to.deep.equal([]);
      const schema = (await mgmt.node('GET-SCHEMA')).body as { prefix: string; entityTypes: Record<string, { attributes: Record<string, { type: unknown }> }> };
      expect(schema.prefix).to.equal('org.apache.qpid.dispatch');
      expect(schema.entityTypes.vhostUserGroupSettings.attributes).to.have.property('maxSenders');
    });

    it('--log: GET-LOG with a limit, oldest first, [module, level, text, file, line, time]', async () => {
      const r = await mgmt.node('GET-LOG', { limit: types.wrap_long(3) });
      expect(r.statusCode).to.equal(200);
      const entries = r.body as unknown[][];
      expect(entries).to.have.length(3);
      for (const e of entries) {
        expect(e).to.have.length(6);
        expect(e[0]).to.be.a('string');
        expect(e[1]).to.be.oneOf(['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical']);
        expect(e[5]).to.be.closeTo(Date.now() / 1000, 600);
      }
    });

    it('a request larger than one frame is read whole (it waits for its last frame)', async () => {
      const names = ['id', ...Array.from({ length: 3000 }, (_, i) => `padding-attribute-${i}`)];
      const q = await mgmt.query('router', names);
      expect(q.attributeNames).to.deep.equal(['id']);
      expect(q.results).to.deep.equal([['TestRouter']]);
    });

    it('paging: offset and count select a window of the rows', async () => {
      await connect();
      const all = await mgmt.query('connection', ['identity']);
      expect(all.results.length).to.be.greaterThan(1);
      const page = await mgmt.query('connection', ['identity'], { offset: 1, count: 1 });
      expect(page.results).to.deep.equal(all.results.slice(1, 2));
    });
  });

  describe('qdmanage', () => {
    it('query --type=org.apache.qpid.dispatch.router.address: all attributes of the type', async () => {
      const q = await mgmt.query('router.address');
      expect(q.attributeNames.slice(0, 5)).to.deep.equal(['name', 'identity', 'type', 'key', 'distribution']);
      expect(q.attributeNames).to.have.length(21);
    });

    it('query without --type: every entity of every type (the Python agent\'s way)', async () => {
      const r = await mgmt.request({ name: 'self', type: 'org.amqp.management', operation: 'QUERY', offset: types.wrap_long(0), count: types.wrap_long(500) }, { attributeNames: ['type', 'name'] });
      expect(r.statusCode).to.equal(200);
      const types_ = new Set((r.body as { results: string[][] }).results.map((row) => row[0]));
      for (const t of ['router', 'connection', 'router.link', 'router.address', 'log', 'listener', 'policy']) expect(types_, t).to.include(long(t));
    });

    it('create/read/delete address (as the capture: type router.config.address, name as a property)', async () => {
      const c = await mgmt.entity('CREATE', 'router.config.address', { name: 'fooAddr' }, { prefix: 'foo', distribution: 'closest' });
      expect(c.statusCode).to.equal(201);
      expect(c.statusDescription).to.equal('Created');
      expect(c.body).to.deep.include({ name: 'fooAddr', type: long('router.config.address'), prefix: 'foo', distribution: 'closest', waypoint: false, ingressPhase: 0, egressPhase: 0, pattern: null, priority: -1, fallback: false });
      const identity = (c.body as { identity: string }).identity;
      expect((await mgmt.entity('READ', 'router.config.address', { identity })).body).to.deep.equal(c.body);
      const d = await mgmt.entity('DELETE', 'router.config.address', { name: 'fooAddr' });
      expect([d.statusCode, d.statusDescription]).to.deep.equal([204, 'No Content']);
      expect((await mgmt.entity('READ', 'router.config.address', { name: 'fooAddr' })).statusCode).to.equal(404);
    });

    it('short type names are accepted (address, linkRoute, autoLink, link, node, listener)', async () => {
      const r = await mgmt.request({ operation: 'CREATE', type: 'address', name: 'shortAddr' }, { prefix: 'short', distribution: 'balanced' });
      expect(r.statusCode).to.equal(201);
      expect((await mgmt.request({ operation: 'DELETE', type: 'address', name: 'shortAddr' })).statusCode).to.equal(204);
      expect((await mgmt.request({ operation: 'QUERY', entityType: 'link' }, { attributeNames: ['identity'] })).statusCode).to.equal(200);
    });

    it('get-types, get-operations, get-attributes, get-annotations, get-mgmt-nodes, get-schema, get-json-schema', async () => {
      const typesReply = (await mgmt.node('GET-TYPES')).body as Record<string, string[]>;
      expect(typesReply[long('router')]).to.deep.equal([long('configurationEntity'), long('entity')]);
      expect(typesReply[long('router.link')]).to.deep.equal([long('operationalEntity'), long('entity')]);
      expect(typesReply[long('management')]).to.deep.equal([long('org.amqp.management'), long('operationalEntity'), long('entity')]);
      const ops = (await mgmt.node('GET-OPERATIONS')).body as Record<string, string[]>;
      expect(ops[long('listener')]).to.include.members(['CREATE', 'READ', 'DELETE']);
      expect(ops[long('connection')]).to.include('UPDATE');
      const attrs = (await mgmt.node('GET-ATTRIBUTES', { entityType: long('connection') })).body as Record<string, string[]>;
      expect(Object.keys(attrs)).to.deep.equal([long('connection')]);
      expect(attrs[long('connection')]).to.include.members(CONNECTION_ALL);
      expect((await mgmt.node('GET-ANNOTATIONS')).body).to.deep.equal({});
      expect((await mgmt.node('GET-MGMT-NODES')).body).to.have.length(1);
      const schema = (await mgmt.node('GET-SCHEMA')).body as { entityTypes: Record<string, { attributes: Record<string, Record<string, unknown>>; fullyQualifiedType: string }> };
      expect(schema.entityTypes.listener.fullyQualifiedType).to.equal(long('listener'));
      expect(schema.entityTypes.listener.attributes.port).to.include({ type: 'string', default: 'amqp' });
      expect(schema.entityTypes.listener.attributes.role.type).to.deep.equal(['normal', 'inter-router', 'route-container', 'edge']);
      expect(schema.entityTypes['router.link'].attributes).to.have.property('deliveryCount');
      const json = (await mgmt.node('GET-JSON-SCHEMA', { indent: types.wrap_long(2) })).body as string;
      expect(JSON.parse(json).entityTypes.router.attributes).to.have.property('mode');
    });

    it('read of the router by type and name; its configuration attributes are included', async () => {
      const r = await mgmt.entity('READ', 'router', { name: 'TestRouter' });
      expect(r.statusCode).to.equal(200);
      expect(r.body).to.include({ id: 'TestRouter', mode: 'standalone', helloIntervalSeconds: 1 });
    });

    it('listeners: read the configured one; create one, connect to it; delete it, connections refused', async () => {
      const configured = (await mgmt.rows('listener')).find((l) => l.name === 'amqp')!;
      expect(configured).to.include({ host: '127.0.0.1', port: '0', role: 'normal', type: long('listener') });
      const port = await freePort();
      const c = await mgmt.entity('CREATE', 'listener', { name: 'extra' }, { host: '127.0.0.1', port: String(port), saslMechanisms: 'ANONYMOUS', authenticatePeer: false });
      expect(c.statusCode, c.statusDescription).to.equal(201);
      expect(c.body).to.include({ name: 'extra', port: String(port), role: 'normal' });
      const viaNew = await connect(port);
      const got = collectMessages(await openReceiver(viaNew, 'via.new'));
      const s = await openSender(await connect(), 'via.new');
      await sendable(s);
      s.send({ body: 'hello' });
      await waitFor(() => got.length === 1, 'a message through the created listener');
      expect((await mgmt.entity('DELETE', 'listener', { name: 'extra' })).statusCode).to.equal(204);
      expect(await canConnect(port)).to.equal(false);
      expect(viaNew.is_open()).to.equal(true); // open connections stay, as qdrouterd
      expect((await mgmt.rows('listener')).map((l) => l.name)).to.not.include('extra');
    });

    it('create address: its distribution applies to addresses used from then on', async () => {
      expect((await mgmt.entity('CREATE', 'address', { name: 'bcast' }, { prefix: 'bcast', distribution: 'multicast' })).statusCode).to.equal(201);
      const c = await connect();
      const a = collectMessages(await openReceiver(c, 'bcast.x'));
      const b = collectMessages(await openReceiver(c, 'bcast.x'));
      const s = await openSender(await connect(), 'bcast.x');
      await sendable(s);
      s.send({ body: 'both' });
      await waitFor(() => a.length === 1 && b.length === 1, 'a copy for each receiver');
      expect((await mgmt.rows('router.address', ['name', 'distribution'])).find((r) => r.name === 'M0bcast.x')!.distribution).to.equal('multicast');
      expect((await mgmt.entity('DELETE', 'address', { name: 'bcast' })).statusCode).to.equal(204);
    });

    it('update connection adminStatus=deleted closes that client; the router carries on', async () => {
      const victim = await connect();
      const closed = nextEvent(victim as unknown as EventEmitter, 'connection_close', 'the router closing the connection', 5000, []).catch(() => nextEvent(victim as unknown as EventEmitter, 'disconnected', 'disconnect'));
      const row = (await mgmt.rows('connection', ['identity', 'container'])).find((r) => r.container === containerOf(victim))!;
      const r = await mgmt.entity('UPDATE', 'connection', { identity: row.identity as string }, { adminStatus: 'deleted' });
      expect(r.statusCode).to.equal(200);
      const ctx = await closed;
      expect((ctx.connection as unknown as { error?: { condition?: string } }).error?.condition ?? 'amqp:connection:forced').to.equal('amqp:connection:forced');
      await waitFor(async () => !(await mgmt.rows('connection', ['container'])).some((x) => x.container === containerOf(victim)), 'the connection gone from the list');
    });

    it('update log: enable debug on ROUTER_CORE; its lines appear in GET-LOG; back to default', async () => {
      const r = await mgmt.entity('UPDATE', 'log', { name: 'log/ROUTER_CORE' }, { enable: 'debug+' });
      expect(r.statusCode, r.statusDescription).to.equal(200);
      expect(r.body).to.include({ module: 'ROUTER_CORE', enable: 'debug+' });
      await openReceiver(await connect(), 'log.watched');
      const entries = (await mgmt.node('GET-LOG')).body as string[][];
      expect(entries.some((e) => e[0] === 'ROUTER_CORE' && e[1] === 'debug' && e[2].includes('M0log.watched'))).to.equal(true);
      const back = await mgmt.entity('UPDATE', 'log', { identity: 'log/ROUTER_CORE' }, { enable: 'default' });
      expect(back.body).to.include({ enable: 'default' });
      const bad = await mgmt.entity('UPDATE', 'log', { name: 'log/ROUTER_CORE' }, { enable: 'loud' });
      expect(bad.statusCode).to.equal(400);
      expect(bad.statusDescription).to.match(/not a valid log level/);
    });

    it('update connection enableProtocolTrace: that connection\'s frames go to PROTOCOL trace', async () => {
      expect((await mgmt.entity('UPDATE', 'log', { name: 'log/PROTOCOL' }, { enable: 'trace+' })).statusCode).to.equal(200);
      const traced = await connect();
      const row = (await mgmt.rows('connection', ['identity', 'container'])).find((r) => r.container === containerOf(traced))!;
      const r = await mgmt.entity('UPDATE', 'connection', { identity: row.identity as string }, { enableProtocolTrace: true });
      expect(r.body).to.include({ enableProtocolTrace: true });
      await openReceiver(traced, 'traced.address');
      const entries = (await mgmt.node('GET-LOG')).body as string[][];
      expect(entries.some((e) => e[0] === 'PROTOCOL' && e[2].startsWith(`[C${row.identity}]`) && e[2].includes('@attach'))).to.equal(true);
      await mgmt.entity('UPDATE', 'connection', { identity: row.identity as string }, { enableProtocolTrace: false });
      await mgmt.entity('UPDATE', 'log', { name: 'log/PROTOCOL' }, { enable: 'default' });
    });

    it('RELOAD on the router: weftd re-reads its file and answers what it applied', async () => {
      const conf = path.join(router.dir, 'router.conf');
      fs.appendFileSync(conf, 'address {\n    name: reloaded\n    prefix: reloaded.\n    distribution: multicast\n}\n');
      const r = await mgmt.entity('RELOAD', 'router', { name: 'TestRouter' });
      expect(r.statusCode).to.equal(200);
      const report = r.body as { applied: string[]; notApplied: string[]; problems: string[] };
      expect(report.problems).to.deep.equal([]);
      expect(report.applied.join('\n')).to.match(/reloaded/);
      const rows = await mgmt.rows('router.config.address', ['name', 'prefix', 'distribution']);
      expect(rows.map((x) => x.name)).to.include('reloaded');
    });
  });

  describe('bad requests get a status; the router keeps serving', () => {
    afterEach(async () => {
      expect((await mgmt.rows('router', ['id']))[0].id).to.equal('TestRouter');
    });

    it('no operation: 400', async () => {
      const r = await mgmt.request({ type: long('router') });
      expect([r.statusCode, r.statusDescription]).to.deep.equal([400, 'No operation']);
    });

    it('unknown entity type: 404', async () => {
      const r = await mgmt.request({ operation: 'QUERY', entityType: 'org.apache.qpid.dispatch.nonsense' }, { attributeNames: [] });
      expect(r.statusCode).to.equal(404);
      expect(r.statusDescription).to.match(/nonsense/);
      expect((await mgmt.entity('READ', 'nonsense', { name: 'x' })).statusCode).to.equal(404);
    });

    it('unknown operation: 501, on an entity type and on the node', async () => {
      expect((await mgmt.entity('FROB', 'router', { name: 'TestRouter' })).statusCode).to.equal(501);
      expect((await mgmt.node('FROB')).statusCode).to.equal(501);
    });

    it('an operation the type does not allow: 405 (DELETE router, CREATE connection)', async () => {
      expect((await mgmt.entity('DELETE', 'router', { name: 'TestRouter' })).statusCode).to.equal(405);
      expect((await mgmt.entity('CREATE', 'connection', { name: 'c' }, {})).statusCode).to.equal(405);
    });

    it('CREATE failing validation: 400 with every problem', async () => {
      const r = await mgmt.entity('CREATE', 'listener', { name: 'broken' }, { port: 'not-a-port', role: 'sideways', colour: 'blue' });
      expect(r.statusCode).to.equal(400);
      expect(r.statusDescription).to.match(/listener\.port/);
      expect(r.statusDescription).to.match(/listener\.role: expected one of/);
      expect(r.statusDescription).to.match(/listener\.colour: unknown attribute/);
      const dup = await mgmt.entity('CREATE', 'listener', { name: 'amqp' }, { port: '0' });
      expect(dup.statusCode).to.equal(400);
      expect(dup.statusDescription).to.match(/duplicate name/);
      const ir = await mgmt.entity('CREATE', 'listener', { name: 'ir' }, { port: '0', role: 'inter-router' });
      expect(ir.statusDescription).to.match(/standalone/);
      const noPrefix = await mgmt.entity('CREATE', 'address', { name: 'a' }, { distribution: 'closest' });
      expect(noPrefix.statusCode).to.equal(400);
      expect(noPrefix.statusDescription).to.match(/prefix and pattern/);
      expect((await mgmt.entity('CREATE', 'address', { name: 'a' }, { identity: 'x', prefix: 'p' })).statusCode).to.equal(400);
    });

    it('READ or DELETE of an entity that does not exist: 404; neither name nor identity: 400', async () => {
      expect((await mgmt.entity('READ', 'listener', { name: 'missing' })).statusCode).to.equal(404);
      expect((await mgmt.entity('DELETE', 'connector', { name: 'missing' })).statusCode).to.equal(404);
      expect((await mgmt.entity('READ', 'connection', {})).statusCode).to.equal(400);
    });

    it('QUERY of an attribute the type does not have: dropped by C-agent types, 404 from Python-agent types', async () => {
      const c = await mgmt.query('router', ['id', 'colour']);
      expect(c.attributeNames).to.deep.equal(['id']);
      const p = await mgmt.request({ operation: 'QUERY', type: 'org.amqp.management', name: 'self', entityType: long('listener') }, { attributeNames: ['colour'] });
      expect(p.statusCode).to.equal(404);
    });

    it('malformed: a body that is not a map, attributeNames that are not strings, a count that is not a number: 400', async () => {
      expect((await mgmt.request({ operation: 'CREATE', type: long('address'), name: 'z' }, 'not a map')).statusCode).to.equal(400);
      expect((await mgmt.request({ operation: 'QUERY', entityType: long('router') }, { attributeNames: [1, 2] })).statusCode).to.equal(400);
      expect((await mgmt.request({ operation: 'QUERY', entityType: long('router'), count: 'many' }, {})).statusCode).to.equal(400);
      expect((await mgmt.request({ operation: 42 })).statusCode).to.equal(400);
    });

    it('a request without reply-to is dropped with a log line; a correlation-id keeps its type', async () => {
      const c = await connect();
      const s = await openSender(c, '$management');
      await sendable(s);
      s.send({ application_properties: { operation: 'GET-TYPES', type: 'org.amqp.management', name: 'self' }, body: {} });
      await waitFor(() => router.output().includes('management request without reply-to'), 'the log line');
      const r = mgmt['receiver'] as unknown as { add_credit(n: number): void; once(e: string, f: (ctx: EventContext) => void): void };
      const reply = new Promise<EventContext>((resolve) => r.once('message', resolve));
      r.add_credit(1);
      const sender = mgmt['sender'] as unknown as { send(m: unknown): void };
      sender.send({ reply_to: mgmt.replyTo, correlation_id: 12345, application_properties: { operation: 'GET-MGMT-NODES', type: 'org.amqp.management', name: 'self' }, body: {} });
      expect((await reply).message!.correlation_id).to.equal(12345);
    });
  });
});
