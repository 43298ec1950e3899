// Management across a mesh of three real weftd processes in a line (R1 - R2 - R3):
// GET-MGMT-NODES lists every router, `qdstat -r` reaches another router through
// `_topo/0/<id>/$management` and its reply crosses the mesh back to a dynamic address on the
// first, router.node shows the link-state view, and the 22 inter-router links are listed.

import { expect } from 'chai';
import type { Connection } from 'rhea';
import { Mesh, meshOutput, startMesh, stopMesh } from '../helpers/mesh';
import { waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { ManagementClient, long } from '../helpers/management-client';

describe('management across a mesh of three routers', function () {
  this.timeout(40000);
  let mesh: Mesh;
  const clients: ManagementClient[] = [];
  const conns: Connection[] = [];
  const manage = async (router: string, target?: string): Promise<ManagementClient> => {
    const m = await ManagementClient.connect(mesh.get(router)!.ports.amqp, target);
    clients.push(m);
    return m;
  };

  before(async () => {
    mesh = await startMesh([{ id: 'R1' }, { id: 'R2', connectTo: ['R1'] }, { id: 'R3', connectTo: ['R2'] }]);
    // Converged once every router has a path to both others (a reply needs one back).
    for (const id of ['R1', 'R2', 'R3']) {
      const m = await manage(id);
      await waitFor(async () => {
        const rows = await m.rows('router.node', ['id', 'cost']);
        return rows.length === 3 && rows.every((r) => r.id === id || r.cost !== null);
      }, `${id} to learn the mesh`, 20000);
    }
  });
  afterEach(async function () {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') console.log(meshOutput(mesh));
  });
  after(async () => { await stopMesh(mesh); });

  it('GET-MGMT-NODES on any router: the management address of every router, itself included', async () => {
    for (const id of ['R1', 'R2', 'R3']) {
      const m = await manage(id);
      await waitFor(async () => ((await m.node('GET-MGMT-NODES')).body as string[]).length === 3, `${id} to know three routers`, 15000);
      expect(((await m.node('GET-MGMT-NODES')).body as string[]).sort()).to.deep.equal(['R1', 'R2', 'R3'].map((r) => `amqp:/_topo/0/${r}/$management`));
    }
  });

  it('qdstat -r R3 from R1: requests go to _topo/0/R3/$management, replies come back across two hops', async () => {
    const m = await manage('R1', '_topo/0/R3/$management');
    expect(m.replyTo).to.match(/^amqp:\/_topo\/0\/R1\/temp\./);
    const nodes = await m.node('GET-MGMT-NODES');
    expect(nodes.statusCode).to.equal(200);
    const router = (await m.rows('router'))[0];
    expect(router).to.include({ id: 'R3', mode: 'interior', nodeCount: 2 });
    // R3's view of its connections: one inter-router, in from nobody (it connected out to R2).
    const conns3 = await m.rows('connection', ['role', 'dir', 'container']);
    expect(conns3).to.deep.include({ role: 'inter-router', dir: 'out', container: 'R2' });
  });

  it('the reply-to address on R1 counts what the container on R3 sent, R2 carried it in transit', async () => {
    const m = await manage('R1', '_topo/0/R3/$management');
    for (let i = 0; i < 3; i++) await m.node('GET-MGMT-NODES');
    const r2 = await manage('R1', '_topo/0/R2/$management');
    const rows = await r2.rows('router.address', ['name', 'deliveriesTransit', 'remoteCount', 'remoteHostRouters']);
    // On R2, R1's address space (RR1) carried the replies, R3's (RR3) the requests.
    expect(rows.find((r) => r.name === 'RR1')!.deliveriesTransit).to.be.at.least(3);
    expect(rows.find((r) => r.name === 'RR3')).to.deep.include({ remoteCount: 1, remoteHostRouters: ['R3'] });
    expect(((await r2.rows('router'))[0].deliveriesTransit as number)).to.be.at.least(6);
  });

  it('qdstat -n on R1: every router, (self) first, neighbours with no next hop, R3 via R2', async () => {
    const m = await manage('R1');
    // Paths come first (R2's link state names R3); R3's own link state follows with its LSU.
    const rows = await waitFor(async () => {
      const r = await m.rows('router.node');
      return r.find((x) => x.id === 'R3')?.linkState?.toString() === 'R2' ? r : undefined;
    }, 'R3\'s link state on R1', 15000) as Array<Record<string, unknown>>;
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(rows[0]).to.include({ id: 'R1', nextHop: '(self)', index: 0, protocolVersion: 1, address: 'amqp:/_topo/0/R1', name: 'router.node/R1', identity: 'router.node/R1', type: long('router.node') });
    expect(rows[0].lastTopoChange).to.be.closeTo(Date.now() / 1000, 120);
    expect(rows[0].linkState).to.deep.equal(['R2']);
    expect(byId.R2).to.include({ nextHop: null, cost: 1, lastTopoChange: null });
    expect(byId.R2.routerLink).to.be.a('number');
    expect(byId.R3).to.include({ nextHop: 'R2', cost: 2, routerLink: null });
    expect(byId.R3.linkState).to.deep.equal(['R2']);
    expect(byId.R2.linkState).to.have.members(['R1', 'R3']);
  });

  it('qdstat -l on R2: 22 links per inter-router connection, control links at priority 9, data links at 0-9', async () => {
    const m = await manage('R2');
    const links = await m.rows('router.link', ['linkType', 'linkDir', 'connectionId', 'identity', 'priority', 'deliveryCount', 'capacity']);
    const conns = await m.rows('connection', ['identity', 'role', 'container']);
    const interRouter = conns.filter((c) => c.role === 'inter-router');
    expect(interRouter.map((c) => c.container).sort()).to.deep.equal(['R1', 'R3']);
    for (const c of interRouter) {
      const mine = links.filter((l) => l.connectionId === c.identity);
      expect(mine).to.have.length(22);
      const control = mine.filter((l) => l.linkType === 'router-control');
      expect(control.map((l) => l.linkDir).sort()).to.deep.equal(['in', 'out']);
      for (const l of control) {
        expect(l.priority).to.equal(9);
        expect(l.deliveryCount as number).to.be.greaterThan(0); // HELLOs at least
      }
      for (const dir of ['in', 'out']) {
        expect(mine.filter((l) => l.linkType === 'inter-router' && l.linkDir === dir).map((l) => l.priority).sort((a, b) => (a as number) - (b as number))).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }
    }
  });

  it('create a connector R1 -> R3: they become neighbours; delete it: its connection closes, R3 is via R2 again', async () => {
    const m = await manage('R1');
    const port = mesh.get('R3')!.ports['inter-router'];
    const c = await m.entity('CREATE', 'connector', { name: 'shortcut' }, { host: '127.0.0.1', port: String(port), role: 'inter-router' });
    expect(c.statusCode, c.statusDescription).to.equal(201);
    expect(c.body).to.include({ name: 'shortcut', role: 'inter-router', port: String(port), type: long('connector') });
    await waitFor(async () => (await m.rows('router.node', ['id', 'nextHop', 'cost'])).some((r) => r.id === 'R3' && r.nextHop === null && r.cost === 1), 'R3 a neighbour of R1', 15000);
    expect((await m.rows('connector')).find((r) => r.name === 'shortcut')).to.include({ connectionStatus: 'SUCCESS' });
    expect((await m.rows('connection', ['role', 'dir', 'container'])).filter((r) => r.role === 'inter-router').map((r) => r.container).sort()).to.deep.equal(['R2', 'R3']);
    expect((await m.entity('DELETE', 'connector', { name: 'shortcut' })).statusCode).to.equal(204);
    await waitFor(async () => !(await m.rows('connection', ['container'])).some((r) => r.container === 'R3'), 'the connection to R3 closed');
    await waitFor(async () => (await m.rows('router.node', ['id', 'nextHop'])).some((r) => r.id === 'R3' && r.nextHop === 'R2'), 'R3 via R2 again', 15000);
    expect((await m.rows('connector')).map((r) => r.name)).to.not.include('shortcut');
  });

  it('messages from R1 to R3 move deliveriesTransit on R2 and the data link counters', async () => {
    const m2 = await manage('R2');
    const before = (await m2.rows('router', ['deliveriesTransit']))[0].deliveriesTransit as number;
    const rc = await rheaConnect(mesh.get('R3')!.ports.amqp);
    const sc = await rheaConnect(mesh.get('R1')!.ports.amqp);
    conns.push(rc, sc);
    const got = collectMessages(await openReceiver(rc, 'across.line'));
    const s = await openSender(sc, 'across.line');
    await sendable(s, 15000);
    for (let i = 0; i < 20; i++) s.send({ body: i });
    await waitFor(() => got.length === 20, '20 messages across two hops', 10000);
    await waitFor(async () => ((await m2.rows('router', ['deliveriesTransit']))[0].deliveriesTransit as number) - before >= 20, 'transit counted on R2');
    const addr = (await m2.rows('router.address', ['name', 'deliveriesTransit', 'deliveriesIngress'])).find((r) => r.name === 'M0across.line')!;
    expect(addr.deliveriesTransit).to.equal(20);
    expect(addr.deliveriesIngress).to.equal(0);
  });
});
