// Collects outgoing frames in one buffer per event-loop turn; the connection writes it with a
// single socket write. Performatives are encoded in place; payload bytes are copied once.

import { Encoder } from './codec/encoder';
import { encodeComposite } from './performatives';
import { FrameType } from './frame-parser';

export class FrameWriter {
  readonly enc = new Encoder(64 * 1024);

  get length(): number { return this.enc.pos; }

  raw(bytes: Buffer): void { this.enc.bytes(bytes); }

  /** Writes a frame whose body is `code`'s composite followed by optional payload. */
  frame(channel: number, code: number, value: object, type: number = FrameType.amqp, payload?: Buffer): void {
    const e = this.enc;
    const start = this.begin(channel, type);
    encodeComposite(e, code, value);
    if (payload) e.bytes(payload);
    e.buf.writeUInt32BE(e.pos - start, start);
  }

  heartbeat(): void {
    this.enc.ensure(8);
    this.enc.buf.writeUInt32BE(8, this.enc.pos);
    this.enc.buf.writeUInt32BE(0x02000000, this.enc.pos + 4);
    this.enc.pos += 8;
  }

  /** Starts a frame: 8-byte header with the size to be patched by the caller. Returns its offset. */
  begin(channel: number, type: number = FrameType.amqp): number {
    const e = this.enc;
    e.ensure(8);
    const start = e.pos;
    e.buf[start + 4] = 2;
    e.buf[start + 5] = type;
    e.buf.writeUInt16BE(channel, start + 6);
    e.pos += 8;
    return start;
  }

  end(start: number): void {
    this.enc.buf.writeUInt32BE(this.enc.pos - start, start);
  }

  /** Hands out what has been written; small batches are copied so the big buffer is reused. */
  take(): Buffer | undefined {
    const e = this.enc;
    if (e.pos === 0) return undefined;
    if (e.pos <= 16 * 1024) return e.take();
    const out = e.buf.subarray(0, e.pos);
    e.buf = Buffer.allocUnsafe(64 * 1024);
    e.pos = 0;
    return out;
  }
}
