// Brokerless routing across real weftd processes: the three routers of the lab (R1 connects to
// R2 and R3, R2 to R3), anycast and multicast between routers, request/response through a
// dynamic reply address owned by another router, and outcomes end to end.
//
//        R1 ──── R3
//          \    /
//           R2

import { expect } from 'chai';
import type { Connection, EventContext } from 'rhea';
import { Mesh, meshOutput, startMesh, stopMesh } from '../helpers/mesh';
import { waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';

const MULTICAST = 'address {\n    prefix: multicast\n    distribution: multicast\n}\n';

describe('a mesh of three routers', function () {
  this.timeout(30000);
  let mesh: Mesh;
  const conns: Connection[] = [];
  const connect = async (router: string): Promise<Connection> => {
    const c = await rheaConnect(mesh.get(router)!.ports.amqp);
    conns.push(c);
    return c;
  };

  before(async () => {
    mesh = await startMesh([
      { id: 'R3', extra: MULTICAST, listenerExtra: '    stripAnnotations: no\n' },
      { id: 'R2', connectTo: ['R3'], extra: MULTICAST },
      { id: 'R1', connectTo: ['R2', 'R3'], extra: MULTICAST },
    ]);
  });
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') console.log(meshOutput(mesh));
  });
  after(async () => { await stopMesh(mesh); });

  it('anycast: a sender on R1 reaches a receiver on R3 directly, outcomes come back, trace shows the path', async () => {
    const got = collectMessages(await openReceiver(await connect('R3'), 'myAddress'));
    const s = await openSender(await connect('R1'), 'myAddress');
    let accepted = 0;
    const other: string[] = [];
    s.on('accepted', () => { accepted++; });
    for (const o of ['released', 'rejected', 'modified']) s.on(o, () => { other.push(o); });
    await sendable(s, 15000); // credit comes once R1 has learned the address from R3
    for (let i = 0; i < 20; i++) s.send({ body: `m${i}` });
    await waitFor(() => accepted === 20, `20 accepted (${accepted} accepted, others: ${other.join(' ')}, received ${got.length})`, 10000);
    expect(got.map((m) => m.message!.body)).to.deep.equal([...Array(20).keys()].map((i) => `m${i}`));
    const ma = got[0].message!.message_annotations as Record<string, unknown>;
    expect(ma['x-opt-qd.ingress']).to.equal('0/R1');
    expect(ma['x-opt-qd.trace']).to.deep.equal(['0/R1', '0/R3']);
  });

  it('multicast: one copy to each receiver on every router, none duplicated (the triangle is a cycle)', async () => {
    const r1 = collectMessages(await openReceiver(await connect('R1'), 'multicast.news'));
    const r2 = collectMessages(await openReceiver(await connect('R2'), 'multicast.news'));
    const r3 = collectMessages(await openReceiver(await connect('R3'), 'multicast.news'));
    const r3b = collectMessages(await openReceiver(await connect('R3'), 'multicast.news'));
    const s = await openSender(await connect('R1'), 'multicast.news');
    await sendable(s, 15000);
    // Wait until R1 knows R3's consumers too (the first credit may come from the local one).
    await waitFor(async () => {
      s.send({ body: 'probe' });
      await new Promise((r) => setTimeout(r, 200));
      return r3.length > 0 && r2.length > 0;
    }, 'the mesh to carry multicast', 15000);
    const base = [r1.length, r2.length, r3.length, r3b.length];
    for (let i = 0; i < 10; i++) s.send({ body: `n${i}` });
    await waitFor(() => r1.length - base[0] === 10 && r2.length - base[1] === 10 && r3.length - base[2] === 10 && r3b.length - base[3] === 10, 'ten copies each', 10000);
    await new Promise((r) => setTimeout(r, 300)); // no late duplicates either
    for (const [got, b] of [[r1, base[0]], [r2, base[1]], [r3, base[2]], [r3b, base[3]]] as const) {
      expect(got.slice(b).map((m) => m.message!.body)).to.deep.equal([...Array(10).keys()].map((i) => `n${i}`));
    }
  });

  it('balanced: receivers on R2 and R3 share a burst from R1 by load, each message exactly once', async () => {
    const on2 = collectMessages(await openReceiver(await connect('R2'), { source: 'shared.q', credit_window: 500 }));
    const on3 = collectMessages(await openReceiver(await connect('R3'), { source: 'shared.q', credit_window: 500 }));
    const s = await openSender(await connect('R1'), 'shared.q');
    let accepted = 0;
    s.on('accepted', () => { accepted++; });
    await sendable(s, 15000);
    await waitFor(async () => {
      // Both receivers known at R1: a burst of probes spreads over both once R1 knows them
      // (one probe at a time would always find both idle and take the tie's side).
      for (let i = 0; i < 10; i++) s.send({ body: 'probe' });
      await new Promise((r) => setTimeout(r, 100));
      return on2.length > 0 && on3.length > 0;
    }, 'both receivers reachable', 15000);
    const base = accepted;
    const before = [on2.length, on3.length];
    for (let i = 0; i < 200; i++) s.send({ body: i });
    await waitFor(() => accepted - base >= 200, '200 accepted', 10000);
    const bodies = [...on2.slice(before[0]), ...on3.slice(before[1])].map((m) => m.message!.body).filter((b) => b !== 'probe');
    expect(bodies.length).to.equal(200);
    expect(new Set(bodies).size).to.equal(200);
    expect(on2.length - before[0]).to.be.greaterThan(20);
    expect(on3.length - before[1]).to.be.greaterThan(20);
  });

  it('request/response: the reply goes back across the mesh to a dynamic address of R1', async () => {
    const service = await connect('R3');
    const requests = await openReceiver(service, 'service.upper');
    const replies = await openSender(service, { target: {} });
    requests.on('message', (ctx: EventContext) => {
      replies.send({ to: ctx.message!.reply_to, correlation_id: ctx.message!.correlation_id, body: String(ctx.message!.body).toUpperCase() });
    });
    const client = await connect('R1');
    const replyReceiver = await openReceiver(client, { source: { dynamic: true } as unknown as string });
    expect(replyReceiver.source.address).to.match(/^amqp:\/_topo\/0\/R1\/temp\./);
    const answers = collectMessages(replyReceiver);
    const s = await openSender(client, 'service.upper');
    await sendable(s, 15000);
    s.send({ reply_to: replyReceiver.source.address, correlation_id: 'c1', body: 'hello' });
    await waitFor(() => answers.length === 1, 'the reply', 10000);
    expect(answers[0].message!.body).to.equal('HELLO');
  });

  it('a 5 MB message streams across the mesh intact (many frames per hop)', async () => {
    const got = collectMessages(await openReceiver(await connect('R3'), 'big.q'));
    const s = await openSender(await connect('R1'), 'big.q');
    let accepted = 0;
    s.on('accepted', () => { accepted++; });
    await sendable(s, 15000);
    const body = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
    s.send({ body });
    await waitFor(() => accepted === 1, 'the big message accepted', 15000);
    const received = (got[0].message!.body as { content?: Buffer }).content ?? got[0].message!.body;
    expect(Buffer.compare(received as Buffer, body)).to.equal(0);
  });

  it('a rejected outcome travels back across the mesh with its error', async () => {
    const r = await openReceiver(await connect('R3'), { source: 'refuse.q', autoaccept: false });
    r.on('message', (ctx: EventContext) => ctx.delivery!.reject({ condition: 'test:refused', description: 'no' }));
    const s = await openSender(await connect('R1'), 'refuse.q');
    const rejected: EventContext[] = [];
    s.on('rejected', (ctx: EventContext) => rejected.push(ctx));
    await sendable(s, 15000);
    s.send({ body: 'x' });
    await waitFor(() => rejected.length === 1, 'rejected', 10000);
    expect((rejected[0].delivery!.remote_state as { error?: { condition: string } }).error?.condition).to.equal('test:refused');
  });
});
