// Link routes across the mesh (reference §6.1) with the rhea test broker behind a route-container
// connector on R3, the client on R1 two hops away:
//
//   client ── R1 ── R2 ── R3 ══ broker
//
// The client's links reach the broker's queues as if attached to it: what it sends lands in
// the queue (outcomes come back from the broker), what it receives comes from the queue; drain,
// refusals and transactions (a $coordinator link route) are the broker's; killing the broker
// detaches the client's links with qd:routed-link-lost.

import type { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { Connection, EventContext } from 'rhea';
import { Mesh, meshOutput, stopMesh } from '../helpers/mesh';
import { BrokerOutcome, RheaBroker } from '../helpers/rhea-broker';
import { TxnController, sendInTxn, settleInTxn } from '../helpers/rhea-txn-client';
import { brokerConnector, linkRoutes, startLine, waitForLinkRoute } from '../helpers/link-route-line';
import { closeConnection, collectMessages, nextEvent, openReceiver, openSender, recordFlows, refusal, rheaConnect, sendable } from '../helpers/rhea-client';
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
      outcome: (_address, m) => (['reject', 'release', 'modify', 'hold'].includes(m.subject ?? '') ? m.subject as BrokerOutcome : 'accept'),
      refuse: (address) => (address.startsWith('broker.refuse') ? { condition: 'amqp:not-found', description: 'no such queue' } : undefined),
    });
    const coordinator = 'linkRoute {\n    prefix: $coordinator\n    direction: in\n    connection: broker\n}\n';
    mesh = await startLine({ r3: brokerConnector(broker.port) + linkRoutes({ prefix: 'broker.' }) + coordinator });
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
  it('drain across both hops against the broker: what the queue holds, then drained with the delivery-count advanced', async () => {
    const producer = await openSender(await connect(), 'broker.drain');
    await sendable(producer);
    producer.send({ body: 'd0' });
    producer.send({ body: 'd1' });
    await broker.waitFor(() => broker.depth('broker.drain') === 2, 'two queued');
    const r = await openReceiver(await connect(), { source: 'broker.drain', credit_window: 0 });
    const flows = recordFlows(r);
    const got = collectMessages(r);
    const drained = nextEvent(r as unknown as EventEmitter, 'receiver_drained', 'the drained flow', 10000);
    r.add_credit(5);
    r.drain_credit();
    await drained;
    expect(got.map((g) => g.message!.body)).to.deep.equal(['d0', 'd1']);
    expect(flows.at(-1)).to.include({ drain: true, link_credit: 0, delivery_count: 5 });
  });

  it('the broker refusing an attach: the client gets the broker\'s error', async () => {
    const refused = await refusal((await connect()).open_sender('broker.refuse.me'));
    expect(refused).to.include({ by: 'detach', condition: 'amqp:not-found', description: 'no such queue' });
  });

  it('transactions from a rhea client through the $coordinator link route: sends and an acceptance held until commit; a rollback drops them', async () => {
    const c = await connect();
    const txn = await TxnController.open(c);
    const s = await openSender(c, 'broker.txq');
    await sendable(s);
    const id = await txn.declare();
    sendInTxn(s, { body: 't1' }, id);
    sendInTxn(s, { body: 't2' }, id);
    await broker.waitFor(() => broker.received.filter((m) => m.address === 'broker.txq').length === 2, 'both sends at the broker');
    expect(broker.depth('broker.txq')).to.equal(0); // held by the transaction
    await txn.commit(id);
    await broker.waitFor(() => broker.depth('broker.txq') === 2, 'both queued at commit');

    const undo = await txn.declare();
    sendInTxn(s, { body: 'never' }, undo);
    await broker.waitFor(() => broker.received.some((m) => m.message.body === 'never'), 'the rolled-back send at the broker');
    await txn.rollback(undo);
    expect(broker.depth('broker.txq')).to.equal(2);

    const r = await openReceiver(c, { source: 'broker.txq', credit_window: 1, autoaccept: false });
    const got = collectMessages(r);
    await waitFor(() => got.length >= 1, 'a message', 10000);
    const consume = await txn.declare();
    settleInTxn(got[0].delivery!, consume);
    // rhea writes a discharge before a disposition of the same turn: commit once the broker holds the acceptance.
    await broker.waitFor(() => broker.openTransactions.some((t) => t.acceptances === 1), 'the acceptance held in the transaction');
    await txn.commit(consume);
    await broker.waitFor(() => broker.consumerOutcomes.some((o) => o.address === 'broker.txq' && o.outcome === 'accepted'), 'the acceptance applied at commit');
    expect(broker.transactions.map((t) => [t.outcome, t.sends, t.acceptances])).to.deep.equal([['commit', 2, 0], ['rollback', 1, 0], ['commit', 0, 1]]);
  });

  it('the broker killed with deliveries held: they come back modified (delivery-failed), the links get qd:routed-link-lost; the route returns with the broker', async () => {
    const c = await connect();
    const s = await openSender(c, { target: 'broker.held', treat_modified_as_released: false } as Parameters<typeof openSender>[1]);
    await sendable(s);
    const modified: EventContext[] = [];
    s.on('modified', (ctx: EventContext) => modified.push(ctx));
    s.on('sender_error', () => undefined);
    s.send({ subject: 'hold', body: 'h1' });
    s.send({ subject: 'hold', body: 'h2' });
    await broker.waitFor(() => broker.received.filter((m) => m.address === 'broker.held').length === 2, 'two held');
    const lost = nextEvent(s as unknown as EventEmitter, 'sender_close', 'the detach', 10000);
    await broker.kill();
    const ctx = await lost;
    expect((ctx.sender as unknown as { error: { condition: string } }).error.condition).to.equal('qd:routed-link-lost');
    expect(modified.map((m) => (m.delivery!.remote_state as { delivery_failed?: boolean }).delivery_failed)).to.deep.equal([true, true]);
    await broker.restart();
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'broker.back');
  });
});
