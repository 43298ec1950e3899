// Link routes seen from both ends (reference §6.1 steps 3–5): a client on R1, a route-container
// peer behind R3 that records what reaches it.
//
//   client ── R1 ── R2 ── R3 ══ peer   (connector `broker`, and `by-id` activating by container-id)
//
// What the peer gets is the client's attach (name made unique with the client's container-id),
// its deliveries with their tags, the client's credit and drain; what the client gets is the
// peer's answer, its outcomes with their fields, its refusals.

import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { Connection, EventContext, Receiver } from 'rhea';
import { Mesh, meshOutput, stopMesh } from '../helpers/mesh';
import { RouteContainerPeer } from '../helpers/route-container-peer';
import { brokerConnector, linkRoutes, startLine, waitForLinkRoute } from '../helpers/link-route-line';
import { closeConnection, collectMessages, nextEvent, openReceiver, openSender, recordFlows, rheaConnect, sendable } from '../helpers/rhea-client';
import { waitFor } from '../helpers/router-process';


describe('link routes: what each end sees (route-container peer behind R3, client on R1)', function () {
  this.timeout(40000);
  let mesh: Mesh;
  let peer: RouteContainerPeer;
  const conns: Connection[] = [];
  const connect = async (): Promise<Connection> => {
    const c = await rheaConnect(mesh.get('R1')!.ports.amqp);
    conns.push(c);
    return c;
  };

  before(async () => {
    peer = await RouteContainerPeer.start({
      outcome: (_a, m) => {
        switch (m.subject) {
          case 'reject': return { outcome: 'reject', error: { condition: 'test:rejected', description: 'not this one' } };
          case 'release': return { outcome: 'release' };
          case 'modify': return { outcome: 'modify', deliveryFailed: true, undeliverableHere: true, annotations: { 'x-why': 'test' } };
          default: return { outcome: 'accept' };
        }
      },
      refuse: (address) => (address.startsWith('broker.refused') ? { condition: 'amqp:not-found', description: 'no such queue here' } : undefined),
    });
    const r3 = brokerConnector(peer.port) + brokerConnector(peer.port, 'by-id')
      + linkRoutes({ prefix: 'broker.' })
      + linkRoutes({ pattern: 'orders.*.eu' })
      + linkRoutes({ prefix: 'ext.' }, 'connection: broker', '    delExternalPrefix: ext.\n    addExternalPrefix: queue/\n')
      + linkRoutes({ prefix: 'byid' }, 'containerId: route-container-peer');
    // On R1 a route whose connection never opens: attaches to it have no route.
    mesh = await startLine({ r3, r1: linkRoutes({ prefix: 'nowhere' }, 'connection: absent') });
    for (const a of ['broker.probe', 'orders.x.eu', 'ext.probe', 'byid.probe']) await waitForLinkRoute(mesh.get('R1')!.ports.amqp, a);
  });
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') console.log(meshOutput(mesh));
  });
  after(async () => {
    await stopMesh(mesh);
    await peer.close();
  });

  const attachAt = (name: string) => peer.attaches.find((a) => a.name.startsWith(`${name}@`));

  it('the peer gets the client\'s attach: same name + @container-id, termini copied with expiry-policy session-end, settle modes kept', async () => {
    const c = await connect();
    await openSender(c, { name: 'lr-sender', target: { address: 'broker.shape' }, snd_settle_mode: 0, rcv_settle_mode: 1 } as Parameters<typeof openSender>[1]);
    await peer.waitFor(() => attachAt('lr-sender') !== undefined, 'the attach at the peer');
    const a = attachAt('lr-sender')!;
    expect(a.name).to.match(/^lr-sender@rhea-interop-\d+-\d+$/); // the client's container-id
    expect(a.role).to.equal('receiver');
    expect(a.target).to.include({ address: 'broker.shape', expiry_policy: 'session-end' });
    expect(a.sndSettleMode).to.equal(0);
    expect(a.rcvSettleMode).to.equal(1);
  });

  it('tags are untouched both ways; pre-settled stays pre-settled', async () => {
    const c = await connect();
    const s = await openSender(c, 'broker.tags');
    await sendable(s);
    s.send({ body: 'one' }, Buffer.from('tag-one'));
    s.send({ body: 'two' }, Buffer.from('tag-two'));
    await peer.waitFor(() => peer.received.filter((r) => r.address === 'broker.tags').length === 2, 'two messages at the peer');
    expect(peer.received.filter((r) => r.address === 'broker.tags').map((r) => [r.tag, r.body])).to.deep.equal([['tag-one', 'one'], ['tag-two', 'two']]);

    const pre = await openSender(c, { target: { address: 'broker.presettled' }, snd_settle_mode: 1 } as Parameters<typeof openSender>[1]);
    await sendable(pre);
    pre.send({ body: 'fire and forget' });
    await peer.waitFor(() => peer.received.some((r) => r.address === 'broker.presettled'), 'the pre-settled message');
    expect(peer.received.find((r) => r.address === 'broker.presettled')!.settled).to.equal(true);

    const r = await openReceiver(c, { source: 'broker.tags-out', credit_window: 10 });
    const got = collectMessages(r);
    peer.send('broker.tags-out', { body: 'a' }, { tag: 'peer-tag-a' });
    peer.send('broker.tags-out', { body: 'b' }, { tag: 'peer-tag-b' });
    await waitFor(() => got.length === 2, 'two messages from the peer', 10000);
    expect(got.map((g) => Buffer.from(g.delivery!.tag as Buffer).toString())).to.deep.equal(['peer-tag-a', 'peer-tag-b']);
  });

  it('credit passes through: a client granting 5 gets at most 5, and the peer was given exactly 5', async () => {
    const c = await connect();
    for (let i = 0; i < 10; i++) peer.send('broker.credit', { body: `c${i}` });
    const r = await openReceiver(c, { source: 'broker.credit', credit_window: 0, autoaccept: true });
    const got = collectMessages(r);
    r.add_credit(5);
    await waitFor(() => got.length === 5, 'five messages', 10000);
    await peer.waitFor(() => peer.queued('broker.credit') === 5, 'five left at the peer');
    const name = attachAt(r.name)!.name;
    const credits = peer.flows.filter((f) => f.name === name).map((f) => f.credit);
    expect(Math.max(...credits)).to.equal(5);
    r.add_credit(3);
    await waitFor(() => got.length === 8, 'three more', 10000);
    await peer.waitFor(() => peer.queued('broker.credit') === 2, 'two left at the peer');
    expect(got.map((g) => g.message!.body)).to.deep.equal(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  });

  it('drain crosses both hops: the peer drains, the client gets what there was and then drained with the delivery-count advanced', async () => {
    const c = await connect();
    peer.send('broker.drain', { body: 'd0' });
    peer.send('broker.drain', { body: 'd1' });
    const r = await openReceiver(c, { source: 'broker.drain', credit_window: 0 });
    const flows = recordFlows(r);
    const got = collectMessages(r);
    const drained = nextEvent(r as unknown as EventEmitter, 'receiver_drained', 'the drained flow', 10000);
    r.add_credit(5);
    r.drain_credit();
    await drained;
    expect(got.map((g) => g.message!.body)).to.deep.equal(['d0', 'd1']);
    expect(flows.at(-1)).to.include({ drain: true, link_credit: 0, delivery_count: 5 });
    const name = attachAt(r.name)!.name;
    expect(peer.flows.some((f) => f.name === name && f.drain)).to.equal(true);

    // Nothing left at all: drained at once, the whole credit used up.
    const again = nextEvent(r as unknown as EventEmitter, 'receiver_drained', 'the second drain', 10000);
    r.add_credit(4);
    r.drain_credit();
    await again;
    expect(flows.at(-1)).to.include({ drain: true, link_credit: 0, delivery_count: 9 });
  });

  it('every outcome the peer gives comes back to the client sender with its fields', async () => {
    const c = await connect();
    const s = await openSender(c, { target: 'broker.outcomes', treat_modified_as_released: false } as Parameters<typeof openSender>[1]);
    await sendable(s);
    const seen: { outcome: string; state: Record<string, unknown> }[] = [];
    for (const o of ['accepted', 'rejected', 'released', 'modified']) s.on(o, (ctx: EventContext) => seen.push({ outcome: o, state: ctx.delivery!.remote_state as Record<string, unknown> }));
    // One at a time: rhea (the peer) mixes up outcomes it gives in one pass (DESIGN.md).
    for (const [i, subject] of ['accept', 'reject', 'release', 'modify'].entries()) {
      s.send({ subject, body: subject });
      await waitFor(() => seen.length === i + 1, `the outcome of ${subject}`, 10000);
    }
    expect(seen.map((x) => x.outcome)).to.deep.equal(['accepted', 'rejected', 'released', 'modified']);
    expect((seen[1].state.error as Record<string, unknown>)).to.include({ condition: 'test:rejected', description: 'not this one' });
    expect(seen[3].state).to.include({ delivery_failed: true, undeliverable_here: true });
    expect(seen[3].state.message_annotations).to.deep.equal({ 'x-why': 'test' });
  });

  it('every outcome the client gives reaches the peer with its fields', async () => {
    const c = await connect();
    const r = await openReceiver(c, { source: 'broker.settle', credit_window: 10, autoaccept: false });
    r.on('message', (ctx: EventContext) => {
      const d = ctx.delivery!;
      switch (ctx.message!.body) {
        case 'accept': d.accept(); break;
        case 'reject': d.reject({ condition: 'client:no', description: 'refused by the client' }); break;
        case 'release': d.release(); break; // with an argument rhea sends modified
        default: d.modified({ delivery_failed: true, undeliverable_here: false, message_annotations: { 'x-n': 7 } });
      }
    });
    // One at a time: rhea (the client) mixes up outcomes it gives in one pass.
    for (const [i, body] of ['accept', 'reject', 'release', 'modify'].entries()) {
      peer.send('broker.settle', { body }, { tag: `s-${body}` });
      await peer.waitFor(() => peer.outcomes.filter((o) => o.tag.startsWith('s-')).length === i + 1, `the outcome of ${body} at the peer`, 10000);
    }
    const byTag = Object.fromEntries(peer.outcomes.filter((o) => o.tag.startsWith('s-')).map((o) => [o.tag, o]));
    expect(byTag['s-accept'].outcome).to.equal('accepted');
    expect(byTag['s-reject'].outcome).to.equal('rejected');
    expect(byTag['s-reject'].state!.error).to.include({ condition: 'client:no' });
    expect(byTag['s-release'].outcome).to.equal('released');
    expect(byTag['s-modify'].outcome).to.equal('modified');
    expect(byTag['s-modify'].state).to.include({ delivery_failed: true });
    expect(byTag['s-modify'].state!.message_annotations).to.deep.equal({ 'x-n': 7 });
  });

  it('the peer refusing an attach: the client gets the peer\'s error', async () => {
    const c = await connect();
    const s = c.open_sender('broker.refused.q');
    const ctx = await nextEvent(s as unknown as EventEmitter, 'sender_close', 'the refusal', 10000);
    expect((ctx.sender as unknown as { error: { condition: string; description: string } }).error).to.include({ condition: 'amqp:not-found', description: 'no such queue here' });
  });

  it('no route: an inactive link route refuses at once with qd:no-route-to-dest', async () => {
    const c = await connect();
    const t0 = Date.now();
    const r = c.open_receiver('nowhere.q');
    const ctx = await nextEvent(r as unknown as EventEmitter, 'receiver_close', 'the refusal', 5000);
    expect(Date.now() - t0).to.be.lessThan(1000);
    expect((ctx.receiver as unknown as { error: { condition: string } }).error.condition).to.equal('qd:no-route-to-dest');
  });

  it('detach is relayed both ways: the client\'s close reaches the peer, the peer\'s close with an error reaches the client', async () => {
    const c = await connect();
    const s = await openSender(c, 'broker.detach1');
    await peer.waitFor(() => attachAt(s.name) !== undefined, 'the attach');
    const closed = nextEvent(s as unknown as EventEmitter, 'sender_close', 'the close answer', 5000);
    s.close();
    await closed;
    await peer.waitFor(() => peer.detaches.some((d) => d.name === attachAt(s.name)!.name), 'the detach at the peer');

    const r = await openReceiver(c, { source: 'broker.detach2', credit_window: 1 });
    await peer.waitFor(() => attachAt(r.name) !== undefined, 'the second attach');
    const error = nextEvent(r as unknown as EventEmitter, 'receiver_close', 'the peer\'s detach', 5000);
    attachAt(r.name)!.link.close({ condition: 'test:going-away', description: 'the peer closes' });
    const ctx = await error;
    expect((ctx.receiver as unknown as { error: { condition: string } }).error.condition).to.equal('test:going-away');
  });

  it('pattern routes (E/F keys across the mesh): orders.*.eu is routed, orders.a.b.eu is not', async () => {
    const c = await connect();
    const s = await openSender(c, 'orders.fr.eu');
    await sendable(s);
    s.send({ body: 'order' });
    await peer.waitFor(() => peer.received.some((r) => r.address === 'orders.fr.eu'), 'the order at the peer');
    // Not matching: message-routed, so no peer attach (and no credit: nobody consumes it).
    const other = await openSender(c, 'orders.a.b.eu');
    expect(other.sendable()).to.equal(false);
    expect(peer.attaches.some((a) => a.target?.address === 'orders.a.b.eu')).to.equal(false);
  });

  it('prefixes: delExternalPrefix stripped and addExternalPrefix added on the last hop, undone in the reply', async () => {
    const c = await connect();
    const r = await openReceiver(c, { source: 'ext.items', credit_window: 5 });
    expect(r.source.address).to.equal('ext.items');
    await peer.waitFor(() => attachAt(r.name) !== undefined, 'the attach');
    expect(attachAt(r.name)!.source!.address).to.equal('queue/items');
    const got = collectMessages(r);
    peer.send('queue/items', { body: 'from the renamed queue' });
    await waitFor(() => got.length === 1, 'the message', 10000);
  });

  it('containerId: a route activated by the peer\'s container-id carries links over that connection', async () => {
    const c = await connect();
    const s = await openSender(c, 'byid.q');
    await sendable(s);
    s.send({ body: 'by id' });
    await peer.waitFor(() => peer.received.some((r) => r.address === 'byid.q'), 'the message');
    const r: Receiver = await openReceiver(c, { source: 'byid.q', credit_window: 1 });
    expect(r.source.address).to.equal('byid.q');
  });
});
