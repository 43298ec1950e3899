// Address normalisation and hash keys (reference §4.1, §4.2, §4.4).

import { expect } from 'chai';
import {
  addressHashKey,
  hashKeyClass,
  linkRouteHashKey,
  linkRouteKeyToPattern,
  linkRoutePrefixText,
  mobileKey,
  mobileKeyAddress,
  mobileKeyPhase,
  normalizeAddress,
  stripSchemeAndHost,
  type AddressKeyContext,
} from '../../../router/core/address-key';

describe('address keys', () => {
  describe('normalisation (§4.1)', () => {
    const vectors: Array<[string, string]> = [
      ['x', 'x'],
      ['amqp:/x', 'x'],
      ['amqp://host:5672/x', 'x'],
      ['amqp://host/a/b', 'a/b'],
      ['amqps://h:1/q.1', 'q.1'],
      ['/x', 'x'],
      ['//host/x', 'x'],
      ['//host', '//host'],
      ['amqp://host', 'amqp://host'],
      ['amqp:/', 'amqp:/'],
      ['/', '/'],
      ['queue:name', 'queue:name'],
      ['a.b:/x', 'x'],
      ['a::/x', 'a::/x'],
      ['a:b/c', 'a:b/c'],
      [':/x', ':/x'],
      ['_topo/0/R/x', '_topo/0/R/x'],
      ['', ''],
    ];
    for (const [input, expected] of vectors) {
      it(`strips scheme and host: '${input}' → '${expected}'`, () => expect(stripSchemeAndHost(input)).to.equal(expected));
    }

    it('removes one trailing separator', () => {
      expect(normalizeAddress('foo/')).to.equal('foo');
      expect(normalizeAddress('foo.')).to.equal('foo');
      expect(normalizeAddress('foo//')).to.equal('foo/');
      expect(normalizeAddress('amqp:/foo.bar/')).to.equal('foo.bar');
      expect(normalizeAddress('//host/')).to.equal('');
    });
  });

  describe('hash keys (§4.2)', () => {
    const interior: AddressKeyContext = { routerId: 'R1', mode: 'interior' };
    const edge: AddressKeyContext = { routerId: 'E1', mode: 'edge' };
    const vectors: Array<[string, AddressKeyContext, string]> = [
      ['queue', interior, 'M0queue'],
      ['amqp:/queue/', interior, 'M0queue'],
      ['_local/$management', interior, 'L$management'],
      ['_local', interior, 'M0_local'],
      ['_other/x', interior, 'M0_other/x'],
      ['_topo/0/all/qdrouter', interior, 'Tqdrouter'],
      ['_topo/all/all/qdrouter', interior, 'Tqdrouter'],
      ['_topo/0/R1/$management', interior, 'L$management'],
      ['_topo/all/R1/$management', interior, 'L$management'],
      ['_topo/0/R2/$management', interior, 'RR2'],
      ['_topo/0/R2', interior, 'RR2'],
      ['_topo/0/R1', interior, 'RR1'],
      ['_topo/0/R2.x/y', interior, 'RR2.x'],
      ['_topo/1/R2/x', interior, 'A1'],
      ['_edge/R1/x', interior, 'Lx'],
      ['_edge/E7/x', interior, 'HE7'],
      ['_topo/0/all/x', edge, 'Tx'],
      ['_topo/0/E1/x', edge, 'Lx'],
      ['_topo/0/R2/x', edge, 'L_edge'],
      ['_topo/1/R2/x', edge, 'L_edge'],
      ['_edge/E2/x', edge, 'L_edge'],
      ['_edge/E1/x', edge, 'Lx'],
      ['queue', { routerId: 'R1', phase: 1 }, 'M1queue'],
      ['queue', { routerId: 'R1', phase: 'F' }, 'MFqueue'],
      ['queue', { routerId: 'R1', tenant: 'vh' }, 'M0vh/queue'],
      ['_topo/0/all/x', { routerId: 'R1', tenant: 'vh' }, 'Tx'],
      ['x', { routerId: 'R1', area: '7' }, 'M0x'],
      ['_topo/7/R2/x', { routerId: 'R1', area: '7' }, 'RR2'],
      ['_topo/0/R2/x', { routerId: 'R1', area: '7' }, 'A0'],
    ];
    for (const [address, ctx, key] of vectors) {
      it(`'${address}' (${ctx.mode ?? 'standalone'}${ctx.phase !== undefined ? `, phase ${ctx.phase}` : ''}${ctx.tenant ? `, tenant ${ctx.tenant}` : ''}) → ${key}`, () => {
        expect(addressHashKey(address, ctx)).to.equal(key);
      });
    }

    it('refuses a phase outside 0-9 and F (a caller bug)', () => {
      expect(() => mobileKey('q', 10)).to.throw(RangeError);
      expect(() => addressHashKey('q', { routerId: 'R', phase: -1 })).to.throw(RangeError);
    });

    it('classifies keys and takes mobile keys apart', () => {
      expect(['Lx', 'Tx', 'RR2', 'A1', 'M0q', 'Cq', 'Dq', 'Eq.*', 'Fq.*', 'HE1', 'Zx', ''].map(hashKeyClass)).to.deep.equal([
        'local', 'topological', 'router', 'area', 'mobile', 'link-route-prefix-in', 'link-route-prefix-out',
        'link-route-pattern-in', 'link-route-pattern-out', 'edge-summary', undefined, undefined,
      ]);
      expect([mobileKeyAddress('M0queue'), mobileKeyAddress('MFa.b'), mobileKeyAddress('Lx')]).to.deep.equal(['queue', 'a.b', undefined]);
      expect([mobileKeyPhase('M3q'), mobileKeyPhase('MFq'), mobileKeyPhase('Tq')]).to.deep.equal([3, 'F', undefined]);
    });
  });

  describe('link-route keys (§4.4, §6.1)', () => {
    const vectors: Array<[{ prefix?: string; pattern?: string }, 'in' | 'out', string]> = [
      [{ prefix: 'queue' }, 'in', 'Cqueue'],
      [{ prefix: 'queue' }, 'out', 'Dqueue'],
      [{ prefix: '/a.b/' }, 'in', 'Ca.b'],
      [{ pattern: 'a.b/#' }, 'in', 'Ca.b'],
      [{ pattern: 'a.b.#' }, 'out', 'Da.b'],
      [{ pattern: '#' }, 'in', 'C'],
      [{ pattern: 'a.*.b' }, 'in', 'Ea.*.b'],
      [{ pattern: 'a.#.b' }, 'out', 'Fa.#.b'],
      [{ pattern: 'a.*.#' }, 'out', 'Fa.*.#'],
      [{ pattern: 'a.b' }, 'in', 'Ea.b'],
    ];
    for (const [route, direction, key] of vectors) {
      it(`${JSON.stringify(route)} ${direction} → ${key}`, () => expect(linkRouteHashKey(route, direction)).to.equal(key));
    }

    it('gives the prefix text only for prefix-like routes', () => {
      expect(linkRoutePrefixText({ pattern: 'x/#' })).to.equal('x');
      expect(linkRoutePrefixText({ pattern: 'x.*' })).to.equal(undefined);
      expect(linkRoutePrefixText({})).to.equal(undefined);
      expect(() => linkRouteHashKey({}, 'in')).to.throw(RangeError);
    });

    it('turns received keys back into patterns', () => {
      expect(linkRouteKeyToPattern('Ca.b')).to.deep.equal({ pattern: 'a.b.#', direction: 'in' });
      expect(linkRouteKeyToPattern('Dq')).to.deep.equal({ pattern: 'q.#', direction: 'out' });
      expect(linkRouteKeyToPattern('C')).to.deep.equal({ pattern: '#', direction: 'in' });
      expect(linkRouteKeyToPattern('Ea.*')).to.deep.equal({ pattern: 'a.*', direction: 'in' });
      expect(linkRouteKeyToPattern('Fa.#.b')).to.deep.equal({ pattern: 'a.#.b', direction: 'out' });
      expect(linkRouteKeyToPattern('M0q')).to.equal(undefined);
    });
  });
});
