// The link-state routing engine of one router (reference §3): pure, clocked from outside. The
// mesh calls the entry points below with the time; each returns the actions to carry out
// (actions.ts). README.md draws the per-router state machine.
//
// Entry points:
//   tick(nowMs)                              every second: HELLO, RA, expiry, paths, MAU
//   receive(message, connection, nowMs)      a control message arrived for this router
//   connectionUp(connection, cost)           an inter-router connection opened: HELLO now
//   neighbourLost(connection, nowMs)         it closed: reconverge now, not after helloMaxAge
//   addLocalAddress(key, hint) / removeLocalAddress(key)
// Queries: routingTable, neighbours(), connectionTo(), remoteAddresses(), routerNodes() …

import type { Action, ConnectionId, IgnoredReason } from './actions';
import { helloTo, lsuTo, raTo } from './compose';
import { HelloProtocol } from './hello-protocol';
import {
  PROTOCOL_VERSION,
  type ControlMessage,
  type Hello,
  type LinkStateBody,
  type LinkStateRequest,
  type MobileAddressRequest,
  type MobileAddressUpdate,
  type RouterAdvertisement,
  type RouterId,
} from './messages';
import { MobileSync } from './mobile-sync';
import { NodeTracker } from './node-tracker';
import type { RoutingTable } from './shortest-paths';
import { DEFAULT_TIMERS, type LinkStateTimers } from './timing';

export interface LinkStateEngineOptions {
  /** This router's id (router.id). */
  id: RouterId;
  /** Boot time in whole seconds: constant for the process, different after a restart. */
  instance: number;
  timers?: Partial<LinkStateTimers>;
}

/** One row of management's `router.node` (reference §7.6). */
export interface RouterNodeInfo {
  id: RouterId;
  /** Mask bit; 0 for ourselves. */
  index: number;
  instance: number | undefined;
  /** Its neighbours as its link state lists them. */
  linkState: RouterId[];
  /** '(self)' for us, undefined when unreachable. */
  nextHop: RouterId | undefined;
  validOrigins: RouterId[];
  cost: number | undefined;
  routerLink: ConnectionId | undefined;
  lsSeq: number;
  mobileSeq: number;
}

export class LinkStateEngine {
  readonly id: RouterId;
  readonly instance: number;
  readonly timers: LinkStateTimers;
  private readonly hello: HelloProtocol;
  private readonly tracker: NodeTracker;
  private readonly mobile: MobileSync;
  /** Open inter-router connections and their cost. */
  private readonly connections = new Map<ConnectionId, number>();
  private lastRaMs: number | undefined;
  private readonly ignoredReported = new Set<string>();

  constructor(options: LinkStateEngineOptions) {
    this.id = options.id;
    this.instance = options.instance;
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.hello = new HelloProtocol(this.id, this.instance, this.timers.helloIntervalMs, this.timers.helloMaxAgeMs);
    this.tracker = new NodeTracker(this.id, this.timers, (c) => this.connections.has(c));
    this.mobile = new MobileSync(this.id, this.timers.mobileSyncIntervalMs);
  }

  // -------------------------------------------------------------------------------------------
  // Entry points

  /** The engine tick, in qdrouterd's order: HELLO, periodic RA, node tracker, mobile sync. */
  tick(nowMs: number): Action[] {
    const out: Action[] = [];
    this.hello.tick(nowMs, out);
    const raIntervalMs = this.tracker.inFlux(nowMs) ? this.timers.raIntervalFluxMs : this.timers.raIntervalMs;
    if (this.lastRaMs === undefined || nowMs - this.lastRaMs >= raIntervalMs) this.sendRa(nowMs, out);
    let sendRa = this.tracker.tick(nowMs, out);
    // The differential MAU goes before the RA that carries its mobile_seq, so that peers
    // receive the update before they would ask for it.
    if (this.mobile.tick(nowMs, out)) sendRa = true;
    if (sendRa) this.sendRa(nowMs, out);
    return out;
  }

  receive(message: ControlMessage, connection: ConnectionId, nowMs: number): Action[] {
    const out: Action[] = [];
    if (message.pv > PROTOCOL_VERSION) {
      this.ignore('protocol-version', message, out);
      return out;
    }
    switch (message.opcode) {
      case 'HELLO':
        this.onHello(message, connection, nowMs, out);
        break;
      case 'RA':
        this.onRa(message, nowMs, out);
        break;
      case 'LSR':
        this.onLsr(message, nowMs, out);
        break;
      case 'LSU':
        if (message.id !== this.id) this.tracker.lsuReceived(message, nowMs, out);
        break;
      case 'MAU':
        this.onMau(message, nowMs, out);
        break;
      case 'MAR':
        this.onMar(message, out);
        break;
      default: {
        const never: never = message;
        return never;
      }
    }
    return out;
  }

  /**
   * Registers an inter-router connection and its cost (the negotiated inter-router cost).
   * Returns a HELLO to send now, so that the new neighbour need not wait for the next tick.
   */
  connectionUp(connection: ConnectionId, cost = 1): Action[] {
    this.connections.set(connection, cost);
    return [helloTo(this.id, this.instance, this.hello.seen())];
  }

  /**
   * An inter-router connection closed. The neighbour on it is dropped and our new link state
   * is computed and advertised right away (qdrouterd would wait for its next tick).
   */
  neighbourLost(connection: ConnectionId, nowMs: number): Action[] {
    const out: Action[] = [];
    this.connections.delete(connection);
    if (this.tracker.connectionLost(connection, out) && this.tracker.applyChanges(nowMs, out)) this.sendRa(nowMs, out);
    return out;
  }

  /** `key` (M…, C…, D…, E…, F…, H…) became a local destination; advertised at the next sync. */
  addLocalAddress(key: string, hint: number): void {
    this.mobile.addLocal(key, hint);
  }

  removeLocalAddress(key: string): void {
    this.mobile.removeLocal(key);
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  get routingTable(): RoutingTable {
    return this.tracker.routingTable;
  }

  get lsSeq(): number {
    return this.tracker.ownLinkState.lsSeq;
  }

  get mobileSeq(): number {
    return this.mobile.mobileSeq;
  }

  /** Our own link state, as an LSU would carry it. */
  linkState(): LinkStateBody {
    return this.tracker.ownLinkState.toBody();
  }

  /** Two-way neighbours and the connection each is bound to. */
  neighbours(): Map<RouterId, ConnectionId> {
    const result = new Map<RouterId, ConnectionId>();
    for (const node of this.tracker.nodes.values()) if (node.connection !== undefined) result.set(node.id, node.connection);
    return result;
  }

  /** The connection a message for `router` leaves on (its next hop's), if it is reachable. */
  connectionTo(router: RouterId): ConnectionId | undefined {
    const node = this.tracker.nodes.get(router);
    const nextHop = node?.route?.nextHop;
    return nextHop === undefined ? node?.connection : this.tracker.nodes.get(nextHop)?.connection;
  }

  knownRouters(): RouterId[] {
    return [...this.tracker.nodes.keys()];
  }

  remoteAddresses(router: RouterId): ReadonlyMap<string, number | undefined> {
    return this.tracker.nodes.get(router)?.addresses ?? new Map();
  }

  localAddresses(): ReadonlyMap<string, number> {
    return this.mobile.localAddresses();
  }

  /** Ourselves first, then every known router (management's router.node). */
  routerNodes(): RouterNodeInfo[] {
    const own = this.tracker.ownLinkState;
    const rows: RouterNodeInfo[] = [
      { id: this.id, index: 0, instance: this.instance, linkState: [...own.peers.keys()], nextHop: '(self)', validOrigins: [], cost: undefined, routerLink: undefined, lsSeq: own.lsSeq, mobileSeq: this.mobile.mobileSeq },
    ];
    for (const node of this.tracker.nodes.values()) {
      rows.push({
        id: node.id,
        index: node.maskBit,
        instance: node.instance,
        linkState: [...node.linkState.peers.keys()],
        nextHop: node.route?.nextHop,
        validOrigins: node.route?.validOrigins ?? [],
        cost: node.route?.cost,
        routerLink: node.connection,
        lsSeq: node.linkState.lsSeq,
        mobileSeq: node.mobileSeq,
      });
    }
    return rows;
  }

  // -------------------------------------------------------------------------------------------
  // Handlers

  private onHello(msg: Hello, connection: ConnectionId, nowMs: number, out: Action[]): void {
    if (!this.connections.has(connection)) this.connections.set(connection, 1);
    if (this.hello.handle(msg, connection, nowMs, out) !== 'two-way') return;
    const cost = this.connections.get(connection)!;
    this.tracker.neighbourRefresh(msg.id, msg.instance, connection, cost, nowMs, out);
  }

  private onRa(msg: RouterAdvertisement, nowMs: number, out: Action[]): void {
    // Our own RA never comes back (flooding skips routers in the trace): this is another
    // router with our id, somewhere in the mesh.
    if (msg.id === this.id) this.hello.reportDuplicate(this.id, msg.instance, out);
    else this.tracker.raReceived(msg, nowMs, out);
  }

  private onLsr(msg: LinkStateRequest, nowMs: number, out: Action[]): void {
    if (msg.id === this.id) return;
    this.tracker.routerLearned(msg.id, nowMs, out, 'LSR');
    out.push(lsuTo(msg.id, msg.area, this.id, this.instance, this.tracker.ownLinkState));
  }

  private onMau(msg: MobileAddressUpdate, nowMs: number, out: Action[]): void {
    if (msg.id === this.id) return;
    const node = this.tracker.nodes.get(msg.id);
    if (node === undefined) this.ignore('unknown-router', msg, out);
    else this.mobile.handleMau(msg, node, nowMs, out);
  }

  private onMar(msg: MobileAddressRequest, out: Action[]): void {
    if (msg.id === this.id) return;
    if (!this.tracker.nodes.has(msg.id)) this.ignore('unknown-router', msg, out);
    else this.mobile.handleMar(msg, out);
  }

  private sendRa(nowMs: number, out: Action[]): void {
    this.lastRaMs = nowMs;
    out.push(raTo(this.id, this.instance, this.tracker.ownLinkState.lsSeq, this.mobile.mobileSeq));
  }

  /** Reported once per router, reason and opcode: the log needs to know, not every time. */
  private ignore(reason: IgnoredReason, msg: ControlMessage, out: Action[]): void {
    const key = `${reason}\u0000${msg.id}\u0000${msg.opcode}`;
    if (this.ignoredReported.has(key)) return;
    this.ignoredReported.add(key);
    out.push({ type: 'ignored', reason, router: msg.id, opcode: msg.opcode });
  }
}
