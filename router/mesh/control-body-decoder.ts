// Validates a decoded control body into a typed message, accepting what qdrouterd accepts:
// string or symbol keys and strings, any AMQP integer type for numbers (not booleans), AMQP
// lists (an array is refused, as qdrouterd's Python reads it as nothing), maps for `ls` and
// `peers`. `pv` and `instance` may be absent (0), `area` too (both implementations ignore it).
// Throws ControlMessageError; control-message.ts turns it into a returned result.

import { AmqpMap, AmqpSymbol, AmqpValue, Typed, TypedKind } from '../amqp/codec/values';
import { ControlMessageError } from './control-message-error';
import { AREA, ControlMessage, ControlOpcode, LinkState, MobileAddressUpdate, PROTOCOL_VERSION } from './control-types';

const OPCODES: readonly string[] = ['HELLO', 'RA', 'LSR', 'LSU', 'MAU', 'MAR'] satisfies ControlOpcode[];
const INTEGER_KINDS: ReadonlySet<TypedKind> = new Set<TypedKind>(['ubyte', 'ushort', 'uint', 'ulong', 'byte', 'short', 'int', 'long']);

export function isControlOpcode(s: string): s is ControlOpcode {
  return OPCODES.includes(s);
}

export function textOf(v: AmqpValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof AmqpSymbol) return v.value;
  return undefined;
}

function integerOf(v: AmqpValue | undefined): number | undefined {
  if (!(v instanceof Typed) || !INTEGER_KINDS.has(v.type)) return undefined;
  // The decoder hands back a bigint beyond 2^53: no sequence number or cost gets there.
  return typeof v.value === 'number' ? v.value : undefined;
}

/** Typed reads of one body map; `path` prefixes keys in errors (`ls.peers`). */
class BodyFields {
  constructor(private readonly map: AmqpMap, private readonly opcode: string, private readonly routerId?: string, private readonly path = '') {}

  private fail(problem: 'missing-key' | 'wrong-type', key: string, what: string): never {
    const where = this.path + key;
    throw new ControlMessageError(problem, `${this.opcode}${this.routerId ? ` from ${this.routerId}` : ''}: ${where} ${what}`,
      { opcode: this.opcode, key: where, routerId: this.routerId });
  }

  private get(key: string): AmqpValue | undefined {
    const v = this.map.get(key);
    if (v === undefined) this.fail('missing-key', key, 'is missing');
    return v;
  }

  has(key: string): boolean { return this.map.get(key) !== undefined; }

  string(key: string, fallback?: string): string {
    if (fallback !== undefined && !this.has(key)) return fallback;
    return textOf(this.get(key)) ?? this.fail('wrong-type', key, 'is not a string');
  }

  integer(key: string, fallback?: number): number {
    if (fallback !== undefined && !this.has(key)) return fallback;
    return integerOf(this.get(key)) ?? this.fail('wrong-type', key, 'is not an integer');
  }

  list(key: string): AmqpValue[] {
    const v = this.get(key);
    return Array.isArray(v) ? v : this.fail('wrong-type', key, 'is not a list');
  }

  strings(key: string): string[] {
    return this.list(key).map((x) => textOf(x) ?? this.fail('wrong-type', key, 'holds a value that is not a string'));
  }

  fields(key: string): BodyFields {
    const v = this.get(key);
    if (!(v instanceof AmqpMap)) this.fail('wrong-type', key, 'is not a map');
    return new BodyFields(v, this.opcode, this.routerId, `${this.path}${key}.`);
  }

  /** A map of router id → integer (LSU peers), in an object without prototype. */
  costs(key: string): Record<string, number> {
    const v = this.get(key);
    if (!(v instanceof AmqpMap)) this.fail('wrong-type', key, 'is not a map');
    const out: Record<string, number> = Object.create(null);
    for (const [k, cost] of v.entries) {
      const id = textOf(k) ?? this.fail('wrong-type', key, 'has a key that is not a string');
      out[id] = integerOf(cost) ?? this.fail('wrong-type', `${key}.${id}`, 'is not an integer');
    }
    return out;
  }

  /** Hints as qdrouterd uses them: only a list of integers as long as the address list. */
  hints(count: number): number[] {
    const v = this.map.get('hints');
    if (!Array.isArray(v) || v.length !== count) return [];
    const hints = v.map(integerOf);
    return hints.every((h) => h !== undefined) ? (hints as number[]) : [];
  }
}

/** The typed message for `opcode` and its amqp-value `body`. */
export function decodeControlBody(opcode: string, body: AmqpValue): ControlMessage {
  if (!isControlOpcode(opcode)) throw new ControlMessageError('unknown-opcode', `unknown control opcode '${opcode}'`, { opcode });
  if (!(body instanceof AmqpMap)) throw new ControlMessageError('wrong-type', `${opcode}: the amqp-value body is not a map`, { opcode, key: 'body' });
  const routerId = textOf(body.get('id'));
  const f = new BodyFields(body, opcode, routerId);
  // Like qdrouterd, the version is checked before the rest of the body.
  const pv = f.integer('pv', 0);
  if (pv > PROTOCOL_VERSION) {
    throw new ControlMessageError('unsupported-version', `${opcode} from ${routerId ?? '<unknown>'} has protocol version ${pv}`, { opcode, key: 'pv', routerId });
  }
  const common = { id: f.string('id'), pv, area: f.string('area', AREA) };
  switch (opcode) {
    case 'HELLO': return { opcode, ...common, instance: f.integer('instance', 0), seen: f.strings('seen') };
    case 'RA': return { opcode, ...common, instance: f.integer('instance', 0), ls_seq: f.integer('ls_seq'), mobile_seq: f.integer('mobile_seq') };
    case 'LSR': return { opcode, ...common };
    case 'LSU': return { opcode, ...common, instance: f.integer('instance', 0), ls_seq: f.integer('ls_seq'), ls: linkState(f.fields('ls')) };
    case 'MAR': return { opcode, ...common, have_seq: f.integer('have_seq') };
    case 'MAU': return mau(f, common);
  }
}

function linkState(f: BodyFields): LinkState {
  return { id: f.string('id'), area: f.string('area', AREA), ls_seq: f.integer('ls_seq'), peers: f.costs('peers') };
}

/** qdrouterd's rule: `exist` alone (absolute), or both `add` and `del` (differential). */
function mau(f: BodyFields, common: { id: string; pv: number; area: string }): MobileAddressUpdate {
  const mobile_seq = f.integer('mobile_seq');
  if (f.has('exist')) {
    if (f.has('add') || f.has('del')) {
      throw new ControlMessageError('malformed', `MAU from ${common.id}: exist is combined with add/del`, { opcode: 'MAU', key: 'exist', routerId: common.id });
    }
    const exist = f.strings('exist');
    return { opcode: 'MAU', ...common, mobile_seq, exist, hints: f.hints(exist.length) };
  }
  const add = f.strings('add');
  const del = f.strings('del');
  return { opcode: 'MAU', ...common, mobile_seq, hints: f.hints(add.length), add, del };
}
