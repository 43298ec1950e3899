// Failures: connections that close or go silent, partitions, restarts, duplicate router ids
// and lost messages. After each the mesh must converge again (convergence.ts).

import { expect } from 'chai';
import { DEFAULT_TIMERS } from '../../router/core/linkstate/timing';
import { converge, converged } from './convergence';
import { SimMesh } from './sim-mesh';
import { build, names, randomGraph, ring } from './topologies';

function withAddresses(mesh: SimMesh): SimMesh {
  for (const r of mesh.routers.values()) r.addAddress(`M0at.${r.name}`, 3);
  return mesh;
}

describe('sim: failures', () => {
  describe('a connection lost', () => {
    //   R00 - R01 - R02
    //    |           |
    //   R05 - R04 - R03        R00—R01 goes away: traffic between them goes round the ring.
    // Next hops follow from the two ends' new link states alone; valid origins need every
    // router's view of every other's paths, fetched through tables that are still changing.
    it('closed: next hops are right at once, everything within a few ticks', () => {
      const mesh = withAddresses(build(new SimMesh(), ring(names(6))));
      converge(mesh);
      mesh.close(mesh.link('R00', 'R01'));
      const nextHopsMs = converge(mesh, 5000, 50, 'next-hops');
      expect(nextHopsMs).to.be.at.most(1500);
      expect(mesh.router('R00').table.routes.get('R01')).to.include({ nextHop: 'R05', hops: 5 });
      expect(nextHopsMs + converge(mesh, 10_000, 50)).to.be.at.most(4000);
    });

    it('silent (no close): nothing changes until the last HELLO is helloMaxAge old', () => {
      const mesh = withAddresses(build(new SimMesh(), ring(names(6))));
      converge(mesh);
      mesh.link('R00', 'R01').silent = true;
      const nextHopsMs = converge(mesh, 10_000, 50, 'next-hops');
      // The last HELLO that got through is up to one interval older than the silence.
      expect(nextHopsMs).to.be.above(DEFAULT_TIMERS.helloMaxAgeMs - DEFAULT_TIMERS.helloIntervalMs);
      converge(mesh, 10_000);
    });

    it('back up: the old path is used again', () => {
      const mesh = withAddresses(build(new SimMesh(), ring(names(6))));
      converge(mesh);
      const link = mesh.link('R00', 'R01');
      mesh.close(link);
      converge(mesh);
      mesh.open(link);
      converge(mesh, 20_000);
      expect(mesh.router('R00').table.routes.get('R01')).to.include({ nextHop: 'R01', hops: 1 });
    });
  });

  it('partition and heal: each side routes alone, forgets the other after remoteLsMaxAge, and merges again', () => {
    //   A0 - A1 - A2 - A3          B0 - B1 - B2 - B3
    //    \_______________________/ \_____________/
    //   (A0—B0 and A3—B3 join two lines into a ring; the partition cuts both)
    const mesh = new SimMesh();
    build(mesh, ['A0-A1', 'A1-A2', 'A2-A3', 'B0-B1', 'B1-B2', 'B2-B3', 'A0-B0', 'A3-B3']);
    withAddresses(mesh);
    converge(mesh);
    const cut = mesh.partition(['A0', 'A1', 'A2', 'A3'], ['B0', 'B1', 'B2', 'B3']);
    expect(cut.map(String)).to.deep.equal(['A0—B0', 'A3—B3']);
    converge(mesh, 20_000);
    expect([...mesh.router('A1').table.routes.keys()].sort()).to.deep.equal(['A0', 'A2', 'A3']);

    // Addresses change on both sides while they cannot hear each other.
    mesh.router('B1').addAddress('M0new', 2);
    mesh.router('A1').removeAddress('M0at.A1');
    mesh.run(DEFAULT_TIMERS.remoteLsMaxAgeMs + 10_000);
    expect(mesh.router('A0').engine.knownRouters().sort(), 'the other side is forgotten').to.deep.equal(['A1', 'A2', 'A3']);
    expect(mesh.router('A0').remote.has('B1')).to.equal(false);

    mesh.heal(cut);
    converge(mesh, 30_000);
    expect([...mesh.router('A2').remote.get('B1')!.keys()].sort()).to.deep.equal(['M0at.B1', 'M0new']);
    expect(mesh.router('B2').remote.has('A1')).to.equal(false);
  });

  it('a restarted router comes back with a new instance: the mesh drops what it said before', () => {
    const mesh = withAddresses(build(new SimMesh(), ring(names(5))));
    const r2 = mesh.router('R02');
    r2.addAddress('M0gone', 3);
    converge(mesh);
    expect(mesh.router('R04').remote.get('R02')!.has('M0gone')).to.equal(true);

    r2.addresses.delete('M0gone'); // its consumer does not come back after the restart
    const before = r2.engine.instance;
    mesh.restart('R02', 800);
    converge(mesh, 30_000);
    expect(r2.engine.instance).to.not.equal(before);
    expect(r2.engine.mobileSeq, 'a new life counts from 1').to.equal(1);
    for (const name of ['R00', 'R01', 'R03', 'R04']) {
      const router = mesh.router(name);
      expect(router.events('router-restarted').map((e) => e.router), name).to.include('R02');
      expect([...router.remote.get('R02')!.keys()], name).to.deep.equal(['M0at.R02']);
    }
  });

  describe('duplicate router ids', () => {
    it('two neighbours with one id both report it', () => {
      //   X (first) ——— X (second)
      const mesh = new SimMesh();
      mesh.addRouter('X#1', 'X');
      mesh.addRouter('X#2', 'X');
      mesh.connect('X#1', 'X#2');
      mesh.run(5000);
      for (const name of ['X#1', 'X#2']) {
        const other = mesh.router(name === 'X#1' ? 'X#2' : 'X#1');
        expect(mesh.router(name).events('duplicate-id'), name).to.deep.equal([{ type: 'duplicate-id', router: 'X', instance: other.engine.instance, connection: 1 }]);
      }
      expect(mesh.router('X#1').engine.neighbours().size).to.equal(0);
    });

    it('a router between two routers with one id reports it', () => {
      //   X (first) ——— B ——— X (second)
      const mesh = new SimMesh();
      mesh.addRouter('X#1', 'X');
      mesh.addRouter('B');
      mesh.addRouter('X#2', 'X');
      mesh.connect('X#1', 'B');
      mesh.connect('B', 'X#2');
      mesh.run(5000);
      const reports = mesh.router('B').events('duplicate-id');
      expect(reports.map((e) => e.router)).to.deep.equal(['X']);
      expect([mesh.router('X#1').engine.instance, mesh.router('X#2').engine.instance]).to.include(reports[0].instance);
      // (Their RAs still make every router believe X restarts again and again, as in qdrouterd.)
    });
  });

  describe('lost messages', () => {
    it('a lost differential MAU is made up for by MAR and absolute MAU', () => {
      //   A - B - C      the MAU announcing A's new address never reaches C
      const mesh = withAddresses(build(new SimMesh(), ['A-B', 'B-C']));
      converge(mesh);
      let lost = 0;
      mesh.lose = (message, link, from) => message.opcode === 'MAU' && 'add' in message && from.name === 'B' && link.other(from).name === 'C' && ++lost === 1;
      const seen: string[] = [];
      mesh.observe = (message, from, to) => {
        if (message.opcode === 'MAR' || (message.opcode === 'MAU' && 'exist' in message)) seen.push(`${message.opcode}${'exist' in message ? '(absolute)' : ''} ${from.name}>${to.name}`);
      };
      mesh.router('A').addAddress('M0late', 2);
      converge(mesh, 10_000);
      expect(lost).to.equal(1);
      expect(seen).to.deep.equal(['MAR C>B', 'MAR B>A', 'MAU(absolute) A>B', 'MAU(absolute) B>C']);
      expect(mesh.router('C').remote.get('A')!.get('M0late')).to.equal(2);
    });

    it('15% of all messages lost for 40 s: the mesh converges once the loss stops', () => {
      const mesh = new SimMesh();
      withAddresses(build(mesh, randomGraph(mesh.random, names(12), 6, 3)));
      for (const link of mesh.links) link.dropRate = 0.15;
      for (let t = 0; t < 40; t += 5) {
        mesh.run(5000);
        const r = mesh.router(names(12)[t / 5]);
        r.addAddress(`M0during.${t}`, 3);
      }
      for (const link of mesh.links) link.dropRate = 0;
      expect(mesh.stats.lost).to.be.above(100);
      converge(mesh, 45_000);
      expect(converged(mesh)).to.equal(true);
    });
  });
});
