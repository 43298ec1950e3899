// How many more messages a rhea sender may take without queueing them past the peer's
// credit. rhea's sendable() looks at credit, but rhea only counts credit down when a
// transfer is written, so a loop on sendable() alone would queue every message at once
// (and a close would drop those still waiting for credit).

import { Sender } from 'rhea';

/** rhea's link counters (not in its typings): both change when a transfer is written. */
interface LinkCounters { credit: number; delivery_count: number }

/** `queued` counts every send() on this sender so far. */
export function room(sender: Sender, queued: number): number {
  const c = sender as unknown as LinkCounters;
  return sender.sendable() ? c.credit - (queued - c.delivery_count) : 0;
}

/** Messages handed to send() that rhea has not written yet. */
export function unwritten(sender: Sender, queued: number): number {
  return queued - (sender as unknown as LinkCounters).delivery_count;
}
