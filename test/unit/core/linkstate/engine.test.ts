// The engine of one router fed by hand (reference §3.3–§3.6, §3.8, §3.10). RA is the router
// under test; its peers exist only as the messages they would send.

import { expect } from 'chai';
import { LinkStateEngine } from '../../../../router/core/linkstate/engine';
import { MAX_ROUTERS } from '../../../../router/core/linkstate/mask-bits';
import type { LinkStateTimers } from '../../../../router/core/linkstate/timing';
import { hello, lsu, messagesOf, only, ra, sent } from './fixtures';

function engine(timers: Partial<LinkStateTimers> = {}): LinkStateEngine {
  return new LinkStateEngine({ id: 'RA', instance: 1, timers });
}

/** RA — RB over connection c1, confirmed two-way at t=100 and advertised at the t=1000 tick. */
function withNeighbour(timers: Partial<LinkStateTimers> = {}): LinkStateEngine {
  const e = engine(timers);
  e.tick(0);
  e.connectionUp('c1', 1);
  e.receive(hello('RB', ['RA']), 'c1', 100);
  e.tick(1000);
  return e;
}

describe('linkstate: engine', () => {
  describe('neighbours (HELLO, §3.3)', () => {
    it('a HELLO that does not list us is one-way: the sender is seen, not a neighbour', () => {
      const e = engine();
      expect(sent(e.tick(0))).to.deep.equal(['HELLO', 'RA']);
      expect(e.receive(hello('RB', []), 'c1', 100)).to.deep.equal([]);
      const tick = e.tick(1000);
      expect(messagesOf(tick, 'HELLO')[0].seen).to.deep.equal(['RB']);
      expect(e.neighbours().size).to.equal(0);
    });

    it('a HELLO that lists us makes a neighbour, advertised at the next tick', () => {
      const e = engine();
      e.tick(0);
      e.connectionUp('c1', 5);
      expect(e.receive(hello('RB', ['RA']), 'c1', 100)).to.deep.equal([
        { type: 'router-added', router: 'RB', maskBit: 1 },
        { type: 'neighbour-up', router: 'RB', connection: 'c1', cost: 5 },
      ]);
      // The LSU answering an LSR before that tick already lists RB, still at ls_seq 0 (capture).
      expect(e.linkState()).to.deep.equal({ id: 'RA', area: '0', ls_seq: 0, peers: { RB: 5 } });
      const tick = e.tick(1000);
      expect(sent(tick)).to.deep.equal(['HELLO', 'LSR>RB', 'RA']);
      expect(messagesOf(tick, 'RA')[0]).to.include({ ls_seq: 1, mobile_seq: 0 });
      expect(only(tick, 'routes')[0].table.routes.get('RB')).to.deep.equal({ nextHop: 'RB', cost: 5, hops: 1, validOrigins: [] });
      expect(e.connectionTo('RB')).to.equal('c1');
    });

    it('a new connection gets a HELLO at once; extra ticks send no extra HELLOs', () => {
      const e = engine();
      e.tick(0);
      e.receive(hello('RB', []), 'c0', 10);
      expect(messagesOf(e.connectionUp('c1', 1), 'HELLO')).to.deep.equal([hello('RA', ['RB'], 1)]);
      expect(sent(e.tick(500)), 'the periodic HELLO keeps its pace').to.deep.equal([]);
      expect(sent(e.tick(1000))).to.deep.equal(['HELLO']);
    });

    it('seen entries expire after helloMaxAge', () => {
      const e = engine();
      e.tick(0);
      e.receive(hello('RB', []), 'c1', 0);
      expect(messagesOf(e.tick(3000), 'HELLO')[0].seen).to.deep.equal(['RB']);
      expect(messagesOf(e.tick(4000), 'HELLO')[0].seen).to.deep.equal([]);
    });

    it('a neighbour silent for longer than helloMaxAge is dropped at the tick and the change advertised', () => {
      const e = withNeighbour();
      // (RB never answers the LSR of t=1000: it is asked again at each tick.)
      expect(sent(e.tick(3000))).to.deep.equal(['HELLO', 'LSR>RB']);
      const tick = e.tick(4000);
      expect(only(tick, 'neighbour-down')).to.deep.equal([{ type: 'neighbour-down', router: 'RB', connection: 'c1', reason: 'hello-expired' }]);
      expect(messagesOf(tick, 'RA')[0].ls_seq).to.equal(2);
      expect(only(tick, 'routes')[0].table.routes.size).to.equal(0);
    });

    it('a lost connection is advertised at once, without waiting for a tick', () => {
      const e = withNeighbour();
      const actions = e.neighbourLost('c1', 1500);
      expect(actions.map((a) => a.type)).to.deep.equal(['neighbour-down', 'routes', 'send']);
      expect(messagesOf(actions, 'RA')[0].ls_seq).to.equal(2);
      expect(e.linkState().peers).to.deep.equal({});
      expect(e.neighbourLost('c1', 1600)).to.deep.equal([]);
      expect(e.neighbourLost('never-seen', 1600)).to.deep.equal([]);
    });

    it('a second connection to the same router does not take over while the first is open', () => {
      const e = withNeighbour();
      e.connectionUp('c2', 1);
      expect(e.receive(hello('RB', ['RA']), 'c2', 1100)).to.deep.equal([]);
      expect(e.neighbours().get('RB')).to.equal('c1');
      e.neighbourLost('c1', 1200);
      expect(only(e.receive(hello('RB', ['RA']), 'c2', 1300), 'neighbour-up')[0].connection).to.equal('c2');
    });
  });

  describe('link state (RA, LSR, LSU, §3.4–§3.6)', () => {
    it('an RA with a newer ls_seq is answered by an LSR at once; only a newer LSU counts', () => {
      const e = withNeighbour();
      expect(sent(e.receive(ra('RB', 1), 'c1', 1100))).to.deep.equal(['LSR>RB']);
      expect(sent(e.receive(ra('RB', 0), 'c1', 1150))).to.deep.equal([]);
      //   RA -1- RB -2- RC       (RC learned from RB's link state)
      expect(e.receive(lsu('RB', 1, { RA: 1, RC: 2 }), 'c1', 1200)).to.deep.equal([{ type: 'router-added', router: 'RC', maskBit: 2 }]);
      const tick = e.tick(2000);
      expect(sent(tick)).to.deep.equal(['HELLO', 'LSR>RC']);
      expect(only(tick, 'routes')[0].table.routes.get('RC')).to.deep.equal({ nextHop: 'RB', cost: 3, hops: 2, validOrigins: [] });
      expect(e.connectionTo('RC')).to.equal('c1');
      // Same ls_seq, other peers: ignored.
      e.receive(lsu('RB', 1, { RA: 1 }), 'c1', 2100);
      expect(only(e.tick(3000), 'routes')).to.deep.equal([]);
    });

    it('an unanswered LSR is repeated at the next ticks, four times in all, until an RA asks again', () => {
      const e = withNeighbour(); // LSR>RB at t=1000
      const lsrTimes: number[] = [];
      for (let t = 2000; t <= 16_000; t += 1000) {
        e.receive(hello('RB', ['RA']), 'c1', t - 500);
        if (t === 12_500) e.receive(ra('RB', 2), 'c1', t);
        if (sent(e.tick(t)).includes('LSR>RB')) lsrTimes.push(t);
      }
      expect(lsrTimes).to.deep.equal([2000, 3000, 4000]);
      const afterRa = e.receive(ra('RB', 3), 'c1', 16_100);
      expect(sent(afterRa)).to.deep.equal(['LSR>RB']);
      e.receive(hello('RB', ['RA']), 'c1', 17_500);
      expect(sent(e.tick(18_200)), 'a new wanted ls_seq: four more tries').to.include('LSR>RB');
      e.receive(lsu('RB', 3, { RA: 1 }), 'c1', 18_300);
      e.receive(hello('RB', ['RA']), 'c1', 19_500);
      expect(sent(e.tick(20_300)), 'answered').to.not.include('LSR>RB');
    });

    it('an LSR is answered with our link state, to the requester', () => {
      const e = withNeighbour();
      const reply = e.receive({ opcode: 'LSR', id: 'RB', pv: 1, area: '0' }, 'c1', 1100);
      expect(sent(reply)).to.deep.equal(['LSU>RB']);
      expect(only(reply, 'send')[0].address).to.equal('amqp:/_topo/0/RB/qdrouter');
      expect(messagesOf(reply, 'LSU')[0]).to.deep.equal({
        opcode: 'LSU', id: 'RA', pv: 1, area: '0', instance: 1, ls_seq: 1, ls: { id: 'RA', area: '0', ls_seq: 1, peers: { RB: 1 } },
      });
    });

    it('a remote link state not refreshed by an RA or LSU for remoteLsMaxAge is cleared', () => {
      const e = withNeighbour({ remoteLsMaxAgeMs: 10_000 });
      e.receive(lsu('RB', 1, { RA: 1, RC: 1 }), 'c1', 1100);
      e.tick(2000);
      expect([...e.routingTable.routes.keys()]).to.deep.equal(['RB', 'RC']);
      const removed: string[] = [];
      for (let t = 3000; t <= 16_000; t += 1000) {
        e.receive(hello('RB', ['RA']), 'c1', t - 500); // RB stays a neighbour but sends no RA
        const tick = e.tick(t);
        removed.push(...only(tick, 'router-removed').map((a) => `${a.router}@${t}`));
        if (t === 11_000) expect([...e.routingTable.routes.keys()], 'age 9.9 s').to.deep.equal(['RB', 'RC']);
        if (t === 12_000) expect([...e.routingTable.routes.keys()], 'age 10.9 s').to.deep.equal(['RB']);
      }
      // RC, no longer listed by anybody, is forgotten on its third orphaned tick.
      expect(removed).to.deep.equal(['RC@14000']);
    });

    it('a router known only from an LSR is forgotten on the third tick; its mask bit is reused', () => {
      const e = engine();
      e.tick(0);
      expect(sent(e.receive({ opcode: 'LSR', id: 'RX', pv: 1, area: '0' }, 'c1', 10))).to.deep.equal(['LSU>RX']);
      for (const extra of [300, 600, 900]) e.tick(extra); // extra ticks do not age it faster
      expect(only(e.tick(1000), 'router-removed')).to.deep.equal([]);
      expect(only(e.tick(2000), 'router-removed')).to.deep.equal([]);
      expect(only(e.tick(3000), 'router-removed')).to.deep.equal([{ type: 'router-removed', router: 'RX', maskBit: 1 }]);
      expect(only(e.receive(ra('RY', 0), 'c1', 3100), 'router-added')).to.deep.equal([{ type: 'router-added', router: 'RY', maskBit: 1 }]);
    });

    it('at most 127 other routers: the 128th is ignored', () => {
      const e = engine();
      for (let i = 1; i < MAX_ROUTERS; i++) e.receive(ra(`R${i}`, 0), 'c1', 0);
      expect(only(e.receive(ra('R128', 0), 'c1', 0), 'ignored')).to.deep.equal([{ type: 'ignored', reason: 'too-many-routers', router: 'R128', opcode: 'RA' }]);
      expect(e.knownRouters()).to.have.length(MAX_ROUTERS - 1);
    });

    it('RAs: every raInterval when stable, every raIntervalFlux for 2 × raIntervalFlux after a change', () => {
      const e = engine();
      const raTimes: number[] = [];
      for (let t = 0; t <= 72_000; t += 1000) {
        if (t >= 30_500) e.receive(hello('RB', ['RA']), 'c1', t - 500);
        if (sent(e.tick(t)).includes('RA')) raTimes.push(t);
      }
      // 0 first tick, 30 s stable; 31 s our link state changed; flux until 31 + 8 s.
      expect(raTimes).to.deep.equal([0, 30_000, 31_000, 35_000, 39_000, 69_000]);
    });
  });

  describe('restarts, duplicates and versions', () => {
    it('a known router with a new instance restarted: its link state and addresses are void', () => {
      const e = withNeighbour();
      e.receive(lsu('RB', 3, { RA: 1, RC: 1 }), 'c1', 1100);
      e.receive({ opcode: 'MAU', id: 'RB', pv: 1, area: '0', mobile_seq: 1, hints: [3], add: ['M0q'], del: [] }, 'c1', 1150);
      e.tick(2000);
      expect([...e.routingTable.routes.keys()]).to.deep.equal(['RB', 'RC']);

      const actions = e.receive(ra('RB', 1, 0, 200), 'c1', 2100);
      expect(actions.filter((a) => a.type !== 'send')).to.deep.equal([
        { type: 'addresses', router: 'RB', added: [], removed: ['M0q'] },
        { type: 'router-restarted', router: 'RB', instance: 200 },
      ]);
      // Its ls_seq is back to 0, so the RA's ls_seq 1 is newer: ask at once.
      expect(sent(actions)).to.deep.equal(['LSR>RB']);
      const tick = e.tick(3000);
      expect([...only(tick, 'routes')[0].table.routes.keys()]).to.deep.equal(['RB']);
      expect(e.remoteAddresses('RB').size).to.equal(0);
    });

    it('a HELLO or RA carrying our id with another instance is reported once per instance', () => {
      const e = engine();
      expect(e.receive(hello('RA', [], 2), 'c1', 0)).to.deep.equal([{ type: 'duplicate-id', router: 'RA', instance: 2, connection: 'c1' }]);
      expect(e.receive(hello('RA', [], 2), 'c1', 1000)).to.deep.equal([]);
      expect(e.receive(hello('RA', [], 1), 'c1', 1000), 'our own instance').to.deep.equal([]);
      expect(e.receive(ra('RA', 4, 0, 3), 'c1', 1000)).to.deep.equal([{ type: 'duplicate-id', router: 'RA', instance: 3 }]);
      expect(e.knownRouters()).to.deep.equal([]);
    });

    it('one neighbour id with two instances on two connections is a duplicate, not a restart', () => {
      const e = withNeighbour(); // RB (instance 100) on c1
      e.connectionUp('c2', 1);
      const twin = e.receive(hello('RB', ['RA'], 777), 'c2', 1100);
      expect(twin).to.deep.equal([{ type: 'duplicate-id', router: 'RB', instance: 777, connection: 'c2' }]);
      expect(e.receive(hello('RB', ['RA'], 100), 'c1', 1200)).to.deep.equal([]);
      expect(e.receive(hello('RB', ['RA'], 777), 'c2', 1300), 'reported once').to.deep.equal([]);
      expect(e.neighbours().get('RB')).to.equal('c1');
    });

    it('messages with a protocol version above 1 are ignored, and reported once', () => {
      const e = engine();
      const v2 = { ...hello('RB', ['RA']), pv: 2 };
      expect(e.receive(v2, 'c1', 0)).to.deep.equal([{ type: 'ignored', reason: 'protocol-version', router: 'RB', opcode: 'HELLO' }]);
      expect(e.receive(v2, 'c1', 1)).to.deep.equal([]);
      expect(e.neighbours().size).to.equal(0);
    });
  });

  it('router.node rows: ourselves first, then every known router', () => {
    const e = withNeighbour();
    e.receive(lsu('RB', 1, { RA: 1 }), 'c1', 1100);
    e.tick(2000);
    expect(e.routerNodes()).to.deep.equal([
      { id: 'RA', index: 0, instance: 1, linkState: ['RB'], nextHop: '(self)', validOrigins: [], cost: undefined, routerLink: undefined, lsSeq: 1, mobileSeq: 0 },
      { id: 'RB', index: 1, instance: 100, linkState: ['RA'], nextHop: 'RB', validOrigins: [], cost: 1, routerLink: 'c1', lsSeq: 1, mobileSeq: 0 },
    ]);
  });
});
