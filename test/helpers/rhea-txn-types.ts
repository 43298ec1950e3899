// AMQP 1.0 transactions (spec part 4) for rhea, which has none: the coordinator target, the
// declare and discharge bodies, the declared and transactional-state outcomes, and a patch that
// makes rhea decode them instead of dropping them with a warning. Shared by the test broker's
// coordinator and the test client (rhea-txn-client.ts).
//
// The patch is installed on import and changes only what rhea could not decode before: states
// and terminus of transactions, and messages on links marked with takesTxnControl().

import type { Delivery, Receiver, Sender } from 'rhea';

// rhea's internals, untyped: the same module instances its links and sessions use.
/* eslint-disable @typescript-eslint/no-explicit-any */
const types: any = require('rhea/lib/types.js');
const message: any = require('rhea/lib/message.js');
const terminus: any = require('rhea/lib/terminus.js');
const Session: any = require('rhea/lib/session.js');
/* eslint-enable @typescript-eslint/no-explicit-any */

/** An encoded AMQP value as rhea builds and reads them. */
export interface Typed { value: unknown; descriptor?: { value: unknown } }

export const TXN_CAPABILITY = 'amqp:local-transactions';

/** The state field's place in a transfer's list (spec 2.7.5). */
export const TRANSFER_STATE = 7;

/** Descriptor codes, spec part 4.5; sent between peers: do not change. */
const CODE = { coordinator: 0x30, declare: 0x31, discharge: 0x32, declared: 0x33, transactionalState: 0x34 } as const;
const SYMBOL: Record<keyof typeof CODE, string> = {
  coordinator: 'amqp:coordinator:list', declare: 'amqp:declare:list', discharge: 'amqp:discharge:list',
  declared: 'amqp:declared:list', transactionalState: 'amqp:transactional-state:list',
};

/** The attach rhea will send for `link`: set a terminus it cannot build before the attach goes. */
export function localAttach(link: Sender | Receiver): { source: unknown; target: unknown } {
  return (link as unknown as { local: { attach: { source: unknown; target: unknown } } }).local.attach;
}

const controlLinks = new WeakSet<object>();

/** Marks a broker's link to a coordinator target: its messages are declares and discharges. */
export function takesTxnControl(link: Receiver): void {
  controlLinks.add(link);
}

/** The coordinator target as rhea shows it after the patch (`link.target`). */
export interface CoordinatorTerminus { coordinator: true; capabilities: string[] }

export type TxnBody = { type: 'declare' } | { type: 'discharge'; txnId: Buffer; fail: boolean };

/** A transactional-state: the transaction and the outcome the work will have at commit. */
export interface TransactionalState { txnId: Buffer; outcome?: string }

const is = (t: Typed | undefined, kind: keyof typeof CODE): boolean =>
  t?.descriptor !== undefined && (Number(t.descriptor.value) === CODE[kind] || t.descriptor.value === SYMBOL[kind]);

const described = (kind: keyof typeof CODE, list: unknown[]): Typed =>
  types.described_nc(types.wrap_ulong(CODE[kind]), list.length ? types.List32(list) : types.List0());

const fields = (t: Typed): Typed[] => (Array.isArray(t.value) ? t.value : []) as Typed[];

/** The target of a coordinator link: set it as `link.local.attach.target` before the attach goes. */
export function coordinatorTarget(): Typed {
  return described('coordinator', [types.wrap_symbol(TXN_CAPABILITY)]);
}

/**
 * A coordinator's message, encoded: one amqp-value section holding a declare, or a discharge of
 * `txnId`. Sent as a raw payload because rhea's encoder puts the section's descriptor on the
 * value itself, which loses the value's own.
 */
export function declarePayload(): Buffer {
  return amqpValue(described('declare', []));
}

export function dischargePayload(txnId: Buffer, fail: boolean): Buffer {
  return amqpValue(described('discharge', [types.wrap_binary(txnId), fail ? types.True() : types.False()]));
}

function amqpValue(value: Typed): Buffer {
  const writer = new types.Writer();
  writer.write(value);
  return Buffer.concat([Buffer.from([0x00, 0x53, 0x77]), writer.toBuffer()]);
}

/** What a coordinator was sent, or undefined for anything else. */
export function readTxnBody(body: unknown): TxnBody | undefined {
  const t = body as Typed | undefined;
  if (is(t, 'declare')) return { type: 'declare' };
  if (!is(t, 'discharge')) return undefined;
  const [txnId, fail] = fields(t!);
  return { type: 'discharge', txnId: Buffer.from(txnId?.value as Buffer), fail: fail?.value === true };
}

/** The coordinator's answer to a declare. */
export function declaredState(txnId: Buffer): Typed {
  return described('declared', [types.wrap_binary(txnId)]);
}

/** The transaction id in a declared outcome (decoded by rhea as the delivery's remote_state). */
export function readDeclared(state: unknown): Buffer | undefined {
  const s = state as { txn_id?: Buffer } | undefined;
  return s?.constructor && (s.constructor as { composite_type?: string }).composite_type === 'declared' ? s.txn_id : undefined;
}

/** A transactional-state with an outcome: `accepted` (default), `rejected`, `released` or `modified`. */
export function transactionalState(txnId: Buffer, outcome: 'accepted' | 'rejected' | 'released' | 'modified' | null = 'accepted'): Typed {
  const list: unknown[] = [types.wrap_binary(txnId)];
  if (outcome) list.push(message[outcome]().described());
  return described('transactionalState', list);
}

/** A transactional-state as the patch decodes it (on a transfer or a disposition), or raw. */
export function readTransactionalState(state: unknown): TransactionalState | undefined {
  const decoded = state as { txn_id?: Buffer; outcome?: Typed } | undefined;
  if (decoded?.constructor && (decoded.constructor as { composite_type?: string }).composite_type === 'transactional_state') {
    return { txnId: decoded.txn_id!, outcome: outcomeName(decoded.outcome) };
  }
  const raw = state as Typed | undefined;
  if (!is(raw, 'transactionalState')) return undefined;
  const [txnId, outcome] = fields(raw!);
  return { txnId: Buffer.from(txnId.value as Buffer), outcome: outcomeName(outcome) };
}

/** The transactional-state a transfer arrived with (rhea keeps it raw on the delivery). */
export function transferTxn(delivery: Delivery): TransactionalState | undefined {
  return readTransactionalState((delivery as unknown as { remote_state?: unknown }).remote_state);
}

function outcomeName(outcome: Typed | undefined): string | undefined {
  if (!outcome?.descriptor) return undefined;
  for (const name of ['accepted', 'rejected', 'released', 'modified']) if (message[`is_${name}`](outcome)) return name;
  return String(outcome.descriptor.value);
}

// ---- the patch -------------------------------------------------------------------------------

const Declared = types.define_composite({ name: 'declared', code: CODE.declared, fields: [{ name: 'txn_id', type: 'binary', mandatory: true }] });
Declared.composite_type = 'declared';
const TxnState = types.define_composite({
  name: 'transactional_state', code: CODE.transactionalState,
  fields: [{ name: 'txn_id', type: 'binary', mandatory: true }, { name: 'outcome', type: '*' }],
});
TxnState.composite_type = 'transactional_state';

if (!message.unwrap_outcome.weftTxn) {
  // Dispositions: rhea then raises `declared` or `transactional_state` on the link.
  const unwrapOutcome = message.unwrap_outcome;
  message.unwrap_outcome = Object.assign((outcome: Typed) => {
    if (is(outcome, 'declared')) return new Declared(outcome.value);
    if (is(outcome, 'transactionalState')) return new TxnState(outcome.value);
    return unwrapOutcome(outcome);
  }, { weftTxn: true });
  // Messages on a coordinator link: rhea reads the descriptor of an amqp-value section and that
  // of its value as one chain and keeps the first only, so a declare or discharge would arrive
  // as a bare list. Other messages are left as rhea decodes them.
  let onControlLink = false;
  const decode = message.decode;
  message.decode = (buffer: Buffer) => {
    const msg = decode(buffer);
    if (onControlLink && Array.isArray(msg.body)) msg.body = describedValue(buffer) ?? msg.body;
    return msg;
  };
  // Transfers: rhea unwraps a transfer's state to its bare fields; keep it decoded instead
  // (a composite, which rhea's unwrap passes through) as the delivery's remote_state.
  const onTransfer = Session.prototype.on_transfer;
  Session.prototype.on_transfer = function (frame: { performative: { value: Typed[] } }) {
    const state = frame.performative.value[TRANSFER_STATE];
    if (is(state, 'transactionalState')) frame.performative.value[TRANSFER_STATE] = new TxnState(state.value);
    onControlLink = controlLinks.has(this._get_link(frame));
    try {
      return onTransfer.call(this, frame);
    } finally {
      onControlLink = false;
    }
  };
  // Attaches: rhea knows source and target only, and shows anything else as no target at all.
  const unwrapTerminus = terminus.unwrap;
  terminus.unwrap = (field: Typed) => {
    if (!is(field, 'coordinator')) return unwrapTerminus(field);
    const [caps] = fields(field);
    const list = caps === undefined ? [] : Array.isArray(caps.value) ? (caps.value as Typed[]).map((c) => String(c.value ?? c)) : [String(caps.value)];
    return { coordinator: true, capabilities: list } satisfies CoordinatorTerminus;
  };
}

/** The value of the amqp-value section when it is itself a described value. */
function describedValue(buffer: Buffer): Typed | undefined {
  const reader = new types.Reader(buffer);
  while (reader.remaining()) {
    const start = reader.position;
    const section = reader.read() as Typed;
    if (Number(section.descriptor?.value) !== 0x77) continue;
    const again = new types.Reader(buffer.subarray(start));
    again.read_typecode(); // the 0x00 that starts the section's descriptor
    again.read();
    return buffer[start + again.position] === 0x00 ? again.read() : undefined;
  }
  return undefined;
}
