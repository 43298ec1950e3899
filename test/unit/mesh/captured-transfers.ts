// The transfers of the qdrouterd captures with their payloads split off the performative, and
// a reader for the capture tool's value notation (`map32{"id": "RA", "pv": smallint:1}`), which
// gives the tests an expected value that does not come from our own decoder.

import { Decoder } from '../../../router/amqp/codec/decoder';
import { decodeFields, Descriptor, readDescriptor, Transfer } from '../../../router/amqp/performatives';
import { CapturedFrame, loadCapture } from '../../helpers/wire-captures';

export interface CapturedTransfer {
  frame: CapturedFrame;
  channel: number;
  transfer: Transfer;
  payload: Buffer;
  /** The capture tool's rendering of the amqp-value section. */
  bodyNotation: string | undefined;
}

export function frameBody(hex: string): { channel: number; body: Buffer } {
  const bytes = Buffer.from(hex, 'hex');
  return { channel: bytes.readUInt16BE(6), body: bytes.subarray(bytes[4] * 4) };
}

export function capturedTransfers(file: string): CapturedTransfer[] {
  return loadCapture(file).filter((f) => f.perf === 'transfer').map((frame) => {
    const { channel, body } = frameBody(frame.hex);
    const d = new Decoder(body);
    if (readDescriptor(d) !== Descriptor.transfer) throw new Error(`${file}#${frame.index} is not a transfer`);
    const transfer = decodeFields(d, Descriptor.transfer) as unknown as Transfer;
    const at = frame.decoded?.indexOf('amqp-value ') ?? -1;
    const bodyNotation = at >= 0 ? frame.decoded!.slice(at + 'amqp-value '.length) : undefined;
    return { frame, channel, transfer, payload: body.subarray(d.pos), bodyNotation };
  });
}

/**
 * Parses the capture notation into plain JS: strings and symbols become strings, numbers
 * numbers, lists arrays, maps objects whose keys keep their spelling (`sym"id"` → `sym:id`
 * so a test sees which key type was on the wire).
 */
export function parseNotation(text: string): unknown {
  let i = 0;
  const skip = (): void => { while (text[i] === ' ' || text[i] === ',') i++; };
  const quoted = (): string => {
    const end = text.indexOf('"', i + 1);
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): unknown => {
    skip();
    if (text.startsWith('sym"', i)) { i += 3; return `sym:${quoted()}`; }
    if (text[i] === '"') return quoted();
    const m = /^(list0|list8|list32|map8|map32)([[{])/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      const isMap = m[2] === '{';
      const close = isMap ? '}' : ']';
      const items: unknown[] = [];
      const entries: [string, unknown][] = [];
      for (skip(); text[i] !== close; skip()) {
        if (!isMap) { items.push(value()); continue; }
        const k = value() as string;
        skip();
        if (text[i] !== ':') throw new Error(`expected ':' at ${i} in ${text}`);
        i++;
        entries.push([k, value()]);
      }
      i++;
      return isMap ? Object.fromEntries(entries) : items;
    }
    const n = /^(smallint|int|smalllong|long):(-?\d+)/.exec(text.slice(i));
    if (n) { i += n[0].length; return Number(n[2]); }
    throw new Error(`cannot read notation at ${i}: ${text.slice(i, i + 30)}`);
  };
  const v = value();
  return v;
}
