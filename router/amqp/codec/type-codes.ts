// AMQP 1.0 type constructors (spec part 1, §1.6). Values on the wire: do not change.
export const TypeCode = {
  described: 0x00,
  null: 0x40,
  true: 0x41,
  false: 0x42,
  boolean: 0x56,
  ubyte: 0x50,
  ushort: 0x60,
  uint: 0x70,
  smalluint: 0x52,
  uint0: 0x43,
  ulong: 0x80,
  smallulong: 0x53,
  ulong0: 0x44,
  byte: 0x51,
  short: 0x61,
  int: 0x71,
  smallint: 0x54,
  long: 0x81,
  smalllong: 0x55,
  float: 0x72,
  double: 0x82,
  decimal32: 0x74,
  decimal64: 0x84,
  decimal128: 0x94,
  char: 0x73,
  timestamp: 0x83,
  uuid: 0x98,
  vbin8: 0xa0,
  vbin32: 0xb0,
  str8: 0xa1,
  str32: 0xb1,
  sym8: 0xa3,
  sym32: 0xb3,
  list0: 0x45,
  list8: 0xc0,
  list32: 0xd0,
  map8: 0xc1,
  map32: 0xd1,
  array8: 0xe0,
  array32: 0xf0,
} as const;

/** Size in bytes of the fixed-width value that follows a constructor, or -1 if not fixed-width. */
export function fixedWidth(code: number): number {
  switch (code >> 4) {
    case 0x4: return 0;
    case 0x5: return 1;
    case 0x6: return 2;
    case 0x7: return 4;
    case 0x8: return 8;
    case 0x9: return 16;
    default: return -1;
  }
}
