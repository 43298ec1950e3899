// Neighbour discovery (reference §3.3): who we heard a HELLO from recently (our `seen` list),
// when to send the next HELLO, and duplicate-id detection. Whether a HELLO confirms a two-way
// neighbour is answered here; what follows is the node tracker's business.

import type { Action, ConnectionId } from './actions';
import { helloTo } from './compose';
import type { Hello, RouterId } from './messages';
import { Periodic } from './periodic';

export type HelloOutcome = 'two-way' | 'one-way' | 'own-id';

export class HelloProtocol {
  /** Router id → when its last HELLO arrived. */
  private readonly heard = new Map<RouterId, number>();
  private readonly helloPeriod: Periodic;
  /** Instances of routers using our id, so each is reported once. */
  private readonly duplicatesReported = new Set<number>();

  constructor(
    private readonly id: RouterId,
    private readonly instance: number,
    helloIntervalMs: number,
    private readonly helloMaxAgeMs: number,
  ) {
    this.helloPeriod = new Periodic(helloIntervalMs);
  }

  /** Expires old entries of `seen`, then sends a HELLO if the interval has passed. */
  tick(nowMs: number, out: Action[]): void {
    for (const [id, at] of this.heard) if (nowMs - at > this.helloMaxAgeMs) this.heard.delete(id);
    if (this.helloPeriod.due(nowMs)) out.push(helloTo(this.id, this.instance, [...this.heard.keys()]));
  }

  handle(msg: Hello, connection: ConnectionId, nowMs: number, out: Action[]): HelloOutcome {
    if (msg.id === this.id) {
      this.reportDuplicate(msg.instance, out, connection);
      return 'own-id';
    }
    this.heard.set(msg.id, nowMs);
    return msg.seen.includes(this.id) ? 'two-way' : 'one-way';
  }

  /** A router with our id and another instance exists somewhere: tell the operator once. */
  reportDuplicate(instance: number, out: Action[], connection?: ConnectionId): void {
    if (instance === this.instance || this.duplicatesReported.has(instance)) return;
    this.duplicatesReported.add(instance);
    out.push({ type: 'duplicate-id', router: this.id, instance, ...(connection === undefined ? {} : { connection }) });
  }

  /** The routers in our next HELLO's `seen` list. */
  seen(): RouterId[] {
    return [...this.heard.keys()];
  }
}
