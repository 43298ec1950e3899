// Router annotations (reference §5): the `x-opt-qd.*` keys of the message-annotations map.
// Reading them and splicing a rebuilt map in place of the old one, at the byte level.

import { Decoder } from './codec/decoder';
import { Encoder } from './codec/encoder';
import { DecodeError } from './codec/decode-error';
import { AmqpMap, AmqpSymbol, AmqpValue, Typed } from './codec/values';
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

export function readAnnotations(payload: Buffer, head: MessageHead): RouterAnnotations {
  const out: RouterAnnotations = { hasRouterKeys: false, user: [] };
  if (head.annotationsStart < 0) return out;
  const d = new Decoder(payload, head.annotationsStart, head.annotationsEnd);
  d.byte(); d.skip(); // descriptor
  const map = d.value();
  if (!(map instanceof AmqpMap)) throw new DecodeError('message-annotations is not a map');
  for (const [k, v] of map.entries) {
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
export function encodeAnnotationsSection(user: [AmqpValue, AmqpValue][], router: EgressAnnotations | undefined): Buffer | undefined {
  const entries: [AmqpValue, AmqpValue][] = [...user];
  if (router) {
    if (router.phase) entries.push([new AmqpSymbol(RouterKey.phase), router.phase]);
    if (router.stream) entries.push([new AmqpSymbol(RouterKey.stream), 1]);
    if (router.to !== undefined) entries.push([new AmqpSymbol(RouterKey.to), router.to]);
    if (router.ingress !== undefined) entries.push([new AmqpSymbol(RouterKey.ingress), router.ingress]);
    if (router.trace !== undefined) entries.push([new AmqpSymbol(RouterKey.trace), router.trace]);
  }
  if (entries.length === 0) return undefined;
  const e = new Encoder(128);
  e.descriptor(0x72);
  e.value(new AmqpMap(entries));
  return e.take();
}

/** The bytes that replace payload[insertAt or annotationsStart .. annotationsEnd]: returns {prefix, skip}. */
export function spliceAnnotations(payload: Buffer, head: MessageHead, section: Buffer | undefined): { prefix: Buffer; skip: number } {
  const cut = head.annotationsStart >= 0 ? head.annotationsStart : head.insertAt;
  const resume = head.annotationsStart >= 0 ? head.annotationsEnd : head.insertAt;
  const before = payload.subarray(0, cut);
  const prefix = section ? Buffer.concat([before, section]) : Buffer.from(before);
  return { prefix, skip: resume };
}

