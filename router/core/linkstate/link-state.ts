// One router's link state: its neighbours with the cost it reports for each, and the sequence
// number that versions it. Our own is edited by the node tracker; remote ones are replaced
// whole by newer LSUs.

import { AREA, type LinkStateBody, type RouterId } from './messages';

export class LinkState {
  readonly peers = new Map<RouterId, number>();
  lsSeq = 0;
  /** When an RA or LSU last vouched for it (remote link states age out). */
  lastSeenMs: number;

  constructor(readonly id: RouterId, nowMs = 0) {
    this.lastSeenMs = nowMs;
  }

  static fromBody(body: LinkStateBody, nowMs: number): LinkState {
    const ls = new LinkState(body.id, nowMs);
    ls.lsSeq = body.ls_seq;
    for (const [peer, cost] of Object.entries(body.peers)) ls.peers.set(peer, cost);
    return ls;
  }

  /** Adds a neighbour; an existing entry keeps its cost (as qdrouterd). True if added. */
  addPeer(id: RouterId, cost: number): boolean {
    if (this.peers.has(id)) return false;
    this.peers.set(id, cost);
    return true;
  }

  delPeer(id: RouterId): boolean {
    return this.peers.delete(id);
  }

  /** Forget everything (restart or max age): sequence 0 so that any LSU is newer. */
  clear(): void {
    this.peers.clear();
    this.lsSeq = 0;
  }

  get hasPeers(): boolean {
    return this.peers.size > 0;
  }

  toBody(): LinkStateBody {
    // A null-prototype record: a router may be called `__proto__`.
    const peers: Record<RouterId, number> = Object.create(null);
    for (const [id, cost] of this.peers) peers[id] = cost;
    return { id: this.id, area: AREA, ls_seq: this.lsSeq, peers };
  }
}
