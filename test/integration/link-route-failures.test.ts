// Link routes when a piece of the path goes away (reference §6.1 step 4, capture 4b): the
// broker's connection, a router in the middle, the client's connection. The side left gets a
// detach with qd:routed-link-lost; deliveries the router had passed toward the lost side and
// that were still unsettled come back `modified` with delivery-failed (what qdrouterd's link
// cleanup does: qdr_delivery_failed_CT), so a sender knows they may or may not have arrived.
//
//   client ── R1 ── R2 ── R3 ══ peer

import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { Connection, EventContext, Sender } from 'rhea';
import { Mesh, meshOutput, stopMesh } from '../helpers/mesh';
import { RouteContainerPeer } from '../helpers/route-container-peer';
import { brokerConnector, linkRoutes, startLine, waitForLinkRoute } from '../helpers/link-route-line';
import { closeConnection, nextEvent, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';

describe('link routes: losing a piece of the path', function () {
  this.timeout(60000);
  let mesh: Mesh;
  let peer: RouteContainerPeer;
  const conns: Connection[] = [];
  const connect = async (): Promise<Connection> => {
    const c = await rheaConnect(mesh.get('R1')!.ports.amqp);
    conns.push(c);
    return c;
  };

  beforeEach(async () => {
    // The peer holds what it receives unsettled: the path is lost with deliveries in flight.
    peer = await RouteContainerPeer.start({ outcome: (_a, m) => (m.subject === 'hold' ? { outcome: 'none' } : { outcome: 'accept' }) });
    mesh = await startLine({ r3: brokerConnector(peer.port) + linkRoutes({ prefix: 'broker.' }) });
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'broker.probe');
  });
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c).catch(() => undefined)));
    if (this.currentTest?.state === 'failed') console.log(meshOutput(mesh));
    await stopMesh(mesh);
    await peer.close();
  });

  /** A client sender with three deliveries held unsettled at the peer, and a client receiver. */
  async function inFlight(): Promise<{ s: Sender; modified: EventContext[]; others: string[]; r: ReturnType<typeof openReceiver> extends Promise<infer R> ? R : never }> {
    const c = await connect();
    const s = await openSender(c, { target: 'broker.held', treat_modified_as_released: false } as Parameters<typeof openSender>[1]);
    const r = await openReceiver(c, { source: 'broker.out', credit_window: 5 });
    await sendable(s);
    const modified: EventContext[] = [];
    const others: string[] = [];
    s.on('modified', (ctx: EventContext) => modified.push(ctx));
    for (const o of ['accepted', 'rejected', 'released']) s.on(o, () => others.push(o));
    for (let i = 0; i < 3; i++) s.send({ subject: 'hold', body: `held-${i}` });
    await peer.waitFor(() => peer.received.filter((x) => x.address === 'broker.held').length === 3, 'three held at the peer');
    return { s, modified, others, r };
  }

  const errorOf = (ctx: EventContext): { condition: string; description?: string } =>
    ((ctx.sender ?? ctx.receiver) as unknown as { error: { condition: string; description?: string } }).error;

  it('the broker\'s connection drops: the client\'s links are detached with qd:routed-link-lost, held deliveries come back modified (delivery-failed); the route comes back with the broker', async () => {
    const { s, modified, others, r } = await inFlight();
    const senderLost = nextEvent(s as unknown as EventEmitter, 'sender_close', 'the sender\'s detach', 10000);
    const receiverLost = nextEvent(r as unknown as EventEmitter, 'receiver_close', 'the receiver\'s detach', 10000);
    peer.dropConnections();
    const [sc, rc] = await Promise.all([senderLost, receiverLost]);
    expect(errorOf(sc)).to.deep.include({ condition: 'qd:routed-link-lost', description: 'Connectivity to the peer container was lost' });
    expect(errorOf(rc).condition).to.equal('qd:routed-link-lost');
    expect(modified).to.have.length(3);
    expect(others).to.deep.equal([]);
    expect(modified.every((m) => (m.delivery!.remote_state as { delivery_failed?: boolean }).delivery_failed === true)).to.equal(true);
    // R3 reconnects to the broker and advertises the route again.
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'broker.again');
  });

  it('a router on the path is killed: the client\'s links are detached with qd:routed-link-lost, and so are the broker\'s', async () => {
    const { s, modified, r } = await inFlight();
    const senderLost = nextEvent(s as unknown as EventEmitter, 'sender_close', 'the sender\'s detach', 10000);
    const receiverLost = nextEvent(r as unknown as EventEmitter, 'receiver_close', 'the receiver\'s detach', 10000);
    mesh.get('R2')!.child.kill('SIGKILL');
    const [sc, rc] = await Promise.all([senderLost, receiverLost]);
    expect(errorOf(sc).condition).to.equal('qd:routed-link-lost');
    expect(errorOf(rc).condition).to.equal('qd:routed-link-lost');
    expect(modified).to.have.length(3);
    // R3 detaches the broker's side too.
    await peer.waitFor(() => peer.detaches.filter((d) => (d.error as { condition?: string } | undefined)?.condition === 'qd:routed-link-lost').length === 2, 'both broker-side links detached');
  });

  it('the client\'s connection drops (capture 4b): the broker-side links are detached with qd:routed-link-lost', async () => {
    const c = await connect();
    const s = await openSender(c, 'broker.abrupt');
    await openReceiver(c, { source: 'broker.abrupt', credit_window: 2 });
    await sendable(s);
    const names = peer.attaches.filter((a) => a.name.startsWith(`${s.name}@`) || a.source?.address === 'broker.abrupt').map((a) => a.name);
    expect(names).to.have.length(2);
    (c as unknown as { socket: { destroy(): void } }).socket.destroy();
    await peer.waitFor(() => names.every((n) => peer.detaches.some((d) => d.name === n)), 'both links detached at the peer');
    for (const n of names) {
      expect(peer.detaches.find((d) => d.name === n)!.error).to.deep.include({ condition: 'qd:routed-link-lost', description: 'Connectivity to the peer container was lost' });
    }
  });
});
