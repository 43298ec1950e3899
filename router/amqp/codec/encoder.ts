// Encodes AMQP values into a growable buffer, choosing the compact constructors that Proton
// chooses (uint0/smalluint, list0/list8, str8, ...), unless a decoded Typed kept its own code.

import { TypeCode as T } from './type-codes';
import { AmqpArray, AmqpMap, AmqpSymbol, AmqpValue, Described, Typed, isWideList } from './values';

export class Encoder {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 1024) { this.buf = Buffer.allocUnsafe(initialSize); }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written so far, copied, and the encoder reset. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  u8(n: number): void { this.ensure(1); this.buf[this.pos++] = n; }
  u16(n: number): void { this.ensure(2); this.buf.writeUInt16BE(n, this.pos); this.pos += 2; }
  u32(n: number): void { this.ensure(4); this.buf.writeUInt32BE(n >>> 0, this.pos); this.pos += 4; }
  bytes(b: Buffer): void { this.ensure(b.length); b.copy(this.buf, this.pos); this.pos += b.length; }

  null(): void { this.u8(T.null); }
  bool(b: boolean): void { this.u8(b ? T.true : T.false); }
  ubyte(n: number): void { this.ensure(2); this.buf[this.pos++] = T.ubyte; this.buf[this.pos++] = n; }
  ushort(n: number): void { this.u8(T.ushort); this.u16(n); }

  uint(n: number): void {
    if (n === 0) this.u8(T.uint0);
    else if (n < 256) { this.ensure(2); this.buf[this.pos++] = T.smalluint; this.buf[this.pos++] = n; }
    else { this.u8(T.uint); this.u32(n); }
  }

  ulong(n: number | bigint): void {
    if (n === 0 || n === BigInt(0)) this.u8(T.ulong0);
    else if (typeof n === 'number' && n < 256) { this.ensure(2); this.buf[this.pos++] = T.smallulong; this.buf[this.pos++] = n; }
    else { this.u8(T.ulong); this.ensure(8); this.buf.writeBigUInt64BE(BigInt(n), this.pos); this.pos += 8; }
  }

  int(n: number): void {
    if (n >= -128 && n <= 127) { this.u8(T.smallint); this.ensure(1); this.buf.writeInt8(n, this.pos++); }
    else { this.u8(T.int); this.ensure(4); this.buf.writeInt32BE(n, this.pos); this.pos += 4; }
  }

  long(n: number | bigint): void {
    if (typeof n === 'number' && n >= -128 && n <= 127) { this.u8(T.smalllong); this.ensure(1); this.buf.writeInt8(n, this.pos++); }
    else { this.u8(T.long); this.ensure(8); this.buf.writeBigInt64BE(BigInt(n), this.pos); this.pos += 8; }
  }

  string(s: string): void { this.text(s, 'utf8', T.str8, T.str32); }
  symbol(s: string): void { this.text(s, 'latin1', T.sym8, T.sym32); }

  private text(s: string, encoding: 'utf8' | 'latin1', small: number, large: number): void {
    const n = encoding === 'latin1' ? s.length : Buffer.byteLength(s, 'utf8');
    if (n < 256) { this.ensure(2 + n); this.buf[this.pos++] = small; this.buf[this.pos++] = n; }
    else { this.ensure(5 + n); this.buf[this.pos++] = large; this.buf.writeUInt32BE(n, this.pos); this.pos += 4; }
    this.pos += this.buf.write(s, this.pos, n, encoding);
  }

  binary(b: Buffer): void {
    if (b.length < 256) { this.ensure(2); this.buf[this.pos++] = T.vbin8; this.buf[this.pos++] = b.length; }
    else { this.u8(T.vbin32); this.u32(b.length); }
    this.bytes(b);
  }

  /** Writes `0x00 smallulong code`: the start of a described value with a numeric descriptor. */
  descriptor(code: number): void {
    this.ensure(3);
    this.buf[this.pos++] = T.described;
    this.buf[this.pos++] = T.smallulong;
    this.buf[this.pos++] = code;
  }

  /** Starts a list/map body: reserves a 32-bit size and count; `endCompound` shrinks to 8-bit when it fits. */
  beginCompound(): number {
    this.ensure(9);
    const mark = this.pos;
    this.pos += 9;
    return mark;
  }

  /** Ends a compound begun at `mark` with `count` elements; `kind` is 'list' or 'map'. */
  endCompound(mark: number, count: number, kind: 'list' | 'map', force32 = false): void {
    const bodyStart = mark + 9;
    const bodySize = this.pos - bodyStart;
    if (kind === 'list' && count === 0 && !force32) { this.buf[mark] = T.list0; this.pos = mark + 1; return; }
    if (!force32 && bodySize + 1 < 256 && count < 256) {
      this.buf[mark] = kind === 'list' ? T.list8 : T.map8;
      this.buf[mark + 1] = bodySize + 1;
      this.buf[mark + 2] = count;
      this.buf.copyWithin(mark + 3, bodyStart, this.pos);
      this.pos = mark + 3 + bodySize;
    } else {
      this.buf[mark] = kind === 'list' ? T.list32 : T.map32;
      this.buf.writeUInt32BE(bodySize + 4, mark + 1);
      this.buf.writeUInt32BE(count, mark + 5);
    }
  }

  value(v: AmqpValue): void {
    if (v === null || v === undefined) return this.null();
    switch (typeof v) {
      case 'boolean': return this.bool(v);
      case 'string': return this.string(v);
      case 'number':
        if (Number.isInteger(v)) return v >= -0x80000000 && v <= 0x7fffffff ? this.int(v) : this.long(v);
        this.u8(T.double); this.ensure(8); this.buf.writeDoubleBE(v, this.pos); this.pos += 8; return;
      case 'bigint': return this.long(v);
    }
    if (Buffer.isBuffer(v)) return this.binary(v);
    if (v instanceof AmqpSymbol) return this.symbol(v.value);
    if (v instanceof Typed) return this.typed(v);
    if (v instanceof Described) { this.u8(T.described); this.value(v.descriptor); return this.value(v.value); }
    if (v instanceof AmqpMap) {
      const mark = this.beginCompound();
      for (const [k, val] of v.entries) { this.value(k); this.value(val); }
      return this.endCompound(mark, v.entries.length * 2, 'map', v.code === T.map32);
    }
    if (v instanceof AmqpArray) return this.array(v);
    if (Array.isArray(v)) {
      const mark = this.beginCompound();
      for (const item of v) this.value(item);
      return this.endCompound(mark, v.length, 'list', isWideList(v));
    }
    throw new TypeError(`cannot encode ${String(v)} as an AMQP value`);
  }

  typed(v: Typed): void {
    const n = v.value;
    switch (v.type) {
      case 'uint': return v.code === undefined ? this.uint(n as number) : this.fixedUint(v.code, n as number);
      case 'ulong': return v.code === undefined ? this.ulong(n as number) : this.fixedUlong(v.code, n as number | bigint);
      case 'int':
        if (v.code === T.int) { this.u8(T.int); this.ensure(4); this.buf.writeInt32BE(n as number, this.pos); this.pos += 4; return; }
        return this.int(n as number);
      case 'long':
        if (v.code === T.long) { this.u8(T.long); this.ensure(8); this.buf.writeBigInt64BE(BigInt(n as number), this.pos); this.pos += 8; return; }
        return this.long(n as number);
      case 'ubyte': return this.ubyte(n as number);
      case 'ushort': return this.ushort(n as number);
      case 'byte': this.u8(T.byte); this.ensure(1); this.buf.writeInt8(n as number, this.pos++); return;
      case 'short': this.u8(T.short); this.ensure(2); this.buf.writeInt16BE(n as number, this.pos); this.pos += 2; return;
      case 'float': this.u8(T.float); this.ensure(4); this.buf.writeFloatBE(n as number, this.pos); this.pos += 4; return;
      case 'double': this.u8(T.double); this.ensure(8); this.buf.writeDoubleBE(n as number, this.pos); this.pos += 8; return;
      case 'timestamp': this.u8(T.timestamp); this.ensure(8); this.buf.writeBigInt64BE(BigInt(n as number), this.pos); this.pos += 8; return;
      case 'char': this.u8(T.char); this.u32(n as number); return;
      case 'uuid': this.u8(T.uuid); this.bytes(n as Buffer); return;
      case 'decimal32': this.u8(T.decimal32); this.bytes(n as Buffer); return;
      case 'decimal64': this.u8(T.decimal64); this.bytes(n as Buffer); return;
      case 'decimal128': this.u8(T.decimal128); this.bytes(n as Buffer); return;
    }
  }

  private fixedUint(code: number, n: number): void {
    if (code === T.uint) { this.u8(T.uint); this.u32(n); }
    else if (code === T.smalluint && n < 256) { this.u8(T.smalluint); this.u8(n); }
    else if (code === T.uint0 && n === 0) this.u8(T.uint0);
    else this.uint(n);
  }

  private fixedUlong(code: number, n: number | bigint): void {
    if (code === T.ulong) { this.u8(T.ulong); this.ensure(8); this.buf.writeBigUInt64BE(BigInt(n), this.pos); this.pos += 8; }
    else if (code === T.smallulong && typeof n === 'number' && n < 256) { this.u8(T.smallulong); this.u8(n); }
    else if (code === T.ulong0 && n === 0) this.u8(T.ulong0);
    else this.ulong(n);
  }

  /** Writes an array; elements are encoded with `elementCode`'s width (str8/sym8 widen to 32 when needed). */
  array(a: AmqpArray): void {
    let code = a.elementCode;
    if ((code === T.sym8 || code === T.str8) && a.values.some((x) => textLength(x) > 255)) code = code === T.sym8 ? T.sym32 : T.str32;
    this.ensure(9);
    const mark = this.pos;
    this.pos += 9;
    if (a.descriptor !== undefined) { this.u8(T.described); this.value(a.descriptor); }
    this.u8(code);
    for (const x of a.values) this.arrayElement(code, a.descriptor !== undefined && x instanceof Described ? x.value : x);
    const bodySize = this.pos - mark - 9;
    const count = a.values.length;
    if (bodySize + 1 < 256 && count < 256 && a.code !== T.array32) {
      this.buf[mark] = T.array8; this.buf[mark + 1] = bodySize + 1; this.buf[mark + 2] = count;
      this.buf.copyWithin(mark + 3, mark + 9, this.pos);
      this.pos = mark + 3 + bodySize;
    } else {
      this.buf[mark] = T.array32; this.buf.writeUInt32BE(bodySize + 4, mark + 1); this.buf.writeUInt32BE(count, mark + 5);
    }
  }

  private arrayElement(code: number, x: AmqpValue): void {
    const raw = x instanceof Typed ? x.value : x instanceof AmqpSymbol ? x.value : x;
    switch (code) {
      case T.sym8: case T.str8: { const b = Buffer.from(String(raw), code === T.sym8 ? 'latin1' : 'utf8'); this.u8(b.length); this.bytes(b); return; }
      case T.sym32: case T.str32: { const b = Buffer.from(String(raw), code === T.sym32 ? 'latin1' : 'utf8'); this.u32(b.length); this.bytes(b); return; }
      case T.vbin8: this.u8((raw as Buffer).length); this.bytes(raw as Buffer); return;
      case T.vbin32: this.u32((raw as Buffer).length); this.bytes(raw as Buffer); return;
      case T.uint: this.u32(raw as number); return;
      case T.smalluint: case T.ubyte: this.u8(raw as number); return;
      case T.ulong: this.ensure(8); this.buf.writeBigUInt64BE(BigInt(raw as number), this.pos); this.pos += 8; return;
      case T.smallulong: this.u8(raw as number); return;
      case T.int: this.ensure(4); this.buf.writeInt32BE(raw as number, this.pos); this.pos += 4; return;
      case T.smallint: this.ensure(1); this.buf.writeInt8(raw as number, this.pos++); return;
      case T.long: this.ensure(8); this.buf.writeBigInt64BE(BigInt(raw as number), this.pos); this.pos += 8; return;
      case T.boolean: this.u8(raw ? 1 : 0); return;
      case T.uint0: case T.ulong0: case T.true: case T.false: case T.null: return;
      case T.list0: return;
      case T.list8: case T.list32: case T.map8: case T.map32: {
        // Compound elements: encode normally, then drop the constructor byte the array already has.
        const start = this.pos;
        this.value(x);
        const written = this.buf[start];
        if (written !== code) throw new TypeError(`array element encoded as 0x${written.toString(16)}, array is 0x${code.toString(16)}`);
        this.buf.copyWithin(start, start + 1, this.pos);
        this.pos -= 1;
        return;
      }
      default: {
        const start = this.pos;
        this.value(x);
        this.buf.copyWithin(start, start + 1, this.pos);
        this.pos -= 1;
      }
    }
  }
}

function textLength(x: AmqpValue): number {
  if (typeof x === 'string') return Buffer.byteLength(x, 'utf8');
  if (x instanceof AmqpSymbol) return x.value.length;
  return 0;
}

export function encodeValue(v: AmqpValue): Buffer {
  const e = new Encoder(256);
  e.value(v);
  return e.take();
}
