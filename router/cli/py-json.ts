// JSON as qdmanage prints it (Python's json.dumps): `indent` spaces per level with `": "` after
// keys, or on one line with `", "` and `": "` when indent is null; non-ASCII escaped as \uXXXX.

export function pyJson(value: unknown, indent: number | null = 2): string {
  return encode(value, indent, 0);
}

function encode(v: unknown, indent: number | null, level: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return asciiString(v);
  // A 64-bit integer rhea could not hold in a number arrives as its 8 bytes.
  if (Buffer.isBuffer(v)) return v.length === 8 ? String(v.readBigInt64BE(0)) : asciiString(v.toString('hex'));
  if (v instanceof Date) return String(v.getTime());
  if (Array.isArray(v)) return block('[', ']', v.map((x) => encode(x, indent, level + 1)), indent, level);
  if (typeof v === 'object') {
    const items = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${asciiString(k)}: ${encode(x, indent, level + 1)}`);
    return block('{', '}', items, indent, level);
  }
  return asciiString(String(v));
}

function block(open: string, close: string, items: string[], indent: number | null, level: number): string {
  if (items.length === 0) return open + close;
  if (indent === null) return open + items.join(', ') + close;
  const inner = ' '.repeat(indent * (level + 1));
  return `${open}\n${inner}${items.join(`,\n${inner}`)}\n${' '.repeat(indent * level)}${close}`;
}

function asciiString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
