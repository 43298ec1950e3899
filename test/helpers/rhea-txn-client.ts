// Local transactions from a rhea client, for tests (rhea has no transaction API): a controller
// on a coordinator link declares and discharges; sendInTxn and settleInTxn put a transfer or a
// disposition in a transaction.
//
//   const txn = await TxnController.open(conn);
//   const id = await txn.declare();
//   sendInTxn(sender, { body: 'a' }, id);
//   settleInTxn(ctx.delivery, id);            // accepted, at commit
//   await txn.commit(id);                     // or txn.rollback(id)

import { EventEmitter } from 'node:events';
import type { Connection, Delivery, EventContext, Message, Sender, Session } from 'rhea';
import { nextEvent } from './rhea-client';
import { TRANSFER_STATE, Typed, coordinatorTarget, declarePayload, dischargePayload, localAttach, readDeclared, transactionalState } from './rhea-txn-types';

/** A coordinator's refusal of a declare or a discharge. */
export class TxnError extends Error {
  constructor(what: string, readonly condition?: string, readonly description?: string) {
    super(`${what}: ${condition ?? 'rejected'}${description ? ` (${description})` : ''}`);
  }
}

export class TxnController {
  private constructor(readonly link: Sender) {}

  /** Attaches a coordinator link on `conn`; fails on a detach or a session end (RabbitMQ's way). */
  static async open(conn: Connection, timeoutMs = 5000): Promise<TxnController> {
    const link = conn.open_sender({});
    localAttach(link).target = coordinatorTarget();
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        link.off('sender_open', opened);
        link.off('sender_close', detached);
        link.session.off('session_close', ended);
        if (err) reject(err); else resolve();
      };
      const refused = (what: string, e: unknown): Error => {
        const error = e as { condition?: string; description?: string } | undefined;
        return new TxnError(`coordinator attach: ${what}`, error?.condition, error?.description);
      };
      const opened = (): void => done();
      const detached = (): void => done(refused('detached', link.error));
      const ended = (): void => done(refused('session ended', link.session.error));
      const timer = setTimeout(() => done(new TxnError('coordinator attach', 'no answer')), timeoutMs);
      link.on('sender_error', () => undefined);
      link.session.on('session_error', () => undefined);
      link.once('sender_open', opened);
      link.once('sender_close', detached);
      link.session.once('session_close', ended);
    });
    return new TxnController(link);
  }

  async declare(timeoutMs = 5000): Promise<Buffer> {
    const state = await this.request(declarePayload(), 'declare', timeoutMs);
    const id = readDeclared(state);
    if (!id) throw new TxnError('declare', 'no declared outcome');
    return id;
  }

  commit(txnId: Buffer, timeoutMs = 5000): Promise<void> {
    return this.discharge(txnId, false, timeoutMs);
  }

  rollback(txnId: Buffer, timeoutMs = 5000): Promise<void> {
    return this.discharge(txnId, true, timeoutMs);
  }

  private async discharge(txnId: Buffer, fail: boolean, timeoutMs: number): Promise<void> {
    await this.request(dischargePayload(txnId, fail), fail ? 'rollback' : 'commit', timeoutMs);
  }

  /** Sends a control message; resolves with the coordinator's outcome unless it rejected. */
  private async request(payload: Buffer, what: string, timeoutMs: number): Promise<unknown> {
    if (!this.link.sendable()) await nextEvent(this.link as unknown as EventEmitter, 'sendable', `${what}: credit`, timeoutMs, ['sender_close']);
    const delivery = this.link.send(payload, undefined, 0); // a format: payload sent as is
    const ctx: EventContext = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.link.off('settled', onSettled); reject(new TxnError(what, 'no answer')); }, timeoutMs);
      const onSettled = (c: EventContext): void => {
        if (c.delivery !== delivery) return;
        clearTimeout(timer);
        this.link.off('settled', onSettled);
        resolve(c);
      };
      this.link.on('settled', onSettled);
    });
    const state = ctx.delivery!.remote_state as { error?: { condition?: string; description?: string }; constructor: { composite_type?: string } } | undefined;
    if (state?.constructor.composite_type === 'rejected') throw new TxnError(what, state.error?.condition, state.error?.description);
    return state;
  }
}

/** rhea's transfer frames carry no state: set it as each transfer of these deliveries is written. */
const transferStates = new WeakMap<Session, Map<number, Typed>>();

function statesOf(session: Session): Map<number, Typed> {
  let states = transferStates.get(session);
  if (states) return states;
  const found = new Map<number, Typed>();
  states = found;
  transferStates.set(session, found);
  const s = session as unknown as { output(frame: TransferFrame, payload?: Buffer): void };
  const output = s.output;
  s.output = function (frame: TransferFrame, payload?: Buffer) {
    const state = frame.constructor.descriptor?.numeric === TRANSFER ? found.get(frame.delivery_id) : undefined;
    if (state) {
      frame.value[TRANSFER_STATE] = state; // rhea's setter has no encoder for a delivery-state
      if (!frame.more) found.delete(frame.delivery_id);
    }
    output.call(this, frame, payload);
  };
  return states;
}

interface TransferFrame { constructor: { descriptor?: { numeric: number } }; delivery_id: number; more?: boolean; value: unknown[] }
const TRANSFER = 0x14;

/** Sends `message` in transaction `txnId`: the broker queues it at commit. */
export function sendInTxn(sender: Sender, message: Message, txnId: Buffer): Delivery {
  const delivery = sender.send(message);
  statesOf(sender.session).set((delivery as unknown as { id: number }).id, transactionalState(txnId, null));
  return delivery;
}

/** Settles a received delivery in transaction `txnId` with `outcome`, applied at commit. */
export function settleInTxn(delivery: Delivery, txnId: Buffer, outcome: 'accepted' | 'rejected' | 'released' | 'modified' = 'accepted'): void {
  delivery.update(true, transactionalState(txnId, outcome));
}
