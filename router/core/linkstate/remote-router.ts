// What we know of one other router (qdrouterd's RouterNode plus the mobile-sync state the C
// core keeps per router): how to reach it, its link state, its addresses and what we still
// have to ask it. The node tracker drives the transitions (README.md draws them).

import type { ConnectionId } from './actions';
import { LinkState } from './link-state';
import type { RouterId } from './messages';
import { SeqRequest } from './seq-request';
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

  /** Its link state, wanted from creation, on becoming a neighbour and after a restart. */
  lsRequest = new SeqRequest();
  /** Its addresses, wanted when an RA or a MAU shows a mobile_seq newer than ours. */
  marRequest = new SeqRequest();
  /** A MAR went out at once after an out-of-order MAU; no other until a MAU is applied. */
  marOutstanding = false;
  /** Ticks spent orphaned (no link state, not a neighbour, listed by nobody); never reset. */
  orphanTicks = 0;

  constructor(readonly id: RouterId, readonly maskBit: number, instance: number | undefined, nowMs: number) {
    this.instance = instance;
    this.linkState = new LinkState(id, nowMs);
    this.lsRequest.want(1);
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
    this.lsRequest = new SeqRequest();
    this.lsRequest.want(1);
    this.marRequest = new SeqRequest();
    this.marOutstanding = false;
    return true;
  }

  /** Forgets its addresses (restart or removal) and returns the keys removed. */
  flushAddresses(): string[] {
    const removed = [...this.addresses.keys()];
    this.addresses.clear();
    this.mobileSeq = 0;
    return removed;
  }

  /** Time to send an LSR: wanted, reachable, and not asked within the retry interval. */
  takeLsRequest(nowMs: number): boolean {
    if (!this.reachable || !this.lsRequest.due(this.linkState.lsSeq, nowMs)) return false;
    this.lsRequest.asked(nowMs);
    return true;
  }

  takeMarRequest(nowMs: number): boolean {
    if (!this.reachable || !this.marRequest.due(this.mobileSeq, nowMs)) return false;
    this.marRequest.asked(nowMs);
    return true;
  }
}
