// Decodes AMQP values from a Buffer without copying binaries (they are slices of the input).
// Every read checks bounds and throws DecodeError, so a malformed frame ends one connection.

import { TypeCode as T, fixedWidth } from './type-codes';
import { DecodeError } from './decode-error';
import { AmqpArray, AmqpMap, AmqpSymbol, AmqpValue, Described, Typed, WIDE_LIST } from './values';

export class Decoder {
  constructor(public buf: Buffer, public pos = 0, public end = buf.length) {}

  get remaining(): number { return this.end - this.pos; }

  /** Points the decoder at new bytes (one decoder is reused per connection on the fast path). */
  reset(buf: Buffer, pos = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw new DecodeError(`truncated value at offset ${this.pos}: need ${n} bytes, have ${this.end - this.pos}`);
  }

  byte(): number {
    if (this.pos >= this.end) throw new DecodeError(`truncated value at offset ${this.pos}`);
    return this.buf[this.pos++];
  }

  peekCode(): number {
    if (this.pos >= this.end) throw new DecodeError(`truncated value at offset ${this.pos}`);
    return this.buf[this.pos];
  }

  /** Reads one value of any type. */
  value(): AmqpValue {
    const code = this.byte();
    if (code === T.described) {
      const descriptor = this.value();
      return new Described(descriptor, this.value());
    }
    return this.valueOf(code);
  }

  /** Reads the value that follows constructor `code`. */
  valueOf(code: number): AmqpValue {
    const b = this.buf;
    switch (code) {
      case T.null: return null;
      case T.true: return true;
      case T.false: return false;
      case T.boolean: { const x = this.byte(); if (x > 1) throw new DecodeError(`invalid boolean 0x${x.toString(16)}`); return x === 1; }
      case T.ubyte: return new Typed('ubyte', this.byte(), code);
      case T.byte: this.need(1); return new Typed('byte', b.readInt8(this.pos++), code);
      case T.ushort: this.need(2); this.pos += 2; return new Typed('ushort', b.readUInt16BE(this.pos - 2), code);
      case T.short: this.need(2); this.pos += 2; return new Typed('short', b.readInt16BE(this.pos - 2), code);
      case T.uint0: return new Typed('uint', 0, code);
      case T.smalluint: return new Typed('uint', this.byte(), code);
      case T.uint: this.need(4); this.pos += 4; return new Typed('uint', b.readUInt32BE(this.pos - 4), code);
      case T.smallint: this.need(1); return new Typed('int', b.readInt8(this.pos++), code);
      case T.int: this.need(4); this.pos += 4; return new Typed('int', b.readInt32BE(this.pos - 4), code);
      case T.ulong0: return new Typed('ulong', 0, code);
      case T.smallulong: return new Typed('ulong', this.byte(), code);
      case T.ulong: return new Typed('ulong', this.u64(), code);
      case T.smalllong: this.need(1); return new Typed('long', b.readInt8(this.pos++), code);
      case T.long: { this.need(8); const v = b.readBigInt64BE(this.pos); this.pos += 8; return new Typed('long', safeNumber(v), code); }
      case T.float: this.need(4); this.pos += 4; return new Typed('float', b.readFloatBE(this.pos - 4), code);
      case T.double: this.need(8); this.pos += 8; return new Typed('double', b.readDoubleBE(this.pos - 8), code);
      case T.timestamp: { this.need(8); const v = b.readBigInt64BE(this.pos); this.pos += 8; return new Typed('timestamp', safeNumber(v), code); }
      case T.char: this.need(4); this.pos += 4; return new Typed('char', b.readUInt32BE(this.pos - 4), code);
      case T.uuid: return new Typed('uuid', this.slice(16), code);
      case T.decimal32: return new Typed('decimal32', this.slice(4), code);
      case T.decimal64: return new Typed('decimal64', this.slice(8), code);
      case T.decimal128: return new Typed('decimal128', this.slice(16), code);
      case T.vbin8: return this.slice(this.byte());
      case T.vbin32: return this.slice(this.u32());
      case T.str8: return this.utf8(this.byte());
      case T.str32: return this.utf8(this.u32());
      case T.sym8: return new AmqpSymbol(this.ascii(this.byte()));
      case T.sym32: return new AmqpSymbol(this.ascii(this.u32()));
      case T.list0: return [];
      case T.list8: return this.list(1);
      case T.list32: return this.list(4);
      case T.map8: return this.map(1, code);
      case T.map32: return this.map(4, code);
      case T.array8: return this.array(1);
      case T.array32: return this.array(4);
      default: throw new DecodeError(`unknown type constructor 0x${code.toString(16)} at offset ${this.pos - 1}`);
    }
  }

  u32(): number { this.need(4); this.pos += 4; return this.buf.readUInt32BE(this.pos - 4); }

  u64(): number | bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  slice(n: number): Buffer {
    this.need(n);
    const s = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  utf8(n: number): string { this.need(n); this.pos += n; return this.buf.toString('utf8', this.pos - n, this.pos); }
  ascii(n: number): string { this.need(n); this.pos += n; return this.buf.toString('latin1', this.pos - n, this.pos); }

  /** Reads a compound header (size, count) and returns [count, endOffset]. */
  compoundHeader(width: 1 | 4, zeroWidthElements = false): [number, number] {
    const size = width === 1 ? this.byte() : this.u32();
    this.need(size);
    const end = this.pos + size;
    const count = width === 1 ? this.byte() : this.u32();
    // Every list or map element takes a byte at least; array elements may take none (ulong0…).
    if (!zeroWidthElements && count > size) throw new DecodeError(`compound count ${count} exceeds its size ${size}`);
    return [count, end];
  }

  list(width: 1 | 4): AmqpValue[] {
    const [count, end] = this.compoundHeader(width);
    const saved = this.end;
    this.end = end;
    const items: AmqpValue[] = new Array(count);
    for (let i = 0; i < count; i++) items[i] = this.value();
    this.closeCompound(end, saved);
    if (width === 4) Object.defineProperty(items, WIDE_LIST, { value: true });
    return items;
  }

  map(width: 1 | 4, code: number): AmqpMap {
    const [count, end] = this.compoundHeader(width);
    if (count % 2 !== 0) throw new DecodeError(`map with an odd number of elements (${count})`);
    const saved = this.end;
    this.end = end;
    const entries: [AmqpValue, AmqpValue][] = [];
    for (let i = 0; i < count; i += 2) entries.push([this.value(), this.value()]);
    this.closeCompound(end, saved);
    return new AmqpMap(entries, code);
  }

  array(width: 1 | 4): AmqpArray {
    const [count, end] = this.compoundHeader(width, true);
    const saved = this.end;
    this.end = end;
    let elementCode = this.byte();
    let descriptor: AmqpValue | undefined;
    if (elementCode === T.described) {
      descriptor = this.value();
      elementCode = this.byte();
    }
    const width0 = fixedWidth(elementCode) === 0;
    if ((!width0 && count > end - this.pos) || count > 1_000_000) throw new DecodeError(`array count ${count} does not fit its size`);
    const values: AmqpValue[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const v = this.valueOf(elementCode);
      values[i] = descriptor === undefined ? v : new Described(descriptor, v);
    }
    this.closeCompound(end, saved);
    return new AmqpArray(elementCode, values, descriptor, width === 4 ? T.array32 : T.array8);
  }

  private closeCompound(end: number, savedEnd: number): void {
    if (this.pos !== end) throw new DecodeError(`compound size mismatch: ended at ${this.pos}, declared end ${end}`);
    this.end = savedEnd;
  }

  /** Skips one value (with its descriptor, if described) without building it. */
  skip(): void {
    let code = this.byte();
    while (code === T.described) { this.skip(); code = this.byte(); }
    this.skipValueOf(code);
  }

  skipValueOf(code: number): void {
    const w = fixedWidth(code);
    if (w >= 0) { this.need(w); this.pos += w; return; }
    switch (code >> 4) {
      case 0xa: case 0xc: case 0xe: { const n = this.byte(); this.need(n); this.pos += n; return; }
      case 0xb: case 0xd: case 0xf: { const n = this.u32(); this.need(n); this.pos += n; return; }
      default: throw new DecodeError(`unknown type constructor 0x${code.toString(16)}`);
    }
  }
}

function safeNumber(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

/** Decodes one whole value; throws if bytes are left over. */
export function decodeValue(buf: Buffer): AmqpValue {
  const d = new Decoder(buf);
  const v = d.value();
  if (d.remaining !== 0) throw new DecodeError(`${d.remaining} bytes left after the value`);
  return v;
}
