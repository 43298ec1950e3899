// RabbitMQ 3.10 (Debian's rabbitmq-server, AMQP 1.0 plugin) with rhea as the client, before any
// router sits between them: how addresses map to queues, flow control, a restart with durable
// messages, and two nodes side by side. What RabbitMQ gets wrong is in rabbitmq-gaps.test.ts.
//
// Addresses, as measured here (targets are where messages go, sources where they come from):
//   NAME, /queue/NAME   one queue NAME, declared on attach (durable when the terminus durability is
//                       1 or 2, else not: a queue that exists with the other durability refuses the
//                       attach), published to through the default exchange
//   /amq/queue/NAME     an existing queue only, whatever its durability
//   /queue              target only: the message's subject names the queue (`to` is ignored)
//   /topic/KEY          amq.topic with routing key KEY; a source binds a private queue (* and #)
//   /exchange/X/KEY     exchange X with routing key KEY
// An unroutable message is accepted and dropped.

import { expect } from 'chai';
import type { Connection, EventContext, Message, Receiver, Sender } from 'rhea';
import { RabbitMq } from '../helpers/rabbitmq';
import { RABBITMQ_START_TIMEOUT_MS, sharedRabbitMq } from '../helpers/rabbitmq-shared';
import { closeConnection, collectMessages, openReceiver, openSender, refusal, rheaConnect, sendable } from '../helpers/rhea-client';
import { waitFor } from '../helpers/router-process';

/** Queue names of this run: the shared node lives as long as the mocha run, other files use it too. */
const RUN = `${process.pid}.${Date.now().toString(36)}`;
const q = (name: string): string => `rmq.${name}.${RUN}`;

type Outcome = 'accepted' | 'rejected' | 'released' | 'modified';

/** Sends each message once the sender has credit; resolves with their outcomes. */
async function sendAll(s: Sender, messages: Message[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const o of ['accepted', 'rejected', 'released', 'modified'] as const) s.on(o, () => { outcomes.push(o); });
  for (const m of messages) {
    await sendable(s);
    s.send(m);
  }
  await waitFor(() => outcomes.length === messages.length, `${messages.length} outcomes on ${s.target?.address}`);
  return outcomes;
}

const bodies = (got: EventContext[]): unknown[] => got.map((c) => c.message!.body);

describe('interop: RabbitMQ 3.10 with rhea', function () {
  this.timeout(20000);
  let rabbit: RabbitMq;
  let conns: Connection[];
  /** The node of its own boots beside the shared one: together they take less than in turn. */
  let ownStarting: Promise<RabbitMq> | undefined;

  before(async function () {
    this.timeout(RABBITMQ_START_TIMEOUT_MS);
    ownStarting = RabbitMq.start({ name: 'own' });
    ownStarting.catch(() => undefined); // reported by the hook that awaits it
    rabbit = await sharedRabbitMq();
  });

  after(async () => { await (await ownStarting?.catch(() => undefined))?.stop(); });

  beforeEach(() => { conns = []; });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(rabbit.logTail());
    for (const c of conns) await closeConnection(c).catch(() => undefined);
  });

  const connect = async (node = rabbit): Promise<Connection> => {
    const c = await rheaConnect(node.port);
    conns.push(c);
    return c;
  };

  /** Sends `bodies` to `address` on a connection of its own and returns the outcomes. */
  const send = async (address: string, messages: Message[], node = rabbit): Promise<Outcome[]> =>
    sendAll(await openSender(await connect(node), { target: { address } }), messages);

  /** Receives `count` messages from `address`, with credit for no more. */
  const receive = async (address: string, count: number, node = rabbit, durable = 0): Promise<unknown[]> => {
    const r = await openReceiver(await connect(node), { source: { address, durable }, credit_window: 0 });
    const got = collectMessages(r);
    r.add_credit(count);
    await waitFor(() => got.length >= count, `${count} messages from ${address}`);
    return bodies(got);
  };

  describe('addressing', () => {
    it('a plain name and /queue/NAME are one queue, declared on attach', async () => {
      expect(await send(q('plain'), [{ body: 'by plain name' }])).to.deep.equal(['accepted']);
      expect(await send(`/queue/${q('plain')}`, [{ body: 'by /queue/' }])).to.deep.equal(['accepted']);
      expect(await receive(`/queue/${q('plain')}`, 1)).to.deep.equal(['by plain name']);
      expect(await receive(q('plain'), 1)).to.deep.equal(['by /queue/']);
    });

    it('/amq/queue/NAME: an existing queue; a missing one refuses a source and drops what a target is sent', async () => {
      await send(`/queue/${q('amq')}`, [{ body: 'declared first' }]);
      expect(await receive(`/amq/queue/${q('amq')}`, 1)).to.deep.equal(['declared first']);
      const missing = `/amq/queue/${q('missing')}`;
      const r = (await connect()).open_receiver({ source: { address: missing } });
      expect(await refusal(r)).to.include({ by: 'end', opened: false, condition: 'amqp:not-found' });
      expect(await send(missing, [{ body: 'dropped' }]), 'unroutable, yet accepted').to.deep.equal(['accepted']);
    });

    it('terminus durability 1 or 2 declares a durable queue; attaching with another is amqp:precondition-failed', async () => {
      await openSender(await connect(), { target: { address: q('dur'), durable: 1 } });
      await openReceiver(await connect(), { source: { address: `/queue/${q('dur')}`, durable: 2 } });
      const plain = (await connect()).open_receiver({ source: { address: q('dur') } });
      const refused = await refusal(plain);
      expect(refused).to.include({ by: 'end', condition: 'amqp:precondition-failed' });
      expect(refused.description).to.match(/inequivalent arg 'durable'/);
      await openReceiver(await connect(), { source: { address: `/amq/queue/${q('dur')}` } }); // no declare, no check
    });

    it('/queue: the subject names the queue, `to` does not', async () => {
      await send(q('subj'), []);
      await send('/queue', [{ subject: q('subj'), body: 'by subject' }, { to: q('subj'), body: 'by to' }]);
      const r = await openReceiver(await connect(), { source: { address: q('subj') }, credit_window: 10 });
      const got = collectMessages(r);
      await waitFor(() => got.length === 1, 'the message routed by subject');
      await new Promise((res) => setTimeout(res, 200)); // the one routed by `to` was dropped
      expect(bodies(got)).to.deep.equal(['by subject']);
    });

    it('/topic/KEY: amq.topic; a /topic/PATTERN source binds a queue of its own', async () => {
      const c = await connect();
      const exact = collectMessages(await openReceiver(c, { source: { address: `/topic/${q('t')}.a` } }));
      const star = collectMessages(await openReceiver(c, { source: { address: `/topic/${q('t')}.*` } }));
      expect(await send(`/topic/${q('t')}.a`, [{ body: 'a' }])).to.deep.equal(['accepted']);
      expect(await send(`/topic/${q('t')}.b`, [{ body: 'b' }])).to.deep.equal(['accepted']);
      await waitFor(() => exact.length === 1 && star.length === 2, 'a to both, b to the pattern');
      expect(bodies(star)).to.have.members(['a', 'b']);
    });

    it('/exchange/X/KEY: exchange X; a missing exchange or any other slashed address is refused', async () => {
      expect(await send(`/exchange/amq.direct/${q('x')}`, [{ body: 'unbound' }])).to.deep.equal(['accepted']);
      const noExchange = (await connect()).open_sender({ target: { address: `/exchange/${q('nox')}/k` } });
      expect(await refusal(noExchange)).to.include({ by: 'end', condition: 'amqp:not-found' });
      const unknown = (await connect()).open_sender({ target: { address: 'a/b' } });
      const refused = await refusal(unknown);
      expect(refused).to.include({ by: 'end', condition: 'amqp:invalid-field' });
      expect(refused.description).to.match(/unknown_destination/);
    });
  });

  it('a receiver gets no more than its credit', async () => {
    await send(q('credit'), Array.from({ length: 10 }, (_, i) => ({ body: i })));
    const r: Receiver = await openReceiver(await connect(), { source: { address: q('credit') }, credit_window: 0 });
    const got = collectMessages(r);
    r.add_credit(3);
    await waitFor(() => got.length === 3, 'three messages');
    await new Promise((res) => setTimeout(res, 200));
    expect(got.length, 'nothing beyond the credit').to.equal(3);
    r.add_credit(2);
    await waitFor(() => got.length === 5, 'two more');
    expect(bodies(got)).to.deep.equal([0, 1, 2, 3, 4]);
  });

  describe('a node of its own', function () {
    let own: RabbitMq;

    before(async function () {
      this.timeout(RABBITMQ_START_TIMEOUT_MS);
      own = await ownStarting!;
    });

    afterEach(function () {
      if (this.currentTest?.state === 'failed') console.log(own.logTail());
    });

    it('runs beside the shared one: its own ports, node name and queues', async () => {
      expect(own.port).to.not.equal(rabbit.port);
      const a = await connect(rabbit);
      const b = await connect(own);
      const idOf = (c: Connection): string => (c as unknown as { remote: { open: { container_id: string } } }).remote.open.container_id;
      expect(idOf(a)).to.not.equal(idOf(b));
      await send(q('pair'), [{ body: 'on own' }], own);
      expect(await receive(q('pair'), 1, own)).to.deep.equal(['on own']);
      await send(q('pair'), [{ body: 'on shared' }], rabbit);
      expect(await receive(q('pair'), 1, rabbit)).to.deep.equal(['on shared']);
    });

    it('stopped and restarted on the same port: durable messages of a durable queue are back', async function () {
      this.timeout(RABBITMQ_START_TIMEOUT_MS);
      // Terminus durability 1 (configuration) declares a durable queue; 0 a transient one.
      const durable = await openSender(await connect(own), { target: { address: q('durable'), durable: 1 } });
      const messages = [{ body: 'kept 1', durable: true }, { body: 'lost', durable: false }, { body: 'kept 2', durable: true }, { body: 'kept 3', durable: true }];
      expect(await sendAll(durable, messages)).to.deep.equal(['accepted', 'accepted', 'accepted', 'accepted']);
      await send(q('transient'), [{ body: 'queue lost', durable: true }], own);
      const port = own.port;
      for (const c of conns.splice(0)) c.close(); // the stop would drop them anyway
      await own.restart({ clean: true });
      expect(own.port).to.equal(port);
      expect(await receive(q('durable'), 2, own, 1)).to.deep.equal(['kept 1', 'kept 2']);
      const gone = (await connect(own)).open_receiver({ source: { address: `/amq/queue/${q('transient')}` } });
      expect(await refusal(gone), 'the transient queue did not survive').to.include({ by: 'end', condition: 'amqp:not-found' });
    });

    it('killed (SIGKILL) and restarted on the same port: back, with what was on disk before', async function () {
      this.timeout(RABBITMQ_START_TIMEOUT_MS);
      const port = own.port;
      await own.restart(); // the clean stop before wrote the durable queue and its last message
      expect(own.port).to.equal(port);
      // Acceptances just before a kill may not be on disk yet: those messages come again.
      const r = await openReceiver(await connect(own), { source: { address: `/amq/queue/${q('durable')}` }, credit_window: 10 });
      const got = collectMessages(r);
      await waitFor(() => bodies(got).includes('kept 3'), 'kept 3 back');
      expect(['kept 1,kept 2,kept 3', 'kept 2,kept 3', 'kept 3']).to.include(bodies(got).join(','));
    });
  });
});
