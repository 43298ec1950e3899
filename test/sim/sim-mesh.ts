// A deterministic mesh of router cores on in-memory links (STYLE.md "a simulated mesh from day
// one"): a virtual clock, a seeded random source, link up/down, silent partitions, message
// loss and restarts. Control messages travel the way qdrouterd routes them (reference §3.2,
// §4.5, §5.2), by the hash key of their address as each router sees it:
//   Lqdhello            one copy on every connection of the sender, never forwarded;
//   Tqdrouter, Tqdrouter.ma  handed to every router's engine and passed on: one copy per
//                       distinct next-hop connection, none back to a router in the trace
//                       (qdrouterd bypasses valid origins for control messages: pruning the
//                       flood along the origin's tree with stale tables stalls reconvergence).
//                       flood 'every-copy' is exactly that: every simple path up to radius + 1
//                       hops carries a copy (fine for ten routers, millions of copies per RA
//                       round for a hundred). flood 'once' (the default) is the same with each
//                       router passing a given message on only the first time it sees it;
//   R<id>               to the next hop towards <id>, dropped when there is none;
// and a message whose trace is longer than a hop limit is dropped. qdrouterd's limit is the
// receiver's radius + 1 (hopLimit 'radius'); equal-cost ties broken differently at each end
// can make a shortest path longer than that, and the two routers then never exchange link
// states (a test shows it). The default, hopLimit 'diameter', is the receiver's diameter + 1.

import type { SendAction } from '../../router/core/linkstate/actions';
import { addressHashKey } from '../../router/core/address-key';
import type { ControlMessage, RouterId } from '../../router/core/linkstate/messages';
import type { LinkStateTimers } from '../../router/core/linkstate/timing';
import { between, prng, newSeed, type Random } from './prng';
import { SimLink } from './sim-link';
import { SimRouter, type SimTransport } from './sim-router';
import { VirtualClock } from './virtual-clock';

export interface SimOptions {
  /** Default: a fresh seed (SIM_SEED to repeat one), printed when a test fails. */
  seed?: number;
  /** One-way latency of a message, drawn per message. */
  latencyMs?: [number, number];
  timers?: Partial<LinkStateTimers>;
  /** How 'every-router' messages spread (see the header). */
  flood?: 'once' | 'every-copy';
  /** Which hop limit drops looping messages (see the header). */
  hopLimit?: 'radius' | 'diameter';
}

interface Envelope {
  /** Identifies one multicast message (and its copies), for flood 'once'. */
  floodId: number;
  address: string;
  message: ControlMessage;
  /** Routers the message has left, in order (x-opt-qd.trace without the area). */
  trace: RouterId[];
}

export interface SimStats {
  sent: number;
  delivered: number;
  lost: number;
  unroutable: number;
  overHopLimit: number;
  /** Copies of a multicast message a router had already seen (flood 'once'). */
  duplicates: number;
}

const TICK_MS = 1000;

export class SimMesh implements SimTransport {
  readonly seed: number;
  readonly random: Random;
  readonly clock = new VirtualClock();
  readonly routers = new Map<string, SimRouter>();
  readonly links: SimLink[] = [];
  readonly stats: SimStats = { sent: 0, delivered: 0, lost: 0, unroutable: 0, overHopLimit: 0, duplicates: 0 };
  /** Extra loss rule for a test: return true to lose this message on this link. */
  lose?: (message: ControlMessage, link: SimLink, from: SimRouter) => boolean;
  /** Sees every copy put on a link (before loss); `address` is the message's `to`. */
  observe?: (message: ControlMessage, from: SimRouter, to: SimRouter, address: string) => void;
  private readonly latencyMs: [number, number];
  private readonly timers: Partial<LinkStateTimers>;
  private readonly flood: 'once' | 'every-copy';
  /** Which hop limit drops looping messages (may be changed while running). */
  hopLimit: 'radius' | 'diameter';
  private nextFloodId = 1;
  private nextInstance = 1_700_000_000;
  private nextLinkId = 1;

  constructor(options: SimOptions = {}) {
    this.seed = options.seed ?? newSeed();
    this.random = prng(this.seed);
    this.latencyMs = options.latencyMs ?? [1, 5];
    this.timers = options.timers ?? {};
    this.flood = options.flood ?? 'once';
    this.hopLimit = options.hopLimit ?? 'diameter';
  }

  get now(): number {
    return this.clock.now;
  }

  // -------------------------------------------------------------------------------------------
  // Building and breaking the mesh

  /** A router named `name` (its router id too, unless `id` gives another: duplicates). */
  addRouter(name: string, id = name): SimRouter {
    if (this.routers.has(name)) throw new Error(`router ${name} exists`);
    const router = new SimRouter(name, id, this, this.timers);
    this.routers.set(name, router);
    this.boot(router);
    return router;
  }

  router(name: string): SimRouter {
    const r = this.routers.get(name);
    if (r === undefined) throw new Error(`no router ${name}`);
    return r;
  }

  /** Connects two routers; `cost` is what each end reports: one number, or [a→b, b→a]. */
  connect(a: string, b: string, cost: number | [number, number] = 1): SimLink {
    const [ab, ba] = typeof cost === 'number' ? [cost, cost] : cost;
    const link = new SimLink(this.nextLinkId++, this.router(a), this.router(b), ab, ba);
    this.links.push(link);
    link.a.links.add(link);
    link.b.links.add(link);
    this.open(link);
    return link;
  }

  link(a: string, b: string): SimLink {
    const found = this.links.find((l) => (l.a.name === a && l.b.name === b) || (l.a.name === b && l.b.name === a));
    if (found === undefined) throw new Error(`no link ${a}—${b}`);
    return found;
  }

  open(link: SimLink): void {
    if (link.up) return;
    link.up = true;
    link.epoch++;
    link.a.apply(link.a.engine.connectionUp(link.id, link.costAtA));
    link.b.apply(link.b.engine.connectionUp(link.id, link.costAtB));
  }

  /** The connection closes: both ends are told at once (but a dead process hears nothing). */
  close(link: SimLink, deadEnd?: SimRouter): void {
    if (!link.up) return;
    link.up = false;
    link.epoch++;
    for (const end of [link.a, link.b]) if (end !== deadEnd) end.apply(end.engine.neighbourLost(link.id, this.now));
  }

  /** Closes every link between routers of different groups; returns them for heal(). */
  partition(...groups: string[][]): SimLink[] {
    const groupOf = new Map<string, number>();
    groups.forEach((names, i) => names.forEach((n) => groupOf.set(n, i)));
    const cut = this.links.filter((l) => l.up && groupOf.get(l.a.name) !== groupOf.get(l.b.name));
    for (const link of cut) this.close(link);
    return cut;
  }

  heal(links: SimLink[]): void {
    for (const link of links) this.open(link);
  }

  /** The router process restarts: connections drop, it comes back with a new instance. */
  restart(name: string, downMs = 500): void {
    const router = this.router(name);
    const links = [...router.links].filter((l) => l.up);
    router.generation++; // nothing of the old life runs any more
    for (const link of links) this.close(link, router);
    this.clock.after(downMs, () => {
      this.boot(router);
      for (const link of links) this.open(link);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Time

  run(durationMs: number): void {
    this.clock.run(durationMs);
  }

  /** Runs until `done()` holds (checked every stepMs); returns the virtual time it took. */
  runUntil(done: () => boolean, maxMs: number, stepMs = 100): number {
    const start = this.now;
    while (!done()) {
      if (this.now - start >= maxMs) throw new Error(`not done after ${maxMs} ms of virtual time (seed ${this.seed})`);
      this.clock.run(stepMs);
    }
    return this.now - start;
  }

  private boot(router: SimRouter): void {
    router.boot(this.nextInstance++);
    const generation = router.generation;
    const tick = () => {
      if (router.generation !== generation) return;
      router.apply(router.engine.tick(this.now));
      // Host timers are a little early or late; the engine must not care.
      this.clock.after(TICK_MS + between(this.random, -2, 2), tick);
    };
    this.clock.after(this.random() * TICK_MS, tick);
  }

  // -------------------------------------------------------------------------------------------
  // Forwarding control messages

  originate(from: SimRouter, action: SendAction): void {
    const env: Envelope = { floodId: 0, address: action.address, message: action.message, trace: [] };
    const key = addressHashKey(action.address, { routerId: from.id });
    if (key === 'Lqdhello') {
      for (const link of from.links) this.transmit(from, link, env);
    } else if (key.startsWith('T')) {
      env.floodId = this.nextFloodId++;
      from.floodsSeen.add(env.floodId);
      this.multicast(from, env);
    } else if (key.startsWith('R')) {
      this.forward(from, env, key.slice(1));
    } else {
      throw new Error(`${from.name} sent to ${action.address} (${key}): not a control address`);
    }
  }

  private arrive(at: SimRouter, link: SimLink, env: Envelope): void {
    if (env.trace.length > (this.hopLimit === 'radius' ? at.table.radius : at.table.diameter) + 1) {
      this.stats.overHopLimit++;
      return;
    }
    const key = addressHashKey(env.address, { routerId: at.id });
    if (key.startsWith('R')) {
      this.forward(at, env, key.slice(1));
      return;
    }
    if (key.startsWith('T') && this.flood === 'once') {
      if (at.floodsSeen.has(env.floodId)) {
        this.stats.duplicates++;
        return;
      }
      at.floodsSeen.add(env.floodId);
    }
    this.stats.delivered++;
    at.apply(at.engine.receive(env.message, link.id, this.now));
    if (key.startsWith('T')) this.multicast(at, env);
  }

  /** One copy per distinct next-hop connection, none to a neighbour already in the trace. */
  private multicast(at: SimRouter, env: Envelope): void {
    const engine = at.engine;
    const excluded = new Set<number | string>();
    for (const [router, connection] of engine.neighbours()) if (env.trace.includes(router)) excluded.add(connection);
    const connections = new Set<number | string>();
    for (const router of at.table.routes.keys()) {
      const connection = engine.connectionTo(router);
      if (connection !== undefined && !excluded.has(connection)) connections.add(connection);
    }
    for (const link of at.links) if (connections.has(link.id)) this.transmit(at, link, env);
  }

  private forward(at: SimRouter, env: Envelope, target: RouterId): void {
    const connection = at.engine.connectionTo(target);
    const link = [...at.links].find((l) => l.id === connection);
    if (link === undefined) this.stats.unroutable++;
    else this.transmit(at, link, env);
  }

  private transmit(from: SimRouter, link: SimLink, env: Envelope): void {
    if (!link.up) return;
    this.stats.sent++;
    this.observe?.(env.message, from, link.other(from), env.address);
    if (link.silent || (link.dropRate > 0 && this.random() < link.dropRate) || this.lose?.(env.message, link, from)) {
      this.stats.lost++;
      return;
    }
    const to = link.other(from);
    const arrival = Math.max(this.now + between(this.random, ...this.latencyMs), link.lastArrival.get(to) ?? 0);
    link.lastArrival.set(to, arrival);
    const onward: Envelope = { ...env, trace: [...env.trace, from.id] };
    const { epoch } = link;
    const generation = to.generation;
    this.clock.at(arrival, () => {
      if (link.epoch === epoch && to.generation === generation) this.arrive(to, link, onward);
    });
  }
}
