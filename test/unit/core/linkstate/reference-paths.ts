// Test oracle: qdrouterd's path computation done the slow, literal way (an ordered list of
// unresolved nodes, predecessor walks for next hops and valid origins), to check that the
// indexed implementation picks exactly the same paths. Also a helper that builds symmetric
// topologies from a compact edge list.

import type { LinkStateCollection, Peers } from '../../../../router/core/linkstate/shortest-paths';

/** 'A-1-B B-2-C' → collection with both directions of every link, ids in order of appearance. */
export function graphFromEdges(edges: string): LinkStateCollection {
  const peers = new Map<string, Map<string, number>>();
  const side = (id: string) => peers.get(id) ?? peers.set(id, new Map()).get(id)!;
  for (const edge of edges.trim().split(/\s+/)) {
    const [a, cost, b] = edge.split('-');
    side(a).set(b, Number(cost));
    side(b).set(a, Number(cost));
  }
  return peers;
}

interface Tree {
  prev: Map<string, string>;
  cost: Map<string, number>;
  hops: Map<string, number>;
}

function tree(root: string, collection: LinkStateCollection): Tree {
  const links = new Map<string, Peers>();
  for (const [id, peers] of collection) {
    links.set(id, peers);
    for (const p of peers.keys()) if (!links.has(p)) links.set(p, new Map([[id, 1]]));
  }
  const cost = new Map<string, number | null>();
  const hops = new Map<string, number | null>();
  const prev = new Map<string, string | null>();
  for (const id of links.keys()) {
    cost.set(id, null);
    hops.set(id, null);
    prev.set(id, null);
  }
  cost.set(root, 0);
  hops.set(root, 0);
  // Unresolved nodes, sorted by (cost, id) for those with a cost; the rest after them.
  const unresolved: Array<[string, number | null]> = [[root, 0]];
  for (const id of links.keys()) if (id !== root) unresolved.push([id, null]);
  const contains = (id: string) => unresolved.some(([n]) => n === id);
  const setCost = (id: string, c: number) => {
    unresolved.splice(unresolved.findIndex(([n]) => n === id), 1);
    let i = 0;
    while (i < unresolved.length) {
      const [n, nc] = unresolved[i];
      if (nc === null || c < nc || (c === nc && id < n)) break;
      i++;
    }
    unresolved.splice(i, 0, [id, c]);
  };
  while (unresolved.length > 0) {
    const [u] = unresolved.shift()!;
    if (cost.get(u) === null) break;
    for (const [v, c] of links.get(u) ?? new Map<string, number>()) {
      if (!contains(v)) continue;
      const alt = cost.get(u)! + c;
      const cv = cost.get(v)!;
      if (cv === null || alt < cv) {
        hops.set(v, hops.get(u)! + 1);
        cost.set(v, alt);
        prev.set(v, u);
        setCost(v, alt);
      }
    }
  }
  const result: Tree = { prev: new Map(), cost: new Map(), hops: new Map() };
  for (const [id, p] of prev) {
    if (p === null) continue;
    result.prev.set(id, p);
    result.cost.set(id, cost.get(id)!);
    result.hops.set(id, hops.get(id)!);
  }
  return result;
}

export function referenceRoutes(self: string, collection: LinkStateCollection): {
  routes: Record<string, [string, number, number, string[]]>;
  radius: number;
} {
  const mine = tree(self, collection);
  const radius = Math.max(0, ...mine.hops.values());
  const nextHops = new Map<string, string>();
  const nodes = [...mine.prev.keys()];
  while (nodes.length > 0) {
    let u = nodes.shift()!;
    const path = [u];
    let v = mine.prev.get(u)!;
    while (v !== self) {
      const i = nodes.indexOf(v);
      if (i >= 0) {
        path.push(v);
        nodes.splice(i, 1);
      }
      u = v;
      v = mine.prev.get(u)!;
    }
    for (const w of path) nextHops.set(w, u);
  }

  const validOrigins = new Map<string, string[]>([...mine.prev.keys()].map((id) => [id, []]));
  for (const root of validOrigins.keys()) {
    const t = tree(root, collection);
    const pending = [...t.prev.keys()];
    while (pending.length > 0) {
      let u = pending.shift()!;
      const path = [u];
      let v = t.prev.get(u)!;
      while (v !== root) {
        const i = pending.indexOf(v);
        if (i >= 0) {
          if (v !== self) path.push(v);
          pending.splice(i, 1);
        }
        if (v === self) for (const dest of path) validOrigins.get(dest)!.push(root);
        u = v;
        v = t.prev.get(u)!;
      }
    }
  }

  const routes: Record<string, [string, number, number, string[]]> = {};
  for (const id of mine.prev.keys()) {
    routes[id] = [nextHops.get(id)!, mine.cost.get(id)!, mine.hops.get(id)!, validOrigins.get(id)!.sort()];
  }
  return { routes, radius };
}
