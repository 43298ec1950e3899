// What a converged mesh looks like: every router's routing table (as its `routes` actions
// said) equals the path computation over the links that really work, and every router holds
// exactly the addresses of every router it can reach (as its `addresses` actions said).

import type { RouterId } from '../../router/core/linkstate/messages';
import { computeRoutes, type Route, type RoutingTable } from '../../router/core/linkstate/shortest-paths';
import type { SimMesh } from './sim-mesh';
import type { SimRouter } from './sim-router';

/** Every router's link state as the working links make it. */
export function trueLinkStates(mesh: SimMesh): Map<RouterId, Map<RouterId, number>> {
  const states = new Map<RouterId, Map<RouterId, number>>();
  for (const r of mesh.routers.values()) states.set(r.id, new Map());
  for (const link of mesh.links) {
    if (!link.working) continue;
    states.get(link.a.id)!.set(link.b.id, link.costAtA);
    states.get(link.b.id)!.set(link.a.id, link.costAtB);
  }
  return states;
}

const expectedCache = new WeakMap<SimMesh, { signature: string; tables: Map<RouterId, RoutingTable> }>();

/** The table `router` should hold for the current working links (cached per topology). */
export function expectedTable(mesh: SimMesh, router: SimRouter): RoutingTable {
  const signature = mesh.links.map((l) => (l.working ? `${l.id}:${l.costAtA}:${l.costAtB}` : '')).join(',');
  let cache = expectedCache.get(mesh);
  if (cache?.signature !== signature) expectedCache.set(mesh, (cache = { signature, tables: new Map() }));
  let table = cache.tables.get(router.id);
  if (table === undefined) cache.tables.set(router.id, (table = computeRoutes(router.id, trueLinkStates(mesh))));
  return table;
}

/** 'next-hops': only next hops and costs; 'all': valid origins, radius and addresses too. */
export type Scope = 'next-hops' | 'all';

/** Why the mesh has not converged yet, one line per problem (at most `limit`). */
export function mismatches(mesh: SimMesh, limit = 10, scope: Scope = 'all'): string[] {
  const problems: string[] = [];
  const byId = new Map([...mesh.routers.values()].map((r) => [r.id, r]));
  for (const router of mesh.routers.values()) {
    const expected = expectedTable(mesh, router);
    problems.push(...tableProblems(router, expected, scope));
    if (scope === 'next-hops') continue;
    for (const other of expected.routes.keys()) {
      const want = [...byId.get(other)!.addresses.keys()].sort();
      const have = [...(router.remote.get(other)?.keys() ?? [])].sort();
      if (want.join() !== have.join()) problems.push(`${router.name}: addresses of ${other} are [${have}], not [${want}]`);
    }
    if (problems.length >= limit) break;
  }
  return problems.slice(0, limit);
}

export function converged(mesh: SimMesh, scope: Scope = 'all'): boolean {
  return mismatches(mesh, 1, scope).length === 0;
}

function tableProblems(router: SimRouter, expected: RoutingTable, scope: Scope): string[] {
  const problems: string[] = [];
  const have = router.table;
  if (scope === 'all' && (have.radius !== expected.radius || have.diameter !== expected.diameter)) {
    problems.push(`${router.name}: radius/diameter ${have.radius}/${have.diameter}, not ${expected.radius}/${expected.diameter}`);
  }
  for (const [id, want] of expected.routes) {
    const got = have.routes.get(id);
    if (got === undefined) problems.push(`${router.name}: no route to ${id}`);
    else if (scope === 'all' ? !sameRoute(got, want) : got.nextHop !== want.nextHop || got.cost !== want.cost) {
      problems.push(`${router.name}: route to ${id} is ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
    }
  }
  for (const id of have.routes.keys()) if (!expected.routes.has(id)) problems.push(`${router.name}: route to unreachable ${id}`);
  return problems;
}

function sameRoute(a: Route, b: Route): boolean {
  return a.nextHop === b.nextHop && a.cost === b.cost && a.hops === b.hops && a.validOrigins.length === b.validOrigins.length && a.validOrigins.every((o, i) => o === b.validOrigins[i]);
}

/** Runs the mesh until it has converged; fails with the remaining problems and the seed. */
export function converge(mesh: SimMesh, maxMs = 60_000, stepMs = 500, scope: Scope = 'all'): number {
  try {
    return mesh.runUntil(() => converged(mesh, scope), maxMs, stepMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n  ${mismatches(mesh, 10, scope).join('\n  ')}`);
  }
}
