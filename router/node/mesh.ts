// The mesh of this router: the link-state engine (router/core/linkstate), clocked here, its
// control messages carried over the inter-router connections, and what it learns turned into
// destinations for the forwarding path (next hops, remote addresses, valid origins).

import { LinkStateEngine, TREATMENT_HINTS, type Action, type RoutingTable, type LinkStateTimers } from '../core/linkstate';
import type { Distribution } from '../core/destination';
import { encodeControlMessage } from '../mesh/control-message';
import { parseControlAddress } from '../mesh/control-addresses';
import type { ControlEnvelope } from '../mesh/control-types';
import type { Consumer, Peer, RouterAddress } from './links';
import type { InterRouterConnection } from './inter-router-connection';
import type { RouterNode } from './router-node';

// The engine counts some ages in ticks (reference §3.10): it expects one per second.
const TICK_MS = 1000;
/** How long a flooded broadcast is remembered to drop its copies arriving by other paths. */
const FLOOD_MEMORY_MS = 2000;

export class Mesh {
  readonly engine: LinkStateEngine;
  private readonly connections = new Map<number, InterRouterConnection>();
  private routes: RoutingTable = { radius: 0, diameter: 0, routes: new Map() };
  private timer: NodeJS.Timeout | undefined;
  private readonly me: string;

  constructor(private readonly node: RouterNode, timers: Partial<LinkStateTimers> = {}) {
    this.me = `0/${node.id}`;
    this.engine = new LinkStateEngine({ id: node.id, instance: Math.floor(Date.now() / 1000), timers });
  }

  start(): void {
    this.timer = setInterval(() => this.run(this.engine.tick(Date.now())), TICK_MS);
    this.timer.unref();
  }

  stop(): void { clearInterval(this.timer); }

  /**
   * Hop limit of a delivery's trace. qdrouterd uses radius + 1; with equal-cost ties a sender's
   * shortest path can be longer than that, so we use the longest shortest path (diameter) + 1
   * and never drop a delivery on a legitimate path.
   */
  hopLimit = 1;

  /** When paths last changed (management's router.node lastTopoChange), seconds. */
  lastTopoChangeSec = Math.floor(Date.now() / 1000);

  /** While paths are still being learned, no loop-free path is longer than the routers known. */
  private updateHopLimit(): void {
    this.hopLimit = Math.max(this.routes.radius, this.routes.diameter, this.engine.knownRouters().length) + 1;
  }

  connectionUp(c: InterRouterConnection): void {
    this.connections.set(c.id, c);
    this.run(this.engine.connectionUp(c.id, c.cost)); // says HELLO now rather than at the next tick
  }

  connectionLost(c: InterRouterConnection): void {
    if (!this.connections.delete(c.id)) return;
    this.run(this.engine.neighbourLost(c.id, Date.now()));
  }

  /** A local consumer appeared on a mobile address: advertise it. */
  addLocal(address: RouterAddress): void {
    if (address.key.startsWith('M')) this.engine.addLocalAddress(address.key, hintOf(address.distribution));
  }

  removeLocal(address: RouterAddress): void {
    if (address.key.startsWith('M')) this.engine.removeLocalAddress(address.key);
  }

  /** A control message arrived on `from`: for us, to flood on, or to pass toward its router. */
  controlReceived(env: ControlEnvelope, from: InterRouterConnection): void {
    const target = parseControlAddress(env.to);
    if (!target) return;
    const now = Date.now();
    // New link state is turned into routes at once, not at the next second's tick: after a
    // router is lost the others must agree on the new paths in milliseconds.
    this.tickSoon();
    switch (target.kind) {
      case 'hello':
        this.run(this.engine.receive(env.message, from.id, now));
        return;
      case 'all-routers':
      case 'all-mobile-sync':
        this.run(this.engine.receive(env.message, from.id, now));
        this.flood(env, from);
        return;
      case 'router':
      case 'mobile-sync':
        if (target.routerId === this.node.id) this.run(this.engine.receive(env.message, from.id, now));
        else this.forwardControl(env, target.routerId);
        return;
      default: {
        const never: never = target;
        return never;
      }
    }
  }

  /** The destination toward another router: the data link of the next hop's connection. */
  towardRouter(routerId: string, priority?: number): Consumer | undefined {
    return this.connectionToward(routerId)?.dataDestination(priority);
  }

  /**
   * Anycast: the nearest router that advertised the address (lowest path cost, ties by id)
   * among those the message may reach from its ingress router (valid origins, reference §4.5).
   */
  anycastDestination(address: RouterAddress, ingress: string | undefined, priority?: number, arrival?: Peer): Consumer | undefined {
    return this.bestRemote(address, ingress, false, priority, arrival)?.dest;
  }

  /**
   * balanced: the remote router with the lowest load, where load = unsettled deliveries this
   * router has out for the address toward it + its path cost (reference §4.5).
   */
  balancedDestination(address: RouterAddress, ingress: string | undefined, priority?: number, arrival?: Peer): { dest: Consumer; load: number } | undefined {
    return this.bestRemote(address, ingress, true, priority, arrival);
  }

  /**
   * The best router for an anycast delivery. Routers for which the message's ingress is a
   * valid origin come first; if there are none (tables that disagreed while paths changed sent
   * it off the ingress router's tree), any reachable one not back over the arrival connection
   * will do: one copy cannot duplicate, and the hop limit ends a loop.
   */
  private bestRemote(address: RouterAddress, ingress: string | undefined, byLoad: boolean, priority?: number, arrival?: Peer): { dest: Consumer; load: number } | undefined {
    return this.pickRemote(address, ingress, byLoad, priority, true, arrival) ?? this.pickRemote(address, ingress, byLoad, priority, false, arrival);
  }

  private pickRemote(address: RouterAddress, ingress: string | undefined, byLoad: boolean, priority: number | undefined, strict: boolean, arrival: Peer | undefined): { dest: Consumer; load: number } | undefined {
    let best: { dest: Consumer; load: number; router: string } | undefined;
    for (const router of address.remotes.keys()) {
      const route = this.routes.routes.get(router);
      if (!route || (strict && !this.validOrigin(route.validOrigins, ingress))) continue;
      const dest = this.towardRouter(router, priority);
      if (!dest || (!strict && dest.conn === arrival)) continue;
      const load = route.cost + (byLoad ? dest.outstandingByAddress.get(address.key) ?? 0 : 0);
      if (!best || load < best.load || (load === best.load && router < best.router)) best = { dest, load, router };
    }
    return best;
  }

  /** A message may go to a router only if this router is on the shortest path from its ingress. */
  private validOrigin(validOrigins: string[], ingress: string | undefined): boolean {
    const origin = ingress?.startsWith('0/') ? ingress.slice(2) : undefined;
    return origin === undefined || origin === this.node.id || validOrigins.includes(origin);
  }

  /** Multicast: one copy per next-hop connection, not back toward routers the message has crossed. */
  multicastDestinations(address: RouterAddress, trace: string[] | undefined, arrival: Peer, ingress: string | undefined, priority?: number): Consumer[] {
    const crossed = new Set((trace ?? []).map((t) => (t.startsWith('0/') ? t.slice(2) : t)));
    const out = new Map<number, Consumer>();
    for (const router of address.remotes.keys()) {
      if (crossed.has(router)) continue;
      // Valid origins keep copies on the ingress router's shortest-path tree: no duplicates in
      // a mesh with cycles (qdrouterd 1.19 skips this check for multicast and can duplicate).
      const route = this.routes.routes.get(router);
      if (!route || !this.validOrigin(route.validOrigins, ingress)) continue;
      const c = this.connectionToward(router);
      if (!c || c === arrival || (c.routerId !== undefined && crossed.has(c.routerId)) || out.has(c.id)) continue;
      const dest = c.dataDestination(priority);
      if (dest) out.set(c.id, dest);
    }
    return [...out.values()];
  }

  private connectionToward(routerId: string): InterRouterConnection | undefined {
    const id = this.engine.connectionTo(routerId);
    return id === undefined ? undefined : this.connections.get(Number(id));
  }

  /** Carries out what the link-state engine decided. */
  private run(actions: Action[]): void {
    let changed = false;
    for (const a of actions) {
      switch (a.type) {
        case 'send': {
          const env: ControlEnvelope = { to: a.address, ingress: this.me, trace: [this.me], message: a.message };
          const payload = encodeControlMessage(env);
          if (a.to === 'every-link' || a.to === 'every-router') for (const c of this.connections.values()) c.sendControl(payload);
          else this.connectionToward(a.to.router)?.sendControl(payload);
          break;
        }
        case 'routes':
          this.routes = a.table;
          this.lastTopoChangeSec = Math.floor(Date.now() / 1000);
          changed = true;
          this.node.log.routerLs.debug(`routes: ${[...a.table.routes].map(([r, x]) => `${r} via ${x.nextHop} cost ${x.cost}`).join(', ') || '(none)'}`);
          break;
        case 'addresses':
          for (const { key, hint } of a.added) this.node.remoteAddressAdded(key, a.router, hint);
          for (const key of a.removed) this.node.remoteAddressRemoved(key, a.router);
          changed = true;
          break;
        case 'neighbour-up': {
          const c = this.connections.get(Number(a.connection));
          if (c) c.routerId = a.router;
          changed = true;
          this.node.log.routerHello.info(`neighbour ${a.router} up on [C${a.connection}] (cost ${a.cost})`);
          break;
        }
        case 'neighbour-down':
          this.node.log.routerHello.info(`neighbour ${a.router} down on [C${a.connection}]: ${a.reason}`);
          break;
        case 'router-added':
          changed = true;
          this.node.log.routerLs.info(`router ${a.router} added (mask bit ${a.maskBit})`);
          this.node.routerAdded(a.router);
          break;
        case 'router-removed':
          changed = true;
          this.node.log.routerLs.info(`router ${a.router} removed`);
          this.node.routerGone(a.router);
          break;
        case 'router-restarted':
          this.node.log.routerLs.info(`router ${a.router} restarted (instance ${a.instance})`);
          break;
        case 'duplicate-id':
          this.node.log.routerHello.error(a.router === this.node.id
            ? `another router uses our id ${a.router} (instance ${a.instance})`
            : `duplicate router id: two routers use the id ${a.router} (the other's instance: ${a.instance})`);
          break;
        case 'ignored':
          this.node.log.routerLs.debug(`ignored ${a.opcode} from ${a.router}: ${a.reason}`);
          break;
        default: {
          const never: never = a;
          return never;
        }
      }
    }
    if (changed) {
      this.updateHopLimit();
      // Deliveries parked until a router became reachable try again.
      this.node.routesChanged();
    }
  }

  /** Broadcasts already flooded on, by identity, with when: a cycle must not multiply copies. */
  private readonly flooded = new Map<string, number>();

  /** Floods a broadcast on to the other neighbours that have not seen it, once. */
  private flood(env: ControlEnvelope, from: InterRouterConnection): void {
    const m = env.message;
    const identity = m.opcode === 'RA' ? `RA ${m.id} ${m.instance} ${m.ls_seq} ${m.mobile_seq}`
      : m.opcode === 'MAU' && 'mobile_seq' in m ? `MAU ${m.id} ${(m as { mobile_seq: number }).mobile_seq}` : undefined;
    if (identity !== undefined) {
      // Copies of one flood arrive within milliseconds by the other paths; the same RA sent
      // again later (periodic refresh, seconds apart) must travel again.
      const now = Date.now();
      for (const [k, t] of this.flooded) if (now - t > FLOOD_MEMORY_MS) this.flooded.delete(k);
      if (this.flooded.has(identity)) return;
      this.flooded.set(identity, now);
    }
    const crossed = new Set((env.trace ?? []).map((t) => t.slice(2)));
    const onward: ControlEnvelope = { ...env, trace: [...(env.trace ?? []), this.me] };
    let payload: Buffer | undefined;
    for (const c of this.connections.values()) {
      if (c === from || (c.routerId !== undefined && crossed.has(c.routerId))) continue;
      payload ??= encodeControlMessage(onward);
      c.sendControl(payload);
    }
  }

  private forwardControl(env: ControlEnvelope, routerId: string): void {
    // While paths are being recomputed two routers may point at each other: a unicast control
    // message that comes back (or has gone too far) is dropped, the sender asks again.
    const trace = env.trace ?? [];
    if (trace.includes(this.me) || trace.length > this.hopLimit) return;
    this.connectionToward(routerId)?.sendControl(encodeControlMessage({ ...env, trace: [...trace, this.me] }));
  }

  private tickPending = false;

  /** One extra engine tick after this turn's control messages (the engine takes extra ticks). */
  private tickSoon(): void {
    if (this.tickPending) return;
    this.tickPending = true;
    setImmediate(() => {
      this.tickPending = false;
      this.run(this.engine.tick(Date.now()));
    });
  }
}

function hintOf(d: Distribution): number {
  switch (d) {
    case 'multicast': return TREATMENT_HINTS.multicast;
    case 'closest': return TREATMENT_HINTS.closest;
    case 'unavailable': return TREATMENT_HINTS.unavailable;
    default: return TREATMENT_HINTS.balanced;
  }
}
