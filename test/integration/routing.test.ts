// Brokerless routing on one real weftd: anycast (balanced, closest), multicast, request/response
// through dynamic reply addresses, anonymous relay, outcomes end to end, credit that follows
// consumers, and what happens to deliveries when a consumer goes away.

import { expect } from 'chai';
import type { Connection, EventContext, Receiver, Sender } from 'rhea';
import { RouterProcess, startRouter, standaloneConf, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';

const ADDRESSES = `
address {
    prefix: closest
    distribution: closest
}
address {
    prefix: multicast
    distribution: multicast
}
address {
    prefix: nowhere
    distribution: unavailable
}
`;

interface Outcomes { accepted: number; rejected: EventContext[]; released: number; modified: EventContext[] }

function trackOutcomes(s: Sender): Outcomes {
  const o: Outcomes = { accepted: 0, rejected: [], released: 0, modified: [] };
  s.on('accepted', () => { o.accepted++; });
  s.on('rejected', (ctx: EventContext) => { o.rejected.push(ctx); });
  s.on('released', (ctx: EventContext) => {
    // rhea raises `released` for a modified outcome too: count that one as modified only.
    const state = ctx.delivery?.remote_state as { delivery_failed?: boolean; undeliverable_here?: boolean } | undefined;
    if (state?.delivery_failed === undefined && state?.undeliverable_here === undefined) o.released++;
  });
  s.on('modified', (ctx: EventContext) => { o.modified.push(ctx); });
  return o;
}

describe('routing on a standalone router', function () {
  this.timeout(20000);
  let router: RouterProcess;
  const conns: Connection[] = [];

  async function connect(): Promise<Connection> {
    const c = await rheaConnect(router.port);
    conns.push(c);
    return c;
  }

  before(async () => { router = await startRouter(standaloneConf(ADDRESSES)); });
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') console.log(router.output());
  });
  after(async () => { await router.stop(); });

  it('anycast (balanced): each message goes to exactly one of two consumers, and both get some', async () => {
    const c = await connect();
    const r1 = await openReceiver(c, { source: 'queue.a', credit_window: 10 });
    const r2 = await openReceiver(c, { source: 'queue.a', credit_window: 10 });
    const got1 = collectMessages(r1);
    const got2 = collectMessages(r2);
    const s = await openSender(c, 'queue.a');
    const outcomes = trackOutcomes(s);
    await sendable(s);
    for (let i = 0; i < 200; i++) s.send({ body: `m${i}` });
    await waitFor(() => outcomes.accepted === 200, '200 accepted');
    const bodies = [...got1, ...got2].map((x) => x.message!.body).sort();
    expect(bodies).to.have.length(200);
    expect(new Set(bodies).size).to.equal(200);
    expect(got1.length).to.be.greaterThan(0);
    expect(got2.length).to.be.greaterThan(0);
  });

  it('closest: consumers share the messages round-robin', async () => {
    const c = await connect();
    const r1 = await openReceiver(c, { source: 'closest.x', credit_window: 100 });
    const r2 = await openReceiver(c, { source: 'closest.x', credit_window: 100 });
    const got1 = collectMessages(r1);
    const got2 = collectMessages(r2);
    const s = await openSender(c, 'closest.x');
    await sendable(s);
    for (let i = 0; i < 20; i++) s.send({ body: i });
    await waitFor(() => got1.length + got2.length === 20, '20 messages');
    expect(got1.length).to.equal(10);
    expect(got2.length).to.equal(10);
  });

  it('multicast: every consumer attached at send time gets a copy; a later one gets none of them', async () => {
    const c = await connect();
    const receivers = await Promise.all([1, 2, 3].map(() => openReceiver(c, 'multicast.news')));
    const got = receivers.map(collectMessages);
    const s = await openSender(c, 'multicast.news');
    const outcomes = trackOutcomes(s);
    await sendable(s);
    for (let i = 0; i < 10; i++) s.send({ body: `n${i}` });
    await waitFor(() => outcomes.accepted === 10, '10 accepted');
    for (const g of got) expect(g.map((x) => x.message!.body)).to.deep.equal([...Array(10).keys()].map((i) => `n${i}`));
    const late = await openReceiver(c, 'multicast.news');
    const lateGot = collectMessages(late);
    s.send({ body: 'after' });
    await waitFor(() => lateGot.length === 1, 'the late consumer gets the next message');
    expect(lateGot[0].message!.body).to.equal('after');
  });

  it('multicast: the sender sees the worst outcome of the copies (rejected beats accepted)', async () => {
    const c = await connect();
    await openReceiver(c, 'multicast.votes');
    // On its own connection: rhea merges the outcomes of one pass of settlements (DESIGN.md §1).
    const refuser = await openReceiver(await connect(), { source: 'multicast.votes', autoaccept: false });
    refuser.on('message', (ctx: EventContext) => ctx.delivery!.reject({ condition: 'test:no', description: 'refused' }));
    const s = await openSender(c, 'multicast.votes');
    const outcomes = trackOutcomes(s);
    await sendable(s);
    s.send({ body: 'vote' });
    await waitFor(() => outcomes.rejected.length === 1, 'rejected');
    expect(outcomes.accepted).to.equal(0);
  });

  it('request/response through a dynamic reply address', async () => {
    const c = await connect();
    const service = await openReceiver(c, 'service.upper');
    const replies = await openSender(c, { target: {} });
    service.on('message', (ctx: EventContext) => {
      replies.send({ to: ctx.message!.reply_to, correlation_id: ctx.message!.correlation_id, body: String(ctx.message!.body).toUpperCase() });
    });
    const client = await connect();
    const replyReceiver = await openReceiver(client, { source: { dynamic: true } as unknown as string });
    const replyTo = replyReceiver.source.address;
    expect(replyTo).to.match(/^amqp:\/_topo\/0\/TestRouter\/temp\.[A-Za-z0-9+_]{15}$/);
    const answers = collectMessages(replyReceiver);
    const requests = await openSender(client, 'service.upper');
    await sendable(requests);
    requests.send({ reply_to: replyTo, correlation_id: 'c1', body: 'hello' });
    await waitFor(() => answers.length === 1, 'the reply');
    expect(answers[0].message!.body).to.equal('HELLO');
    expect(answers[0].message!.correlation_id).to.equal('c1');
  });

  it('anonymous relay: a sender with no target routes each message by its to', async () => {
    const c = await connect();
    const ra = collectMessages(await openReceiver(c, 'relay.a'));
    const rb = collectMessages(await openReceiver(c, 'relay.b'));
    const s = await openSender(c, { target: {} });
    const outcomes = trackOutcomes(s);
    await sendable(s);
    s.send({ to: 'relay.a', body: 1 });
    s.send({ to: 'relay.b', body: 2 });
    s.send({ to: 'relay.nobody', body: 3 });
    s.send({ body: 4 });
    await waitFor(() => outcomes.accepted === 2 && outcomes.released === 1 && outcomes.rejected.length === 1, 'outcomes');
    expect(ra.map((x) => x.message!.body)).to.deep.equal([1]);
    expect(rb.map((x) => x.message!.body)).to.deep.equal([2]);
  });

  it('relays the consumer outcome: rejected with its error, released, modified with its fields', async () => {
    const c = await connect();
    const r = await openReceiver(c, { source: 'outcome.q', autoaccept: false });
    r.on('message', (ctx: EventContext) => {
      const kind = ctx.message!.body;
      if (kind === 'reject') ctx.delivery!.reject({ condition: 'amqp:not-allowed', description: 'no thanks' });
      else if (kind === 'release') ctx.delivery!.release();
      else if (kind === 'modify') ctx.delivery!.modified({ delivery_failed: true, undeliverable_here: true });
      else ctx.delivery!.accept();
    });
    const s = await openSender(c, 'outcome.q');
    const o = trackOutcomes(s);
    await sendable(s);
    // One at a time: rhea merges the outcomes of settlements made in one pass (DESIGN.md §1).
    const settled = () => o.accepted + o.rejected.length + o.released + o.modified.length;
    for (const kind of ['accept', 'reject', 'release', 'modify']) {
      const before = settled();
      s.send({ body: kind });
      await waitFor(() => settled() === before + 1, `the outcome of ${kind}`);
    }
    expect([o.accepted, o.rejected.length, o.released, o.modified.length]).to.deep.equal([1, 1, 1, 1]);
    const rejectedState = o.rejected[0].delivery!.remote_state as { error?: { condition: string; description: string } };
    expect(rejectedState.error?.condition).to.equal('amqp:not-allowed');
    expect(rejectedState.error?.description).to.equal('no thanks');
    const modifiedState = o.modified[0].delivery!.remote_state as { undeliverable_here?: boolean };
    expect(modifiedState.undeliverable_here).to.equal(true);
  });

  it('presettled messages all arrive', async () => {
    const c = await connect();
    const got = collectMessages(await openReceiver(c, { source: 'pre.q', credit_window: 50 }));
    const s = await openSender(c, { target: 'pre.q', snd_settle_mode: 1 });
    await sendable(s);
    let sent = 0;
    const pump = () => { while (sent < 1000 && s.sendable()) s.send({ body: sent++ }); };
    s.on('sendable', pump);
    pump();
    await waitFor(() => got.length === 1000, '1000 presettled messages', 10000);
    expect(got.map((x) => x.message!.body)).to.deep.equal([...Array(1000).keys()]);
  });

  it('a sender gets credit only while its address has a consumer', async () => {
    const c = await connect();
    const s = await openSender(c, 'lonely.q');
    await new Promise((r) => setTimeout(r, 200)); // nothing would give credit; give it a chance to go wrong
    expect(s.sendable()).to.equal(false);
    const r = await openReceiver(c, 'lonely.q');
    await sendable(s);
    const got = collectMessages(r);
    s.send({ body: 'now' });
    await waitFor(() => got.length === 1, 'the message');
  });

  it('a stalled consumer throttles the sender at the link capacity', async () => {
    const c = await connect();
    // A consumer that grants 5 credits and never more.
    const r = await openReceiver(c, { source: 'slow.q', credit_window: 0, autoaccept: false });
    r.add_credit(5);
    const got = collectMessages(r);
    const s = await openSender(c, 'slow.q');
    await sendable(s);
    let sent = 0;
    const pump = () => { while (s.sendable()) { s.send({ body: sent++ }); } };
    s.on('sendable', pump);
    pump();
    await waitFor(() => got.length === 5, 'the 5 credited messages');
    await new Promise((res) => setTimeout(res, 300));
    // The most the router ever let the sender send (rhea queues the rest itself): the 5 the
    // consumer took plus one link capacity (250) held in the router.
    const link = s as unknown as { delivery_count: number; credit: number };
    expect(link.delivery_count + link.credit).to.be.at.most(5 + 250);
    expect(sent).to.be.greaterThan(255);
    expect(got).to.have.length(5);
  });

  it('a consumer that goes away: its unsettled deliveries come back modified, the queued ones go to another consumer', async () => {
    const c1 = await connect();
    const leaving = await openReceiver(c1, { source: 'handover.q', credit_window: 0, autoaccept: false });
    leaving.add_credit(3);
    const leavingGot = collectMessages(leaving);
    const c2 = await connect();
    const s = await openSender(c2, 'handover.q');
    const o = trackOutcomes(s);
    await sendable(s);
    for (let i = 0; i < 10; i++) s.send({ body: i });
    await waitFor(() => leavingGot.length === 3, '3 messages at the first consumer');
    const staying = collectMessages(await openReceiver(c2, 'handover.q'));
    await closeConnection(c1);
    await waitFor(() => o.modified.length === 3 && o.accepted === 7, '3 modified, 7 accepted');
    expect(staying.map((x) => x.message!.body).sort((a, b) => a - b)).to.deep.equal([3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses attaches to an unavailable address with amqp:not-found', async () => {
    const c = await connect();
    const r = c.open_receiver('nowhere.x');
    const err = await new Promise<unknown>((resolve) => r.on('receiver_close', (ctx: EventContext) => resolve(ctx.receiver!.error)));
    expect((err as { condition: string }).condition).to.equal('amqp:not-found');
  });

  it('releases an unsettled message whose address has no consumer left', async () => {
    const c = await connect();
    const r = await openReceiver(c, 'gone.q');
    const s = await openSender(c, { target: {} });
    const o = trackOutcomes(s);
    await sendable(s);
    await new Promise<void>((resolve) => { r.once('receiver_close', () => resolve()); r.close(); });
    s.send({ to: 'gone.q', body: 'x' });
    await waitFor(() => o.released === 1, 'released');
  });

  it('keeps message annotations, application properties and subject intact', async () => {
    const c = await connect();
    const got = collectMessages(await openReceiver(c, 'intact.q'));
    const s = await openSender(c, 'intact.q');
    await sendable(s);
    s.send({ subject: 'subj', application_properties: { k: 'v', n: 7 }, message_annotations: { 'x-opt-user': 'keep' }, body: 'b' });
    await waitFor(() => got.length === 1, 'the message');
    const m = got[0].message!;
    expect(m.subject).to.equal('subj');
    expect(m.application_properties).to.deep.equal({ k: 'v', n: 7 });
    expect(m.message_annotations).to.deep.equal({ 'x-opt-user': 'keep' });
  });

  it('strips router annotations toward normal clients, keeping user annotations', async () => {
    const c = await connect();
    const got = collectMessages(await openReceiver(c, 'strip.q'));
    const s = await openSender(c, 'strip.q');
    await sendable(s);
    s.send({ message_annotations: { 'x-opt-user': 1, 'x-opt-qd.trace': ['0/Elsewhere'] }, body: 'b' });
    await waitFor(() => got.length === 1, 'the message');
    expect(got[0].message!.message_annotations).to.deep.equal({ 'x-opt-user': 1 });
  });

  it('streams a 10 MB message through (multi-frame) intact', async () => {
    const c = await connect();
    const got = collectMessages(await openReceiver(c, 'big.q'));
    const s = await openSender(c, 'big.q');
    const o = trackOutcomes(s);
    await sendable(s);
    const body = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
    s.send({ body });
    await waitFor(() => o.accepted === 1, 'accepted', 15000);
    const received = (got[0].message!.body as { content?: Buffer }).content ?? got[0].message!.body;
    expect(Buffer.compare(received as Buffer, body)).to.equal(0);
  });
});

describe('routing with annotations kept (stripAnnotations: no)', function () {
  this.timeout(10000);
  let router: RouterProcess;
  before(async () => { router = await startRouter(standaloneConf('', '    stripAnnotations: no\n')); });
  after(async () => { await router.stop(); });

  it('adds ingress and trace with this router as 0/<id>', async () => {
    const c = await rheaConnect(router.port);
    const got = collectMessages(await openReceiver(c, 'anno.q'));
    const s = await openSender(c, 'anno.q');
    await sendable(s);
    s.send({ message_annotations: { 'x-opt-user': 'u' }, body: 'b' });
    await waitFor(() => got.length === 1, 'the message');
    const ma = got[0].message!.message_annotations as Record<string, unknown>;
    expect(Object.keys(ma)).to.deep.equal(['x-opt-user', 'x-opt-qd.to', 'x-opt-qd.ingress', 'x-opt-qd.trace']);
    expect(ma['x-opt-qd.ingress']).to.equal('0/TestRouter');
    expect(ma['x-opt-qd.trace']).to.deep.equal(['0/TestRouter']);
    await closeConnection(c);
  });
});

export type { Receiver };
