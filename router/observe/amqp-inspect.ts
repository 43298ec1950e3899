// Renders decoded AMQP values readably, in the style of Proton's pn_inspect (which is what
// qdrouterd's protocol traces print): "strings", :symbols, b"binary", {k=v}, [a, b] and
// @name(code) [field=value, ...] for described composites. Values are recognised by shape so
// that both the engine's codec values and plain objects render. For trace logs, not hot paths.

import { Decoder } from '../amqp/codec/decoder';

/** Descriptor names by code: performatives, SASL, termini, outcomes, message sections. */
export const DESCRIPTOR_NAMES: Readonly<Record<number, string>> = {
  0x10: 'open', 0x11: 'begin', 0x12: 'attach', 0x13: 'flow', 0x14: 'transfer', 0x15: 'disposition',
  0x16: 'detach', 0x17: 'end', 0x18: 'close', 0x1d: 'error',
  0x23: 'received', 0x24: 'accepted', 0x25: 'rejected', 0x26: 'released', 0x27: 'modified',
  0x28: 'source', 0x29: 'target', 0x2b: 'delete-on-close', 0x30: 'coordinator',
  0x40: 'sasl-mechanisms', 0x41: 'sasl-init', 0x42: 'sasl-challenge', 0x43: 'sasl-response', 0x44: 'sasl-outcome',
  0x70: 'header', 0x71: 'delivery-annotations', 0x72: 'message-annotations', 0x73: 'properties',
  0x74: 'application-properties', 0x75: 'data', 0x76: 'amqp-sequence', 0x77: 'amqp-value', 0x78: 'footer',
};

/** Field names of the composites that reach a trace as positional lists (delivery states, error). */
const POSITIONAL_FIELDS: Readonly<Record<number, readonly string[]>> = {
  0x1d: ['condition', 'description', 'info'],
  0x23: ['section-number', 'section-offset'],
  0x25: ['error'],
  0x27: ['delivery-failed', 'undeliverable-here', 'message-annotations'],
};

/** Fields whose strings are AMQP symbols on the wire (the engine decodes symbols to strings). */
const SYMBOL_FIELDS = new Set([
  'outgoingLocales', 'incomingLocales', 'offeredCapabilities', 'desiredCapabilities', 'expiryPolicy',
  'distributionMode', 'outcomes', 'capabilities', 'condition', 'mechanism', 'saslServerMechanisms',
]);

/** Binary fields that may carry credentials (SASL PLAIN): only their size is shown. */
const SECRET_FIELDS = new Set(['initialResponse', 'response']);

const ARRAY_TYPES: Readonly<Record<number, string>> = {
  0xa3: 'PN_SYMBOL', 0xb3: 'PN_SYMBOL', 0xa1: 'PN_STRING', 0xb1: 'PN_STRING', 0xa0: 'PN_BINARY', 0xb0: 'PN_BINARY',
  0x43: 'PN_UINT', 0x52: 'PN_UINT', 0x70: 'PN_UINT', 0x44: 'PN_ULONG', 0x53: 'PN_ULONG', 0x80: 'PN_ULONG',
  0x54: 'PN_INT', 0x71: 'PN_INT', 0x55: 'PN_LONG', 0x81: 'PN_LONG', 0x41: 'PN_BOOL', 0x42: 'PN_BOOL', 0x56: 'PN_BOOL',
  0x98: 'PN_UUID', 0x00: 'PN_DESCRIBED',
};

type Obj = Record<string, unknown>;

/** `deliveryId` → `delivery-id`, as the spec names fields. */
export function dashed(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** `[name=value, ...]` for an object's defined fields, in its key order. */
export function inspectFields(fields: object, skip: readonly string[] = []): string {
  const parts: string[] = [];
  for (const [key, v] of Object.entries(fields)) {
    if (v === undefined || v === null || skip.includes(key)) continue;
    parts.push(`${dashed(key)}=${inspectField(key, v)}`);
  }
  return `[${parts.join(', ')}]`;
}

function inspectField(key: string, v: unknown): string {
  if (SYMBOL_FIELDS.has(key)) {
    if (typeof v === 'string') return symbol(v);
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return `@PN_SYMBOL[${v.map(symbol).join(', ')}]`;
  }
  if (SECRET_FIELDS.has(key) && Buffer.isBuffer(v)) return `<${v.length} bytes hidden>`;
  return inspect(v);
}

export function inspect(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'number': case 'bigint': case 'boolean': return String(v);
    case 'string': return `"${escape(v)}"`;
    case 'object': return inspectObject(v as Obj);
    default: return String(v);
  }
}

function inspectObject(v: Obj): string {
  if (Buffer.isBuffer(v)) return binary(v);
  if (Array.isArray(v)) return `[${v.map(inspect).join(', ')}]`;
  if (v instanceof Date) return String(v.getTime());
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${inspect(k)}=${inspect(x)}`).join(', ')}}`;
  if (Array.isArray(v.entries)) {
    return `{${(v.entries as [unknown, unknown][]).map(([k, x]) => `${inspect(k)}=${inspect(x)}`).join(', ')}}`;
  }
  if (Array.isArray(v.values) && typeof v.elementCode === 'number') {
    return `@${ARRAY_TYPES[v.elementCode] ?? 'PN_ARRAY'}[${(v.values as unknown[]).map(inspect).join(', ')}]`;
  }
  if ('descriptor' in v && 'value' in v) return described(v.descriptor, v.value);
  if (typeof v.kind === 'number') return `${head(v.kind)} ${inspectFields(v, ['kind', 'raw'])}`;
  if (typeof v.code === 'number' && Buffer.isBuffer(v.raw)) return deliveryState(v.code, v.raw, v);
  if (typeof v.condition === 'string') return `${head(0x1d)} ${inspectFields(v)}`;
  if (typeof v.type === 'string' && 'value' in v) return typed(v.type, v.value);
  if (typeof v.value === 'string') return symbol(v.value);
  return `{${Object.entries(v).map(([k, x]) => `${k}=${inspect(x)}`).join(', ')}}`;
}

function head(code: number): string {
  const name = DESCRIPTOR_NAMES[code];
  return name === undefined ? `@${code}` : `@${name}(${code})`;
}

function described(descriptor: unknown, value: unknown): string {
  const code = descriptorCode(descriptor);
  if (code === undefined) return `@${inspect(descriptor)} ${inspect(value)}`;
  const names = POSITIONAL_FIELDS[code];
  if (names && Array.isArray(value)) {
    const parts = value.map((x, i) => (x === null || x === undefined ? '' : `${names[i] ?? i}=${inspect(x)}`));
    return `${head(code)} [${parts.filter((p) => p !== '').join(', ')}]`;
  }
  return `${head(code)} ${inspect(value)}`;
}

function descriptorCode(d: unknown): number | undefined {
  if (typeof d === 'number') return d;
  if (typeof d === 'bigint') return Number(d);
  if (d !== null && typeof d === 'object' && (d as Obj).type === 'ulong') return Number((d as Obj).value);
  return undefined;
}

/** A delivery state is relayed as its encoded bytes; decode them here to show its fields. */
function deliveryState(code: number, raw: Buffer, v: Obj): string {
  const decodedFields = Object.keys(v).some((k) => k !== 'code' && k !== 'raw');
  if (decodedFields) return `${head(code)} ${inspectFields(v, ['code', 'raw'])}`;
  try {
    const d = new Decoder(raw).value();
    if (d !== null && typeof d === 'object' && 'value' in d && Array.isArray(d.value)) return described(code, d.value);
  } catch {
    // A state we cannot decode is still worth a line: fall through to its bare name.
  }
  return `${head(code)} []`;
}

function typed(type: string, value: unknown): string {
  if (Buffer.isBuffer(value)) {
    if (type === 'uuid' && value.length === 16) {
      const h = value.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    return `0x${value.toString('hex')}`;
  }
  if (type === 'char' && typeof value === 'number') return `'${escape(String.fromCodePoint(value))}'`;
  return String(value);
}

/** Proton prints a symbol bare when it is all letters, quoted otherwise. */
export function symbol(s: string): string {
  return /^[A-Za-z]+$/.test(s) ? `:${s}` : `:"${escape(s)}"`;
}

/** Bytes outside printable ASCII become \xNN; like Proton, quotes are left as they are. */
export function binary(b: Buffer): string {
  let out = 'b"';
  for (const c of b) out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : hex(c);
  return out + '"';
}

function escape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => hex(c.charCodeAt(0)));
}

function hex(c: number): string {
  return '\\x' + (c < 16 ? '0' : '') + c.toString(16);
}
