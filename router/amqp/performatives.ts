// AMQP 1.0 performatives, SASL frames, termini, errors and delivery states as field tables
// (spec part 2 §2.7, part 3 §3.5, part 5 §5.3). Descriptor codes are on the wire: do not change.

import { Decoder } from './codec/decoder';
import { DecodeError } from './codec/decode-error';
import { Encoder } from './codec/encoder';
import { TypeCode as T } from './codec/type-codes';
import { AmqpArray, AmqpMap, AmqpSymbol, AmqpValue, Described, Typed } from './codec/values';

export const Descriptor = {
  open: 0x10, begin: 0x11, attach: 0x12, flow: 0x13, transfer: 0x14, disposition: 0x15,
  detach: 0x16, end: 0x17, close: 0x18, error: 0x1d,
  received: 0x23, accepted: 0x24, rejected: 0x25, released: 0x26, modified: 0x27,
  source: 0x28, target: 0x29, deleteOnClose: 0x2b, coordinator: 0x30, declared: 0x33, transactionalState: 0x34,
  saslMechanisms: 0x40, saslInit: 0x41, saslChallenge: 0x42, saslResponse: 0x43, saslOutcome: 0x44,
} as const;

/** A multiple-symbol field: a bare string was sent as one symbol, an array as an AMQP array. */
export type Symbols = string | string[];

export function symbolList(s: Symbols | undefined): string[] {
  return s === undefined ? [] : typeof s === 'string' ? [s] : s;
}

type FieldType = 'uint' | 'ushort' | 'ubyte' | 'ulong' | 'bool' | 'binary' | 'string' | 'symbol' | 'symbols'
  | 'map' | 'any' | 'error' | 'terminus' | 'state';

interface Field { name: string; type: FieldType }

function fields(spec: string): Field[] {
  return spec.trim().split(/\s+/).map((f) => { const [name, type] = f.split(':'); return { name, type: type as FieldType }; });
}

export const Layouts = {
  [Descriptor.open]: fields('containerId:string hostname:string maxFrameSize:uint channelMax:ushort idleTimeOut:uint outgoingLocales:symbols incomingLocales:symbols offeredCapabilities:symbols desiredCapabilities:symbols properties:map'),
  [Descriptor.begin]: fields('remoteChannel:ushort nextOutgoingId:uint incomingWindow:uint outgoingWindow:uint handleMax:uint offeredCapabilities:symbols desiredCapabilities:symbols properties:map'),
  [Descriptor.attach]: fields('name:string handle:uint role:bool sndSettleMode:ubyte rcvSettleMode:ubyte source:terminus target:terminus unsettled:map incompleteUnsettled:bool initialDeliveryCount:uint maxMessageSize:ulong offeredCapabilities:symbols desiredCapabilities:symbols properties:map'),
  [Descriptor.flow]: fields('nextIncomingId:uint incomingWindow:uint nextOutgoingId:uint outgoingWindow:uint handle:uint deliveryCount:uint linkCredit:uint available:uint drain:bool echo:bool properties:map'),
  [Descriptor.transfer]: fields('handle:uint deliveryId:uint deliveryTag:binary messageFormat:uint settled:bool more:bool rcvSettleMode:ubyte state:state resume:bool aborted:bool batchable:bool'),
  [Descriptor.disposition]: fields('role:bool first:uint last:uint settled:bool state:state batchable:bool'),
  [Descriptor.detach]: fields('handle:uint closed:bool error:error'),
  [Descriptor.end]: fields('error:error'),
  [Descriptor.close]: fields('error:error'),
  [Descriptor.error]: fields('condition:symbol description:string info:map'),
  [Descriptor.source]: fields('address:string durable:uint expiryPolicy:symbol timeout:uint dynamic:bool dynamicNodeProperties:map distributionMode:symbol filter:map defaultOutcome:any outcomes:symbols capabilities:symbols'),
  [Descriptor.target]: fields('address:string durable:uint expiryPolicy:symbol timeout:uint dynamic:bool dynamicNodeProperties:map capabilities:symbols'),
  [Descriptor.saslMechanisms]: fields('saslServerMechanisms:symbols'),
  [Descriptor.saslInit]: fields('mechanism:symbol initialResponse:binary hostname:string'),
  [Descriptor.saslChallenge]: fields('challenge:binary'),
  [Descriptor.saslResponse]: fields('response:binary'),
  [Descriptor.saslOutcome]: fields('code:ubyte additionalData:binary'),
} as Record<number, Field[]>;

export const PerformativeNames: Record<number, string> = Object.fromEntries(
  Object.entries(Descriptor).map(([k, v]) => [v, k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())]),
);

// ---- decoded shapes (absent fields are undefined; defaults are applied by the engine) ----

export interface ErrorCondition { condition: string; description?: string; info?: AmqpMap }

export interface Terminus {
  /** Descriptor: 0x28 source, 0x29 target, 0x30 coordinator (other fields absent). */
  kind: number;
  address?: string; durable?: number; expiryPolicy?: string; timeout?: number; dynamic?: boolean;
  dynamicNodeProperties?: AmqpMap; distributionMode?: string; filter?: AmqpMap; defaultOutcome?: AmqpValue;
  outcomes?: Symbols; capabilities?: Symbols;
  /** The exact encoded bytes when decoded from the wire (coordinator and unknown termini are relayed as is). */
  raw?: Buffer;
}

/** A delivery state, relayed as its encoded bytes; `code` says which outcome it is. */
export interface DeliveryState { code: number; raw: Buffer }

export interface Open {
  containerId: string; hostname?: string; maxFrameSize?: number; channelMax?: number; idleTimeOut?: number;
  outgoingLocales?: Symbols; incomingLocales?: Symbols; offeredCapabilities?: Symbols; desiredCapabilities?: Symbols; properties?: AmqpMap;
}
export interface Begin {
  remoteChannel?: number; nextOutgoingId: number; incomingWindow: number; outgoingWindow: number; handleMax?: number;
  offeredCapabilities?: Symbols; desiredCapabilities?: Symbols; properties?: AmqpMap;
}
export interface Attach {
  name: string; handle: number; role: boolean; sndSettleMode?: number; rcvSettleMode?: number;
  source?: Terminus; target?: Terminus; unsettled?: AmqpMap; incompleteUnsettled?: boolean; initialDeliveryCount?: number;
  maxMessageSize?: number | bigint; offeredCapabilities?: Symbols; desiredCapabilities?: Symbols; properties?: AmqpMap;
}
export interface Flow {
  nextIncomingId?: number; incomingWindow: number; nextOutgoingId: number; outgoingWindow: number; handle?: number;
  deliveryCount?: number; linkCredit?: number; available?: number; drain?: boolean; echo?: boolean; properties?: AmqpMap;
}
export interface Transfer {
  handle: number; deliveryId?: number; deliveryTag?: Buffer; messageFormat?: number; settled?: boolean; more?: boolean;
  rcvSettleMode?: number; state?: DeliveryState; resume?: boolean; aborted?: boolean; batchable?: boolean;
}
export interface Disposition { role: boolean; first: number; last?: number; settled?: boolean; state?: DeliveryState; batchable?: boolean }
export interface Detach { handle: number; closed?: boolean; error?: ErrorCondition }
export interface End { error?: ErrorCondition }
export interface Close { error?: ErrorCondition }
export interface SaslMechanisms { saslServerMechanisms: Symbols }
export interface SaslInit { mechanism: string; initialResponse?: Buffer; hostname?: string }
export interface SaslOutcome { code: number; additionalData?: Buffer }

// ---- decoding ----

/** Reads `0x00 <descriptor>` and returns the numeric descriptor code. */
export function readDescriptor(d: Decoder): number {
  if (d.byte() !== T.described) throw new DecodeError('expected a described type');
  const c = d.byte();
  if (c === T.smallulong) return d.byte();
  if (c === T.ulong) { const v = d.u64(); return typeof v === 'number' ? v : -1; }
  if (c === T.sym8 || c === T.sym32) {
    const name = d.ascii(c === T.sym8 ? d.byte() : d.u32());
    return SymbolicDescriptors[name] ?? -1;
  }
  throw new DecodeError(`invalid descriptor constructor 0x${c.toString(16)}`);
}

const SymbolicDescriptors: Record<string, number> = {
  'amqp:open:list': 0x10, 'amqp:begin:list': 0x11, 'amqp:attach:list': 0x12, 'amqp:flow:list': 0x13,
  'amqp:transfer:list': 0x14, 'amqp:disposition:list': 0x15, 'amqp:detach:list': 0x16, 'amqp:end:list': 0x17,
  'amqp:close:list': 0x18, 'amqp:error:list': 0x1d, 'amqp:source:list': 0x28, 'amqp:target:list': 0x29,
  'amqp:accepted:list': 0x24, 'amqp:rejected:list': 0x25, 'amqp:released:list': 0x26, 'amqp:modified:list': 0x27,
  'amqp:received:list': 0x23,
};

/**
 * Blank objects per composite, every field present (undefined): decoded objects of one kind
 * then share one shape, which keeps the property reads of the fast path monomorphic.
 */
const Blanks: Record<number, () => Record<string, unknown>> = Object.fromEntries(
  Object.entries(Layouts).map(([code, layout]) => {
    const make = new Function(`return { ${layout.map((f) => `${f.name}: undefined`).join(', ')} };`) as () => Record<string, unknown>;
    return [code, make];
  }),
);

/** Decodes the list body of composite `code` (the descriptor has been read). */
export function decodeFields(d: Decoder, code: number): Record<string, unknown> {
  const layout = Layouts[code];
  if (!layout) throw new DecodeError(`unknown composite descriptor 0x${code.toString(16)}`);
  const c = d.byte();
  const out = Blanks[code]();
  if (c === T.list0) return out;
  if (c !== T.list8 && c !== T.list32) throw new DecodeError(`${PerformativeNames[code] ?? code}: expected a list, got 0x${c.toString(16)}`);
  const [count, end] = d.compoundHeader(c === T.list8 ? 1 : 4);
  const savedEnd = d.end;
  d.end = end;
  for (let i = 0; i < count; i++) {
    const f = layout[i];
    if (f === undefined) { d.skip(); continue; } // fields beyond the spec: ignored (forward compatibility)
    const v = readField(d, f);
    if (v !== undefined) out[f.name] = v;
  }
  if (d.pos !== end) throw new DecodeError(`${PerformativeNames[code]}: list size mismatch`);
  d.end = savedEnd;
  return out;
}

function readField(d: Decoder, f: Field): unknown {
  const c = d.peekCode();
  if (c === T.null) { d.pos++; return undefined; }
  switch (f.type) {
    case 'uint': d.pos++;
      if (c === T.uint0) return 0;
      if (c === T.smalluint) return d.byte();
      if (c === T.uint) return d.u32();
      return typeError(f, c);
    case 'ushort': d.pos++; if (c !== T.ushort) return typeError(f, c); d.need(2); d.pos += 2; return d.buf.readUInt16BE(d.pos - 2);
    case 'ubyte': d.pos++; if (c !== T.ubyte) return typeError(f, c); return d.byte();
    case 'ulong': d.pos++;
      if (c === T.ulong0) return 0;
      if (c === T.smallulong) return d.byte();
      if (c === T.ulong) return d.u64();
      return typeError(f, c);
    case 'bool': d.pos++;
      if (c === T.true) return true;
      if (c === T.false) return false;
      if (c === T.boolean) return d.byte() === 1;
      return typeError(f, c);
    case 'binary': d.pos++;
      if (c === T.vbin8) return d.slice(d.byte());
      if (c === T.vbin32) return d.slice(d.u32());
      return typeError(f, c);
    case 'string': d.pos++;
      if (c === T.str8) return d.utf8(d.byte());
      if (c === T.str32) return d.utf8(d.u32());
      // Some clients send symbols where strings are due (e.g. addresses): accept them.
      if (c === T.sym8) return d.ascii(d.byte());
      if (c === T.sym32) return d.ascii(d.u32());
      return typeError(f, c);
    case 'symbol': d.pos++;
      if (c === T.sym8) return d.ascii(d.byte());
      if (c === T.sym32) return d.ascii(d.u32());
      return typeError(f, c);
    case 'symbols': {
      const v = d.value();
      if (v instanceof AmqpSymbol) return v.value;
      if (v instanceof AmqpArray && v.values.every((x) => x instanceof AmqpSymbol)) return v.values.map((x) => (x as AmqpSymbol).value);
      throw new DecodeError(`${f.name}: expected symbol or array of symbol`);
    }
    case 'map': {
      const v = d.value();
      if (!(v instanceof AmqpMap)) throw new DecodeError(`${f.name}: expected a map`);
      return v;
    }
    case 'any': return d.value();
    case 'error': {
      const code = readDescriptor(d);
      if (code !== Descriptor.error) throw new DecodeError(`${f.name}: expected an error`);
      return decodeFields(d, code) as unknown as ErrorCondition;
    }
    case 'terminus': {
      const start = d.pos;
      const code = readDescriptor(d);
      if (code === Descriptor.source || code === Descriptor.target) {
        const t = decodeFields(d, code) as unknown as Terminus;
        t.kind = code;
        t.raw = d.buf.subarray(start, d.pos);
        return t;
      }
      d.skip();
      return { kind: code, raw: d.buf.subarray(start, d.pos) } as Terminus;
    }
    case 'state': {
      const start = d.pos;
      const code = readDescriptor(d);
      d.skip();
      return { code, raw: d.buf.subarray(start, d.pos) } as DeliveryState;
    }
  }
}

function typeError(f: Field, c: number): never {
  throw new DecodeError(`${f.name}: unexpected type 0x${c.toString(16)} for a ${f.type} field`);
}

// ---- encoding ----

/** Encodes composite `code` from an object with the layout's field names (trailing absent fields omitted). */
export function encodeComposite(e: Encoder, code: number, value: object): void {
  const layout = Layouts[code];
  const v = value as Record<string, unknown>;
  let last = layout.length - 1;
  while (last >= 0 && v[layout[last].name] === undefined) last--;
  e.descriptor(code);
  const mark = e.beginCompound();
  for (let i = 0; i <= last; i++) writeField(e, layout[i], v[layout[i].name]);
  e.endCompound(mark, last + 1, 'list');
}

function writeField(e: Encoder, f: Field, v: unknown): void {
  if (v === undefined || v === null) return e.null();
  switch (f.type) {
    case 'uint': return e.uint(v as number);
    case 'ushort': return e.ushort(v as number);
    case 'ubyte': return e.ubyte(v as number);
    case 'ulong': return e.ulong(v as number);
    case 'bool': return e.bool(v as boolean);
    case 'binary': return e.binary(v as Buffer);
    case 'string': return e.string(v as string);
    case 'symbol': return e.symbol(v as string);
    case 'symbols':
      if (typeof v === 'string') return e.symbol(v);
      return e.array(new AmqpArray(T.sym8, (v as string[]).map((s) => new AmqpSymbol(s))));
    case 'map': return e.value(v as AmqpMap);
    case 'any': return e.value(v as AmqpValue);
    case 'error': return encodeComposite(e, Descriptor.error, v as object);
    case 'terminus': {
      const t = v as Terminus;
      if (t.kind !== Descriptor.source && t.kind !== Descriptor.target) return e.bytes(t.raw!);
      return encodeComposite(e, t.kind, t);
    }
    case 'state': return e.bytes((v as DeliveryState).raw);
  }
}

// ---- delivery states used by the router ----

function stateOf(code: number, fieldsValue: AmqpValue[] = []): DeliveryState {
  const e = new Encoder(32);
  e.value(new Described(new Typed('ulong', code), fieldsValue));
  return { code, raw: e.take() };
}

export const Accepted: DeliveryState = stateOf(Descriptor.accepted);
export const Released: DeliveryState = stateOf(Descriptor.released);
/** modified with delivery-failed: the delivery may have reached a consumer that went away. */
export const ModifiedFailed: DeliveryState = stateOf(Descriptor.modified, [true]);

export function rejected(condition: string, description?: string): DeliveryState {
  const e = new Encoder(64);
  e.descriptor(Descriptor.rejected);
  const mark = e.beginCompound();
  encodeComposite(e, Descriptor.error, { condition, description });
  e.endCompound(mark, 1, 'list');
  return { code: Descriptor.rejected, raw: e.take() };
}

/** Is this state terminal (an outcome)? */
export function isOutcome(code: number): boolean {
  return code === Descriptor.accepted || code === Descriptor.rejected || code === Descriptor.released || code === Descriptor.modified;
}
