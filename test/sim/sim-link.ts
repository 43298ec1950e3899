// An inter-router connection between two simulated routers: FIFO in each direction, a latency
// drawn per message, a cost as each end's configuration sets it, and failure modes: closed
// (both ends are told: neighbourLost), silent (packets vanish, nobody is told) and lossy.

import type { SimRouter } from './sim-router';

export class SimLink {
  up = false;
  /** Messages vanish but neither end notices (a partition without a reset). */
  silent = false;
  /** Probability that one message is lost. */
  dropRate = 0;
  /** Bumped when the link closes or reopens: messages in flight on an old epoch are lost. */
  epoch = 0;
  /** Per receiving end: when the last message sent towards it arrives (keeps FIFO order). */
  readonly lastArrival = new Map<SimRouter, number>();

  constructor(
    readonly id: number,
    readonly a: SimRouter,
    readonly b: SimRouter,
    /** The cost each end reports for the other (qdrouterd negotiates one; tests may differ). */
    readonly costAtA: number,
    readonly costAtB: number,
  ) {}

  other(end: SimRouter): SimRouter {
    return end === this.a ? this.b : this.a;
  }

  costAt(end: SimRouter): number {
    return end === this.a ? this.costAtA : this.costAtB;
  }

  /** Carries traffic and will be seen by the routing protocol. */
  get working(): boolean {
    return this.up && !this.silent;
  }

  toString(): string {
    return `${this.a.name}—${this.b.name}`;
  }
}
