// Auto-link rules that need no I/O (reference §6.2): which connection activates one, its
// phase, its terminus on the container, its retry timers.

import { expect } from 'chai';
import { autoLinkExternalAddress, autoLinkMatches, autoLinkPhase, autoLinkRetryDelayMs } from '../../../router/core/auto-link-config';

describe('auto-link configuration', () => {
  const base = { name: 'a', address: 'orders', direction: 'out' as const };

  it('is activated only by a route-container connection of its name or container-id', () => {
    const conn = { role: 'route-container', name: 'broker', containerId: 'rabbit@host' };
    expect(autoLinkMatches({ ...base, connection: 'broker' }, conn)).to.equal(true);
    expect(autoLinkMatches({ ...base, connection: 'other' }, conn)).to.equal(false);
    expect(autoLinkMatches({ ...base, containerId: 'rabbit@host' }, conn)).to.equal(true);
    expect(autoLinkMatches({ ...base, connection: 'broker' }, { ...conn, role: 'normal' })).to.equal(false);
    expect(autoLinkMatches(base, conn)).to.equal(false);
  });

  it('binds out to phase 0 and in to phase 1 unless configured; fallback out links to the fallback key', () => {
    expect(autoLinkPhase(base)).to.equal(0);
    expect(autoLinkPhase({ ...base, direction: 'in' })).to.equal(1);
    expect(autoLinkPhase({ ...base, direction: 'in', fallback: true })).to.equal(0);
    expect(autoLinkPhase({ ...base, direction: 'in', phase: 3 })).to.equal(3);
    expect(autoLinkPhase({ ...base, fallback: true })).to.equal('F');
  });

  it('attaches to externalAddress when given', () => {
    expect(autoLinkExternalAddress(base)).to.equal('orders');
    expect(autoLinkExternalAddress({ ...base, externalAddress: '/queue/orders' })).to.equal('/queue/orders');
  });

  it('retries after 2 s, then every 5 s', () => {
    expect([1, 2, 3].map(autoLinkRetryDelayMs)).to.deep.equal([2000, 5000, 5000]);
  });
});
