// Link routes across the mesh (reference §6.1) with the rhea test broker behind a route-container
// connector on R3, the client on R1 two hops away:
//
//   client ── R1 ── R2 ── R3 ══ broker
//
// The client's links reach the broker's queues as if attached to it: what it sends lands in
// the queue (outcomes come back from the broker), what it receives comes from the queue.

import { expect } from 'chai';
import type { Connection, EventContext } from 'rhea';
import { Mesh, meshOutput, stopMesh } from '../helpers/mesh';
import { RheaBroker } from '../helpers/rhea-broker';
import { brokerConnector, linkRoutes, startLine, waitForLinkRoute } from '../helpers/link-route-line';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { waitFor } from '../helpers/router-process';

describe('link routes: a client two routers away from the broker (rhea test broker)', function () {
  this.timeout(40000);
  let mesh: Mesh;
  let broker: RheaBroker;
  const conns: Connection[] = [];
  const connect = async (router = 'R1'): Promise<Connection> => {
    const c = await rheaConnect(mesh.get(router)!.ports.amqp);
    conns.push(c);
    return c;
  };

  before(async () => {
    broker = await RheaBroker.start({
      outcome: (_address, m) => (m.subject === 'reject' ? 'reject' : m.subject === 'release' ? 'release' : m.subject === 'modify' ? 'modify' : 'accept'),
    });
    mesh = await startLine({ r3: brokerConnector(broker.port) + linkRoutes({ prefix: 'broker.' }) });
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'broker.probe');
  });
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') console.log(meshOutput(mesh));
  });
  after(async () => {
    await stopMesh(mesh);
    await broker.close();
  });

  it('in: a client sender on R1 fills a broker queue; the broker\'s outcomes come back', async () => {
    const s = await openSender(await connect(), 'broker.in1');
    await sendable(s);
    const outcomes: string[] = [];
    for (const o of ['accepted', 'rejected', 'released', 'modified']) s.on(o, () => outcomes.push(o));
    // One at a time: rhea (the broker) mixes up outcomes it gives in one pass (DESIGN.md).
    for (const [i, subject] of ['a', 'reject', 'b', 'release'].entries()) {
      s.send({ subject, body: `m-${subject}` });
      await waitFor(() => outcomes.length === i + 1, `the outcome of ${subject}`, 10000);
    }
    expect(outcomes).to.deep.equal(['accepted', 'rejected', 'accepted', 'released']);
    expect(broker.received.filter((r) => r.address === 'broker.in1').map((r) => r.message.body)).to.deep.equal(['m-a', 'm-reject', 'm-b', 'm-release']);
    expect(broker.depth('broker.in1')).to.equal(2);
  });

  it('out: a client receiver on R1 gets what the broker queue holds, in order, and the broker sees its outcomes', async () => {
    const producer = await openSender(await connect(), 'broker.out1');
    await sendable(producer);
    for (let i = 0; i < 5; i++) producer.send({ body: `q${i}` });
    await broker.waitFor(() => broker.depth('broker.out1') === 5, 'five queued');
    const r = await openReceiver(await connect(), { source: 'broker.out1', credit_window: 10 });
    const got = collectMessages(r);
    await waitFor(() => got.length === 5, 'five messages', 10000);
    expect(got.map((c) => c.message!.body)).to.deep.equal(['q0', 'q1', 'q2', 'q3', 'q4']);
    // No router annotations on link-routed messages.
    expect(got[0].message!.message_annotations).to.equal(undefined);
    await broker.waitFor(() => broker.consumerOutcomes.filter((o) => o.address === 'broker.out1').length === 5, 'five outcomes at the broker');
    expect(broker.depth('broker.out1')).to.equal(0);
  });

  it('a 1 MB message crosses both hops to the broker and back to a receiver intact', async () => {
    const body = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32BE(i, i);
    const s = await openSender(await connect(), 'broker.big');
    await sendable(s);
    let accepted = false;
    s.on('accepted', () => { accepted = true; });
    s.send({ body });
    await waitFor(() => accepted, 'the big message accepted', 15000);
    const r = await openReceiver(await connect(), { source: 'broker.big', credit_window: 1 });
    const got = collectMessages(r);
    await waitFor(() => got.length === 1, 'the big message back', 15000);
    const received = (got[0].message!.body as { content?: Buffer }).content ?? got[0].message!.body;
    expect(Buffer.compare(received as Buffer, body)).to.equal(0);
  });

  it('a link route on R1 and R3 from the same client connection: sender and receiver of one name both routed', async () => {
    const c = await connect();
    const r = await openReceiver(c, { name: 'same', source: 'broker.same', credit_window: 5 } as Parameters<typeof openReceiver>[1]);
    const s = await openSender(c, { name: 'same', target: 'broker.same' } as Parameters<typeof openSender>[1]);
    await sendable(s);
    const got = collectMessages(r);
    s.send({ body: 'round trip' });
    await waitFor(() => got.length === 1, 'the message back through the broker', 10000);
    expect(got[0].message!.body).to.equal('round trip');
  });

  it('message routing is untouched beside link routes: an address outside the prefix is message-routed', async () => {
    const got: EventContext[] = collectMessages(await openReceiver(await connect(), 'plain.q'));
    const s = await openSender(await connect('R3'), 'plain.q');
    await sendable(s, 15000);
    s.send({ body: 'hi' });
    await waitFor(() => got.length === 1, 'the message-routed message', 10000);
    expect((got[0].message!.message_annotations as Record<string, unknown>)['x-opt-qd.ingress']).to.equal('0/R3');
  });
});
