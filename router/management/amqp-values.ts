// The AMQP types management values are sent with, as qdrouterd sends them (wire capture 3):
// counters ulong, small quantities uint, phases and priorities int; attributes of the entities
// the Python agent owns go as Python's ints do (long).

import { AmqpMap, type AmqpValue, int, long, uint, ulong, toPlain } from '../amqp/codec/values';

export const ul = (n: number): AmqpValue => ulong(n);
export const ui = (n: number): AmqpValue => uint(Math.max(0, Math.floor(n)));
export const i32 = (n: number): AmqpValue => int(n);
export const i64 = (n: number): AmqpValue => long(n);
export const optional = <T>(v: T | undefined, f: (x: T) => AmqpValue): AmqpValue => (v === undefined || v === null ? null : f(v));

/** A configuration attribute (JSON-like) as an AMQP value: integers with `intType`, maps with string keys. */
export function configValue(v: unknown, intType: 'int' | 'long' = 'long'): AmqpValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? (intType === 'int' ? int(v) : long(v)) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => configValue(x, intType));
  if (typeof v === 'object') return new AmqpMap(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, configValue(x, intType)]));
  return String(v);
}

/** A request value as plain JS (strings, numbers, booleans, objects), for validation. */
export function plainValue(v: AmqpValue): unknown {
  return toPlain(v);
}
