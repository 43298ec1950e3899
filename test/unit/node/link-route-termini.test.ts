// Termini of link-routed attaches: the address an attach is routed by (target of an incoming
// link, source of an outgoing one, $coordinator, a dynamic source's x-opt-qd.address), the
// copy sent on, resumable termini, and the external-prefix rewrite and its undoing.

import { expect } from 'chai';
import { AmqpMap, sym } from '../../../router/amqp/codec/values';
import { Attach, Descriptor, Terminus } from '../../../router/amqp/performatives';
import { COORDINATOR_ADDRESS, forwardTerminus, fromExternal, routingAddress, survivesDisconnect, toExternal } from '../../../router/node/link-route-termini';

const attach = (source?: Terminus, target?: Terminus): Attach => ({ name: 'l', handle: 0, role: false, source, target });
const src = (t: Partial<Terminus>): Terminus => ({ kind: Descriptor.source, ...t });
const tgt = (t: Partial<Terminus>): Terminus => ({ kind: Descriptor.target, ...t });

describe('link-route termini', () => {
  it('routing address: target when the peer sends, source when it receives; none for anonymous or plain dynamic', () => {
    const a = attach(src({ address: 'from' }), tgt({ address: 'to' }));
    expect(routingAddress(a, true)).to.equal('to');
    expect(routingAddress(a, false)).to.equal('from');
    expect(routingAddress(attach(src({}), tgt({})), true)).to.equal(undefined);
    expect(routingAddress(attach(src({ dynamic: true }), undefined), false)).to.equal(undefined);
  });

  it('routing address: a coordinator target is $coordinator; a dynamic source uses x-opt-qd.address', () => {
    expect(routingAddress(attach(src({}), { kind: Descriptor.coordinator, raw: Buffer.from('00', 'hex') }), true)).to.equal(COORDINATOR_ADDRESS);
    const props = new AmqpMap([[sym('x-opt-qd.address'), 'broker.dyn']]);
    expect(routingAddress(attach(src({ dynamic: true, dynamicNodeProperties: props }), undefined), false)).to.equal('broker.dyn');
  });

  it('the copy sent on writes the defaults out (session-end, durable 0, timeout 0, dynamic false) and keeps the rest', () => {
    const caps = ['shared', 'global'];
    const copy = forwardTerminus(src({ address: 'q', capabilities: caps, raw: Buffer.alloc(3) }))!;
    expect(copy).to.deep.include({ address: 'q', durable: 0, expiryPolicy: 'session-end', timeout: 0, dynamic: false, capabilities: caps, raw: undefined });
    expect(forwardTerminus(src({ expiryPolicy: 'never', durable: 2 }))).to.deep.include({ expiryPolicy: 'never', durable: 2 });
    const coordinator = { kind: Descriptor.coordinator, raw: Buffer.from('0053300045', 'hex') };
    expect(forwardTerminus(coordinator)).to.equal(coordinator);
  });

  it('resumable termini: timeout > 0 or expiry-policy never', () => {
    expect(survivesDisconnect(src({ timeout: 5 }))).to.equal(true);
    expect(survivesDisconnect(src({ expiryPolicy: 'never' }))).to.equal(true);
    expect(survivesDisconnect(src({ expiryPolicy: 'link-detach' }))).to.equal(false);
    expect(survivesDisconnect(undefined)).to.equal(false);
  });

  it('external prefixes: del stripped then add prepended; the answer gets the router\'s address back', () => {
    const rw = { del: 'queue.', add: 'queue/' };
    const out = toExternal('queue.orders', rw);
    expect(out).to.deep.equal({ address: 'queue/orders', stripped: true });
    expect(fromExternal(out.address, rw, out.stripped)).to.equal('queue.orders');
    expect(toExternal('other', { add: 'x/' })).to.deep.equal({ address: 'x/other', stripped: false });
    expect(fromExternal('x/other', { add: 'x/' }, false)).to.equal('other');
    expect(toExternal('keep', { del: 'queue.' })).to.deep.equal({ address: 'keep', stripped: false });
  });
});
