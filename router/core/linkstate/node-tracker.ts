// The node tracker (reference §3.8): every other router we know, our own link state, neighbour
// binding and expiry, restart detection, when to recompute paths and whom to ask for link
// state. Mobile addresses are mobile-sync.ts's; HELLO bookkeeping is hello-protocol.ts's.
//
// Contents:
//   neighbourRefresh   a two-way HELLO arrived on a connection
//   connectionLost     an inter-router connection closed
//   raReceived         an RA arrived (instance, LS age, LSR right away, MAR later)
//   lsuReceived        a newer link state arrived
//   routerLearned      an LSR or a peer list named a router
//   tick               expiry, flux, own ls_seq, recompute, pending LSRs and MARs
//   applyChanges       the part of tick that turns changes into a new ls_seq and new routes

import type { Action, ConnectionId } from './actions';
import { lsrTo, marTo } from './compose';
import { LinkState } from './link-state';
import { MaskBits } from './mask-bits';
import { Periodic } from './periodic';
import type { LinkStateUpdate, Opcode, RouterAdvertisement, RouterId } from './messages';
import { RemoteRouter } from './remote-router';
import { computeRoutes, type Peers, type RoutingTable } from './shortest-paths';
import type { LinkStateTimers } from './timing';

/** Ticks an orphaned router survives before it is forgotten (qdrouterd: deleted on the 3rd). */
const ORPHAN_TICKS = 2;
/** qdrouterd's engine tick, which expiry runs on. */
const EXPIRY_PERIOD_MS = 1000;

export class NodeTracker {
  readonly ownLinkState: LinkState;
  /** Insertion order is qdrouterd's collection order (it decides placeholder links). */
  readonly nodes = new Map<RouterId, RemoteRouter>();
  private readonly byConnection = new Map<ConnectionId, RemoteRouter>();
  private readonly maskBits = new MaskBits();
  private linkStateChanged = false;
  private recomputePending = false;
  private lastTopologyChangeMs: number | undefined;
  private readonly expiryPeriod = new Periodic(EXPIRY_PERIOD_MS);
  /** Routers refused for want of a mask bit (reported once). */
  private readonly refused = new Set<RouterId>();
  private table: RoutingTable = { radius: 0, diameter: 0, routes: new Map() };

  constructor(
    private readonly id: RouterId,
    private readonly timers: LinkStateTimers,
    /** Whether an inter-router connection is still open (the engine tracks them). */
    private readonly connectionOpen: (connection: ConnectionId) => boolean,
  ) {
    this.ownLinkState = new LinkState(id);
  }

  get routingTable(): RoutingTable {
    return this.table;
  }

  /** Within 2 × raIntervalFlux of the last topology change: RAs go out more often. */
  inFlux(nowMs: number): boolean {
    return this.lastTopologyChangeMs !== undefined && nowMs - this.lastTopologyChangeMs <= 2 * this.timers.raIntervalFluxMs;
  }

  // -------------------------------------------------------------------------------------------
  // Events

  neighbourRefresh(id: RouterId, instance: number, connection: ConnectionId, cost: number, nowMs: number, out: Action[]): void {
    const node = this.ensureNode(id, instance, nowMs, out, 'HELLO');
    if (node === undefined) return;
    // A second connection to the same router does not steal the binding while the first is open.
    const keep = node.connection !== undefined && node.connection !== connection && this.connectionOpen(node.connection);
    if (node.connection !== connection && !keep) {
      if (node.connection !== undefined) this.byConnection.delete(node.connection);
      node.connection = connection;
      node.route = undefined;
      this.byConnection.set(connection, node);
      node.lsRequest.want(node.linkState.lsSeq + 1);
      if (this.ownLinkState.addPeer(id, cost)) this.linkStateChanged = true;
      out.push({ type: 'neighbour-up', router: id, connection, cost });
    }
    // A HELLO on another connection than the bound one speaks for another router if its
    // instance differs (a duplicate id, reported by the HELLO protocol), not for a restart.
    if (node.connection !== connection) return;
    node.neighbourRefreshMs = nowMs;
    this.checkRestart(node, instance, out);
  }

  /** True if our link state changed. */
  connectionLost(connection: ConnectionId, out: Action[]): boolean {
    const node = this.byConnection.get(connection);
    if (node === undefined) return false;
    this.unbind(node, 'connection-lost', out);
    return this.linkStateChanged;
  }

  raReceived(msg: RouterAdvertisement, nowMs: number, out: Action[]): void {
    const node = this.ensureNode(msg.id, msg.instance, nowMs, out, 'RA');
    if (node === undefined) return;
    this.checkRestart(node, msg.instance, out);
    node.linkState.lastSeenMs = nowMs;
    if (node.linkState.lsSeq < msg.ls_seq) {
      node.lsRequest.want(msg.ls_seq);
      node.lsRequest.asked(nowMs);
      out.push(lsrTo(msg.id, this.id));
    }
    if (node.mobileSeq < msg.mobile_seq) node.marRequest.want(msg.mobile_seq);
  }

  lsuReceived(msg: LinkStateUpdate, nowMs: number, out: Action[]): void {
    const node = this.ensureNode(msg.id, msg.instance, nowMs, out, 'LSU');
    if (node === undefined || msg.ls.ls_seq <= node.linkState.lsSeq) return;
    node.linkState = LinkState.fromBody(msg.ls, nowMs);
    this.recomputePending = true;
    // Routers we have not heard of yet get a node now and an LSR once reachable.
    for (const peer of node.linkState.peers.keys()) this.routerLearned(peer, nowMs, out, 'LSU');
  }

  routerLearned(id: RouterId, nowMs: number, out: Action[], opcode: Opcode): void {
    if (id !== this.id && !this.nodes.has(id)) this.ensureNode(id, undefined, nowMs, out, opcode);
  }

  // -------------------------------------------------------------------------------------------
  // The tick

  /** Steps 1–5 of §3.8. True if an RA must go out (our ls_seq moved). */
  tick(nowMs: number, out: Action[]): boolean {
    // Orphans age in seconds of ticks: extra ticks from the host must not age them faster.
    if (this.expiryPeriod.due(nowMs)) this.expire(nowMs, out);
    const sendRa = this.applyChanges(nowMs, out);
    for (const node of this.nodes.values()) {
      if (node.takeLsRequest(nowMs)) out.push(lsrTo(node.id, this.id));
      if (node.takeMarRequest(nowMs)) out.push(marTo(node.id, this.id, node.mobileSeq));
    }
    return sendRa;
  }

  /** Flux, own ls_seq and recompute. True if our ls_seq moved. */
  applyChanges(nowMs: number, out: Action[]): boolean {
    // qdrouterd keeps this time rounded to whole seconds, which stretches flux mode by up to
    // half a second; kept so that our RAs come when a qdrouterd peer's would.
    if (this.linkStateChanged || this.recomputePending) this.lastTopologyChangeMs = Math.round(nowMs / 1000) * 1000;
    const bumped = this.linkStateChanged;
    if (bumped) {
      this.linkStateChanged = false;
      this.ownLinkState.lsSeq++;
      this.recomputePending = true;
    }
    if (this.recomputePending) {
      this.recomputePending = false;
      this.recompute(out);
    }
    return bumped;
  }

  private expire(nowMs: number, out: Action[]): void {
    // How many other routers list each router; a link state cleared here stops counting for
    // the routers checked after it, as in qdrouterd's single pass.
    const listedBy = new Map<RouterId, number>();
    const count = (node: RemoteRouter, delta: number) => {
      for (const peer of node.linkState.peers.keys()) if (peer !== node.id) listedBy.set(peer, (listedBy.get(peer) ?? 0) + delta);
    };
    for (const node of this.nodes.values()) count(node, 1);
    for (const node of [...this.nodes.values()]) {
      if (node.isNeighbour && nowMs - node.neighbourRefreshMs > this.timers.helloMaxAgeMs) this.unbind(node, 'hello-expired', out);
      if (nowMs - node.linkState.lastSeenMs > this.timers.remoteLsMaxAgeMs && node.linkState.hasPeers) {
        count(node, -1);
        node.linkState.clear();
        this.recomputePending = true;
      }
      const orphan = !node.linkState.hasPeers && !node.isNeighbour && !listedBy.get(node.id);
      if (orphan && ++node.orphanTicks > ORPHAN_TICKS) this.deleteNode(node, out);
    }
  }

  private recompute(out: Action[]): void {
    const collection = new Map<RouterId, Peers>([[this.id, this.ownLinkState.peers]]);
    for (const [id, node] of this.nodes) collection.set(id, node.linkState.peers);
    const table = computeRoutes(this.id, collection);
    for (const [id, node] of this.nodes) node.route = table.routes.get(id);
    if (!sameTable(table, this.table)) out.push({ type: 'routes', table });
    this.table = table;
  }

  // -------------------------------------------------------------------------------------------
  // Node lifecycle

  private ensureNode(id: RouterId, instance: number | undefined, nowMs: number, out: Action[], opcode: Opcode): RemoteRouter | undefined {
    const known = this.nodes.get(id);
    if (known !== undefined) return known;
    const maskBit = this.maskBits.allocate();
    if (maskBit === undefined) {
      if (!this.refused.has(id)) out.push({ type: 'ignored', reason: 'too-many-routers', router: id, opcode });
      this.refused.add(id);
      return undefined;
    }
    const node = new RemoteRouter(id, maskBit, instance, nowMs);
    this.nodes.set(id, node);
    out.push({ type: 'router-added', router: id, maskBit });
    return node;
  }

  private deleteNode(node: RemoteRouter, out: Action[]): void {
    this.flushAddresses(node, out);
    this.nodes.delete(node.id);
    this.maskBits.free(node.maskBit);
    out.push({ type: 'router-removed', router: node.id, maskBit: node.maskBit });
  }

  private unbind(node: RemoteRouter, reason: 'connection-lost' | 'hello-expired', out: Action[]): void {
    const connection = node.connection!;
    this.byConnection.delete(connection);
    node.connection = undefined;
    if (this.ownLinkState.delPeer(node.id)) this.linkStateChanged = true;
    out.push({ type: 'neighbour-down', router: node.id, connection, reason });
  }

  private checkRestart(node: RemoteRouter, instance: number | undefined, out: Action[]): void {
    if (!node.restarted(instance)) return;
    this.recomputePending = true;
    this.flushAddresses(node, out);
    out.push({ type: 'router-restarted', router: node.id, instance: node.instance! });
  }

  private flushAddresses(node: RemoteRouter, out: Action[]): void {
    const removed = node.flushAddresses();
    if (removed.length > 0) out.push({ type: 'addresses', router: node.id, added: [], removed });
  }
}

function sameTable(a: RoutingTable, b: RoutingTable): boolean {
  if (a.radius !== b.radius || a.diameter !== b.diameter || a.routes.size !== b.routes.size) return false;
  for (const [id, r] of a.routes) {
    const s = b.routes.get(id);
    if (s === undefined || s.nextHop !== r.nextHop || s.cost !== r.cost || s.hops !== r.hops) return false;
    if (s.validOrigins.length !== r.validOrigins.length || s.validOrigins.some((o, i) => o !== r.validOrigins[i])) return false;
  }
  return true;
}
