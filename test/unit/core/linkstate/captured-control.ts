// The control messages of wire capture 1 (two real qdrouterd 1.19 routers, RA and RB), decoded
// with our codec into the plain model of router/core/linkstate/messages.ts: body keys in wire
// order, `to` from the properties section, opcode from application-properties.

import { Decoder } from '../../../../router/amqp/codec/decoder';
import { AmqpMap, Described, toPlain, type AmqpValue } from '../../../../router/amqp/codec/values';
import type { ControlMessage } from '../../../../router/core/linkstate/messages';
import { loadCapture } from '../../../helpers/wire-captures';

export interface CapturedControl {
  /** Seconds since the first frame of the capture. */
  t: number;
  /** 'A->B' (RA to RB) or 'B->A'. */
  dir: string;
  to: string;
  message: ControlMessage;
}

const SECTION_PROPERTIES = 0x73;
const SECTION_APPLICATION_PROPERTIES = 0x74;
const SECTION_AMQP_VALUE = 0x77;

export function capturedControlMessages(): CapturedControl[] {
  const out: CapturedControl[] = [];
  for (const frame of loadCapture('1-inter-router')) {
    const raw = frame as unknown as { t: number; tag: string };
    if (raw.tag !== 'IR' || frame.perf !== 'transfer') continue;
    const buf = Buffer.from(frame.hex, 'hex');
    const d = new Decoder(buf, buf[4] * 4);
    d.value(); // the transfer performative
    const sections = new Map<number, AmqpValue>();
    while (d.remaining > 0) {
      const section = d.value() as Described;
      sections.set(Number(toPlain(section.descriptor)), section.value);
    }
    const to = (sections.get(SECTION_PROPERTIES) as AmqpValue[])[2] as string;
    const opcode = toPlain((sections.get(SECTION_APPLICATION_PROPERTIES) as AmqpMap).get('opcode')!) as ControlMessage['opcode'];
    const body = toPlain(sections.get(SECTION_AMQP_VALUE)!) as Record<string, unknown>;
    out.push({ t: raw.t, dir: frame.dir, to, message: { opcode, ...body } as ControlMessage });
  }
  return out;
}

/** The body as it goes on the wire: the message without its opcode, keys in order. */
export function wireBody(message: ControlMessage): string {
  const { opcode: _opcode, ...body } = message;
  return JSON.stringify(body);
}
