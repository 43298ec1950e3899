// An at-least-once producer, as a JMS failover client behaves: for the failover tests.

import type { Delivery, EventContext, Sender } from 'rhea';

/**
 * Sends every body until each has been accepted: whatever comes back released, modified or
 * rejected is sent again; at most `window` in flight. Durable messages (they survive a broker).
 */
export function sendAtLeastOnce(sender: Sender, bodies: string[], window = 100): { accepted: Set<string>; resent: () => number } {
  const pending = [...bodies];
  const accepted = new Set<string>();
  const inflight = new Map<Delivery, string>();
  let resent = 0;
  const pump = (): void => {
    while (pending.length > 0 && inflight.size < window && sender.sendable()) {
      const body = pending.shift()!;
      inflight.set(sender.send({ body, durable: true }), body);
    }
  };
  const settled = (ctx: EventContext, ok: boolean): void => {
    const body = inflight.get(ctx.delivery!);
    if (body === undefined) return; // rhea reports a modified delivery as released too
    inflight.delete(ctx.delivery!);
    if (ok) accepted.add(body);
    else { pending.unshift(body); resent++; }
    pump();
  };
  sender.on('accepted', (ctx: EventContext) => settled(ctx, true));
  for (const e of ['released', 'modified', 'rejected']) sender.on(e, (ctx: EventContext) => settled(ctx, false));
  sender.on('sendable', pump);
  pump();
  return { accepted, resent: () => resent };
}
