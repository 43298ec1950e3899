// Path computation (reference §3.9). Each topology is drawn; `A -2- B` is a link of cost 2 both
// ways, `A =1>..<9= B` a link A reports at 1 and B reports at 9 (costs are directional).

import { expect } from 'chai';
import { computeRoutes, withPlaceholders, type LinkStateCollection, type RoutingTable } from '../../../../router/core/linkstate/shortest-paths';
import { graphFromEdges, referenceRoutes } from './reference-paths';

/** `{A: {B: 1}}` → collection, in the order written (ours first). */
function ls(states: Record<string, Record<string, number>>): LinkStateCollection {
  return new Map(Object.entries(states).map(([id, peers]) => [id, new Map(Object.entries(peers))]));
}

/** A table as a plain object for deep equality: id → [nextHop, cost, hops, validOrigins]. */
function flat(table: RoutingTable): Record<string, [string, number, number, string[]]> {
  const out: Record<string, [string, number, number, string[]]> = {};
  for (const [id, r] of table.routes) out[id] = [r.nextHop, r.cost, r.hops, r.validOrigins];
  return out;
}

describe('linkstate: shortest paths (reference §3.9)', () => {
  it('a line: next hop, cost, radius', () => {
    //   A -1- B -1- C -1- D
    const line = graphFromEdges('A-1-B B-1-C C-1-D');
    const a = computeRoutes('A', line);
    expect(flat(a)).to.deep.equal({ B: ['B', 1, 1, []], C: ['B', 2, 2, []], D: ['B', 3, 3, []] });
    expect(a.radius).to.equal(3);
    // From B, the traffic of C and D towards A passes through B.
    const b = computeRoutes('B', line);
    expect(flat(b)).to.deep.equal({ A: ['A', 1, 1, ['C', 'D']], C: ['C', 1, 1, ['A']], D: ['C', 2, 2, ['A']] });
    expect(b.radius).to.equal(2);
  });

  it('equal costs: the predecessor settled first wins, ties settled by router id', () => {
    //        B              Z
    //      1/ \1          1/ \1
    //      A   D          A   D
    //      1\ /1          1\ /1
    //        C              C
    expect(computeRoutes('A', graphFromEdges('A-1-B B-1-D A-1-C C-1-D')).routes.get('D')!.nextHop).to.equal('B');
    expect(computeRoutes('A', graphFromEdges('A-1-Z Z-1-D A-1-C C-1-D')).routes.get('D')!.nextHop).to.equal('C');
  });

  it('an equal-cost path through a router with a smaller id does not replace the first one', () => {
    //      A -1- Z -2- D        D costs 3 both ways; Z settles before B (cost 1 < 2),
    //      A -2- B -1- D        so D keeps Z as predecessor although 'B' < 'Z'.
    const t = computeRoutes('A', graphFromEdges('A-1-Z Z-2-D A-2-B B-1-D'));
    expect(flat(t).D).to.deep.equal(['Z', 3, 2, []]);
  });

  it('costs are directional: u→v costs what u reports for v', () => {
    //          A =1>......<10= B
    //   A =5>..<1= C          C -1- B
    const g = ls({
      A: { B: 1, C: 5 },
      B: { A: 10, C: 1 },
      C: { A: 1, B: 1 },
    });
    expect(flat(computeRoutes('A', g))).to.deep.equal({ B: ['B', 1, 1, []], C: ['B', 2, 2, []] });
    // B reaches A through C (1 + 1) rather than over its own expensive side of the link.
    expect(flat(computeRoutes('B', g)).A).to.deep.equal(['C', 2, 2, []]);
    expect(flat(computeRoutes('C', g))).to.deep.equal({ A: ['A', 1, 1, ['B']], B: ['B', 1, 1, []] });
  });

  it('radius counts hops, not cost', () => {
    //   A -1- B -1- C      and      A -5- C
    const t = computeRoutes('A', graphFromEdges('A-1-B B-1-C A-5-C'));
    expect(flat(t).C).to.deep.equal(['B', 2, 2, []]);
    expect(t.radius).to.equal(2);
  });

  it('a peer without a link state gets a placeholder link of cost 1 back to its lister', () => {
    //   A -1- B -1- C        C's LSU has not arrived: C is assumed to list only B (cost 1),
    //                        so C is reachable and C's traffic to A counts as passing B.
    const t = computeRoutes('B', ls({ B: { A: 1, C: 1 }, A: { B: 1 } }));
    expect(flat(t)).to.deep.equal({ A: ['A', 1, 1, ['C']], C: ['C', 1, 1, ['A']] });
    // qdrouterd feeds every known router, LSU or not: a known router with no peers is taken as
    // it is (no placeholder), so C reaches nothing and originates nothing.
    const known = computeRoutes('B', ls({ B: { A: 1, C: 1 }, A: { B: 1 }, C: {} }));
    expect(flat(known)).to.deep.equal({ A: ['A', 1, 1, []], C: ['C', 1, 1, ['A']] });
  });

  it('the placeholder links back to the first lister in collection order only', () => {
    //   A =3> X <2= B        X listed by A then B: X → A only, at cost 1 (not 3).
    const links = withPlaceholders(ls({ A: { X: 3, B: 1 }, B: { X: 2, A: 1 } }));
    expect([...links.get('X')!]).to.deep.equal([['A', 1]]);
    // So the order decides whether X's traffic to A passes through B (X → B → A) or not.
    expect(flat(computeRoutes('B', ls({ A: { X: 3, B: 1 }, B: { X: 2, A: 1 } }))).A[3]).to.deep.equal([]);
    expect(flat(computeRoutes('B', ls({ B: { X: 2, A: 1 }, A: { X: 3, B: 1 } }))).A[3]).to.deep.equal(['X']);
  });

  it('a star: the hub is on every path between leaves', () => {
    //        L1
    //         |
    //   L2 -- H -- L3
    const t = computeRoutes('H', graphFromEdges('H-1-L1 H-1-L2 H-1-L3'));
    expect(flat(t)).to.deep.equal({
      L1: ['L1', 1, 1, ['L2', 'L3']],
      L2: ['L2', 1, 1, ['L1', 'L3']],
      L3: ['L3', 1, 1, ['L1', 'L2']],
    });
    expect(t.radius).to.equal(1);
  });

  it('a ring of five: a router relays only between its two neighbours', () => {
    //        A
    //      /   \
    //     E     B
    //     |     |
    //     D --- C
    const t = computeRoutes('A', graphFromEdges('A-1-B B-1-C C-1-D D-1-E E-1-A'));
    expect(flat(t)).to.deep.equal({
      B: ['B', 1, 1, ['E']],
      C: ['B', 2, 2, []],
      D: ['E', 2, 2, []],
      E: ['E', 1, 1, ['B']],
    });
  });

  it('unreachable routers get no route', () => {
    //   A -1- B        C -1- D    (two islands)
    const t = computeRoutes('A', graphFromEdges('A-1-B C-1-D'));
    expect([...t.routes.keys()]).to.deep.equal(['B']);
    expect(t.radius).to.equal(1);
    expect(computeRoutes('A', ls({ A: {} }))).to.deep.equal({ radius: 0, diameter: 0, routes: new Map() });
  });

  it('the diameter bounds every shortest path, even one longer than its receiver\'s radius', () => {
    //   K -1- G -1- A -1- B -1- D        K → H: K-G-A-B-D-H, cost 7 in 5 hops (G settles
    //         |                 |                 before C from K's side)
    //         4                 3        H → K: H-C-G-K, cost 7 in 3 hops
    //         |                 |        H's radius is 3: a hop limit of radius + 1 would
    //         C ------- 2 ----- H        drop everything K sends H.   (+ more links, below)
    const g = graphFromEdges(
      'A-1-B A-3-C A-4-F A-1-G A-2-I B-1-D B-4-E B-4-G C-4-G C-2-H C-1-I D-3-H D-2-J E-3-J G-1-K H-3-J H-1-L I-3-J J-4-L',
    );
    const k = computeRoutes('K', g);
    const h = computeRoutes('H', g);
    expect(k.routes.get('H')!.hops).to.equal(5);
    expect(h.radius).to.equal(3);
    expect(h.diameter).to.be.at.least(5);
    expect(k.diameter).to.equal(h.diameter);
  });

  it('agrees with a literal rendition of path.py on 300 random meshes with many ties', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    for (let round = 0; round < 300; round++) {
      const n = 2 + Math.floor(random() * 12);
      const ids = Array.from({ length: n }, (_, i) => `R${String.fromCharCode(97 + ((i * 7) % 26))}${i}`);
      const states: Record<string, Record<string, number>> = {};
      for (const id of ids) states[id] = {};
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j || random() > 0.35) continue;
          states[ids[i]][ids[j]] = 1 + Math.floor(random() * 3);
        }
      }
      // Some routers' link states are missing (placeholders) or empty.
      for (const id of ids.slice(1)) {
        const r = random();
        if (r < 0.1) delete states[id];
        else if (r < 0.15) states[id] = {};
      }
      const collection = ls(states);
      const expected = referenceRoutes(ids[0], collection);
      const got = computeRoutes(ids[0], collection);
      expect(flat(got), `round ${round}: ${JSON.stringify(states)}`).to.deep.equal(expected.routes);
      expect(got.radius).to.equal(expected.radius);
    }
  });
});
