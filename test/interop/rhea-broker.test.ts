// The rhea test broker (test/helpers/rhea-broker.ts) against rhea clients: what it does that
// RabbitMQ 3.10 does not (drain, modified, dynamic sources, transactions, browsing, refusals the
// spec's way) and its abrupt stop and restart. Link-route tests rely on each of these.
// broker.waitFor wakes on broker events; what only a client sees is polled with waitFor.

import { expect } from 'chai';
import type { Connection, EventContext, Receiver, Sender } from 'rhea';
import { RheaBroker } from '../helpers/rhea-broker';
import { closeConnection, collectMessages, nextEvent, openReceiver, openSender, recordFlows, refusal, rheaConnect, sendable } from '../helpers/rhea-client';
import { TxnController, TxnError, sendInTxn, settleInTxn } from '../helpers/rhea-txn-client';
import { waitFor } from '../helpers/router-process';
import { ClientGroup } from '../helpers/spawn-client';

describe('interop: the rhea test broker', function () {
  this.timeout(10000);
  let broker: RheaBroker;
  let conns: Connection[];

  beforeEach(async () => {
    conns = [];
    broker = await RheaBroker.start({ containerId: 'test-broker-1', requeue: true });
  });

  afterEach(async () => {
    for (const c of conns) await closeConnection(c).catch(() => undefined);
    await broker.close();
  });

  const connect = async (): Promise<Connection> => {
    const c = await rheaConnect(broker.port);
    conns.push(c);
    return c;
  };

  /** Queues `bodies` on `address`, each accepted. */
  const fill = async (address: string, bodies: unknown[]): Promise<void> => {
    const s = await openSender(await connect(), { target: { address } });
    for (const body of bodies) {
      await sendable(s);
      s.send({ body });
    }
    await broker.waitFor(() => broker.depth(address) >= bodies.length, `${bodies.length} queued on ${address}`);
  };

  const bodiesOf = (got: EventContext[]): unknown[] => got.map((c) => c.message!.body);
  const linkCounts = (r: Receiver): { credit: number; deliveryCount: number } => {
    const l = r as unknown as { credit: number; delivery_count: number };
    return { credit: l.credit, deliveryCount: l.delivery_count };
  };

  it('announces the container-id it was given and echoes the terminus', async () => {
    const c = await connect();
    expect((c as unknown as { remote: { open: { container_id: string } } }).remote.open.container_id).to.equal('test-broker-1');
    const r = await openReceiver(c, { source: { address: 'echo', durable: 2 } });
    expect(r.source).to.include({ address: 'echo', durable: 2 });
  });

  it('refuses the spec\'s way: an attach, then a detach with amqp:not-found, for refuse.* addresses', async () => {
    const c = await connect();
    const r = c.open_receiver({ source: { address: 'refuse.me' } });
    expect(await refusal(r)).to.deep.equal({ by: 'detach', opened: true, condition: 'amqp:not-found', description: 'no such queue' });
    const s = c.open_sender({ target: { address: 'refuse.me.too' } });
    expect(await refusal(s)).to.include({ by: 'detach', condition: 'amqp:not-found' });
    expect(broker.refused.map((x) => x.role)).to.deep.equal(['sender', 'receiver']);
    await openReceiver(c, { source: { address: 'still.fine' } }); // the session lives on
  });

  it('drain on an empty queue: a flow with drain, delivery-count advanced by the credit, credit 0', async () => {
    const r = await openReceiver(await connect(), { source: { address: 'drain.empty' }, credit_window: 0 });
    r.add_credit(5);
    r.drain_credit();
    await nextEvent(r, 'receiver_drained', 'drained');
    expect(linkCounts(r)).to.deep.equal({ credit: 0, deliveryCount: 5 });
  });

  it('drain with fewer messages than credit: the messages, then the rest of the credit drained', async () => {
    await fill('drain.two', ['a', 'b']);
    const r = await openReceiver(await connect(), { source: { address: 'drain.two' }, credit_window: 0 });
    const got = collectMessages(r);
    const flows = recordFlows(r);
    r.add_credit(5);
    r.drain_credit();
    await nextEvent(r, 'receiver_drained', 'drained');
    expect(bodiesOf(got)).to.deep.equal(['a', 'b']);
    expect(flows.filter((f) => f.drain).map((f) => [f.delivery_count, f.link_credit])).to.deep.equal([[5, 0]]);
  });

  it('modified and released from a consumer: requeued, delivery-count raised when delivery-failed', async () => {
    await fill('mod', ['m']);
    const r = await openReceiver(await connect(), { source: { address: 'mod' }, credit_window: 1, autoaccept: false });
    const first: EventContext = await nextEvent(r, 'message', 'first');
    first.delivery!.modified({ delivery_failed: true });
    const second: EventContext = await nextEvent(r, 'message', 'redelivery');
    expect(second.message!.delivery_count).to.equal(1);
    second.delivery!.release();
    const third: EventContext = await nextEvent(r, 'message', 'after release');
    expect(third.message!.delivery_count, 'released: not a failure').to.equal(1);
    third.delivery!.accept();
    await broker.waitFor(() => broker.consumerOutcomes.length === 3, 'three outcomes');
    expect(broker.consumerOutcomes.map((o) => o.outcome)).to.deep.equal(['modified', 'released', 'accepted']);
  });

  it('what a consumer leaves unsettled goes back to the queue when it goes', async () => {
    await fill('abandoned', [1, 2]);
    const c = await connect();
    const r = await openReceiver(c, { source: { address: 'abandoned' }, credit_window: 2, autoaccept: false });
    const got = collectMessages(r);
    await waitFor(() => got.length === 2 && broker.depth('abandoned') === 0, 'both given');
    await closeConnection(c);
    await broker.waitFor(() => broker.depth('abandoned') === 2, 'both back');
    const again = collectMessages(await openReceiver(await connect(), { source: { address: 'abandoned' } }));
    await waitFor(() => again.length === 2, 'given again');
    expect(bodiesOf(again), 'in their order').to.deep.equal([1, 2]);
  });

  it('a dynamic source: a temporary queue others can send to, gone with its receiver', async () => {
    const c = await connect();
    const r = await openReceiver(c, { source: { dynamic: true } as never, credit_window: 0 });
    const address = r.source!.address;
    expect(address).to.match(/^dynamic-/);
    await fill(address, ['for the temp queue']);
    r.close();
    await broker.waitFor(() => broker.receiverCount(address) === 0 && broker.depth(address) === 0, 'the temporary queue gone');
  });

  it('browsing (distribution-mode copy): every message seen, none taken', async () => {
    await fill('browse', ['x', 'y']);
    const browser = await openReceiver(await connect(), { source: { address: 'browse', distribution_mode: 'copy' } });
    expect(browser.source).to.include({ distribution_mode: 'copy' });
    const seen = collectMessages(browser);
    await waitFor(() => seen.length === 2, 'both browsed');
    expect(broker.depth('browse')).to.equal(2);
    const taken = collectMessages(await openReceiver(await connect(), { source: { address: 'browse' } }));
    await waitFor(() => taken.length === 2 && broker.consumerOutcomes.length === 2, 'then both taken');
    expect(bodiesOf(seen)).to.deep.equal(['x', 'y']);
    expect(broker.consumerOutcomes.map((o) => o.outcome), 'a browser settles nothing').to.deep.equal(['accepted', 'accepted']);
  });

  describe('transactions', () => {
    let txn: TxnController;
    let sender: Sender;

    beforeEach(async () => {
      const c = await connect();
      txn = await TxnController.open(c);
      sender = await openSender(c, { target: { address: 'txq' } });
      await sendable(sender);
    });

    it('sends are queued at commit, dropped at rollback', async () => {
      const kept = await txn.declare();
      const dropped = await txn.declare();
      expect(kept.equals(dropped)).to.equal(false);
      sendInTxn(sender, { body: 'kept' }, kept);
      sendInTxn(sender, { body: 'dropped' }, dropped);
      await broker.waitFor(() => broker.openTransactions.every((t) => t.sends === 1), 'both held');
      expect(broker.depth('txq'), 'nothing before the discharge').to.equal(0);
      await txn.rollback(dropped);
      await txn.commit(kept);
      expect(broker.depth('txq')).to.equal(1);
      expect(broker.transactions.map((t) => [t.outcome, t.sends])).to.deep.equal([['rollback', 1], ['commit', 1]]);
    });

    it('acceptances are applied at commit; a rollback puts the messages back', async () => {
      await fill('txq', ['one', 'two']);
      const r = await openReceiver(await connect(), { source: { address: 'txq' }, credit_window: 2, autoaccept: false });
      const got = collectMessages(r);
      await waitFor(() => got.length === 2, 'both given');
      const undone = await txn.declare();
      settleInTxn(got[0].delivery!, undone);
      await broker.waitFor(() => broker.openTransactions[0]?.acceptances === 1, 'the acceptance held');
      expect(broker.consumerOutcomes, 'nothing applied yet').to.deep.equal([]);
      await txn.rollback(undone);
      await waitFor(() => got.length === 3, 'the first back, redelivered');
      const done = await txn.declare();
      settleInTxn(got[1].delivery!, done);
      settleInTxn(got[2].delivery!, done);
      expect(broker.consumerOutcomes).to.deep.equal([]);
      await txn.commit(done);
      expect(broker.consumerOutcomes.map((o) => o.outcome)).to.deep.equal(['accepted', 'accepted']);
      expect(bodiesOf(got)).to.deep.equal(['one', 'two', 'one']);
    });

    it('Proton Python\'s own controller: a send committed, another rolled back, acceptances committed', async () => {
      const clients = new ClientGroup();
      const txnClient = (...args: Array<string | number>) => clients.python('txn_client.py', ['--url', broker.url, '--address', 'ptx', '--timeout', 8, ...args]);
      try {
        await txnClient('--send', 2).succeed();
        const undone = txnClient('--send', 1, '--rollback');
        await undone.succeed();
        expect(undone.eventsOf('rolled_back')).to.have.length(1);
        expect(broker.depth('ptx')).to.equal(2);
        const receiver = txnClient('--receive', 2);
        await receiver.succeed();
        expect(receiver.eventsOf('message').map((e) => e.body)).to.deep.equal(['txn-0', 'txn-1']);
        expect(broker.transactions.map((t) => [t.outcome, t.sends, t.acceptances])).to.deep.equal([['commit', 2, 0], ['rollback', 1, 0], ['commit', 0, 2]]);
        expect(broker.consumerOutcomes.map((o) => o.outcome)).to.deep.equal(['accepted', 'accepted']);
      } catch (err) {
        console.log(clients.output());
        throw err;
      } finally {
        await clients.killAll();
      }
    });

    it('an unknown transaction is amqp:transaction:unknown-id; losing the coordinator rolls back', async () => {
      const error = await txn.commit(Buffer.from('nope')).then(() => undefined, (e: TxnError) => e);
      expect(error?.condition).to.equal('amqp:transaction:unknown-id');
      const open = await txn.declare();
      sendInTxn(sender, { body: 'orphan' }, open);
      await broker.waitFor(() => broker.received.length === 1, 'sent');
      txn.link.close();
      await broker.waitFor(() => broker.transactions.length === 1, 'rolled back');
      expect(broker.transactions[0]).to.include({ outcome: 'rollback', cause: 'link lost', sends: 1 });
      expect(broker.depth('txq')).to.equal(0);
    });
  });

  it('kill: sockets destroyed mid-stream with no close; restart: the same port, the queues kept', async () => {
    await fill('survives', ['before']);
    const c = await connect();
    const s = await openSender(c, { target: { address: 'stream' } });
    const closed = nextEvent(c, 'connection_close', 'a close frame', 3000).then(() => true, () => false);
    const dropped = nextEvent(c, 'disconnected', 'the drop');
    let sent = 0;
    const stream = setInterval(() => { while (s.sendable()) s.send({ body: Buffer.alloc(4096, sent++) }); }, 1);
    await broker.waitFor(() => broker.received.length > 10, 'the stream under way');
    await broker.kill();
    await dropped;
    clearInterval(stream);
    expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r(false), 50))]), 'no close frame').to.equal(false);
    const port = broker.port;
    await broker.restart();
    expect(broker.port).to.equal(port);
    const r = await openReceiver(await connect(), { source: { address: 'survives' } });
    expect((await nextEvent(r, 'message', 'the message queued before')).message!.body).to.equal('before');
  });

  it('the hold outcome leaves a delivery unsettled, for a kill while it is in flight', async () => {
    await broker.close();
    broker = await RheaBroker.start({ outcome: () => 'hold' });
    const c = await connect();
    const s = await openSender(c, { target: { address: 'held' } });
    await sendable(s);
    const d = s.send({ body: 'in flight' });
    await broker.waitFor(() => broker.received.length === 1, 'received');
    const dropped = nextEvent(c, 'disconnected', 'the drop');
    await broker.kill();
    await dropped;
    expect(d.remote_settled).to.equal(false);
    expect(d.remote_state).to.equal(undefined);
  });
});
