// Mobile address synchronisation (reference §3.7): our MAUs, and what we make of theirs.

import { expect } from 'chai';
import { LinkStateEngine } from '../../../../router/core/linkstate/engine';
import { hello, lsu, mar, mau, messagesOf, only, ra, sent } from './fixtures';

/** RA, with RB known and reachable (a neighbour) from t=100. */
function engine(): LinkStateEngine {
  const e = new LinkStateEngine({ id: 'RA', instance: 1 });
  e.tick(0);
  e.receive(hello('RB', ['RA']), 'c1', 100);
  e.tick(1000);
  e.receive(lsu('RB', 1, { RA: 1 }), 'c1', 1010);
  return e;
}

describe('linkstate: mobile address sync', () => {
  describe('our addresses', () => {
    it('changes are batched into differential MAUs with contiguous mobile_seq, each followed by an RA', () => {
      const e = engine();
      e.addLocalAddress('M0a', 3);
      e.addLocalAddress('M1b', 1);
      let tick = e.tick(2000);
      expect(sent(tick)).to.deep.equal(['HELLO', 'MAU', 'RA']);
      const [first] = only(tick, 'send').filter((a) => a.message.opcode === 'MAU');
      expect(first.address).to.equal('_topo/0/all/qdrouter.ma');
      expect(first.to).to.equal('every-router');
      expect(first.message).to.deep.equal({ opcode: 'MAU', id: 'RA', pv: 1, area: '0', mobile_seq: 1, hints: [3, 1], add: ['M0a', 'M1b'], del: [] });
      expect(messagesOf(tick, 'RA')[0].mobile_seq).to.equal(1);

      e.removeLocalAddress('M0a');
      e.addLocalAddress('Dbroker', 4);
      tick = e.tick(3000);
      expect(messagesOf(tick, 'MAU')).to.deep.equal([{ opcode: 'MAU', id: 'RA', pv: 1, area: '0', mobile_seq: 2, hints: [4], add: ['Dbroker'], del: ['M0a'] }]);
      expect(messagesOf(e.tick(4000), 'MAU')).to.deep.equal([]);
      expect(e.mobileSeq).to.equal(2);
    });

    it('an address added and removed within one interval is never advertised', () => {
      const e = engine();
      e.addLocalAddress('M0a', 3);
      e.removeLocalAddress('M0a');
      expect(sent(e.tick(2000))).to.deep.equal(['HELLO']);
      e.addLocalAddress('M0b', 3);
      e.tick(3000);
      e.removeLocalAddress('M0b');
      e.addLocalAddress('M0b', 3);
      expect(messagesOf(e.tick(4000), 'MAU'), 'removed then re-added').to.deep.equal([]);
      expect(e.mobileSeq).to.equal(1);
    });

    it('only mobile, link-route and edge keys are advertised', () => {
      const e = engine();
      expect(() => e.addLocalAddress('Lqdrouter', 3)).to.throw(RangeError);
      expect(() => e.addLocalAddress('Rother', 3)).to.throw(RangeError);
    });

    it('a MAR is answered with an absolute MAU only when the requester is behind', () => {
      const e = engine();
      e.addLocalAddress('M0a', 3);
      e.tick(2000);
      e.addLocalAddress('M0pending', 2); // not yet advertised: not in `exist` either
      const reply = e.receive(mar('RB', 0), 'c1', 2100);
      expect(only(reply, 'send').map((a) => [a.address, a.message])).to.deep.equal([
        ['amqp:/_topo/0/RB/qdrouter.ma', { opcode: 'MAU', id: 'RA', pv: 1, area: '0', mobile_seq: 1, exist: ['M0a'], hints: [3] }],
      ]);
      expect(e.receive(mar('RB', 1), 'c1', 2200)).to.deep.equal([]);
    });
  });

  describe('their addresses', () => {
    it('differential MAUs in sequence are applied', () => {
      const e = engine();
      expect(e.receive(mau('RB', 1, ['M0q', 'M0r'], [], [2, 1]), 'c1', 1100)).to.deep.equal([
        { type: 'addresses', router: 'RB', added: [{ key: 'M0q', hint: 2 }, { key: 'M0r', hint: 1 }], removed: [] },
      ]);
      expect(e.receive(mau('RB', 2, [], ['M0q']), 'c1', 1200)).to.deep.equal([{ type: 'addresses', router: 'RB', added: [], removed: ['M0q'] }]);
      expect([...e.remoteAddresses('RB')]).to.deep.equal([['M0r', 1]]);
    });

    it('a gap in mobile_seq sends one MAR; the absolute MAU answering it replaces the set', () => {
      const e = engine();
      e.receive(mau('RB', 1, ['M0old']), 'c1', 1100);
      const gap = e.receive(mau('RB', 3, ['M0new']), 'c1', 1200);
      expect(sent(gap)).to.deep.equal(['MAR>RB']);
      expect(messagesOf(gap, 'MAR')[0]).to.deep.equal({ opcode: 'MAR', id: 'RA', pv: 1, area: '0', have_seq: 1 });
      expect(e.receive(mau('RB', 4, ['M0x']), 'c1', 1300), 'no second MAR while one is outstanding').to.deep.equal([]);

      const absolute = { opcode: 'MAU' as const, id: 'RB', pv: 1, area: '0', mobile_seq: 4, exist: ['M0new', 'M0x'], hints: [3, 3] };
      expect(e.receive(absolute, 'c1', 1400)).to.deep.equal([
        { type: 'addresses', router: 'RB', added: [{ key: 'M0new', hint: 3 }, { key: 'M0x', hint: 3 }], removed: ['M0old'] },
      ]);
      expect(only(e.receive(mau('RB', 5, ['M0y']), 'c1', 1500), 'addresses')).to.have.length(1);
      expect(sent(e.receive(mau('RB', 7, []), 'c1', 1600)), 'a new gap asks again').to.deep.equal(['MAR>RB']);
    });

    it('hints that do not line up with the addresses are ignored', () => {
      const e = engine();
      const [update] = only(e.receive(mau('RB', 1, ['M0a', 'M0b'], [], [2]), 'c1', 1100), 'addresses');
      expect(update.added).to.deep.equal([{ key: 'M0a', hint: undefined }, { key: 'M0b', hint: undefined }]);
    });

    it('an RA with a newer mobile_seq leads to a MAR at the next tick, once the router is reachable', () => {
      const e = engine();
      e.receive(ra('RZ', 0, 5), 'c9', 1100); // RZ: known now, but no way to reach it yet
      expect(sent(e.tick(2000))).to.deep.equal(['HELLO']);
      e.receive(hello('RZ', ['RA']), 'c9', 2100);
      const tick = e.tick(3000);
      expect(sent(tick)).to.include.members(['LSR>RZ', 'MAR>RZ']);
      expect(messagesOf(tick, 'MAR')[0].have_seq).to.equal(0);
    });

    it('MAUs and MARs from routers we do not know are dropped', () => {
      const e = engine();
      expect(e.receive(mau('RQ', 1, ['M0a']), 'c1', 1100)).to.deep.equal([{ type: 'ignored', reason: 'unknown-router', router: 'RQ', opcode: 'MAU' }]);
      expect(e.receive(mar('RQ', 0), 'c1', 1100)).to.deep.equal([{ type: 'ignored', reason: 'unknown-router', router: 'RQ', opcode: 'MAR' }]);
      expect(e.remoteAddresses('RQ').size).to.equal(0);
    });
  });
});
