// The mesh converges from a cold start: every router ends with the routes qdrouterd's path
// computation gives for the real links, and with every reachable router's addresses.

import { expect } from 'chai';
import { converge } from './convergence';
import { SimMesh } from './sim-mesh';
import { build, fullMesh, line, names, randomGraph, ring, star } from './topologies';

/** Each router consumes one address of its own and a shared one. */
function withAddresses(mesh: SimMesh): SimMesh {
  for (const r of mesh.routers.values()) {
    r.addAddress(`M0only.${r.name}`, 2);
    r.addAddress('M0shared', 3);
  }
  return mesh;
}

describe('sim: convergence from a cold start', () => {
  it('a line of six', () => {
    //   R00 - R01 - R02 - R03 - R04 - R05
    const mesh = withAddresses(build(new SimMesh(), line(names(6))));
    const ms = converge(mesh, 30_000);
    expect(mesh.router('R00').table.radius).to.equal(5);
    expect(ms).to.be.below(20_000);
  });

  it('a ring of eight', () => {
    //   R00 - R01 - R02 - R03
    //    |                 |
    //   R07 - R06 - R05 - R04
    const mesh = withAddresses(build(new SimMesh(), ring(names(8))));
    converge(mesh, 30_000);
    expect(mesh.router('R00').table.radius).to.equal(4);
  });

  it('a star of one hub and eight leaves', () => {
    //   L00  L01  L02
    //      \  |  /
    //   L07 - HUB - L03        every leaf's traffic to another leaf passes through HUB
    //      /  |  \
    //   L06  L05  L04
    const mesh = withAddresses(build(new SimMesh(), star('HUB', names(8, 'L'))));
    converge(mesh, 30_000);
    expect(mesh.router('HUB').table.routes.get('L00')!.validOrigins).to.have.length(7);
  });

  it('a full mesh of eight', () => {
    //   every router linked to every other (28 links): every route is one hop
    const mesh = withAddresses(build(new SimMesh(), fullMesh(names(8))));
    converge(mesh, 30_000);
    expect(mesh.router('R03').table.radius).to.equal(1);
  });

  it('random meshes of 20 routers with random costs', () => {
    //   a random spanning tree plus 12 random links, costs 1–4 (topologies.ts randomGraph)
    for (let i = 0; i < 5; i++) {
      const mesh = new SimMesh();
      withAddresses(build(mesh, randomGraph(mesh.random, names(20), 12, 4)));
      converge(mesh, 60_000);
    }
  });
});
