// Per-link delivery counters (qdstat -l). Plain number fields bumped on the forwarding path;
// what needs a clock (credit starvation, settle rate, stuck deliveries) is the 1-second
// sweep's (stats-sweep.ts).

import { Descriptor } from '../amqp/performatives';

export class LinkStats {
  deliveryCount = 0;
  presettledCount = 0;
  droppedPresettledCount = 0;
  acceptedCount = 0;
  rejectedCount = 0;
  releasedCount = 0;
  modifiedCount = 0;
  deliveriesDelayed1Sec = 0;
  deliveriesDelayed10Sec = 0;
  deliveriesStuck = 0;
  /** Outcomes so far, for the sweep's settle rate. */
  settledCount = 0;
  // Set by the sweep.
  settleRate = 0;
  settledAtLastSweep = 0;
  /** Sweep time (s) since which the link has had no credit, or -1. */
  zeroCreditSince = -1;
  zeroCreditSeconds = 0;

  /** One outcome on this link; `ageSec` is how long the delivery waited for it. */
  countOutcome(code: number, ageSec: number): void {
    switch (code) {
      case Descriptor.accepted: this.acceptedCount++; break;
      case Descriptor.rejected: this.rejectedCount++; break;
      case Descriptor.released: this.releasedCount++; break;
      case Descriptor.modified: this.modifiedCount++; break;
    }
    this.settledCount++;
    if (ageSec >= 1) {
      if (ageSec >= 10) this.deliveriesDelayed10Sec++;
      else this.deliveriesDelayed1Sec++;
    }
  }
}
