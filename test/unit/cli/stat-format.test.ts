import { expect } from 'chai';
import { formatReloadReport, reloadFailed } from '../../../router/cli/manage/reload-report';
import { pyJson } from '../../../router/cli/py-json';
import { addressClass, addressPhase, addressText } from '../../../router/cli/stat/address-key';
import { commas, numKMG, plainNum, pyRepr, pyText } from '../../../router/cli/stat/py-text';
import { timeLong, timeShort, topologyChangeText, utcNowLine } from '../../../router/cli/stat/py-time';
import { formatTable, sortRows } from '../../../router/cli/stat/table';

describe('cli/stat formatting', () => {
  describe('tables (qdstat display.py)', () => {
    it('pads each column to its widest cell plus two, leaves the last unpadded, rules the heading with =', () => {
      expect(formatTable('Title', ['a', 'bb', 'c'], [['xyz', '1', 'last'], ['q', '', 'l']])).to.deep.equal([
        'Title',
        '  a    bb  c',
        '  ===============',
        '  xyz  1   last',
        '  q        l',
      ]);
    });

    it('prints only the title when there are no rows; a title may span lines', () => {
      expect(formatTable('Routers\nLast change', ['id'], [])).to.deep.equal(['Routers', 'Last change']);
    });

    it('counts characters, not UTF-16 units', () => {
      expect(formatTable('T', ['a', 'b'], [['é😀', 'x']])[3]).to.equal('  é😀  x');
    });

    it('sorts by one column and keeps ties in the order given', () => {
      const rows = [['mobile', '$management'], ['local', '$management'], ['local', '$_internal'], ['topo', 'q'], ['local', 'RB']];
      expect(sortRows(rows, 1)).to.deep.equal([['local', '$_internal'], ['mobile', '$management'], ['local', '$management'], ['local', 'RB'], ['topo', 'q']]);
    });
  });

  describe('address keys (reference §4.2)', () => {
    const decode = (k: string | null): string[] => [addressClass(k), addressText(k), addressPhase(k)];
    it('shows the class, the text and, for mobile keys, the phase', () => {
      expect(decode('M0myAddress')).to.deep.equal(['mobile', 'myAddress', '0']);
      expect(decode('M1queue.q1')).to.deep.equal(['mobile', 'queue.q1', '1']);
      expect(decode('MFfallback')).to.deep.equal(['mobile', 'fallback', 'F']);
      expect(decode('Lqdhello')).to.deep.equal(['local', 'qdhello', '']);
      expect(decode('Tqdrouter.ma')).to.deep.equal(['topo', 'qdrouter.ma', '']);
      expect(decode('RRB')).to.deep.equal(['router', 'RB', '']);
      expect(decode('A1')).to.deep.equal(['area', '1', '']);
      expect(decode('Cbroker')).to.deep.equal(['link-in', 'broker', '']);
      expect(decode('Ea.*.b')).to.deep.equal(['link-in', 'a.*.b', '']);
      expect(decode('Dbroker')).to.deep.equal(['link-out', 'broker', '']);
      expect(decode('Fa.#')).to.deep.equal(['link-out', 'a.#', '']);
      expect(decode('Hedge1')).to.deep.equal(['edge', 'edge1', '']);
      expect(decode('Zodd')).to.deep.equal(['unknown: Z', 'odd', '']);
      expect(decode(null)).to.deep.equal(['', '', '']);
    });
  });

  describe('values as Python prints them', () => {
    it('str() and repr()', () => {
      expect(pyText(null)).to.equal('');
      expect(pyText(true)).to.equal('True');
      expect(pyText(0)).to.equal('0');
      expect(pyText('x')).to.equal('x');
      expect(pyRepr(['RB', "it's"])).to.equal(`['RB', "it's"]`);
      expect(pyRepr([])).to.equal('[]');
      expect(pyRepr({ a: null, b: false })).to.equal("{'a': None, 'b': False}");
      expect(pyText(Buffer.from('0000000100000000', 'hex'))).to.equal('4294967296');
    });

    it('PlainNum, Commas and NumKMG', () => {
      expect(plainNum(12.7)).to.equal('12');
      expect(commas('1234567')).to.equal('1,234,567');
      expect(commas('123')).to.equal('123');
      expect(commas('-')).to.equal('-');
      expect(numKMG(332648448, 1024)).to.equal('317 MiB');
      expect(numKMG(1320960, 1024)).to.equal('1.26 MiB');
      expect(numKMG(999)).to.equal('999');
      expect(numKMG(12345)).to.equal('12.3 k');
    });

    it('durations, clock times and dates', () => {
      expect(timeLong(25)).to.equal('000:00:00:25');
      expect(timeLong(2 * 86400 + 3 * 3600 + 4 * 60 + 5)).to.equal('002:03:04:05');
      expect(timeShort(3725)).to.equal('01:02:05');
      expect(topologyChangeText(1795339606)).to.equal('Sunday Nov 22 09:26:46 2026 GMT');
      expect(utcNowLine(new Date(Date.UTC(2026, 10, 22, 9, 27, 6, 559)))).to.equal('2026-11-22 09:27:06.559000 UTC');
    });
  });

  describe('JSON as json.dumps prints it', () => {
    it('indents by 2 with ": " after keys, or one line with ", " and ": "', () => {
      const v = { a: [1, 'x'], b: {}, c: [], d: null, e: { f: true } };
      expect(pyJson(v)).to.equal('{\n  "a": [\n    1,\n    "x"\n  ],\n  "b": {},\n  "c": [],\n  "d": null,\n  "e": {\n    "f": true\n  }\n}');
      expect(pyJson(v, null)).to.equal('{"a": [1, "x"], "b": {}, "c": [], "d": null, "e": {"f": true}}');
    });

    it('escapes non-ASCII as \\uXXXX (ensure_ascii)', () => {
      expect(pyJson('é😀\u007f')).to.equal('"\\u00e9\\ud83d\\ude00\\u007f"');
    });
  });

  describe('reload report', () => {
    it('lists applied, not applied and problems with their counts', () => {
      const report = { applied: ['listener/l2: created'], notApplied: ['router.workerThreads: needs a restart'], problems: [] };
      expect(formatReloadReport(report)).to.deep.equal([
        'applied (1):', '  listener/l2: created',
        'not applied (1):', '  router.workerThreads: needs a restart',
        'problems: none',
      ]);
      expect(reloadFailed(report)).to.equal(false);
      expect(reloadFailed({ problems: ['r.conf:3: listener.port: bad'] })).to.equal(true);
      expect(formatReloadReport({ applied: [{ type: 'listener', name: 'l2' }] })[1]).to.equal('  type=listener, name=l2');
    });
  });
});
