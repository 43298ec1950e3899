// Splits an incoming byte stream into protocol headers and frames, without copying a frame
// that lies within one socket chunk. Frame size is checked against the negotiated maximum.

import { ProtocolError } from '../common/errors';

export const FrameType = { amqp: 0, sasl: 1 } as const;

export interface Frame {
  type: number;
  channel: number;
  /** The frame body after the extended header; empty for a heartbeat. */
  body: Buffer;
  size: number;
}

export class FrameParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Largest frame accepted (our max-frame-size). */
  maxFrameSize: number;

  constructor(maxFrameSize: number) { this.maxFrameSize = maxFrameSize; }

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  get buffered(): number { return this.pendingBytes; }

  /** Takes `n` bytes from the front if available. */
  take(n: number): Buffer | undefined {
    if (this.pendingBytes < n) return undefined;
    const head = this.gather(n);
    this.consume(n);
    return head;
  }

  /** The next complete frame, or undefined when more bytes are needed. */
  next(): Frame | undefined {
    if (this.pendingBytes < 8) return undefined;
    const head = this.gather(8);
    const size = head.readUInt32BE(0);
    const doff = head[4];
    if (size < 8) throw new ProtocolError('amqp:connection:framing-error', `frame size ${size} is below the 8-byte minimum`);
    if (size > this.maxFrameSize) throw new ProtocolError('amqp:connection:framing-error', `frame size ${size} exceeds max-frame-size ${this.maxFrameSize}`);
    if (doff < 2 || doff * 4 > size) throw new ProtocolError('amqp:connection:framing-error', `invalid data offset ${doff}`);
    if (this.pendingBytes < size) return undefined;
    const frame = this.gather(size);
    this.consume(size);
    // One frame object, reused: the caller is done with it before asking for the next.
    const f = this.frame;
    f.type = frame[5];
    f.channel = frame.readUInt16BE(6);
    f.body = frame.subarray(doff * 4);
    f.size = size;
    return f;
  }

  private readonly frame: Frame = { type: 0, channel: 0, body: EMPTY, size: 0 };

  /** The first n bytes as one Buffer (a slice when they lie in the first chunk, else one concatenation). */
  private gather(n: number): Buffer {
    const first = this.pending[0];
    if (first.length >= n) return first.subarray(0, n);
    // The frame spans chunks: copy just its bytes, and leave the rest of the last chunk in place.
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (const chunk of this.pending) {
      const k = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, k);
      filled += k;
      if (filled === n) break;
    }
    return out;
  }

  private consume(n: number): void {
    this.pendingBytes -= n;
    while (n > 0) {
      const first = this.pending[0];
      if (first.length <= n) { this.pending.shift(); n -= first.length; }
      else { this.pending[0] = first.subarray(n); n = 0; }
    }
  }
}

const EMPTY = Buffer.alloc(0);

export const AMQP_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0]);
export const SASL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 3, 1, 0, 0]);
export const TLS_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 2, 1, 0, 0]);
