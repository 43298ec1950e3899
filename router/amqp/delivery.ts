// Deliveries as byte streams. An incoming delivery keeps its payload as slices of the frames
// it arrived in; outgoing copies read those slices through cursors and the incoming side drops
// a slice once every copy has sent it, so a large message streams through without being held.

import type { DeliveryState } from './performatives';
import type { ReceiverLink, SenderLink } from './link';

/** What an outgoing delivery reads from. */
export interface PayloadSource {
  chunks: Buffer[];
  /** Absolute index of chunks[0] (earlier chunks were dropped). */
  chunkBase: number;
  complete: boolean;
  aborted: boolean;
  readerDone?(reader: OutDelivery): void;
  readerMoved?(): void;
}

/** A complete payload made by the router itself (management replies, control messages). */
export function payloadOf(bytes: Buffer): PayloadSource {
  return { chunks: [bytes], chunkBase: 0, complete: true, aborted: false };
}

export class InDelivery implements PayloadSource {
  chunks: Buffer[] = [];
  chunkBase = 0;
  /** Payload bytes received so far. */
  size = 0;
  complete = false;
  aborted = false;
  /** Settled by the local side (a disposition was sent, or it arrived settled). */
  localSettled = false;
  /** Copies reading this payload. */
  readers: OutDelivery[] = [];
  /** Set by the router once it has decided where the delivery goes; until then the payload is kept whole. */
  routed = false;
  /** The router's state for this delivery. */
  context: unknown = undefined;
  /** Bytes held and counted against the connection. */
  held = 0;
  /** The state the sender put on its transfer (e.g. transactional-state), relayed by link routes. */
  state: DeliveryState | undefined = undefined;

  constructor(
    readonly link: ReceiverLink,
    readonly id: number,
    readonly tag: Buffer,
    readonly messageFormat: number,
    /** The sender sent it settled (pre-settled). */
    readonly remoteSettled: boolean,
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.size += chunk.length;
    if (this.routed && this.readers.length === 0) return; // nobody will read it
    this.chunks.push(chunk);
    this.held += chunk.length;
    this.link.session.connection.hold(chunk.length);
  }

  /** The payload received so far as one Buffer (copies only if it spans frames). */
  bytes(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }

  addReader(out: OutDelivery): void { this.readers.push(out); }

  readerDone(reader: OutDelivery): void {
    const i = this.readers.indexOf(reader);
    if (i >= 0) this.readers.splice(i, 1);
    this.readerMoved();
  }

  /** Drops the slices that every reader has passed. */
  readerMoved(): void {
    if (!this.routed) return;
    let min = this.chunkBase + this.chunks.length;
    for (const r of this.readers) if (r.cursorChunk < min) min = r.cursorChunk;
    let freed = 0;
    while (this.chunkBase < min) {
      freed += this.chunks.shift()!.length;
      this.chunkBase++;
    }
    if (freed > 0) { this.held -= freed; this.link.session.connection.unhold(freed); }
  }

  /** Called by the router when it has chosen every destination (possibly none). */
  doneRouting(): void {
    this.routed = true;
    this.readerMoved();
  }

  /** Settles with an outcome (or just updates the state when `settled` is false). */
  settle(state: DeliveryState | undefined, settled = true): void {
    if (this.localSettled) return;
    if (settled) this.localSettled = true;
    if (this.remoteSettled) return; // nothing to tell a sender that settled first
    this.link.session.queueDisposition(true, this.id, settled, state);
    if (settled) this.link.session.forgetIncoming(this.id);
  }
}

export class OutDelivery {
  id = -1;
  started = false;
  /** Every frame has been written. */
  sent = false;
  /** Bytes of `prefix` already written. */
  prefixOffset = 0;
  cursorChunk: number;
  cursorOffset: number;
  remoteState: DeliveryState | undefined = undefined;
  remoteSettled = false;
  localSettled = false;
  context: unknown = undefined;
  /** A state sent on the first transfer frame (link routes relay the sender's, e.g. transactional-state). */
  state: DeliveryState | undefined = undefined;
  stateSent = false;

  constructor(
    readonly link: SenderLink,
    readonly source: PayloadSource,
    /** A tag, or a number sent as an 8-byte big-endian tag (saves a Buffer per delivery). */
    readonly tag: Buffer | number,
    /** Sent pre-settled. */
    readonly settled: boolean,
    readonly messageFormat = 0,
    /** Bytes sent first, in place of the source's first `skip` bytes (rewritten annotations). */
    readonly prefix: Buffer | undefined = undefined,
    skip = 0,
  ) {
    this.cursorChunk = source.chunkBase;
    this.cursorOffset = 0;
    if (skip > 0) this.advance(skip);
  }

  private advance(n: number): void {
    const s = this.source;
    while (n > 0) {
      const chunk = s.chunks[this.cursorChunk - s.chunkBase];
      const left = chunk.length - this.cursorOffset;
      if (n < left) { this.cursorOffset += n; return; }
      n -= left;
      this.cursorChunk++;
      this.cursorOffset = 0;
    }
  }

  get tagLength(): number { return typeof this.tag === 'number' ? 8 : this.tag.length; }

  /** The tag as bytes (for traces and tests). */
  get tagBytes(): Buffer {
    if (typeof this.tag !== 'number') return this.tag;
    const b = Buffer.alloc(8);
    b.writeUInt32BE(Math.floor(this.tag / 0x100000000), 0);
    b.writeUInt32BE(this.tag >>> 0, 4);
    return b;
  }

  /** Bytes ready to be sent now. */
  available(): number {
    let n = (this.prefix ? this.prefix.length - this.prefixOffset : 0);
    const s = this.source;
    for (let i = this.cursorChunk - s.chunkBase; i < s.chunks.length; i++) n += s.chunks[i].length;
    return n - this.cursorOffset;
  }

  /** True when nothing more will ever be available. */
  get exhausted(): boolean {
    return this.source.complete && this.available() === 0;
  }

  /** Copies up to `max` ready bytes into `dst` at `at`; returns the count. */
  read(dst: Buffer, at: number, max: number): number {
    let n = 0;
    if (this.prefix && this.prefixOffset < this.prefix.length) {
      const k = Math.min(max, this.prefix.length - this.prefixOffset);
      this.prefix.copy(dst, at, this.prefixOffset, this.prefixOffset + k);
      this.prefixOffset += k;
      n += k;
    }
    const s = this.source;
    while (n < max) {
      const chunk = s.chunks[this.cursorChunk - s.chunkBase];
      if (chunk === undefined) break;
      const k = Math.min(max - n, chunk.length - this.cursorOffset);
      chunk.copy(dst, at + n, this.cursorOffset, this.cursorOffset + k);
      n += k;
      this.cursorOffset += k;
      if (this.cursorOffset === chunk.length) { this.cursorChunk++; this.cursorOffset = 0; }
    }
    s.readerMoved?.();
    return n;
  }

  /** Tells the receiver a new state without settling (a sender's transactional work, relayed). */
  updateState(state: DeliveryState): void {
    if (this.localSettled || this.settled || this.id < 0 || this.remoteSettled) return;
    this.link.session.queueDisposition(false, this.id, false, state);
  }

  /** Settles locally (tells the receiver when it has not settled yet). */
  settle(state?: DeliveryState): void {
    if (this.localSettled) return;
    this.localSettled = true;
    if (this.settled || this.id < 0) return;
    const session = this.link.session;
    if (!this.remoteSettled) session.queueDisposition(false, this.id, true, state);
    session.forgetOutgoing(this.id);
  }
}
