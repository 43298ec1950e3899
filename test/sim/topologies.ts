// Topologies for the simulator, each a list of links 'A-B' (cost 1) or 'A-3-B'.

import { between, type Random } from './prng';
import type { SimMesh } from './sim-mesh';

export const names = (n: number, prefix = 'R'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

export function line(ids: string[]): string[] {
  return ids.slice(1).map((id, i) => `${ids[i]}-${id}`);
}

export function ring(ids: string[]): string[] {
  return [...line(ids), `${ids[ids.length - 1]}-${ids[0]}`];
}

export function star(hub: string, leaves: string[]): string[] {
  return leaves.map((leaf) => `${hub}-${leaf}`);
}

export function fullMesh(ids: string[]): string[] {
  return ids.flatMap((a, i) => ids.slice(i + 1).map((b) => `${a}-${b}`));
}

/** A random connected graph: a random spanning tree plus `extra` random links, random costs. */
export function randomGraph(random: Random, ids: string[], extra: number, maxCost = 1): string[] {
  const edges = new Set<string>();
  const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const out: string[] = [];
  const add = (a: string, b: string) => {
    if (a === b || edges.has(key(a, b))) return false;
    edges.add(key(a, b));
    out.push(`${a}-${between(random, 1, maxCost)}-${b}`);
    return true;
  };
  for (let i = 1; i < ids.length; i++) add(ids[i], ids[between(random, 0, i - 1)]);
  const limit = (ids.length * (ids.length - 1)) / 2;
  for (let added = 0; added < extra && edges.size < limit; ) if (add(ids[between(random, 0, ids.length - 1)], ids[between(random, 0, ids.length - 1)])) added++;
  return out;
}

/** Adds the routers named in `links` (if new) and connects them. */
export function build(mesh: SimMesh, links: string[]): SimMesh {
  for (const spec of links) {
    const parts = spec.split('-');
    const [a, b] = [parts[0], parts[parts.length - 1]];
    const cost = parts.length === 3 ? Number(parts[1]) : 1;
    for (const name of [a, b]) if (!mesh.routers.has(name)) mesh.addRouter(name);
    mesh.connect(a, b, cost);
  }
  return mesh;
}
