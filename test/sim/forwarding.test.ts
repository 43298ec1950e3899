// How control messages travel matters to the engine: these tests run the same meshes under
// qdrouterd's forwarding rules and under the ones the simulator uses by default (sim-mesh.ts).

import { expect } from 'chai';
import { lsrTo } from '../../router/core/linkstate/compose';
import { routerAddress } from '../../router/core/linkstate/control-addresses';
import { converge } from './convergence';
import { SimMesh } from './sim-mesh';
import { build, fullMesh, names, ring } from './topologies';

//   K -1- G -1- A -1- B -1- D        K → H: K-G-A-B-D-H, cost 7 in 5 hops
//         |                 |        H → K: H-C-G-K, cost 7 in 3 hops; H's radius is 3
//         4                 3
//         |                 |        (plus the links of the list below)
//         C ------- 2 ----- H
const TIES = 'A-1-B A-3-C A-4-F A-1-G A-2-I B-1-D B-4-E B-4-G C-4-G C-2-H C-1-I D-3-H D-2-J E-3-J G-1-K H-3-J H-1-L I-3-J J-4-L'.split(' ');

describe('sim: forwarding rules', () => {
  it("qdrouterd's hop limit (radius + 1) drops what K sends H on K's shortest path", () => {
    const mesh = build(new SimMesh(), TIES);
    converge(mesh, 30_000);
    expect(mesh.router('K').table.routes.get('H')!.hops).to.equal(5);
    expect(mesh.router('H').table.radius).to.equal(3);
    const answered = (hopLimit: 'radius' | 'diameter') => {
      mesh.hopLimit = hopLimit;
      let lsu = 0;
      mesh.observe = (message, from, _to, address) => void (message.opcode === 'LSU' && from.name === 'H' && address === routerAddress('K') && lsu++);
      mesh.originate(mesh.router('K'), lsrTo('H', 'K'));
      mesh.run(500);
      return lsu > 0;
    };
    expect(answered('radius'), 'radius + 1').to.equal(false);
    expect(answered('diameter'), 'diameter + 1').to.equal(true);
  });

  it("qdrouterd's flood (every copy on every path) converges too, with many duplicates", () => {
    for (const links of [ring(names(6)), fullMesh(names(5))]) {
      const mesh = build(new SimMesh({ flood: 'every-copy' }), links);
      for (const r of mesh.routers.values()) r.addAddress(`M0at.${r.name}`, 3);
      converge(mesh, 30_000);
      expect(mesh.stats.duplicates).to.equal(0); // not counted: every copy is handled
    }
  });
});
