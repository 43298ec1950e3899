// What we know of one other router (qdrouterd's RouterNode plus the mobile-sync state the C
// core keeps per router): how to reach it, its link state, its addresses and what we still
// have to ask it. The node tracker drives the transitions (README.md draws them).

import type { ConnectionId } from './actions';
import { LinkState } from './link-state';
import type { RouterId } from './messages';
import type { Route } from './shortest-paths';

export class RemoteRouter {
  /** The inter-router connection it is bound to while it is a two-way neighbour. */
  connection: ConnectionId | undefined;
  /** Last HELLO that listed us (neighbours expire after helloMaxAge without one). */
  neighbourRefreshMs = 0;
  linkState: LinkState;
  /** Boot time it announced; undefined until a HELLO, RA or LSU tells us. */
  instance: number | undefined;
  /** From the last path computation; undefined while unreachable. */
  route: Route | undefined;

  /** Last mobile_seq applied from it. */
  mobileSeq = 0;
  /** Its advertised addresses (hash key → treatment hint). */
  readonly addresses = new Map<string, number | undefined>();

  /** Send an LSR once it is reachable (new node, new neighbour, restart). */
  needLsRequest = true;
  /** An RA showed a newer mobile_seq: send a MAR once it is reachable. */
  needMar = false;
  /** A MAR went out after an out-of-order MAU; no other until a MAU is applied. */
  marOutstanding = false;
  /** Ticks spent orphaned (no link state, not a neighbour, listed by nobody); never reset. */
  orphanTicks = 0;

  constructor(readonly id: RouterId, readonly maskBit: number, instance: number | undefined, nowMs: number) {
    this.instance = instance;
    this.linkState = new LinkState(id, nowMs);
  }

  get isNeighbour(): boolean {
    return this.connection !== undefined;
  }

  /** There is no point asking a router anything before we know a way to it. */
  get reachable(): boolean {
    return this.connection !== undefined || this.route !== undefined;
  }

  /**
   * Records the instance it announced. True when it differs from a known one: the router
   * restarted, so everything learned from its previous life is void.
   */
  restarted(instance: number | undefined): boolean {
    if (instance === undefined) return false;
    if (this.instance === undefined || this.instance === instance) {
      this.instance = instance;
      return false;
    }
    this.instance = instance;
    this.linkState.clear();
    this.needLsRequest = true;
    return true;
  }

  /** Forgets its addresses (restart or removal) and returns the keys removed. */
  flushAddresses(): string[] {
    const removed = [...this.addresses.keys()];
    this.addresses.clear();
    this.mobileSeq = 0;
    return removed;
  }

  takeLsRequest(): boolean {
    if (!this.needLsRequest || !this.reachable) return false;
    this.needLsRequest = false;
    return true;
  }

  takeMarRequest(): boolean {
    if (!this.needMar || !this.reachable) return false;
    this.needMar = false;
    return true;
  }
}
