// The converged mesh uses the paths qdrouterd's algorithm picks (reference §3.9), computed here
// by hand for each drawn topology: ties broken by router id, directional costs, cheaper longer
// paths, valid origins. converge() also checks every table against the path computation.

import { expect } from 'chai';
import { converge } from './convergence';
import { SimMesh } from './sim-mesh';
import type { RoutingTable } from '../../router/core/linkstate/shortest-paths';
import { build } from './topologies';

/** id → [nextHop, cost, hops, validOrigins] */
function flat(table: RoutingTable): Record<string, [string, number, number, string[]]> {
  return Object.fromEntries([...table.routes].map(([id, r]) => [id, [r.nextHop, r.cost, r.hops, r.validOrigins]]));
}

describe('sim: the paths qdrouterd would pick', () => {
  it('equal-cost paths: the neighbour with the smaller id carries the traffic', () => {
    //        B
    //      1/ \1
    //      A   D
    //      1\ /1
    //        C
    const mesh = build(new SimMesh(), ['A-B', 'B-D', 'A-C', 'C-D']);
    converge(mesh);
    expect(flat(mesh.router('A').table)).to.deep.equal({
      B: ['B', 1, 1, ['C']], //  C → B goes through A (A settles before D from C)
      C: ['C', 1, 1, ['B']],
      D: ['B', 2, 2, []], //     B < C
    });
    expect(mesh.router('D').table.routes.get('A')!.nextHop).to.equal('B');
    expect(mesh.router('B').table.routes.get('C')!.nextHop).to.equal('A'); // A < D
  });

  it('directional costs: each end of a link pays what it reports', () => {
    //     A =1>.....<9= B        A reaches B directly; B reaches A through C (1 + 1 < 9)
    //      1\         /1
    //        \       /
    //            C
    const mesh = new SimMesh();
    for (const name of ['A', 'B', 'C']) mesh.addRouter(name);
    mesh.connect('A', 'B', [1, 9]);
    mesh.connect('A', 'C', 1);
    mesh.connect('B', 'C', 1);
    converge(mesh);
    expect(flat(mesh.router('A').table)).to.deep.equal({ B: ['B', 1, 1, []], C: ['C', 1, 1, []] });
    expect(flat(mesh.router('B').table)).to.deep.equal({ A: ['C', 2, 2, []], C: ['C', 1, 1, []] });
    expect(flat(mesh.router('C').table)).to.deep.equal({ A: ['A', 1, 1, ['B']], B: ['B', 1, 1, []] });
  });

  it('a longer path wins when it is cheaper; the radius counts its hops', () => {
    //   A -1- B -1- C
    //   |           |
    //   5           1
    //   |           |
    //   E ----1---- D
    const mesh = build(new SimMesh(), ['A-1-B', 'B-1-C', 'C-1-D', 'D-1-E', 'A-5-E']);
    converge(mesh);
    expect(flat(mesh.router('A').table).E).to.deep.equal(['B', 4, 4, []]);
    expect(mesh.router('A').table.radius).to.equal(4);
    // E → A: 5 direct, 4 around: around, so D and C relay E's traffic, not A's link.
    expect(mesh.router('E').table.routes.get('A')!.nextHop).to.equal('D');
    expect(mesh.router('C').table.routes.get('A')!.validOrigins).to.deep.equal(['D', 'E']);
  });
});
