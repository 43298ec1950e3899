// Prefix and pattern matching (reference §4.4).

import { expect } from 'chai';
import {
  canonicalPattern,
  isWildcardPattern,
  patternTokens,
  PatternTable,
  prefixToPattern,
  stripSeparators,
  tokenize,
} from '../../../router/core/address-pattern';

describe('address patterns (reference §4.4)', () => {
  describe('tokens and normal form', () => {
    it('splits on . and / anywhere', () => {
      expect(tokenize('a.b/c.d')).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(tokenize('a..b')).to.deep.equal(['a', '', 'b']);
      expect(tokenize('')).to.deep.equal([]);
    });

    it('strips leading and trailing separators of configured patterns', () => {
      expect(stripSeparators('/a.b/')).to.equal('a.b');
      expect(stripSeparators('./a/./')).to.equal('a');
      expect(stripSeparators('a.b')).to.equal('a.b');
    });

    it('stores a prefix P as P/#', () => {
      expect(prefixToPattern('queue')).to.equal('queue/#');
      expect(prefixToPattern('/a.b.')).to.equal('a.b/#');
      expect(prefixToPattern('')).to.equal('#');
    });

    it('collapses #.# to # and rewrites #.* as *.#', () => {
      expect(patternTokens('a.#.#.b')).to.deep.equal(['a', '#', 'b']);
      expect(patternTokens('a.#.*')).to.deep.equal(['a', '*', '#']);
      expect(patternTokens('#.*.#.*.#')).to.deep.equal(['*', '*', '#']);
      expect(canonicalPattern('/a.b/#.#/')).to.equal('a/b/#');
      expect(canonicalPattern('a/b.#')).to.equal(canonicalPattern(prefixToPattern('a.b')));
    });

    it('knows a wildcard pattern', () => {
      expect(isWildcardPattern('a.*')).to.equal(true);
      expect(isWildcardPattern('#')).to.equal(true);
      expect(isWildcardPattern('a.b*')).to.equal(false);
    });
  });

  describe('matching', () => {
    const matches = (pattern: string, address: string): boolean => {
      const t = new PatternTable<boolean>();
      t.add(pattern, true);
      return t.match(address) === true;
    };

    const vectors: Array<[string, string, boolean]> = [
      ['a.b', 'a.b', true],
      ['a.b', 'a/b', true],
      ['a/b', 'a.b', true],
      ['a.b', 'a.b.c', false],
      ['a.b', 'a', false],
      ['a.*', 'a.b', true],
      ['a.*', 'a', false],
      ['a.*', 'a.b.c', false],
      ['*.b', 'x/b', true],
      ['a.#', 'a', true],
      ['a.#', 'a.b', true],
      ['a.#', 'a.b.c.d', true],
      ['a.#', 'ab', false],
      ['a.#.z', 'a.z', true],
      ['a.#.z', 'a.b.c.z', true],
      ['a.#.z', 'a.b.c', false],
      ['#', '', true],
      ['', '', true],
      ['', 'a', false],
      ['#', 'anything/at.all', true],
      ['#.z', 'z', true],
      ['#.z', 'a.b.z', true],
      ['*.#', 'a', true],
      ['*.#', '', false],
      ['a.*.#', 'a', false],
      ['a.*.#', 'a.b', true],
      ['a.#.*', 'a.b.c', true],
      ['a.b*', 'a.bc', false],
      ['a.b*', 'a.b*', true],
    ];
    for (const [pattern, address, expected] of vectors) {
      it(`${pattern} ${expected ? 'matches' : 'does not match'} '${address}'`, () => expect(matches(pattern, address)).to.equal(expected));
    }

    it('a prefix matches itself and what follows a separator, not a longer token', () => {
      const t = new PatternTable<string>();
      t.add(prefixToPattern('queue'), 'queue');
      expect(['queue', 'queue.x', 'queue/x/y', 'queues', 'queue1', 'q'].map((a) => t.match(a) ?? '-')).to.deep.equal(['queue', 'queue', 'queue', '-', '-', '-']);
    });
  });

  describe('best match', () => {
    const table = new PatternTable<string>();
    for (const p of ['a.b.c', 'a.*.c', 'a.#', 'a.b.*', '*.b.c', '#', 'a.#.c', 'x.*', 'x.#']) table.add(p, p);

    const best: Array<[string, string]> = [
      ['a.b.c', 'a.b.c'],
      ['a.x.c', 'a.*.c'],
      ['a.b.x', 'a.b.*'],
      ['z.b.c', '*.b.c'],
      ['a.x.y.c', 'a.#.c'],
      ['a', 'a.#'],
      ['a.x.y', 'a.#'],
      ['x.y', 'x.*'],
      ['x', 'x.#'],
      ['x.y.z', 'x.#'],
      ['q', '#'],
    ];
    for (const [address, pattern] of best) {
      it(`'${address}' → ${pattern}`, () => expect(table.matchEntry(address)).to.deep.equal({ pattern, value: pattern }));
    }

    it('exact beats * beats # at the first position where they differ', () => {
      const t = new PatternTable<string>();
      t.add('#.c', 'hash');
      t.add('*.c', 'star');
      expect(t.match('b.c')).to.equal('star');
      t.add('b.#', 'exact-then-hash');
      expect(t.match('b.c')).to.equal('exact-then-hash');
    });
  });

  describe('table operations', () => {
    it('refuses a duplicate pattern, whatever its spelling', () => {
      const t = new PatternTable<number>();
      expect(t.add('a.b/#', 1)).to.equal(true);
      expect(t.add('/a/b.#.#', 2)).to.equal(false);
      expect(t.add(prefixToPattern('a.b'), 3)).to.equal(false);
      expect(t.size).to.equal(1);
      expect(t.get('a/b/#')).to.equal(1);
      expect(t.find('a.b.#')).to.equal('a.b/#');
      expect(t.has('a.b')).to.equal(false);
    });

    it('sets, removes and prunes', () => {
      const t = new PatternTable<number>();
      t.add('a.b.c', 1);
      t.add('a.*', 2);
      t.set('a.b.c', 3);
      expect(t.size).to.equal(2);
      expect(t.match('a.b.c')).to.equal(3);
      expect(t.remove('a.b.c')).to.equal(3);
      expect(t.remove('a.b.c')).to.equal(undefined);
      expect(t.remove('nope')).to.equal(undefined);
      expect(t.match('a.b.c')).to.equal(undefined);
      expect(t.match('a.b')).to.equal(2);
      expect(t.remove('a.*')).to.equal(2);
      expect(t.size).to.equal(0);
      expect([...t.entries()]).to.deep.equal([]);
    });

    it('lists its entries', () => {
      const t = new PatternTable<number>();
      t.add('a', 1);
      t.add('a.#', 2);
      t.add('*', 3);
      expect([...t.entries()].sort()).to.deep.equal([['*', 3], ['a', 1], ['a.#', 2]]);
    });

    it('stays fast with hundreds of entries', () => {
      const t = new PatternTable<number>();
      for (let i = 0; i < 500; i++) {
        t.add(`tenant${i}.orders.#`, i);
        t.add(`tenant${i}.*.events`, i + 1000);
        t.add(`service.${i}`, i + 2000);
      }
      expect(t.size).to.equal(1500);
      let found = 0;
      for (let n = 0; n < 20000; n++) {
        const i = n % 500;
        if (t.match(`tenant${i}.orders.eu.new`) === i && t.match(`tenant${i}.x.events`) === i + 1000 && t.match(`service.${i}`) === i + 2000) found++;
      }
      expect(found).to.equal(20000);
    });
  });
});
