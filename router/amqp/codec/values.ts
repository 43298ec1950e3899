// The value model of the codec. Lists are JS arrays, strings are JS strings, binaries are
// Buffers; everything whose AMQP type a JS value cannot carry is wrapped, so that a decoded
// value re-encodes to the same type (and, where `code` is kept, the same bytes).

export type AmqpValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Buffer
  | AmqpSymbol
  | Typed
  | Described
  | AmqpMap
  | AmqpArray
  | AmqpValue[];

export class AmqpSymbol {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

export type TypedKind =
  | 'ubyte' | 'ushort' | 'uint' | 'ulong'
  | 'byte' | 'short' | 'int' | 'long'
  | 'float' | 'double' | 'timestamp' | 'char' | 'uuid'
  | 'decimal32' | 'decimal64' | 'decimal128';

/** A scalar whose AMQP type must survive a round trip. `code` is the constructor seen on the wire. */
export class Typed {
  constructor(readonly type: TypedKind, readonly value: number | bigint | Buffer, readonly code?: number) {}
  /** The value as a JS number (ulong/long beyond 2^53 lose precision). */
  get number(): number { return typeof this.value === 'bigint' ? Number(this.value) : (this.value as number); }
}

export class Described {
  constructor(readonly descriptor: AmqpValue, readonly value: AmqpValue) {}
}

/** An AMQP map; keys of any type, order kept (router annotations rely on order). */
export class AmqpMap {
  constructor(readonly entries: [AmqpValue, AmqpValue][] = [], readonly code?: number) {}
  /** Looks a key up by its string or symbol text. */
  get(key: string): AmqpValue | undefined {
    for (const [k, v] of this.entries) if (keyText(k) === key) return v;
    return undefined;
  }
  set(key: AmqpValue, value: AmqpValue): this {
    const text = keyText(key);
    const i = this.entries.findIndex(([k]) => keyText(k) === text && (k instanceof AmqpSymbol) === (key instanceof AmqpSymbol));
    if (i >= 0) this.entries[i] = [key, value];
    else this.entries.push([key, value]);
    return this;
  }
  get size(): number { return this.entries.length; }
}

/** An AMQP array: every element has the same constructor (`elementCode`). */
export class AmqpArray {
  /** `code` is array8/array32 as seen on the wire (re-encoded the same when it fits). */
  constructor(readonly elementCode: number, readonly values: AmqpValue[], readonly descriptor?: AmqpValue, readonly code?: number) {}
}

/** Marks a decoded list that was sent as list32 although it would fit list8 (kept for byte-exact re-encoding). */
export const WIDE_LIST: unique symbol = Symbol('amqp.list32');

export function isWideList(v: AmqpValue[]): boolean {
  return (v as unknown as Record<symbol, boolean>)[WIDE_LIST] === true;
}

export function keyText(k: AmqpValue): string | undefined {
  if (typeof k === 'string') return k;
  if (k instanceof AmqpSymbol) return k.value;
  return undefined;
}

export const sym = (s: string): AmqpSymbol => new AmqpSymbol(s);
export const uint = (n: number): Typed => new Typed('uint', n);
export const ulong = (n: number | bigint): Typed => new Typed('ulong', n);
export const ubyte = (n: number): Typed => new Typed('ubyte', n);
export const ushort = (n: number): Typed => new Typed('ushort', n);
export const int = (n: number): Typed => new Typed('int', n);
export const long = (n: number | bigint): Typed => new Typed('long', n);
export const timestamp = (ms: number): Typed => new Typed('timestamp', ms);
export const described = (descriptor: number | string, value: AmqpValue): Described =>
  new Described(typeof descriptor === 'number' ? ulong(descriptor) : sym(descriptor), value);

/** Turns a decoded value into plain JS (numbers, strings, objects) for display and tests. */
export function toPlain(v: AmqpValue): unknown {
  if (v instanceof Typed) return Buffer.isBuffer(v.value) ? v.value.toString('hex') : (typeof v.value === 'bigint' ? v.value.toString() : v.value);
  if (v instanceof AmqpSymbol) return v.value;
  if (v instanceof AmqpMap) {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v.entries) o[String(toPlain(k))] = toPlain(val);
    return o;
  }
  if (v instanceof AmqpArray) return v.values.map(toPlain);
  if (v instanceof Described) return { descriptor: toPlain(v.descriptor), value: toPlain(v.value) };
  if (Array.isArray(v)) return v.map(toPlain);
  if (typeof v === 'bigint') return v.toString();
  return v;
}
