// Finds the sections of an encoded message by their size prefixes without decoding the body:
// the router reads only `properties.to` and the message-annotations map (part 3 §3.2).

import { Decoder } from './codec/decoder';
import { DecodeError } from './codec/decode-error';
import { TypeCode as T } from './codec/type-codes';
import { AmqpMap, type AmqpValue, Described, Typed, AmqpSymbol } from './codec/values';

export const Section = {
  header: 0x70, deliveryAnnotations: 0x71, messageAnnotations: 0x72, properties: 0x73,
  applicationProperties: 0x74, data: 0x75, amqpSequence: 0x76, amqpValue: 0x77, footer: 0x78,
} as const;

/** Shared by every message without header, delivery-annotations or message-annotations (read only). */
const BARE_HEAD: MessageHead = Object.freeze({ annotationsStart: -1, annotationsEnd: -1, insertAt: 0, to: undefined, replyTo: undefined, complete: true });
/** Heads without message-annotations, by where annotations would be inserted (read only, shared). */
const bareHeads: MessageHead[] = [];
function bareHeadAt(insertAt: number): MessageHead {
  if (insertAt >= 256) return { ...BARE_HEAD, insertAt };
  return bareHeads[insertAt] ??= Object.freeze({ ...BARE_HEAD, insertAt });
}

/** Scanning is synchronous: one decoder serves every call. */
const scratch = new Decoder(Buffer.alloc(0));

export interface MessageHead {
  /** Offsets [start, end) of the message-annotations section (descriptor included), or -1. */
  annotationsStart: number;
  annotationsEnd: number;
  /** Where message-annotations would go when absent: after header and delivery-annotations. */
  insertAt: number;
  /** properties.to, when present. */
  to: string | undefined;
  /** properties.reply-to, when present. */
  replyTo: string | undefined;
  /** The head up to and including properties has been seen whole. */
  complete: boolean;
  /** header.priority when given (0-9 matter; larger values count as 9). */
  priority?: number;
  /** Offsets [start, end) of the delivery-annotations section, when there is one. */
  deliveryAnnotations?: [number, number];
}

/**
 * Scans the sections before the application data. Returns `complete: false` when `buf` ends
 * before the properties section (or the first bare section) is whole: wait for more bytes.
 */
export function scanHead(buf: Buffer, needTo = true): MessageHead {
  // Fast path: a message that starts with its bare part has no annotations to look at.
  if (!needTo && buf.length >= 3 && buf[0] === T.described && buf[1] === T.smallulong && buf[2] >= Section.properties) return BARE_HEAD;
  const head: MessageHead = { annotationsStart: -1, annotationsEnd: -1, insertAt: 0, to: undefined, replyTo: undefined, complete: false };
  const d = scratch.reset(buf);
  try {
    while (d.remaining > 0) {
      const start = d.pos;
      if (d.byte() !== T.described) throw new DecodeError('message section is not a described type');
      const code = sectionCode(d);
      if (code === Section.header) {
        const priority = readPriority(d);
        if (priority !== undefined) head.priority = priority;
        head.insertAt = d.pos;
        continue;
      }
      if (code === Section.deliveryAnnotations) { d.skip(); head.insertAt = d.pos; head.deliveryAnnotations = [start, d.pos]; continue; }
      if (code === Section.messageAnnotations) {
        d.skip();
        head.annotationsStart = start;
        head.annotationsEnd = d.pos;
        head.insertAt = start;
        continue;
      }
      if (!needTo && head.annotationsStart < 0 && head.priority === undefined && head.deliveryAnnotations === undefined) return bareHeadAt(head.insertAt);
      if (code === Section.properties) readProperties(d, head);
      head.complete = true;
      return head;
    }
  } catch (err) {
    if (err instanceof DecodeError && err.message.startsWith('truncated')) return head;
    throw err;
  }
  return head; // ran out of bytes exactly at a section boundary
}

function sectionCode(d: Decoder): number {
  const c = d.byte();
  if (c === T.smallulong) return d.byte();
  if (c === T.ulong) { const v = d.u64(); return typeof v === 'number' ? v : -1; }
  if (c === T.sym8 || c === T.sym32) {
    const name = d.ascii(c === T.sym8 ? d.byte() : d.u32());
    return SymbolicSections[name] ?? -1;
  }
  throw new DecodeError(`invalid section descriptor 0x${c.toString(16)}`);
}

const SymbolicSections: Record<string, number> = {
  'amqp:header:list': 0x70, 'amqp:delivery-annotations:map': 0x71, 'amqp:message-annotations:map': 0x72,
  'amqp:properties:list': 0x73, 'amqp:application-properties:map': 0x74, 'amqp:data:binary': 0x75,
  'amqp:amqp-sequence:list': 0x76, 'amqp:amqp-value:*': 0x77, 'amqp:footer:map': 0x78,
};

/** Reads header.priority (field 1) and leaves the decoder after the header. */
function readPriority(d: Decoder): number | undefined {
  const c = d.byte();
  if (c === T.list0) return undefined;
  if (c !== T.list8 && c !== T.list32) throw new DecodeError('header section is not a list');
  const [count, end] = d.compoundHeader(c === T.list8 ? 1 : 4);
  let priority: number | undefined;
  if (count >= 2) {
    d.skip(); // durable
    const v = d.value();
    if (v !== null && typeof v === 'object' && 'value' in v && typeof v.value === 'number') priority = Math.min(9, v.value);
  }
  d.pos = end;
  return priority;
}

/** Reads `to` (field 2) and `reply-to` (field 4) of the properties list. */
function readProperties(d: Decoder, head: MessageHead): void {
  const c = d.byte();
  if (c === T.list0) return;
  if (c !== T.list8 && c !== T.list32) throw new DecodeError('properties section is not a list');
  const [count, end] = d.compoundHeader(c === T.list8 ? 1 : 4);
  for (let i = 0; i < count && i <= 4; i++) {
    if (i === 2 || i === 4) {
      const v = d.value();
      const text = typeof v === 'string' ? v : v !== null && typeof v === 'object' && 'value' in v && typeof v.value === 'string' ? v.value : undefined;
      if (i === 2) head.to = text; else head.replyTo = text;
    } else d.skip();
  }
  d.pos = end;
}

/** Every section of a message, decoded (for the few messages the router reads whole: management requests). */
export interface MessageSections {
  header?: AmqpValue[];
  messageAnnotations?: AmqpMap;
  /** The properties list (message-id, user-id, to, subject, reply-to, correlation-id, ...). */
  properties?: AmqpValue[];
  applicationProperties?: AmqpMap;
  /** amqp-value, or the data/amqp-sequence sections in order. */
  body: AmqpValue[];
  bodySection?: number;
  /** With `partial`: why decoding stopped (the sections before it are filled in). */
  error?: string;
}

/**
 * Decodes a whole message; throws DecodeError when a section is malformed, unless `partial`
 * (then the sections read before the bad one come back with `error`).
 */
export function readSections(buf: Buffer, partial = false): MessageSections {
  const d = new Decoder(buf);
  const out: MessageSections = { body: [] };
  try {
    readInto(d, out);
  } catch (err) {
    if (!partial || !(err instanceof DecodeError)) throw err;
    out.error = err.message;
  }
  return out;
}

function readInto(d: Decoder, out: MessageSections): void {
  while (d.remaining > 0) {
    const v = d.value();
    if (!(v instanceof Described)) throw new DecodeError('message section is not a described type');
    const code = v.descriptor instanceof Typed ? v.descriptor.number : v.descriptor instanceof AmqpSymbol ? SymbolicSections[v.descriptor.value] ?? -1 : -1;
    const value = v.value;
    switch (code) {
      case Section.header: out.header = listOf(value, 'header'); break;
      case Section.deliveryAnnotations: break;
      case Section.messageAnnotations: out.messageAnnotations = mapOf(value, 'message-annotations'); break;
      case Section.properties: out.properties = listOf(value, 'properties'); break;
      case Section.applicationProperties: out.applicationProperties = mapOf(value, 'application-properties'); break;
      case Section.data: case Section.amqpSequence: case Section.amqpValue:
        out.bodySection = code;
        out.body.push(value);
        break;
      case Section.footer: break;
      default: throw new DecodeError(`unknown message section ${String(code)}`);
    }
  }
}

function listOf(v: AmqpValue, what: string): AmqpValue[] {
  if (!Array.isArray(v)) throw new DecodeError(`${what} section is not a list`);
  return v;
}

function mapOf(v: AmqpValue, what: string): AmqpMap {
  if (!(v instanceof AmqpMap)) throw new DecodeError(`${what} section is not a map`);
  return v;
}
