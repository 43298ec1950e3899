// The test broker's queues: messages per address, handed round-robin to the consumers that
// have credit, or shown to browsers (source distribution-mode `copy`) without being taken;
// drain answered when nothing more is there; released, modified and abandoned deliveries put
// back when the broker requeues.

import type { Connection, Delivery, Message, Sender } from 'rhea';

export type ConsumerOutcome = 'accepted' | 'rejected' | 'released' | 'modified';

export interface QueuesOptions {
  /** Released and modified messages, and those unsettled when their consumer goes, go back. */
  requeue: boolean;
  onOutcome(address: string, outcome: ConsumerOutcome): void;
  changed(): void;
}

/** A message given to a consumer and not settled yet. */
interface Given { address: string; message: Message; sender: Sender }

/** rhea's sender fields that its typings leave out. */
interface SenderState { credit: number; delivery_count: number; _draining?: boolean }

export class BrokerQueues {
  private readonly queues = new Map<string, Message[]>();
  private readonly consumers = new Map<string, Sender[]>();
  private readonly browsers = new Map<Sender, { address: string; seen: WeakSet<Message> }>();
  private readonly given = new Map<Delivery, Given>();
  /** Kept after a consumer goes: rhea raises the outcomes a peer sent before its detach after it. */
  private readonly addressOf = new WeakMap<Sender, string>();
  private readonly browsing = new WeakSet<Sender>();
  private readonly pumpsDue = new Set<string>();
  /** Messages handed to each sender's send(), written or not, plus credit drained. */
  private readonly queuedBy = new WeakMap<Sender, number>();

  constructor(private readonly options: QueuesOptions) {}

  depth(address: string): number { return this.queues.get(address)?.length ?? 0; }
  receiverCount(address: string): number {
    return (this.consumers.get(address)?.length ?? 0) + [...this.browsers.values()].filter((b) => b.address === address).length;
  }

  enqueue(address: string, message: Message): void {
    this.queues.set(address, [...(this.queues.get(address) ?? []), message]);
    this.schedulePump(address);
  }

  addConsumer(address: string, sender: Sender, browse: boolean): void {
    this.addressOf.set(sender, address);
    if (browse) this.browsing.add(sender);
    if (browse) this.browsers.set(sender, { address, seen: new WeakSet() });
    else this.consumers.set(address, [...(this.consumers.get(address) ?? []), sender]);
    this.schedulePump(address);
  }

  /** A consumer went: what it had not settled goes back (when requeueing), in order. */
  removeConsumers(gone: (s: Sender) => boolean): void {
    for (const [address, senders] of this.consumers) {
      const left = senders.filter((s) => !gone(s));
      if (left.length > 0) this.consumers.set(address, left);
      else this.consumers.delete(address);
    }
    for (const s of this.browsers.keys()) if (gone(s)) this.browsers.delete(s);
    // rhea raises the dispositions that came before a detach or close only when it next
    // processes, after this: let them settle what they settle first.
    setImmediate(() => {
      const abandoned = [...this.given].filter(([, g]) => gone(g.sender));
      for (const [delivery] of abandoned) this.given.delete(delivery);
      if (this.options.requeue) for (const [, g] of abandoned.reverse()) this.putBack(g.address, g.message);
      this.options.changed();
    });
    this.options.changed();
  }

  removeConnection(connection: Connection): void {
    this.removeConsumers((s) => s.connection === connection);
  }

  deleteQueue(address: string): void {
    this.queues.delete(address);
  }

  /** Takes a delivery out of the consumer's hands: a transaction decides its fate later. */
  park(delivery: Delivery): Given | undefined {
    const g = this.given.get(delivery);
    this.given.delete(delivery);
    return g;
  }

  /** Applies a consumer's outcome; `parked` for one a transaction held back. */
  settle(delivery: Delivery, outcome: ConsumerOutcome, parked?: Given): void {
    const sender = delivery.link as Sender;
    if (this.browsing.has(sender)) return; // a copy: nothing to settle
    const g = parked ?? this.given.get(delivery);
    this.given.delete(delivery);
    this.options.onOutcome(g?.address ?? this.addressOf.get(sender) ?? '', outcome);
    if (g && (outcome === 'released' || outcome === 'modified') && this.options.requeue) {
      if (outcome === 'modified' && (delivery.remote_state as { delivery_failed?: boolean } | undefined)?.delivery_failed) {
        g.message.delivery_count = (g.message.delivery_count ?? 0) + 1;
      }
      this.putBack(g.address, g.message);
    }
    this.options.changed();
  }

  /** Settled by the consumer with no outcome: consumed. */
  forget(delivery: Delivery): void {
    this.given.delete(delivery);
  }

  /** Back at the head of its queue, whatever the requeue option: a rolled-back acceptance. */
  putBack(address: string, message: Message): void {
    this.queues.set(address, [message, ...(this.queues.get(address) ?? [])]);
    this.schedulePump(address);
  }

  /**
   * Pumps on a later turn: a flow that arrives with its attach makes rhea report the link
   * sendable before it has written its own attach, and a transfer then would precede it.
   */
  schedulePump(address: string | undefined): void {
    if (address === undefined || this.pumpsDue.has(address)) return;
    this.pumpsDue.add(address);
    setImmediate(() => {
      this.pumpsDue.delete(address);
      this.pump(address);
    });
  }

  private pump(address: string): void {
    const queue = this.queues.get(address) ?? [];
    const consumers = this.consumers.get(address) ?? [];
    let idle = 0;
    while (queue.length > 0 && consumers.length > 0 && idle < consumers.length) {
      const next = consumers.shift()!;
      consumers.push(next);
      if (this.room(next) <= 0) { idle++; continue; }
      idle = 0;
      this.give(address, next, queue.shift()!, true);
    }
    for (const [sender, b] of this.browsers) {
      if (b.address !== address) continue;
      for (const m of queue) {
        if (this.room(sender) <= 0) break;
        if (b.seen.has(m)) continue;
        b.seen.add(m);
        this.give(address, sender, m, false);
      }
    }
    for (const s of [...consumers, ...[...this.browsers].filter(([, b]) => b.address === address).map(([s]) => s)]) {
      const browser = this.browsers.get(s);
      const more = browser ? queue.some((m) => !browser.seen.has(m)) : queue.length > 0;
      if (!more) this.drainIfAsked(address, s);
    }
    this.options.changed();
  }

  private give(address: string, sender: Sender, message: Message, acquired: boolean): void {
    const delivery = sender.send(message);
    if (acquired) this.given.set(delivery, { address, message, sender });
    this.queuedBy.set(sender, (this.queuedBy.get(sender) ?? 0) + 1);
  }

  /**
   * Answers a drain once nothing more is there: rhea then spends the credit left, advancing
   * delivery-count, in a flow with drain set. Waits while transfers are still being written,
   * which would otherwise be counted twice.
   */
  private drainIfAsked(address: string, sender: Sender): void {
    const s = sender as unknown as SenderState;
    if (!s._draining || s.credit <= 0 || !sender.is_open()) return;
    if (this.unwritten(sender) > 0) {
      setTimeout(() => this.schedulePump(address), 5);
      return;
    }
    this.queuedBy.set(sender, (this.queuedBy.get(sender) ?? 0) + s.credit);
    sender.set_drained(true);
    (sender.connection as unknown as { _register(): void })._register(); // set_drained does not
  }

  /**
   * Credit a sender has left. rhea counts credit down only when it writes a transfer, so
   * sendable() stays true while messages queue inside rhea, and those are lost if the
   * receiver goes away: subtract what was handed to send() and not yet written.
   */
  private room(sender: Sender): number {
    return sender.sendable() ? (sender as unknown as SenderState).credit - this.unwritten(sender) : 0;
  }

  private unwritten(sender: Sender): number {
    return (this.queuedBy.get(sender) ?? 0) - (sender as unknown as SenderState).delivery_count;
  }
}
