// Writes control message bodies with the exact encodings qdrouterd 1.19 puts on the wire, so
// that a peer (or a capture diff) sees the same bytes. Two writers exist in qdrouterd:
//
// * HELLO, RA, LSR, LSU come from the Python engine through qd_py_to_composed(): string keys;
//   ints as int (smallint when they fit a byte) inside 32 bits, long beyond; an empty list as
//   list0 (qd_compose_empty_list), any other list as list32; every map as map32.
// * MAU, MAR come from the C mobile-sync module through qd_compose: symbol keys; pv and the
//   sequence numbers as long (smalllong when they fit a byte), hints as int; every list as
//   list32, even an empty one; every map as map32.
//
// The engine's Encoder would pick list8/map8 for these small values, so compounds here are
// sized deliberately (endCompound's force32) rather than by the generic value encoder.

import { Encoder } from '../amqp/codec/encoder';
import { ControlMessage, ControlOpcode, isAbsoluteMau, LinkState } from './control-types';

/** Which qdrouterd module writes a message, and so which encoding rules apply. */
export type ControlWriter = 'python' | 'c';

export const WRITERS: Record<ControlOpcode, ControlWriter> = {
  HELLO: 'python', RA: 'python', LSR: 'python', LSU: 'python', MAU: 'c', MAR: 'c',
};

type Put = (e: Encoder) => void;

const str = (s: string): Put => (e) => e.string(s);

/** A Python int as qd_py_to_composed writes it. */
const pyInt = (n: number): Put => (e) => (n >= -0x80000000 && n <= 0x7fffffff ? e.int(n) : e.long(n));

/** qd_compose_insert_long / qd_compose_insert_int (smalllong / smallint when they fit a byte). */
const cLong = (n: number): Put => (e) => e.long(n);
const cInt = (n: number): Put => (e) => e.int(n);

function list(items: Put[], writer: ControlWriter): Put {
  return (e) => {
    const mark = e.beginCompound();
    for (const put of items) put(e);
    // Python: an empty list is list0 and force32 must be off for endCompound to write it.
    e.endCompound(mark, items.length, 'list', writer === 'c' || items.length > 0);
  };
}

function map32(entries: [string, Put][], writer: ControlWriter): Put {
  return (e) => {
    const mark = e.beginCompound();
    for (const [key, put] of entries) {
      if (writer === 'c') e.symbol(key); else e.string(key);
      put(e);
    }
    e.endCompound(mark, entries.length * 2, 'map', true);
  };
}

/** Writes the amqp-value map of `m`, keys in qdrouterd's order (Python dict order, C compose order). */
export function writeControlBody(e: Encoder, m: ControlMessage): void {
  const w = WRITERS[m.opcode];
  const common: [string, Put][] = [['id', str(m.id)], ['pv', w === 'c' ? cLong(m.pv) : pyInt(m.pv)], ['area', str(m.area)]];
  let rest: [string, Put][];
  switch (m.opcode) {
    case 'HELLO': rest = [['instance', pyInt(m.instance)], ['seen', list(m.seen.map(str), w)]]; break;
    case 'RA': rest = [['instance', pyInt(m.instance)], ['ls_seq', pyInt(m.ls_seq)], ['mobile_seq', pyInt(m.mobile_seq)]]; break;
    case 'LSR': rest = []; break;
    case 'LSU': rest = [['instance', pyInt(m.instance)], ['ls_seq', pyInt(m.ls_seq)], ['ls', linkState(m.ls)]]; break;
    case 'MAR': rest = [['have_seq', cLong(m.have_seq)]]; break;
    case 'MAU': {
      const hints = list(m.hints.map(cInt), w);
      rest = isAbsoluteMau(m)
        ? [['mobile_seq', cLong(m.mobile_seq)], ['exist', list(m.exist.map(str), w)], ['hints', hints]]
        : [['mobile_seq', cLong(m.mobile_seq)], ['hints', hints], ['add', list(m.add.map(str), w)], ['del', list(m.del.map(str), w)]];
      break;
    }
    default: return assertNever(m);
  }
  map32([...common, ...rest], w)(e);
}

function linkState(ls: LinkState): Put {
  const peers: [string, Put][] = Object.entries(ls.peers).map(([id, cost]) => [id, pyInt(cost)]);
  return map32([['id', str(ls.id)], ['area', str(ls.area)], ['ls_seq', pyInt(ls.ls_seq)], ['peers', map32(peers, 'python')]], 'python');
}

function assertNever(m: never): never {
  throw new TypeError(`unknown control message ${JSON.stringify(m)}`);
}
