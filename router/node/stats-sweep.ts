// Once a second: the router clock deliveries are stamped with, and the counters that need a
// clock rather than an event (qdstat's delayed/stuck/blocked columns, credit starvation,
// settle rate). Costs one pass over the links and their unsettled deliveries, none per delivery.

import { Consumer, Producer } from './links';
import type { LinkStats } from './link-stats';
import type { RouterNode } from './router-node';

/** Zero credit for this long makes an outgoing link "blocked" (reference §8.6). */
const BLOCKED_AFTER_S = 10;

export function sweepStats(node: RouterNode, nowSec: number): void {
  const stats = node.stats;
  const elapsed = Math.max(1, nowSec - stats.clockSec);
  stats.clockSec = nowSec;
  let blocked = 0;
  for (const link of node.allLinks()) {
    const ctx = link.context;
    if (ctx instanceof Consumer) {
      settleRate(ctx.stats, elapsed);
      if (zeroCredit(ctx.stats, ctx.link.credit === 0, nowSec)) blocked++;
      node.deliveries.sweepStuck(ctx, nowSec);
    } else if (ctx instanceof Producer) settleRate(ctx.stats, elapsed);
  }
  stats.linksBlocked = blocked;
}

function settleRate(s: LinkStats, elapsedSec: number): void {
  s.settleRate = Math.round((s.settledCount - s.settledAtLastSweep) / elapsedSec);
  s.settledAtLastSweep = s.settledCount;
}

/** Tracks how long a link has had no credit; true when that makes it blocked. */
function zeroCredit(s: LinkStats, none: boolean, nowSec: number): boolean {
  if (!none) { s.zeroCreditSince = -1; s.zeroCreditSeconds = 0; return false; }
  if (s.zeroCreditSince < 0) s.zeroCreditSince = nowSec;
  s.zeroCreditSeconds = nowSec - s.zeroCreditSince;
  return s.zeroCreditSeconds >= BLOCKED_AFTER_S;
}
