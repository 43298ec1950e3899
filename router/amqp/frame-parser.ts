// Splits an incoming byte stream into protocol headers and frames without copying a frame that
// lies within one socket chunk: a frame is handed out as (chunk, start, end), and no Buffer view
// is made unless the caller asks for one. Frame size is checked against the negotiated maximum.

import { ProtocolError } from '../common/errors';

export const FrameType = { amqp: 0, sasl: 1 } as const;

const EMPTY = Buffer.alloc(0);

/** One frame; the parser reuses the object, so read it before asking for the next. */
export class Frame {
  type = 0;
  channel = 0;
  size = 0;
  /** The body (after the extended header) is buf[start, end); empty for a heartbeat. */
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;

  /** The body as a Buffer view. */
  get body(): Buffer { return this.buf.subarray(this.start, this.end); }
  get bodyLength(): number { return this.end - this.start; }
}

export class FrameParser {
  private pending: Buffer[] = [];
  /** Bytes of pending[0] already consumed. */
  private offset = 0;
  private pendingBytes = 0;
  private readonly frame = new Frame();
  /** Largest frame accepted (our max-frame-size). */
  maxFrameSize: number;

  constructor(maxFrameSize: number) { this.maxFrameSize = maxFrameSize; }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  get buffered(): number { return this.pendingBytes; }

  /** Takes `n` bytes from the front if available. */
  take(n: number): Buffer | undefined {
    if (this.pendingBytes < n) return undefined;
    const out = this.copyOut(n);
    this.consume(n);
    return out;
  }

  /** The next complete frame, or undefined when more bytes are needed. */
  next(): Frame | undefined {
    if (this.pendingBytes < 8) return undefined;
    const first = this.pending[0];
    const inFirst = first.length - this.offset;
    const head = inFirst >= 8 ? first : this.copyOut(8);
    const at = inFirst >= 8 ? this.offset : 0;
    const size = head.readUInt32BE(at);
    const doff = head[at + 4];
    if (size < 8) throw new ProtocolError('amqp:connection:framing-error', `frame size ${size} is below the 8-byte minimum`);
    if (size > this.maxFrameSize) throw new ProtocolError('amqp:connection:framing-error', `frame size ${size} exceeds max-frame-size ${this.maxFrameSize}`);
    if (doff < 2 || doff * 4 > size) throw new ProtocolError('amqp:connection:framing-error', `invalid data offset ${doff}`);
    if (this.pendingBytes < size) return undefined;
    const f = this.frame;
    f.type = head[at + 5];
    f.channel = head.readUInt16BE(at + 6);
    f.size = size;
    if (inFirst >= size) {
      f.buf = first;
      f.start = this.offset + doff * 4;
      f.end = this.offset + size;
    } else {
      // The frame spans chunks: copy just its bytes.
      f.buf = this.copyOut(size);
      f.start = doff * 4;
      f.end = size;
    }
    this.consume(size);
    return f;
  }

  /** The first n pending bytes copied into a new Buffer. */
  private copyOut(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let from = this.offset;
    for (const chunk of this.pending) {
      const k = Math.min(chunk.length - from, n - filled);
      chunk.copy(out, filled, from, from + k);
      filled += k;
      from = 0;
      if (filled === n) break;
    }
    return out;
  }

  private consume(n: number): void {
    this.pendingBytes -= n;
    while (n > 0) {
      const first = this.pending[0];
      const left = first.length - this.offset;
      if (left <= n) { this.pending.shift(); this.offset = 0; n -= left; }
      else { this.offset += n; n = 0; }
    }
  }
}

export const AMQP_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0]);
export const SASL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 3, 1, 0, 0]);
export const TLS_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 2, 1, 0, 0]);
