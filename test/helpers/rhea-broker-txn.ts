// The test broker's transaction coordinator (spec part 4), small but whole: a declare gives a
// transaction id; sends in the transaction are held and queued at commit; acceptances (any
// outcome) are held and applied at commit; a rollback drops the sends and puts the messages
// whose acceptance it undoes back at the head of their queues. Transactions whose coordinator
// link or connection goes are rolled back.

import type { Delivery, Message, Receiver } from 'rhea';
import type { BrokerQueues, ConsumerOutcome } from './rhea-broker-queues';
import { TransactionalState, declaredState, readTxnBody, transactionalState } from './rhea-txn-types';

export interface TxnRecord {
  txnId: string;
  outcome: 'commit' | 'rollback';
  /** `discharge`, or `link lost` when the coordinator link or its connection went first. */
  cause: 'discharge' | 'link lost';
  sends: number;
  acceptances: number;
}

interface Txn {
  id: Buffer;
  link: Receiver;
  sends: { address: string; message: Message }[];
  settles: { delivery: Delivery; outcome: ConsumerOutcome; parked: ReturnType<BrokerQueues['park']> }[];
}

const UNKNOWN_ID = { condition: 'amqp:transaction:unknown-id', description: 'no such transaction' };

export class TxnCoordinator {
  /** Every transaction that ended, in order. */
  readonly discharged: TxnRecord[] = [];
  private readonly txns = new Map<string, Txn>();
  private declared = 0;

  constructor(private readonly queues: BrokerQueues, private readonly changed: () => void) {}

  /** Transactions declared and not discharged yet, with what they hold. */
  get open(): Omit<TxnRecord, 'outcome' | 'cause'>[] {
    return [...this.txns.values()].map((t) => ({ txnId: t.id.toString(), sends: t.sends.length, acceptances: t.settles.length }));
  }

  /** A message on a coordinator link: a declare or a discharge. */
  control(link: Receiver, message: Message, delivery: Delivery): void {
    const body = readTxnBody(message.body);
    if (body?.type === 'declare') {
      const id = Buffer.from(`txn-${++this.declared}`);
      this.txns.set(id.toString('hex'), { id, link, sends: [], settles: [] });
      delivery.update(true, declaredState(id));
    } else if (body?.type === 'discharge') {
      // rhea raises a transfer's message at once but the dispositions that came before it only
      // when it next processes: let those (the acceptances in this transaction) be seen first.
      const { txnId, fail } = body;
      setImmediate(() => this.discharge(txnId, fail, delivery));
    } else {
      delivery.reject({ condition: 'amqp:decode-error', description: 'a coordinator takes declare and discharge only' });
    }
    this.changed();
  }

  private discharge(txnId: Buffer, fail: boolean, delivery: Delivery): void {
    const txn = this.txns.get(txnId.toString('hex'));
    if (txn) {
      this.end(txn, fail ? 'rollback' : 'commit', 'discharge');
      delivery.accept();
    } else {
      delivery.reject(UNKNOWN_ID);
    }
    this.changed();
  }

  /** A transfer in a transaction: held until the discharge, provisionally accepted. */
  send(state: TransactionalState, address: string, message: Message, delivery: Delivery): void {
    const txn = this.txns.get(state.txnId.toString('hex'));
    if (!txn) {
      delivery.reject(UNKNOWN_ID);
      return;
    }
    txn.sends.push({ address, message });
    delivery.update(true, transactionalState(txn.id, 'accepted'));
    this.changed();
  }

  /** A consumer's disposition in a transaction: the outcome waits for the commit. */
  settle(delivery: Delivery, state: TransactionalState): void {
    const txn = this.txns.get(state.txnId.toString('hex'));
    if (!txn) {
      delivery.link.close(UNKNOWN_ID);
      return;
    }
    const outcome = (state.outcome ?? 'accepted') as ConsumerOutcome;
    txn.settles.push({ delivery, outcome, parked: this.queues.park(delivery) });
    this.changed();
  }

  /** Coordinator links that went (alone or with their connection): their transactions roll back. */
  linksLost(gone: (link: Receiver) => boolean): void {
    for (const txn of [...this.txns.values()]) if (gone(txn.link)) this.end(txn, 'rollback', 'link lost');
  }

  private end(txn: Txn, outcome: TxnRecord['outcome'], cause: TxnRecord['cause']): void {
    this.txns.delete(txn.id.toString('hex'));
    if (outcome === 'commit') {
      for (const s of txn.sends) this.queues.enqueue(s.address, s.message);
      for (const s of txn.settles) {
        this.queues.settle(s.delivery, s.outcome, s.parked);
        if (!s.delivery.remote_settled) s.delivery.update(true);
      }
    } else {
      for (const s of [...txn.settles].reverse()) if (s.parked) this.queues.putBack(s.parked.address, s.parked.message);
    }
    this.discharged.push({ txnId: txn.id.toString(), outcome, cause, sends: txn.sends.length, acceptances: txn.settles.length });
    this.changed();
  }
}
