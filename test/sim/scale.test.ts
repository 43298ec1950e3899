// A hundred routers (the mesh holds at most 128): cold start, then one link lost.

import { expect } from 'chai';
import { benchTopologyChange } from '../../router/core/linkstate/bench-topology-change';
import { converge, trueLinkStates } from './convergence';
import { SimMesh } from './sim-mesh';
import type { SimLink } from './sim-link';
import { build, names, randomGraph } from './topologies';

/** A link whose loss leaves the mesh connected. */
function redundantLink(mesh: SimMesh): SimLink {
  for (const link of mesh.links) {
    link.up = false;
    const states = trueLinkStates(mesh);
    link.up = true;
    const seen = new Set([link.a.id]);
    const queue = [link.a.id];
    while (queue.length > 0) for (const peer of states.get(queue.pop()!)!.keys()) if (!seen.has(peer) && seen.add(peer)) queue.push(peer);
    if (seen.size === mesh.routers.size) return link;
  }
  throw new Error('every link is a bridge');
}

describe('sim: a hundred routers', function () {
  this.timeout(60_000);

  it('a random mesh of 100 routers converges: every router routes to the 99 others', () => {
    const mesh = new SimMesh();
    build(mesh, randomGraph(mesh.random, names(100), 100, 4));
    for (const r of mesh.routers.values()) r.addAddress(`M0at.${r.name}`, 3);
    converge(mesh, 90_000, 1000);
    for (const r of mesh.routers.values()) expect(r.table.routes.size, r.name).to.equal(99);

    const link = redundantLink(mesh);
    mesh.close(link);
    expect(converge(mesh, 10_000, 100, 'next-hops')).to.be.at.most(2000);
    converge(mesh, 30_000, 500);
  });

  it('the CPU time of one topology change at 100 routers can be measured', () => {
    const result = benchTopologyChange({ clockUs: () => process.cpuUsage().user, rounds: 3 });
    expect(result).to.include({ routers: 100, links: 200 });
    expect(result.microsecondsPerChange).to.be.a('number');
  });
});
