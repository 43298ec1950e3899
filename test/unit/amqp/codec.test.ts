// The type codec against hex vectors of every primitive encoding of AMQP 1.0 part 1 §1.6:
// each vector decodes to the value shown and re-encodes to the same bytes; the encoder picks
// the compact constructors Proton picks; malformed input raises DecodeError (amqp:decode-error).

import { expect } from 'chai';
import { Decoder, decodeValue } from '../../../router/amqp/codec/decoder';
import { DecodeError } from '../../../router/amqp/codec/decode-error';
import { Encoder, encodeValue } from '../../../router/amqp/codec/encoder';
import { TypeCode as T } from '../../../router/amqp/codec/type-codes';
import {
  AmqpArray, AmqpMap, AmqpSymbol, AmqpValue, Described, Typed, int, isWideList, long, sym, timestamp, ubyte, uint, ulong, ushort,
} from '../../../router/amqp/codec/values';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const utf8Hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const typed = (type: Typed['type'], value: number | bigint | Buffer, code: number): Typed => new Typed(type, value, code);

/** A decoded value in a form chai can compare (type names kept, wrappers unwrapped). */
function shape(v: AmqpValue): unknown {
  if (v instanceof Typed) return { [v.type]: Buffer.isBuffer(v.value) ? v.value.toString('hex') : v.value };
  if (v instanceof AmqpSymbol) return { symbol: v.value };
  if (v instanceof Described) return { descriptor: shape(v.descriptor), value: shape(v.value) };
  if (v instanceof AmqpMap) return { map: v.entries.map(([k, x]) => [shape(k), shape(x)]) };
  if (v instanceof AmqpArray) return { array: v.values.map(shape), elementCode: v.elementCode };
  if (Buffer.isBuffer(v)) return { binary: v.toString('hex') };
  if (Array.isArray(v)) return { list: v.map(shape) };
  return v;
}

interface Vector { name: string; hex: string; value: AmqpValue; reencodes?: string }

const longText = 'x'.repeat(300);
const bin256 = Buffer.alloc(256, 0xab);

// Each vector: the bytes, the value they stand for. `reencodes` is given when the encoder
// writes the value in another (equally valid) form, e.g. a boolean sent as 0x56 01.
const vectors: Vector[] = [
  { name: 'null', hex: '40', value: null },
  { name: 'true', hex: '41', value: true },
  { name: 'false', hex: '42', value: false },
  { name: 'boolean 0x56 01', hex: '5601', value: true, reencodes: '41' },
  { name: 'boolean 0x56 00', hex: '5600', value: false, reencodes: '42' },
  { name: 'ubyte', hex: '50ff', value: typed('ubyte', 255, T.ubyte) },
  { name: 'ushort', hex: '601234', value: typed('ushort', 0x1234, T.ushort) },
  { name: 'uint0', hex: '43', value: typed('uint', 0, T.uint0) },
  { name: 'smalluint', hex: '52ff', value: typed('uint', 255, T.smalluint) },
  { name: 'uint', hex: '7000000100', value: typed('uint', 256, T.uint) },
  { name: 'uint max', hex: '70ffffffff', value: typed('uint', 0xffffffff, T.uint) },
  { name: 'uint 0x70 holding a small value (kept wide)', hex: '7000000005', value: typed('uint', 5, T.uint) },
  { name: 'ulong0', hex: '44', value: typed('ulong', 0, T.ulong0) },
  { name: 'smallulong', hex: '5307', value: typed('ulong', 7, T.smallulong) },
  { name: 'ulong', hex: '800000000000000100', value: typed('ulong', 256, T.ulong) },
  { name: 'ulong max (bigint)', hex: '80ffffffffffffffff', value: typed('ulong', BigInt('18446744073709551615'), T.ulong) },
  { name: 'byte', hex: '5180', value: typed('byte', -128, T.byte) },
  { name: 'short', hex: '61fffe', value: typed('short', -2, T.short) },
  { name: 'smallint', hex: '54ff', value: typed('int', -1, T.smallint) },
  { name: 'smallint max', hex: '547f', value: typed('int', 127, T.smallint) },
  { name: 'int', hex: '7180000000', value: typed('int', -2147483648, T.int) },
  { name: 'int 0x71 holding a small value (kept wide)', hex: '71ffffffff', value: typed('int', -1, T.int) },
  { name: 'smalllong', hex: '5580', value: typed('long', -128, T.smalllong) },
  { name: 'long', hex: '81ffffffffffffff7f', value: typed('long', -129, T.long) },
  { name: 'long max (bigint)', hex: '817fffffffffffffff', value: typed('long', BigInt('9223372036854775807'), T.long) },
  { name: 'float', hex: '723fc00000', value: typed('float', 1.5, T.float) },
  { name: 'double', hex: '823ff8000000000000', value: typed('double', 1.5, T.double) },
  { name: 'timestamp', hex: '830000018bcfe56800', value: typed('timestamp', 1700000000000, T.timestamp) },
  { name: 'uuid', hex: '98' + '00112233445566778899aabbccddeeff', value: typed('uuid', hex('00112233445566778899aabbccddeeff'), T.uuid) },
  { name: 'char (UTF-32 code point)', hex: '730001f600', value: typed('char', 0x1f600, T.char) },
  { name: 'decimal32', hex: '7422500001', value: typed('decimal32', hex('22500001'), T.decimal32) },
  { name: 'vbin8', hex: 'a003010203', value: hex('010203') },
  { name: 'vbin8 empty', hex: 'a000', value: Buffer.alloc(0) },
  { name: 'vbin32', hex: 'b000000100' + bin256.toString('hex'), value: bin256 },
  { name: 'vbin32 holding 3 bytes', hex: 'b000000003010203', value: hex('010203'), reencodes: 'a003010203' },
  { name: 'str8 ASCII', hex: 'a10568656c6c6f', value: 'hello' },
  { name: 'str8 UTF-8 (size in bytes, not characters)', hex: 'a10a' + utf8Hex('héllo €'), value: 'héllo €' },
  { name: 'str8 empty', hex: 'a100', value: '' },
  { name: 'str32', hex: 'b10000012c' + utf8Hex(longText), value: longText },
  { name: 'str32 UTF-8 over 255 bytes', hex: 'b100000100' + utf8Hex('é'.repeat(128)), value: 'é'.repeat(128) },
  { name: 'sym8', hex: 'a3036162 63', value: sym('abc') },
  { name: 'sym32', hex: 'b30000012c' + utf8Hex(longText), value: sym(longText) },
  { name: 'list0', hex: '45', value: [] },
  { name: 'list8', hex: 'c006025201a10161', value: [typed('uint', 1, T.smalluint), 'a'] },
  { name: 'list8 nested', hex: 'c003024545', value: [[], []] as AmqpValue[] },
  { name: 'list32', hex: 'd0000000080000000240a10161', value: [null, 'a'] },
  { name: 'map8', hex: 'c10c04 a303666f6f a10161 40 5401', value: new AmqpMap([[sym('foo'), 'a'], [null, typed('int', 1, T.smallint)]], T.map8) },
  { name: 'map8 empty', hex: 'c10100', value: new AmqpMap([], T.map8) },
  { name: 'map32', hex: 'd10000000a00000002a30161a10162', value: new AmqpMap([[sym('a'), 'b']], T.map32) },
  { name: 'array8 of symbols', hex: 'e00a02a303616263036465 66', value: new AmqpArray(T.sym8, [sym('abc'), sym('def')]) },
  { name: 'array8 of int', hex: 'e00a02710000000100000002', value: new AmqpArray(T.int, [typed('int', 1, T.int), typed('int', 2, T.int)]) },
  { name: 'array8 of ulong0 (no bytes per element)', hex: 'e0020344', value: new AmqpArray(T.ulong0, [typed('ulong', 0, T.ulong0), typed('ulong', 0, T.ulong0), typed('ulong', 0, T.ulong0)]) },
  { name: 'array8 empty', hex: 'e00200a3', value: new AmqpArray(T.sym8, []) },
  { name: 'array32 of symbols', hex: 'f00000000d00000002a303616263036465 66', value: new AmqpArray(T.sym8, [sym('abc'), sym('def')]) },
  {
    name: 'array8 of described lists (accepted states)', hex: 'e00502005324 45',
    value: new AmqpArray(T.list0, [new Described(typed('ulong', 0x24, T.smallulong), []), new Described(typed('ulong', 0x24, T.smallulong), [])], typed('ulong', 0x24, T.smallulong)),
  },
  {
    name: 'array8 of described strings (symbolic descriptor)', hex: 'e00c0200a303666f6fa1016101 62',
    value: new AmqpArray(T.str8, [new Described(sym('foo'), 'a'), new Described(sym('foo'), 'b')], sym('foo')),
  },
  { name: 'described value (numeric descriptor)', hex: '005328c0020140', value: new Described(typed('ulong', 0x28, T.smallulong), [null]) },
  { name: 'described value (symbolic descriptor)', hex: '00a30278 79a10161', value: new Described(sym('xy'), 'a') },
];

describe('amqp codec: primitive type vectors (part 1 §1.6)', () => {
  for (const v of vectors) {
    it(`${v.name}: ${v.hex.replace(/ /g, '').slice(0, 40)}${v.hex.length > 40 ? '…' : ''}`, () => {
      const bytes = hex(v.hex);
      const decoded = decodeValue(bytes);
      expect(shape(decoded)).to.deep.equal(shape(v.value));
      expect(encodeValue(decoded).toString('hex')).to.equal(v.reencodes ?? bytes.toString('hex'));
    });
  }

  it('decodes an array32 as array32 and re-encodes it as array32 although it would fit array8', () => {
    const a = decodeValue(hex('f00000000d00000002a303616263036465 66'));
    expect(a).to.be.instanceOf(AmqpArray);
    expect((a as AmqpArray).code).to.equal(T.array32);
  });

  it('marks a list32 that would fit list8 so that it re-encodes as list32', () => {
    const l = decodeValue(hex('d0000000080000000240a10161')) as AmqpValue[];
    expect(isWideList(l)).to.equal(true);
  });

  it('keeps binaries as slices of the input (no copy)', () => {
    const buf = hex('a003010203');
    const b = decodeValue(buf) as Buffer;
    expect(b.buffer).to.equal(buf.buffer);
  });
});

describe('amqp codec: the encoder picks the compact constructors', () => {
  const cases: [string, AmqpValue, string][] = [
    ['uint 0 → uint0', uint(0), '43'],
    ['uint 255 → smalluint', uint(255), '52ff'],
    ['uint 256 → uint', uint(256), '7000000100'],
    ['uint 2^32−1 → uint', uint(0xffffffff), '70ffffffff'],
    ['ulong 0 → ulong0', ulong(0), '44'],
    ['ulong 255 → smallulong', ulong(255), '53ff'],
    ['ulong 256 → ulong', ulong(256), '800000000000000100'],
    ['ulong 2^64−1 (bigint) → ulong', ulong(BigInt('18446744073709551615')), '80ffffffffffffffff'],
    ['ubyte', ubyte(7), '5007'],
    ['ushort', ushort(65535), '60ffff'],
    ['int −128 → smallint', int(-128), '5480'],
    ['int 127 → smallint', int(127), '547f'],
    ['int 128 → int', int(128), '7100000080'],
    ['int −129 → int', int(-129), '71ffffff7f'],
    ['long −128 → smalllong', long(-128), '5580'],
    ['long 128 → long', long(128), '810000000000000080'],
    ['long −2^63 (bigint) → long', long(BigInt('-9223372036854775808')), '818000000000000000'],
    ['JS integer → smallint', 5, '5405'],
    ['JS integer above int32 → long', 2 ** 40, '810000010000000000'],
    ['JS non-integer → double', 0.5, '823fe0000000000000'],
    ['timestamp', timestamp(0), '830000000000000000'],
    ['string of 255 bytes → str8', 'a'.repeat(255), 'a1ff' + '61'.repeat(255)],
    ['string of 256 bytes → str32', 'a'.repeat(256), 'b100000100' + '61'.repeat(256)],
    ['string of 128 two-byte characters (256 bytes) → str32', 'é'.repeat(128), 'b100000100' + 'c3a9'.repeat(128)],
    ['symbol of 256 characters → sym32', sym('s'.repeat(256)), 'b300000100' + '73'.repeat(256)],
    ['binary of 255 bytes → vbin8', Buffer.alloc(255, 1), 'a0ff' + '01'.repeat(255)],
    ['empty list → list0', [], '45'],
    ['empty map → map8', new AmqpMap(), 'c10100'],
  ];
  for (const [name, value, expected] of cases) {
    it(name, () => expect(encodeValue(value).toString('hex')).to.equal(expected));
  }

  it('writes a list whose body passes 255 bytes as list32', () => {
    const list = ['a'.repeat(300)];
    const b = encodeValue(list);
    expect(b[0]).to.equal(T.list32);
    expect(b.readUInt32BE(1)).to.equal(b.length - 5);
    expect(b.readUInt32BE(5)).to.equal(1);
    expect(decodeValue(b)).to.deep.equal(list);
  });

  it('writes a list of 256 nulls as list32 (count above 255)', () => {
    const list = new Array<AmqpValue>(256).fill(null);
    const b = encodeValue(list);
    expect(b.subarray(0, 9).toString('hex')).to.equal('d0' + '00000104' + '00000100');
  });

  it('writes a map whose body passes 255 bytes as map32', () => {
    const m = new AmqpMap([[sym('k'), 'v'.repeat(300)]]);
    const b = encodeValue(m);
    expect(b[0]).to.equal(T.map32);
    expect(b.readUInt32BE(5)).to.equal(2);
    expect(shape(decodeValue(b))).to.deep.equal(shape(new AmqpMap([[sym('k'), 'v'.repeat(300)]], T.map32)));
  });

  it('writes an array of symbols as array8 with sym8 elements, widening to sym32 when one is long', () => {
    expect(encodeValue(new AmqpArray(T.sym8, [sym('a'), sym('bc')])).toString('hex')).to.equal('e00702a301610262 63'.replace(/ /g, ''));
    const wide = encodeValue(new AmqpArray(T.sym8, [sym('a'), sym('z'.repeat(256))]));
    expect(wide[0]).to.equal(T.array32);
    expect(wide[9]).to.equal(T.sym32);
    expect(shape(decodeValue(wide))).to.deep.equal(shape(new AmqpArray(T.sym32, [sym('a'), sym('z'.repeat(256))])));
  });

  it('writes an array of described values with the descriptor once', () => {
    const desc = ulong(0x24);
    const a = new AmqpArray(T.list0, [new Described(desc, []), new Described(desc, [])], desc);
    expect(encodeValue(a).toString('hex')).to.equal('e0050200532445');
  });

  it('writes several values back to back through one Encoder', () => {
    const e = new Encoder(4); // grows as needed
    e.value(null); e.value(true); e.value('hi'); e.value(sym('s'));
    expect(e.take().toString('hex')).to.equal('4041a1026869a30173');
  });
});

describe('amqp codec: malformed input raises DecodeError (amqp:decode-error)', () => {
  const bad: [string, string][] = [
    ['empty input', ''],
    ['truncated uint', '700000'],
    ['truncated ulong', '8000000000'],
    ['truncated smalluint', '52'],
    ['truncated double', '823ff8'],
    ['truncated uuid', '980011'],
    ['truncated str8', 'a1056162'],
    ['truncated vbin32 size', 'b00000'],
    ['truncated sym32 body', 'b3000000056162'],
    ['list8 whose size passes the end of the input', 'c0050252 01'],
    ['list32 whose size passes the end of the input', 'd0000000ff0000000140'],
    ['described value without its value', '005328'],
    ['unknown constructor 0x01', '01'],
    ['unknown constructor 0xff', 'ff'],
    ['unknown constructor 0x57', '57'],
    ['unknown constructor inside a list', 'c0020157'],
    ['unknown element constructor in an array', 'e0030157 00'],
    ['list8 whose declared size is larger than its elements', 'c00401520140'],
    ['list8 whose declared size is smaller than its elements', 'c00201520 1'],
    ['list8 with a count larger than its size', 'c00105'],
    ['map8 whose declared size does not match its entries', 'c1050240405440'],
    ['array8 whose declared size does not match its elements', 'e0050252010203'],
    ['map8 with an odd count', 'c104034040 40'],
    ['map32 with an odd count', 'd1000000050000000140'],
    ['invalid boolean byte', '5602'],
    ['bytes left after the value', '4040'],
  ];
  for (const [name, h] of bad) {
    it(name, () => {
      let caught: unknown;
      try { decodeValue(hex(h)); } catch (err) { caught = err; }
      expect(caught, 'no error raised').to.be.instanceOf(DecodeError);
      expect((caught as DecodeError).condition).to.equal('amqp:decode-error');
    });
  }

  it('skip() raises DecodeError on truncated and unknown input too', () => {
    expect(() => new Decoder(hex('a10561')).skip()).to.throw(DecodeError);
    expect(() => new Decoder(hex('57')).skip()).to.throw(DecodeError);
    expect(() => new Decoder(hex('0053')).skip()).to.throw(DecodeError);
  });
});
