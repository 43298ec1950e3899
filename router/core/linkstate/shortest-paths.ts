// Path computation (reference §3.9), a pure function of the link-state collection. It must pick
// the same paths as qdrouterd's path.py, or balanced and multicast forwarding decisions differ
// between peers:
//   - the cost of edge u→v is the cost u reports for v (directional);
//   - a peer with no link state of its own gets a placeholder: a single link of cost 1 back to
//     the first router (in collection order) that lists it, so it is reachable before its LSU
//     arrives;
//   - Dijkstra settles the lowest (cost, router id) first; a predecessor is replaced only by a
//     strictly cheaper path, so among equal-cost paths the one through the router settled first
//     wins;
//   - valid origins of D: the routers R whose own shortest path to D passes through us.
// Ids are ordered by JavaScript string comparison; Python compares code points, which differs
// only for characters outside the Basic Multilingual Plane.

import type { RouterId } from './messages';

export type Peers = ReadonlyMap<RouterId, number>;
/**
 * Link states in qdrouterd's collection order: ours first, then every known router in the
 * order it became known (a known router whose LSU has not arrived is present with no peers).
 * The order only decides which lister a placeholder links back to.
 */
export type LinkStateCollection = ReadonlyMap<RouterId, Peers>;

export interface Route {
  /** First router after us on the shortest path (the destination itself for a neighbour). */
  nextHop: RouterId;
  /** Total path cost. */
  cost: number;
  /** Number of links on the path. */
  hops: number;
  /** Routers whose shortest path to this destination passes through us, sorted. */
  validOrigins: RouterId[];
}

export interface RoutingTable {
  /** Largest hop count from us to a reachable router; 0 when alone. */
  radius: number;
  /** Reachable remote routers only. */
  routes: Map<RouterId, Route>;
}

/** The collection with placeholder link states added for listed peers that have none. */
export function withPlaceholders(collection: LinkStateCollection): Map<RouterId, Peers> {
  const links = new Map<RouterId, Peers>(collection);
  for (const [id, peers] of collection) {
    for (const peer of peers.keys()) if (!links.has(peer)) links.set(peer, new Map([[id, 1]]));
  }
  return links;
}

/** Computes next hop, cost, hops and valid origins of every router reachable from `self`. */
export function computeRoutes(self: RouterId, collection: LinkStateCollection): RoutingTable {
  const graph = buildGraph(self, collection);
  const me = graph.index.get(self)!;
  const mine = shortestPathTree(graph, me);

  const routes = new Map<RouterId, Route>();
  const nextHop = new Int32Array(graph.ids.length).fill(-1);
  let radius = 0;
  // Settle order lists every parent before its children.
  for (let i = 1; i < mine.count; i++) {
    const d = mine.order[i];
    const p = mine.prev[d];
    nextHop[d] = p === me ? d : nextHop[p];
    radius = Math.max(radius, mine.hops[d]);
    routes.set(graph.ids[d], { nextHop: graph.ids[nextHop[d]], cost: mine.cost[d], hops: mine.hops[d], validOrigins: [] });
  }

  // Valid origins: walk each other router's tree and mark what hangs below us.
  const below = new Uint8Array(graph.ids.length);
  for (let i = 1; i < mine.count; i++) {
    const root = mine.order[i];
    const tree = shortestPathTree(graph, root);
    below.fill(0);
    for (let j = 1; j < tree.count; j++) {
      const d = tree.order[j];
      const p = tree.prev[d];
      if (d === me) continue;
      below[d] = p === me || (p !== root && below[p] === 1) ? 1 : 0;
      if (below[d] === 1) routes.get(graph.ids[d])?.validOrigins.push(graph.ids[root]);
    }
  }
  for (const route of routes.values()) route.validOrigins.sort(compareIds);
  return { radius, routes };
}

export function compareIds(a: RouterId, b: RouterId): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Dijkstra over dense indices: the valid-origin pass runs it once per router.

interface Graph {
  ids: RouterId[];
  index: Map<RouterId, number>;
  /** Position of each id in sorted order: the tie-break. */
  rank: Int32Array;
  /** Outgoing edges of each node as [to, cost] pairs flattened. */
  edges: number[][];
}

interface Tree {
  prev: Int32Array;
  cost: Float64Array;
  hops: Int32Array;
  /** Settled nodes in settle order, root first; `count` of them are valid. */
  order: Int32Array;
  count: number;
}

function buildGraph(self: RouterId, collection: LinkStateCollection): Graph {
  const links = withPlaceholders(collection);
  if (!links.has(self)) links.set(self, new Map());
  const ids = [...links.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const rank = new Int32Array(ids.length);
  [...ids.keys()].sort((a, b) => compareIds(ids[a], ids[b])).forEach((node, position) => (rank[node] = position));
  const edges = ids.map((id) => {
    const flat: number[] = [];
    for (const [peer, cost] of links.get(id)!) flat.push(index.get(peer)!, cost);
    return flat;
  });
  return { ids, index, rank, edges };
}

function shortestPathTree(graph: Graph, root: number): Tree {
  const n = graph.ids.length;
  const prev = new Int32Array(n).fill(-1);
  const cost = new Float64Array(n).fill(Infinity);
  const hops = new Int32Array(n);
  const settled = new Uint8Array(n);
  const order = new Int32Array(n);
  let count = 0;
  const heap = new NodeHeap(graph.rank);
  cost[root] = 0;
  heap.push(0, root);
  while (heap.size > 0) {
    const [c, u] = heap.pop();
    if (settled[u] === 1 || c !== cost[u]) continue; // stale entry
    settled[u] = 1;
    order[count++] = u;
    const out = graph.edges[u];
    for (let k = 0; k < out.length; k += 2) {
      const v = out[k];
      if (settled[v] === 1) continue;
      const alt = c + out[k + 1];
      if (alt < cost[v]) {
        cost[v] = alt;
        prev[v] = u;
        hops[v] = hops[u] + 1;
        heap.push(alt, v);
      }
    }
  }
  return { prev, cost, hops, order, count };
}

/** Binary min-heap of (cost, node) ordered by cost, then by the node's id rank. */
class NodeHeap {
  private readonly costs: number[] = [];
  private readonly nodes: number[] = [];

  constructor(private readonly rank: Int32Array) {}

  get size(): number {
    return this.nodes.length;
  }

  push(cost: number, node: number): void {
    this.costs.push(cost);
    this.nodes.push(node);
    let i = this.nodes.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.costs[0], this.nodes[0]];
    const lastCost = this.costs.pop()!;
    const lastNode = this.nodes.pop()!;
    if (this.nodes.length > 0) {
      this.costs[0] = lastCost;
      this.nodes[0] = lastNode;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.nodes.length && this.less(l, m)) m = l;
        if (r < this.nodes.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const ca = this.costs[a];
    const cb = this.costs[b];
    return ca < cb || (ca === cb && this.rank[this.nodes[a]] < this.rank[this.nodes[b]]);
  }

  private swap(a: number, b: number): void {
    [this.costs[a], this.costs[b]] = [this.costs[b], this.costs[a]];
    [this.nodes[a], this.nodes[b]] = [this.nodes[b], this.nodes[a]];
  }
}
