// The link-route table (reference §4.4, §6.1): keys of configured routes, activation by a
// route-container connection's name or container-id, remote keys learned by MAU, the match of
// an attach's address, and the round-robin choice among connections and routers.

import { expect } from 'chai';
import { LinkRouteTable, isLinkRouteKey } from '../../../router/core/link-route-table';

const routes = [
  { name: 'b-in', prefix: 'broker.', direction: 'in' as const, connection: 'broker' },
  { name: 'b-out', prefix: 'broker.', direction: 'out' as const, connection: 'broker' },
  { name: 'p-in', pattern: 'orders.*.eu', direction: 'in' as const, containerId: 'orders-broker' },
  { name: 'h-out', pattern: 'tail/#', direction: 'out' as const, connection: 'tails' },
];

describe('link-route table', () => {
  it('keys: prefix → C/D without the trailing separator, pattern → E/F as written, prefix-like pattern → C/D', () => {
    const t = new LinkRouteTable<string>(routes);
    expect(t.routes.map((r) => r.key)).to.deep.equal(['Cbroker', 'Dbroker', 'Eorders.*.eu', 'Dtail']);
  });

  it('activates on the connection name or the container-id, once per connection; the first activation advertises, the last close withdraws', () => {
    const t = new LinkRouteTable<string>(routes);
    expect(t.routes.every((r) => r.operStatus === 'inactive')).to.equal(true);
    expect(t.connectionOpened('c1', 'broker', 'x')).to.deep.equal({ advertise: ['Cbroker', 'Dbroker'], withdraw: [] });
    expect(t.connectionOpened('c2', 'broker', 'y')).to.deep.equal({ advertise: [], withdraw: [] });
    expect(t.connectionOpened('c3', 'other', 'orders-broker')).to.deep.equal({ advertise: ['Eorders.*.eu'], withdraw: [] });
    expect(t.routes.map((r) => r.operStatus)).to.deep.equal(['active', 'active', 'active', 'inactive']);
    expect(t.connectionClosed('c1')).to.deep.equal({ advertise: [], withdraw: [] });
    expect(t.connectionClosed('c2')).to.deep.equal({ advertise: [], withdraw: ['Cbroker', 'Dbroker'] });
    expect(t.routes[0].operStatus).to.equal('inactive');
  });

  it('matches by direction, prefix as P/# (P, P.x, P/x but not Px), patterns with * and #', () => {
    const t = new LinkRouteTable<string>(routes);
    expect(t.match('broker.q1', 'in')?.key).to.equal('Cbroker');
    expect(t.match('amqp://host:5672/broker/q1', 'out')?.key).to.equal('Dbroker');
    expect(t.match('broker', 'in')?.key).to.equal('Cbroker');
    expect(t.match('brokerX', 'in')).to.equal(undefined);
    expect(t.match('orders.1.eu', 'in')?.key).to.equal('Eorders.*.eu');
    expect(t.match('orders.1.eu', 'out')).to.equal(undefined);
    expect(t.match('orders.1.2.eu', 'in')).to.equal(undefined);
    expect(t.match('tail', 'out')?.key).to.equal('Dtail');
  });

  it('remote keys: C/D become <prefix>.# and share the address of an equal local route; removal forgets remote-only addresses', () => {
    const t = new LinkRouteTable<string>(routes);
    expect(t.remoteAdded('Cbroker', 'R2')).to.equal(true);
    expect(t.remoteAdded('Dfar.away', 'R3')).to.equal(true);
    expect(t.remoteAdded('M0queue', 'R3')).to.equal(false);
    expect(t.match('broker.q', 'in')!.remotes.has('R2')).to.equal(true);
    expect(t.match('far.away.q', 'out')!.key).to.equal('Dfar.away');
    expect(t.match('far.away.q', 'in')).to.equal(undefined);
    t.remoteRemoved('Dfar.away', 'R3');
    expect(t.match('far.away.q', 'out')).to.equal(undefined);
    t.remoteAdded('Eorders.*.eu', 'R4');
    t.routerGone('R2');
    expect(t.match('broker.q', 'in')!.remotes.size).to.equal(0);
    expect(t.match('orders.x.eu', 'in')!.remotes.has('R4')).to.equal(true);
  });

  it('round-robin: local connections in turn (never the arrival one), then reachable routers in turn', () => {
    const t = new LinkRouteTable<string>(routes);
    t.connectionOpened('c1', 'broker', undefined);
    t.connectionOpened('c2', 'broker', undefined);
    const a = t.match('broker.q', 'in')!;
    expect([a.pickLocal()!.conn, a.pickLocal()!.conn, a.pickLocal()!.conn]).to.deep.equal(['c1', 'c2', 'c1']);
    expect(a.pickLocal('c1')!.conn).to.equal('c2');
    t.remoteAdded('Cbroker', 'R2');
    t.remoteAdded('Cbroker', 'R3');
    t.remoteAdded('Cbroker', 'R4');
    const reachable = (r: string): boolean => r !== 'R3';
    expect([a.pickRemote(reachable), a.pickRemote(reachable), a.pickRemote(reachable)]).to.deep.equal(['R2', 'R4', 'R2']);
    expect(a.pickRemote(() => false)).to.equal(undefined);
  });

  it('isLinkRouteKey: C, D, E, F only', () => {
    expect(['Ca', 'Db', 'Ec', 'Fd', 'M0a', 'L', 'Rx', 'H'].map(isLinkRouteKey)).to.deep.equal([true, true, true, true, false, false, false, false]);
  });
});
