// The CPU cost of one topology change on one router of a large mesh, for `npm run bench` (the
// core has no clock: the caller passes one, e.g. `() => process.cpuUsage().user`).
//
// One engine holds the link state of every router of a random connected mesh, as it would
// after convergence. Each round one link disappears: the LSUs of its two ends arrive and the
// next tick recomputes next hops, costs, valid origins and radius. That is what every router
// of the mesh pays once per change. The link comes back (not measured) before the next round.

import type { ConnectionId } from './actions';
import { LinkStateEngine } from './engine';
import { PROTOCOL_VERSION, AREA, type LinkStateUpdate, type RouterId } from './messages';
import { computeRoutes, type Peers } from './shortest-paths';

export interface TopologyChangeBenchOptions {
  /** Microseconds of CPU (or wall) time; only differences are used. */
  clockUs: () => number;
  /** Routers in the mesh (at most 128). */
  routers?: number;
  /** Average number of neighbours per router. */
  degree?: number;
  rounds?: number;
  seed?: number;
}

export interface TopologyChangeBenchResult {
  routers: number;
  links: number;
  radius: number;
  /** Median cost of one change through the engine (two LSUs and the tick). */
  microsecondsPerChange: number;
  /** Median cost of the path computation alone, for comparison. */
  microsecondsPerComputation: number;
}

export function benchTopologyChange(options: TopologyChangeBenchOptions): TopologyChangeBenchResult {
  const n = options.routers ?? 100;
  const rounds = options.rounds ?? 50;
  const random = seeded(options.seed ?? 1);
  const ids = Array.from({ length: n }, (_, i) => `R${i}`);
  const peers = randomMesh(ids, options.degree ?? 4, random);
  const [self] = ids;

  const engine = new LinkStateEngine({ id: self, instance: 1, timers: { helloMaxAgeMs: 1e15, remoteLsMaxAgeMs: 1e15 } });
  let now = 0;
  const connections = new Map<RouterId, ConnectionId>();
  for (const [peer, cost] of peers.get(self)!) {
    connections.set(peer, connections.size + 1);
    engine.connectionUp(connections.get(peer)!, cost);
  }
  const lsSeq = new Map(ids.map((id) => [id, 1]));
  const lsu = (id: RouterId): LinkStateUpdate => ({
    opcode: 'LSU', id, pv: PROTOCOL_VERSION, area: AREA, instance: 1, ls_seq: lsSeq.get(id)!,
    ls: { id, area: AREA, ls_seq: lsSeq.get(id)!, peers: Object.fromEntries(peers.get(id)!) },
  });
  const hellos = () => {
    for (const [peer, connection] of connections) engine.receive({ opcode: 'HELLO', id: peer, pv: PROTOCOL_VERSION, area: AREA, instance: 1, seen: [self] }, connection, now);
  };
  hellos();
  for (const id of ids.slice(1)) engine.receive(lsu(id), 1, now);
  engine.tick((now += 1000));

  const change = (a: RouterId, b: RouterId, cost: number | undefined) => {
    for (const [from, to] of [[a, b], [b, a]]) {
      if (cost === undefined) peers.get(from)!.delete(to);
      else peers.get(from)!.set(to, cost);
      lsSeq.set(from, lsSeq.get(from)! + 1);
    }
  };
  const remote = [...peers].flatMap(([a, ps]) => [...ps].filter(([b]) => a < b && a !== self && b !== self).map(([b, cost]) => [a, b, cost] as const));
  const perChange: number[] = [];
  const perComputation: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const [a, b, cost] = remote[Math.floor(random() * remote.length)];
    change(a, b, undefined);
    hellos();
    const start = options.clockUs();
    engine.receive(lsu(a), 1, now);
    engine.receive(lsu(b), 1, now);
    engine.tick((now += 1000));
    perChange.push(options.clockUs() - start);

    const collection = new Map<RouterId, Peers>(peers);
    const computeStart = options.clockUs();
    computeRoutes(self, collection);
    perComputation.push(options.clockUs() - computeStart);

    change(a, b, cost);
    engine.receive(lsu(a), 1, now);
    engine.receive(lsu(b), 1, now);
    engine.tick((now += 1000));
  }
  return {
    routers: n,
    links: remote.length + peers.get(self)!.size,
    radius: engine.routingTable.radius,
    microsecondsPerChange: median(perChange),
    microsecondsPerComputation: median(perComputation),
  };
}

/** A random connected mesh: a random spanning tree, then random links up to the degree. */
function randomMesh(ids: RouterId[], degree: number, random: () => number): Map<RouterId, Map<RouterId, number>> {
  const peers = new Map(ids.map((id) => [id, new Map<RouterId, number>()]));
  const link = (a: RouterId, b: RouterId) => {
    if (a === b || peers.get(a)!.has(b)) return;
    const cost = 1 + Math.floor(random() * 4);
    peers.get(a)!.set(b, cost);
    peers.get(b)!.set(a, cost);
  };
  for (let i = 1; i < ids.length; i++) link(ids[i], ids[Math.floor(random() * i)]);
  const target = Math.min((ids.length * degree) / 2, (ids.length * (ids.length - 1)) / 2);
  while ([...peers.values()].reduce((sum, p) => sum + p.size, 0) / 2 < target) {
    link(ids[Math.floor(random() * ids.length)], ids[Math.floor(random() * ids.length)]);
  }
  return peers;
}

/** mulberry32: the core takes no randomness from the platform. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}
