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
  /** Largest hop count from us to a reachable router; 0 when alone (qdrouterd's radius). */
  radius: number;
  /**
   * Largest hop count on any reachable router's shortest path to any other. Equal-cost ties
   * are broken differently from each end, so a message on its sender's shortest path can take
   * more hops than the receiver's radius + 1: a hop limit of diameter + 1 never drops it.
   */
  diameter: number;
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
  let diameter = 0;
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
  const tree = newTree(graph.ids.length);
  const heap = new NodeHeap(graph);
  for (let i = 1; i < mine.count; i++) {
    const root = mine.order[i];
    shortestPathTree(graph, root, tree, heap);
    below.fill(0);
    for (let j = 1; j < tree.count; j++) {
      const d = tree.order[j];
      const p = tree.prev[d];
      diameter = Math.max(diameter, tree.hops[d]);
      if (d === me) continue;
      below[d] = p === me || (p !== root && below[p] === 1) ? 1 : 0;
      if (below[d] === 1) routes.get(graph.ids[d])?.validOrigins.push(graph.ids[root]);
    }
  }
  for (const route of routes.values()) route.validOrigins.sort(compareIds);
  return { radius, diameter: Math.max(radius, diameter), routes };
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
  edgeCount: number;
}

interface Tree {
  prev: Int32Array;
  cost: Float64Array;
  hops: Int32Array;
  settled: Uint8Array;
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
  let edgeCount = 0;
  const edges = ids.map((id) => {
    const flat: number[] = [];
    for (const [peer, cost] of links.get(id)!) flat.push(index.get(peer)!, cost);
    edgeCount += flat.length / 2;
    return flat;
  });
  return { ids, index, rank, edges, edgeCount };
}

function newTree(n: number): Tree {
  return { prev: new Int32Array(n), cost: new Float64Array(n), hops: new Int32Array(n), settled: new Uint8Array(n), order: new Int32Array(n), count: 0 };
}

/** Dijkstra from `root`. `tree` and `heap` are reused: the valid-origin pass runs one per router. */
function shortestPathTree(graph: Graph, root: number, tree = newTree(graph.ids.length), heap = new NodeHeap(graph)): Tree {
  const { prev, cost, hops, settled, order } = tree;
  prev.fill(-1);
  cost.fill(Infinity);
  settled.fill(0);
  let count = 0;
  cost[root] = 0;
  hops[root] = 0;
  heap.clear();
  heap.push(0, root);
  while (heap.size > 0) {
    const c = heap.topCost();
    const u = heap.pop();
    if (settled[u] === 1 || c !== cost[u]) continue; // a stale entry
    settled[u] = 1;
    order[count++] = u;
    const out = graph.edges[u];
    for (let k = 0; k < out.length; k += 2) {
      const v = out[k];
      const alt = c + out[k + 1];
      if (settled[v] === 0 && alt < cost[v]) {
        cost[v] = alt;
        prev[v] = u;
        hops[v] = hops[u] + 1;
        heap.push(alt, v);
      }
    }
  }
  tree.count = count;
  return tree;
}

/**
 * Binary min-heap of (cost, node) ordered by cost, then by the node's id rank: the settle order
 * of qdrouterd's sorted list. Entries are never decreased, only pushed again (at most once per
 * edge), so the arrays are sized by the edge count.
 */
class NodeHeap {
  private readonly costs: Float64Array;
  private readonly nodes: Int32Array;
  private readonly rank: Int32Array;
  size = 0;

  constructor(graph: Graph) {
    this.costs = new Float64Array(graph.edgeCount + 1);
    this.nodes = new Int32Array(graph.edgeCount + 1);
    this.rank = graph.rank;
  }

  clear(): void {
    this.size = 0;
  }

  topCost(): number {
    return this.costs[0];
  }

  push(cost: number, node: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(cost, node, parent)) break;
      this.costs[i] = this.costs[parent];
      this.nodes[i] = this.nodes[parent];
      i = parent;
    }
    this.costs[i] = cost;
    this.nodes[i] = node;
  }

  pop(): number {
    const top = this.nodes[0];
    const n = --this.size;
    if (n === 0) return top;
    // Sift the last entry down from the root.
    const cost = this.costs[n];
    const node = this.nodes[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.lessAt(child + 1, child)) child++;
      if (!this.lessThan(this.costs[child], this.nodes[child], cost, node)) break;
      this.costs[i] = this.costs[child];
      this.nodes[i] = this.nodes[child];
      i = child;
    }
    this.costs[i] = cost;
    this.nodes[i] = node;
    return top;
  }

  /** (cost, node) sorts before the entry at position `at`. */
  private less(cost: number, node: number, at: number): boolean {
    return this.lessThan(cost, node, this.costs[at], this.nodes[at]);
  }

  private lessAt(a: number, b: number): boolean {
    return this.lessThan(this.costs[a], this.nodes[a], this.costs[b], this.nodes[b]);
  }

  private lessThan(ca: number, na: number, cb: number, nb: number): boolean {
    return ca < cb || (ca === cb && this.rank[na] < this.rank[nb]);
  }
}
