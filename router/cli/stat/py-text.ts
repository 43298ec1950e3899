// Values as qdstat prints them: Python's str() and repr() of what the agent returned, and the
// number formats of qpid_dispatch_internal/tools/display.py (PlainNum, Commas, NumKMG).

/** A 64-bit integer rhea could not hold in a number arrives as its 8 big-endian bytes. */
function bigInteger(v: Buffer): bigint {
  return v.length === 8 ? v.readBigInt64BE(0) : 0n;
}

/** A table cell: Python's str(), except that None is an empty cell (Header.formatted). */
export function pyText(v: unknown): string {
  return v === null || v === undefined ? '' : pyStr(v);
}

/** Python's str(): `None`, `True`, `['RB']`; strings as they are. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** Python's repr(), used for lists inside a cell (`['RA', 'RB']`). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return quote(v);
  if (Buffer.isBuffer(v)) return String(bigInteger(v));
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Date) return String(v.getTime());
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${quote(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** Single quotes unless the text holds one and no double quote, as Python chooses. */
function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** PlainNum: an integer without separators; anything else as text. */
export function plainNum(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(Math.trunc(v));
  return pyText(v);
}

/** Commas: a comma every three characters from the right (display.py applies it to text). */
export function commas(text: string): string {
  let rest = text;
  let result = '';
  while (rest.length > 0) {
    const right = rest.slice(-3);
    rest = rest.slice(0, -3);
    result = right + result;
    if (rest.length > 0) result = ',' + result;
  }
  return result;
}

/** NumKMG: `317 MiB` (base 1024) or `12.3 k` (base 1000); below the base, the plain number. */
export function numKMG(value: number, base: 1000 | 1024 = 1000): string {
  const suffixes = base === 1024 ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] : ['k', 'm', 'g', 't', 'p'];
  if (value < base) return String(Math.trunc(value));
  let v = value;
  for (const suffix of suffixes) {
    v /= base;
    if (v < base) return cell(v, suffix);
  }
  return cell(v, suffixes[suffixes.length - 1]);
}

function cell(v: number, suffix: string): string {
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${v.toFixed(digits)} ${suffix}`;
}
