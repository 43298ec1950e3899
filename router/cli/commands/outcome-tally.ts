// Counts the outcomes of sent deliveries, once each (a peer may send more than one
// disposition for a delivery), and remembers why messages were rejected.

import { Delivery, Sender } from 'rhea';
import { out } from './command';
import { errorText } from './client';

const OUTCOMES = ['accepted', 'rejected', 'released', 'modified'] as const;
type Outcome = typeof OUTCOMES[number];

export class OutcomeTally {
  readonly counts: Record<Outcome, number> = { accepted: 0, rejected: 0, released: 0, modified: 0 };
  total = 0;
  private readonly seen = new WeakSet<Delivery>();
  /** Rejection reason → how many. */
  private readonly rejections = new Map<string, number>();

  watch(sender: Sender, onOutcome: () => void): void {
    for (const outcome of OUTCOMES) {
      sender.on(outcome, (ctx) => {
        const d = ctx.delivery!;
        if (this.seen.has(d)) return;
        this.seen.add(d);
        this.counts[outcome]++;
        this.total++;
        if (outcome === 'rejected') {
          const why = errorText((d.remote_state as { error?: unknown } | undefined)?.error);
          this.rejections.set(why, (this.rejections.get(why) ?? 0) + 1);
        }
        onOutcome();
      });
    }
  }

  allAccepted(count: number): boolean {
    return this.counts.accepted === count;
  }

  print(sent: number): void {
    const c = this.counts;
    out(`sent ${sent}: accepted ${c.accepted}, rejected ${c.rejected}, released ${c.released}, modified ${c.modified}`);
    for (const [why, n] of this.rejections) out(`  rejected ${n}: ${why}`);
  }
}
