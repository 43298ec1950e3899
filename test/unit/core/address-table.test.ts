// Named address rules: added and removed at run time (reload, management); addresses nobody
// uses take a changed treatment at once, one in use keeps its treatment until it is idle.

import { expect } from 'chai';
import { AddressTable } from '../../../router/core/address-table';
import type { Destination } from '../../../router/core/destination';

const consumer: Destination = { capacity: 1, load: 0 };

function table(): AddressTable<Destination> {
  return new AddressTable<Destination>({ routerId: 'R1', mode: 'standalone' }, 'balanced', [
    { prefix: 'queue', distribution: 'closest' },
    { name: 'topics', prefix: 'topic', distribution: 'multicast' },
  ]);
}

describe('address table rules', () => {
  it('names the configured rules as the configuration does (address/<index>) unless named', () => {
    expect([...table().ruleEntries()].map(([name]) => name)).to.deep.equal(['address/0', 'topics']);
  });

  it('adds and removes rules by name; a new address takes the rule in force', () => {
    const t = table();
    t.addRule('news', { prefix: 'news', distribution: 'multicast' });
    expect(t.obtain(t.keyOf('news.a')).distribution).to.equal('multicast');
    expect(t.removeRule('topics')).to.equal(true);
    expect(t.removeRule('topics')).to.equal(false);
    expect(t.obtain(t.keyOf('topic.b')).distribution).to.equal('balanced');
  });

  it('refuses a taken name and a pattern that matches the same addresses as another rule', () => {
    const t = table();
    expect(() => t.addRule('topics', { prefix: 'other', distribution: 'closest' })).to.throw(/named 'topics'/);
    expect(() => t.addRule('dup', { pattern: 'queue.#', distribution: 'balanced' })).to.throw(/same addresses as 'address\/0'/);
  });

  it('an unused address takes a changed rule at once; one with a consumer keeps its treatment', () => {
    const t = table();
    const idle = t.obtain(t.keyOf('queue.idle'));
    const busy = t.obtain(t.keyOf('queue.busy'));
    busy.addConsumer(consumer);
    t.removeRule('address/0');
    t.addRule('address/0', { prefix: 'queue', distribution: 'multicast' });
    expect(idle.distribution).to.equal('multicast');
    expect(busy.distribution).to.equal('closest');
    busy.removeConsumer(consumer);
    t.release(busy);
    expect(t.obtain(t.keyOf('queue.busy')).distribution).to.equal('multicast');
  });
});
