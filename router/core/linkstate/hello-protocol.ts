// Neighbour discovery (reference §3.3): who we heard a HELLO from recently (our `seen` list),
// when to send the next HELLO, and duplicate-id detection (our id with another instance, or one
// neighbour id with two instances on two connections). Whether a HELLO confirms a two-way
// neighbour is answered here; what follows is the node tracker's business.

import type { Action, ConnectionId } from './actions';
import { helloTo } from './compose';
import type { Hello, RouterId } from './messages';
import { Periodic } from './periodic';

export type HelloOutcome = 'two-way' | 'one-way' | 'own-id';

interface Heard {
  atMs: number;
  instance: number;
  connection: ConnectionId;
}

export class HelloProtocol {
  /** Router id → its last HELLO. */
  private readonly heard = new Map<RouterId, Heard>();
  private readonly helloPeriod: Periodic;
  /** `id/instance` of duplicates already reported. */
  private readonly duplicatesReported = new Set<string>();

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
    for (const [id, heard] of this.heard) if (nowMs - heard.atMs > this.helloMaxAgeMs) this.heard.delete(id);
    if (this.helloPeriod.due(nowMs)) out.push(helloTo(this.id, this.instance, [...this.heard.keys()]));
  }

  handle(msg: Hello, connection: ConnectionId, nowMs: number, out: Action[]): HelloOutcome {
    if (msg.id === this.id) {
      this.reportDuplicate(msg.id, msg.instance, out, connection);
      return 'own-id';
    }
    // Two live routers with one id, both our neighbours: qdrouterd would take them for one
    // router restarting at every HELLO. We can tell, and say so.
    const last = this.heard.get(msg.id);
    if (last !== undefined && last.connection !== connection && last.instance !== msg.instance) {
      this.reportDuplicate(msg.id, msg.instance, out, connection);
    }
    this.heard.set(msg.id, { atMs: nowMs, instance: msg.instance, connection });
    return msg.seen.includes(this.id) ? 'two-way' : 'one-way';
  }

  /**
   * Two routers use the id `id`: ours (reported once per other instance) or a neighbour's
   * (reported once: its two instances alternate).
   */
  reportDuplicate(id: RouterId, instance: number, out: Action[], connection?: ConnectionId): void {
    const key = id === this.id ? `${id}/${instance}` : id;
    if ((id === this.id && instance === this.instance) || this.duplicatesReported.has(key)) return;
    this.duplicatesReported.add(key);
    out.push({ type: 'duplicate-id', router: id, instance, ...(connection === undefined ? {} : { connection }) });
  }

  /** The routers in our next HELLO's `seen` list. */
  seen(): RouterId[] {
    return [...this.heard.keys()];
  }
}
