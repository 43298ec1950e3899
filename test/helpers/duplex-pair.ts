// Two connected Duplex streams, in the spirit of aedes' test/helper.js duplexPair(): what one
// side writes the other reads, so an engine Connection runs with no socket. Bytes cross on the
// next tick (as from a socket, never inside the writer's call), ending one side ends the
// other's reading (a FIN), and destroying one side ends the other.

import { Duplex } from 'node:stream';

class PairEnd extends Duplex {
  peer!: PairEnd;
  /** Every chunk this end wrote, in order (for tests that look at the bytes). */
  readonly written: Buffer[] = [];

  constructor() { super({ allowHalfOpen: false }); }

  override _read(): void { /* data is pushed by the peer's writes */ }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(chunk);
    process.nextTick(() => {
      if (!this.peer.readableEnded && !this.peer.destroyed) this.peer.push(chunk);
      callback();
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    process.nextTick(() => {
      this.peer.finPeer();
      callback();
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    process.nextTick(() => this.peer.finPeer());
    callback(err);
  }

  /** The peer's writing side ended: our reading side ends. */
  private finPeer(): void {
    if (!this.readableEnded && !this.destroyed) this.push(null);
  }
}

export type DuplexEnd = PairEnd;

/** Returns [a, b]: a's writes are b's reads and the other way round. */
export function duplexPair(): [DuplexEnd, DuplexEnd] {
  const a = new PairEnd();
  const b = new PairEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
