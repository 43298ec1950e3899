// Losing a router in the middle of traffic: routes are recomputed as soon as its connections
// drop, traffic moves to the other path, every unsettled delivery that was on the lost path
// comes back to its sender released or modified (an at-least-once sender loses nothing), and
// the router rejoins when it restarts. Also: ten routers in a ring converge quickly.
//
//          B            (B's links cost 1, C's cost 5: traffic goes A-B-D)
//        /   \
//   A ──┤     ├── D
//        \   /
//          C

import { expect } from 'chai';
import type { Connection, Delivery, EventContext } from 'rhea';
import { Mesh, meshOutput, meshRouterConf, startMesh, stopMesh } from '../helpers/mesh';
import { startRouter, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';

describe('a mesh that loses a router', function () {
  this.timeout(60000);
  let mesh: Mesh;
  const conns: Connection[] = [];

  before(async () => {
    mesh = await startMesh([
      { id: 'D', listenerExtra: '    stripAnnotations: in\n' }, // the receiver sees the trace
      { id: 'A' },
      { id: 'B', connectTo: ['A', 'D'] },
      { id: 'C', connectTo: [{ id: 'A', cost: 5 }, { id: 'D', cost: 5 }] },
    ]);
  });
  afterEach(function () { if (this.currentTest?.state === 'failed') console.log(meshOutput(mesh)); });
  after(async () => {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    await stopMesh(mesh);
  });

  it('moves traffic to the other path at once, and an at-least-once sender loses nothing', async () => {
    const receiverConn = await rheaConnect(mesh.get('D')!.ports.amqp);
    conns.push(receiverConn);
    const got = collectMessages(await openReceiver(receiverConn, { source: 'failover.q', credit_window: 100 }));
    const senderConn = await rheaConnect(mesh.get('A')!.ports.amqp);
    conns.push(senderConn);
    const s = await openSender(senderConn, 'failover.q');
    await sendable(s, 20000);
    // Wait until the cheap path through B is in use.
    await waitFor(async () => {
      s.send({ body: -1 });
      await new Promise((r) => setTimeout(r, 100));
      const last = got[got.length - 1];
      return last && (last.message!.message_annotations as Record<string, string[]>)['x-opt-qd.trace'].includes('0/B');
    }, 'traffic through B', 20000);

    const TOTAL = 3000;
    const bodyOf = new Map<Delivery, number>();
    const accepted = new Set<number>();
    const toSend: number[] = [];
    let resent = 0;
    let next = 0;
    // Only as much as the credit allows: rhea would otherwise buffer without bound.
    const pump = () => {
      while (s.sendable() && (toSend.length > 0 || next < TOTAL)) {
        const body = toSend.length > 0 ? toSend.shift()! : next++;
        bodyOf.set(s.send({ body }), body);
      }
    };
    const resend = (ctx: EventContext) => {
      const body = bodyOf.get(ctx.delivery!);
      if (body === undefined || accepted.has(body)) return;
      resent++;
      toSend.push(body);
      pump();
    };
    s.on('accepted', (ctx: EventContext) => { const b = bodyOf.get(ctx.delivery!); if (b !== undefined) accepted.add(b); });
    s.on('released', resend);
    s.on('modified', resend);
    s.on('rejected', resend);
    s.on('sendable', pump);
    pump();

    await waitFor(() => accepted.size > 300, 'traffic flowing', 20000);
    const killedAt = Date.now();
    mesh.get('B')!.child.kill('SIGKILL');
    const countAtKill = got.length;
    await waitFor(() => got.length > countAtKill + 10, 'messages after the loss of B', 10000);
    const firstAfterMs = Date.now() - killedAt;
    await waitFor(() => accepted.size === TOTAL, `all ${TOTAL} accepted`, 30000);

    const received = new Set(got.map((m) => m.message!.body as number));
    for (let i = 0; i < TOTAL; i++) expect(received.has(i), `message ${i} received`).to.equal(true);
    const trace = (got[got.length - 1].message!.message_annotations as Record<string, string[]>)['x-opt-qd.trace'];
    expect(trace).to.deep.equal(['0/A', '0/C', '0/D']);
    console.log(`      (first messages via C ${firstAfterMs} ms after B was killed; ${resent} resent after release/modify)`);

    // B comes back (its connectors reconnect) and rejoins the mesh.
    const B = await startRouter(meshRouterConf({ id: 'B', connectTo: ['A', 'D'] }, mesh));
    mesh.set('B', B);
    await waitFor(() => /neighbour A up/.test(B.output()) && /neighbour D up/.test(B.output()), 'B to rejoin A and D', 15000);
  });
});

describe('ten routers in a ring', function () {
  this.timeout(60000);
  let mesh: Mesh;
  after(async () => { if (mesh) await stopMesh(mesh); });

  it('converge: a sender on R0 reaches a receiver on R5, the far side of the ring, within 10 s', async () => {
    const specs = Array.from({ length: 10 }, (_, i) => ({ id: `R${i}`, connectTo: i === 0 ? [] : [`R${i - 1}`] }));
    mesh = await startMesh(specs);
    const startedAt = Date.now();
    // Close the ring: R0 connects to R9 (started last).
    const R0 = mesh.get('R0')!;
    await R0.stop();
    mesh.set('R0', await startRouter(meshRouterConf({ id: 'R0', connectTo: ['R9'] }, mesh)));
    const rc = await rheaConnect(mesh.get('R5')!.ports.amqp);
    const got = collectMessages(await openReceiver(rc, 'ring.q'));
    const sc = await rheaConnect(mesh.get('R0')!.ports.amqp);
    const s = await openSender(sc, 'ring.q');
    await sendable(s, 10000);
    // An at-least-once sender: while the ring is still settling a delivery may come back
    // released (no path yet); it is sent again.
    const outcomes: string[] = [];
    for (const o of ['released', 'modified']) s.on(o, () => { outcomes.push(o); s.send({ body: 'around' }); });
    s.send({ body: 'around' });
    await waitFor(() => got.length >= 1, `the message across the ring (outcomes so far: ${outcomes.join(' ') || 'none'})`, 10000);
    const elapsed = Date.now() - startedAt;
    console.log(`      (ring of 10 converged and delivered in ${elapsed} ms)`);
    expect(elapsed).to.be.below(10000);
    await closeConnection(rc);
    await closeConnection(sc);
  });
});
