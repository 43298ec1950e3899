// A management request as it arrives (reference §7.2): reply-to and correlation-id from the
// properties (the correlation-id keeps its AMQP type), string-keyed application-properties,
// and the amqp-value body.

import { AmqpMap, AmqpSymbol, type AmqpValue, Typed } from '../amqp/codec/values';
import { readSections } from '../amqp/message-sections';
import { ManagementError } from '../common/errors';

export interface ManagementRequest {
  replyTo: string | undefined;
  /** null when absent; echoed with the same type. */
  correlationId: AmqpValue;
  properties: ReadonlyMap<string, AmqpValue>;
  body: AmqpValue;
  /** A section after the properties did not decode: answered 400 (the reply can still be sent). */
  malformed?: string;
}

/** Decodes a request; a section that does not decode is reported in `malformed`. */
export function parseRequest(payload: Buffer): ManagementRequest {
  const m = readSections(payload, true);
  const props = m.properties ?? [];
  const properties = new Map<string, AmqpValue>();
  for (const [k, v] of m.applicationProperties?.entries ?? []) {
    const key = text(k);
    if (key !== undefined) properties.set(key, v);
  }
  return { replyTo: text(props[4] ?? null), correlationId: props[5] ?? null, properties, body: m.body.length === 1 ? m.body[0] : null, malformed: m.error };
}

/** A string or symbol as a JS string. */
export function text(v: AmqpValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof AmqpSymbol) return v.value;
  return undefined;
}

/** An application property that must be a string (absent: undefined). */
export function stringProperty(req: ManagementRequest, name: string): string | undefined {
  const v = req.properties.get(name);
  if (v === undefined || v === null) return undefined;
  const s = text(v);
  if (s === undefined) throw new ManagementError(400, `application property '${name}' must be a string`);
  return s;
}

/** An application property that must be an integer (absent: undefined). */
export function intProperty(req: ManagementRequest, name: string): number | undefined {
  const v = req.properties.get(name);
  if (v === undefined || v === null) return undefined;
  const n = v instanceof Typed ? v.number : typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new ManagementError(400, `application property '${name}' must be a non-negative integer`);
  return n;
}

/** The body as a map (absent or empty: an empty map); anything else is a bad request. */
export function bodyMap(req: ManagementRequest): AmqpMap {
  if (req.body === null || req.body === undefined) return new AmqpMap();
  if (!(req.body instanceof AmqpMap)) throw new ManagementError(400, 'the request body must be a map');
  return req.body;
}
