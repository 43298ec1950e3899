// Conversion of attribute values to their schema type (reference §1.2). The qdrouterd format
// gives every value as a string; JSON and YAML may give native values. The rules are qdrouterd's
// (Python `int()`, yes/true/on, enum tag or index) so that the same files mean the same thing.

import type { PropertySchema } from './schema';

export type ConversionResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Python `int(str)`: decimal, surrounding whitespace, optional sign, `_` between digits. */
const PY_INT = /^\s*[+-]?[0-9]+(?:_[0-9]+)*\s*$/;

const TRUE_WORDS = new Set(['yes', 'true', 'on']);
const FALSE_WORDS = new Set(['no', 'false', 'off']);

export function parseInteger(text: string): number | undefined {
  return PY_INT.test(text) ? Number.parseInt(text.replace(/_/g, ''), 10) : undefined;
}

/**
 * Converts a value to the type of its property schema. `text` is the source text of a YAML
 * scalar that YAML typed itself (used for string attributes: `prefix: 1.0` stays `1.0`).
 */
export function convertValue(prop: PropertySchema, value: unknown, text?: string): ConversionResult {
  if (prop.enum !== undefined) return toEnum(prop.enum, value);
  switch (prop.type) {
    case 'integer':
      return toInteger(value);
    case 'boolean':
      return toBoolean(value);
    case 'object':
      return isPlainObject(value) ? { ok: true, value } : { ok: false, message: `expected a map (JSON object), got ${show(value)}` };
    case 'array':
      return Array.isArray(value) ? { ok: true, value } : { ok: false, message: `expected a list, got ${show(value)}` };
    case 'string':
    case undefined:
      return toString(value, text);
  }
}

function toInteger(value: unknown): ConversionResult {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { ok: true, value } : { ok: false, message: `expected an integer, got ${value}` };
  }
  if (typeof value === 'string') {
    const n = parseInteger(value);
    if (n !== undefined && Number.isSafeInteger(n)) return { ok: true, value: n };
  }
  return { ok: false, message: `expected an integer, got ${show(value)}` };
}

function toBoolean(value: unknown): ConversionResult {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
    return { ok: false, message: `expected a boolean (yes/no, true/false, on/off), got ${show(value)}` };
  }
  // qdrouterd uses the truthiness of non-strings.
  if (typeof value === 'number') return { ok: true, value: value !== 0 };
  return { ok: false, message: `expected a boolean, got ${show(value)}` };
}

function toEnum(tags: readonly string[], value: unknown): ConversionResult {
  if (typeof value === 'string' && tags.includes(value)) return { ok: true, value };
  // An integer is an index into the tag list.
  const index = typeof value === 'number' ? value : typeof value === 'string' ? parseInteger(value) : undefined;
  if (index !== undefined && Number.isInteger(index) && index >= 0 && index < tags.length) return { ok: true, value: tags[index] };
  return { ok: false, message: `expected one of: ${tags.join(', ')}; got ${show(value)}` };
}

function toString(value: unknown, text: string | undefined): ConversionResult {
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: text ?? String(value) };
  return { ok: false, message: `expected a string, got ${show(value)}` };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return String(value);
}
