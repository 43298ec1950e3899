// Router annotations (reference §5): the `x-opt-qd.*` keys of the message-annotations map.
// Reading them and splicing a rebuilt map in place of the old one, at the byte level.

import { Decoder } from './codec/decoder';
import { Encoder } from './codec/encoder';
import { DecodeError } from './codec/decode-error';
import { AmqpSymbol, AmqpValue, Typed } from './codec/values';
import { TypeCode as T } from './codec/type-codes';
import { MessageHead } from './message-sections';

export const RouterKey = {
  ingress: 'x-opt-qd.ingress', trace: 'x-opt-qd.trace', to: 'x-opt-qd.to', phase: 'x-opt-qd.phase', stream: 'x-opt-qd.stream',
} as const;
const ROUTER_PREFIX = 'x-opt-qd.';

export interface RouterAnnotations {
  ingress?: string;
  trace?: string[];
  to?: string;
  phase?: number;
  stream?: boolean;
  /** The map holds x-opt-qd keys (so an egress to a stripping connection must rewrite it). */
  hasRouterKeys: boolean;
  /** User entries, kept in order for re-encoding. */
  user: [AmqpValue, AmqpValue][];
}

/** Reading is synchronous: one decoder serves every call (this is on every hop's fast path). */
const scratchDecoder = new Decoder(Buffer.alloc(0));

export function readAnnotations(payload: Buffer, head: MessageHead): RouterAnnotations {
  const out: RouterAnnotations = { hasRouterKeys: false, user: [] };
  if (head.annotationsStart < 0) return out;
  const d = scratchDecoder.reset(payload, head.annotationsStart, head.annotationsEnd);
  d.byte(); d.skip(); // descriptor
  const code = d.byte();
  if (code !== T.map8 && code !== T.map32) throw new DecodeError('message-annotations is not a map');
  const [count, end] = d.compoundHeader(code === T.map8 ? 1 : 4);
  if (count % 2 !== 0) throw new DecodeError(`map with an odd number of elements (${count})`);
  const entries: [AmqpValue, AmqpValue][] = [];
  for (let i = 0; i < count; i += 2) entries.push([d.value(), d.value()]);
  if (d.pos !== end) throw new DecodeError('message-annotations: map size mismatch');
  for (const [k, v] of entries) {
    if (k instanceof AmqpSymbol && k.value.startsWith(ROUTER_PREFIX)) {
      out.hasRouterKeys = true;
      switch (k.value) {
        case RouterKey.ingress: if (typeof v !== 'string') throw invalid('ingress'); out.ingress = v; break;
        case RouterKey.to: if (typeof v !== 'string') throw invalid('to'); out.to = v; break;
        case RouterKey.trace:
          if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid('trace');
          out.trace = v as string[]; break;
        case RouterKey.phase: {
          const n = v instanceof Typed ? v.number : v;
          if (typeof n !== 'number' || !Number.isInteger(n)) throw invalid('phase');
          out.phase = n;
          break;
        }
        case RouterKey.stream: out.stream = true; break;
        default: break; // obsolete keys (x-opt-qd.class) are dropped
      }
    } else out.user.push([k, v]);
  }
  return out;
}

function invalid(what: string): Error {
  const e = new DecodeError(`router annotation x-opt-qd.${what} has the wrong type`);
  (e as { condition?: string }).condition = 'amqp:invalid-field';
  return e;
}

export interface EgressAnnotations { phase?: number; stream?: boolean; to?: string; ingress?: string; trace?: string[] }

/**
 * The message-annotations section to send: user entries first, then router keys in the order
 * qdrouterd writes them (phase, stream, to, ingress, trace). Undefined when the section is
 * dropped (no entries left).
 */
/** Encoding is synchronous too: one encoder, the result copied out (small, from Node's pool). */
const scratchEncoder = new Encoder(512);

/** The router keys as encoded sym8 values: written on every hop, encoded once. */
const KEY_BYTES = Object.fromEntries(Object.entries(RouterKey).map(([k, v]) => {
  const e = new Encoder(32);
  e.symbol(v);
  return [k, e.take()];
})) as Record<keyof typeof RouterKey, Buffer>;

/** Encoded str8/str32 values of router ids and addresses, which repeat from message to message. */
const encodedStrings = new Map<string, Buffer>();
function encodedString(s: string): Buffer {
  let b = encodedStrings.get(s);
  if (b === undefined) {
    if (encodedStrings.size >= 4096) encodedStrings.clear(); // bounded: addresses may be many
    const e = new Encoder(s.length + 8);
    e.string(s);
    b = e.take();
    encodedStrings.set(s, b);
  }
  return b;
}

/** Writes the message-annotations section into `e`; false when it would be empty. */
function writeAnnotationsSection(e: Encoder, user: [AmqpValue, AmqpValue][], router: EgressAnnotations | undefined): boolean {
  let count = user.length;
  if (router) {
    if (router.phase) count++;
    if (router.stream) count++;
    if (router.to !== undefined) count++;
    if (router.ingress !== undefined) count++;
    if (router.trace !== undefined) count++;
  }
  if (count === 0) return false;
  e.descriptor(0x72);
  const map = e.beginCompound();
  for (const [k, v] of user) { e.value(k); e.value(v); }
  if (router) {
    if (router.phase) { e.bytes(KEY_BYTES.phase); e.int(router.phase); }
    if (router.stream) { e.bytes(KEY_BYTES.stream); e.int(1); }
    if (router.to !== undefined) { e.bytes(KEY_BYTES.to); e.bytes(encodedString(router.to)); }
    if (router.ingress !== undefined) { e.bytes(KEY_BYTES.ingress); e.bytes(encodedString(router.ingress)); }
    if (router.trace !== undefined) {
      e.bytes(KEY_BYTES.trace);
      const list = e.beginCompound();
      for (const t of router.trace) e.bytes(encodedString(t));
      e.endCompound(list, router.trace.length, 'list');
    }
  }
  e.endCompound(map, count * 2, 'map');
  return true;
}

export function encodeAnnotationsSection(user: [AmqpValue, AmqpValue][], router: EgressAnnotations | undefined): Buffer | undefined {
  const e = scratchEncoder;
  e.pos = 0;
  if (!writeAnnotationsSection(e, user, router)) return undefined;
  return Buffer.from(e.buf.subarray(0, e.pos));
}

/**
 * The bytes an egress sends in place of the message's head: everything before the
 * message-annotations, then the rebuilt section; `skip` is where the original resumes.
 */
export function rebuildHead(payload: Buffer, head: MessageHead, user: [AmqpValue, AmqpValue][], router: EgressAnnotations | undefined): { prefix: Buffer; skip: number } {
  const { cut, resume } = annotationsSpan(head);
  const e = scratchEncoder;
  e.pos = 0;
  e.ensure(cut);
  payload.copy(e.buf, 0, 0, cut);
  e.pos = cut;
  writeAnnotationsSection(e, user, router);
  return { prefix: Buffer.from(e.buf.subarray(0, e.pos)), skip: resume };
}

/** The bytes that replace payload[insertAt or annotationsStart .. annotationsEnd]: returns {prefix, skip}. */
export function spliceAnnotations(payload: Buffer, head: MessageHead, section: Buffer | undefined): { prefix: Buffer; skip: number } {
  const { cut, resume } = annotationsSpan(head);
  const before = payload.subarray(0, cut);
  const prefix = section ? Buffer.concat([before, section]) : Buffer.from(before);
  return { prefix, skip: resume };
}


/** Where the message-annotations section is (or would be inserted): bytes before `cut` are
 *  kept, the original resumes at `resume`. */
function annotationsSpan(head: MessageHead): { cut: number; resume: number } {
  return head.annotationsStart >= 0
    ? { cut: head.annotationsStart, resume: head.annotationsEnd }
    : { cut: head.insertAt, resume: head.insertAt };
}
