// Control messages as whole AMQP message payloads (the bytes of a transfer), laid out as
// qdrouterd 1.19 writes them (reference §3.1, wire captures §C):
//
//   header<list32>(durable=false)
//   message-annotations {x-opt-qd.ingress, x-opt-qd.trace}   (map8/list8 as sizes allow, §5.3)
//   properties<list32>(message-id=null, user-id=null, to, [subject, reply-to, correlation-id = null])
//   application-properties map32{opcode: "<OPCODE>"}
//   amqp-value map32{...}                                     (control-body-encoder.ts)
//
// The Python engine (HELLO, RA, LSR, LSU) writes 6 properties fields and a string `opcode` key;
// the C mobile-sync module (MAU, MAR) writes 3 fields and a symbol key. Decoding returns a
// typed error instead of throwing, so a bad peer is logged and ignored.

import { Decoder } from '../amqp/codec/decoder';
import { Encoder } from '../amqp/codec/encoder';
import { AmqpMap, AmqpSymbol, AmqpValue, Described, Typed } from '../amqp/codec/values';
import { Section } from '../amqp/message-sections';
import { encodeAnnotationsSection, RouterKey } from '../amqp/router-annotations';
import {
  ALL_MOBILE_SYNC_ADDRESS, ALL_ROUTERS_ADDRESS, HELLO_ADDRESS, mobileSyncAddress, routerAddress,
} from './control-addresses';
import { decodeControlBody, textOf } from './control-body-decoder';
import { WRITERS, writeControlBody } from './control-body-encoder';
import { ControlMessageError } from './control-message-error';
import { ControlEnvelope, ControlMessage, isAbsoluteMau } from './control-types';

export type ControlDecodeResult =
  | { ok: true; envelope: ControlEnvelope }
  | { ok: false; error: ControlMessageError };

/** The payload of a control message transfer. */
export function encodeControlMessage(env: ControlEnvelope): Buffer {
  const python = WRITERS[env.message.opcode] === 'python';
  const e = new Encoder(512);

  e.descriptor(Section.header);
  const header = e.beginCompound();
  e.bool(false); // durable
  e.endCompound(header, 1, 'list', true);

  if (env.ingress !== undefined || env.trace !== undefined) {
    e.bytes(encodeAnnotationsSection([], { ingress: env.ingress, trace: env.trace })!);
  }

  e.descriptor(Section.properties);
  const props = e.beginCompound();
  e.null(); // message-id
  e.null(); // user-id
  e.string(env.to);
  if (python) { e.null(); e.null(); e.null(); } // subject, reply-to, correlation-id
  e.endCompound(props, python ? 6 : 3, 'list', true);

  e.descriptor(Section.applicationProperties);
  const app = e.beginCompound();
  if (python) e.string('opcode'); else e.symbol('opcode');
  e.string(env.message.opcode);
  e.endCompound(app, 2, 'map', true);

  e.descriptor(Section.amqpValue);
  writeControlBody(e, env.message);
  return e.take();
}

/** Reads a control message payload; never throws. */
export function decodeControlMessage(payload: Buffer): ControlDecodeResult {
  try {
    return { ok: true, envelope: readEnvelope(payload) };
  } catch (err) {
    if (err instanceof ControlMessageError) return { ok: false, error: err };
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, error: new ControlMessageError('malformed', `control message is not well-formed: ${why}`, {}, err) };
  }
}

/**
 * The `to` qdrouterd uses for `message`; `target` is the router a unicast goes to (LSR, LSU,
 * MAR, and the absolute MAU that answers a MAR).
 */
export function controlAddressFor(message: ControlMessage, target?: string): string {
  const unicast = (address: (id: string) => string): string => {
    if (target === undefined) throw new TypeError(`${message.opcode} is unicast: a target router is needed`);
    return address(target);
  };
  switch (message.opcode) {
    case 'HELLO': return HELLO_ADDRESS;
    case 'RA': return ALL_ROUTERS_ADDRESS;
    case 'LSR': case 'LSU': return unicast(routerAddress);
    case 'MAR': return unicast(mobileSyncAddress);
    case 'MAU': return isAbsoluteMau(message) ? unicast(mobileSyncAddress) : ALL_MOBILE_SYNC_ADDRESS;
  }
}

/** Router annotations of a message this router originates: `0/<id>` as ingress and sole trace entry. */
export function originAnnotations(routerId: string): { ingress: string; trace: string[] } {
  return { ingress: `0/${routerId}`, trace: [`0/${routerId}`] };
}

const SYMBOLIC_SECTIONS: Record<string, number> = {
  'amqp:header:list': Section.header, 'amqp:delivery-annotations:map': Section.deliveryAnnotations,
  'amqp:message-annotations:map': Section.messageAnnotations, 'amqp:properties:list': Section.properties,
  'amqp:application-properties:map': Section.applicationProperties, 'amqp:data:binary': Section.data,
  'amqp:amqp-sequence:list': Section.amqpSequence, 'amqp:amqp-value:*': Section.amqpValue, 'amqp:footer:map': Section.footer,
};

function sectionCode(descriptor: AmqpValue): number {
  if (descriptor instanceof Typed && descriptor.type === 'ulong') return descriptor.number;
  if (descriptor instanceof AmqpSymbol) return SYMBOLIC_SECTIONS[descriptor.value] ?? -1;
  return -1;
}

function malformed(message: string, key?: string): ControlMessageError {
  return new ControlMessageError('malformed', message, { key });
}

function readEnvelope(payload: Buffer): ControlEnvelope {
  const env: Partial<ControlEnvelope> = {};
  let opcode: string | undefined;
  let body: AmqpValue | undefined;
  const d = new Decoder(payload);
  while (d.remaining > 0) {
    const section = d.value();
    if (!(section instanceof Described)) throw malformed('a message section is not a described value');
    const v = section.value;
    switch (sectionCode(section.descriptor)) {
      case Section.header: case Section.deliveryAnnotations: case Section.footer: break;
      case Section.messageAnnotations: readRouterAnnotations(v, env); break;
      case Section.properties:
        if (!Array.isArray(v)) throw malformed('properties is not a list', 'properties');
        env.to = textOf(v[2]);
        break;
      case Section.applicationProperties:
        if (!(v instanceof AmqpMap)) throw malformed('application-properties is not a map', 'application-properties');
        opcode = textOf(v.get('opcode'));
        break;
      case Section.amqpValue: body = v; break;
      case Section.data: case Section.amqpSequence: throw malformed('the body is not an amqp-value', 'body');
      default: throw malformed('unknown message section');
    }
  }
  if (env.to === undefined) throw new ControlMessageError('missing-key', 'control message without properties.to', { key: 'to' });
  if (opcode === undefined) throw new ControlMessageError('missing-key', 'control message without a string application-properties.opcode', { key: 'opcode' });
  if (body === undefined) throw new ControlMessageError('missing-key', `${opcode} without an amqp-value body`, { opcode, key: 'body' });
  const out: ControlEnvelope = { to: env.to, message: decodeControlBody(opcode, body) };
  if (env.ingress !== undefined) out.ingress = env.ingress;
  if (env.trace !== undefined) out.trace = env.trace;
  return out;
}

/** ingress and trace with the types of §5.1; other annotations are not the mesh's business. */
function readRouterAnnotations(v: AmqpValue, env: Partial<ControlEnvelope>): void {
  if (!(v instanceof AmqpMap)) throw malformed('message-annotations is not a map', 'message-annotations');
  for (const [k, value] of v.entries) {
    if (!(k instanceof AmqpSymbol)) continue;
    if (k.value === RouterKey.ingress) {
      if (typeof value !== 'string') throw new ControlMessageError('wrong-type', 'x-opt-qd.ingress is not a string', { key: RouterKey.ingress });
      env.ingress = value;
    } else if (k.value === RouterKey.trace) {
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) {
        throw new ControlMessageError('wrong-type', 'x-opt-qd.trace is not a list of strings', { key: RouterKey.trace });
      }
      env.trace = value as string[];
    }
  }
}
