// The URLs a connector goes through: in turn (or at random), a back-off only after a whole
// cycle has failed, and the list a peer gives in its open's failover-server-list.

import { expect } from 'chai';
import { FailoverCycle, formatUrl } from '../../../router/node/failover-cycle';
import { failoverServerList } from '../../../router/node/failover-server-list';
import { AmqpMap, sym } from '../../../router/amqp/codec/values';

const url = (host: string, port: number) => ({ host, port });

describe('connector failover cycle', () => {
  it('tries the next URL at once and backs off only when every URL has failed', () => {
    const c = new FailoverCycle([url('m', 1), url('s', 2), url('m', 1)]);
    expect(c.urls.map(formatUrl)).to.deep.equal(['amqp://m:1', 'amqp://s:2']); // duplicates dropped
    expect(c.advance()).to.equal(false);
    expect(c.current).to.deep.equal(url('s', 2));
    expect(c.advance()).to.equal(true); // both failed: wait
    expect(c.current).to.deep.equal(url('m', 1));
    expect(c.advance()).to.equal(false);
  });

  it('a success starts a new cycle: the slave is tried at once when the master drops', () => {
    const c = new FailoverCycle([url('m', 1), url('s', 2)]);
    c.advance(); // m failed
    c.succeeded(); // s answered
    expect(c.advance()).to.equal(false); // s dropped: m next, no wait
    expect(c.current).to.deep.equal(url('m', 1));
  });

  it('one URL: every failure is a whole cycle', () => {
    const c = new FailoverCycle([url('m', 1)]);
    expect(c.advance()).to.equal(true);
    expect(c.current).to.deep.equal(url('m', 1));
  });

  it('randomize picks another URL, those not yet tried in the cycle first', () => {
    const rolls = [0.99, 0];
    const c = new FailoverCycle([url('a', 1), url('b', 2), url('c', 3)], true, () => rolls.shift() ?? 0);
    c.advance();
    expect(c.current).to.deep.equal(url('c', 3));
    c.advance(); // a was tried: b is the only fresh one
    expect(c.current).to.deep.equal(url('b', 2));
  });

  it("learns the peer's failover-server-list after the configured URLs, keeping the current one", () => {
    const c = new FailoverCycle([url('m', 1)]);
    const props = new AmqpMap([[sym('failover-server-list'), [
      new AmqpMap([[sym('network-host'), 's'], [sym('port'), '2']]),
      new AmqpMap([[sym('network-host'), 'm'], [sym('port'), '1'], [sym('scheme'), 'amqp']]),
      new AmqpMap([[sym('network-host'), 't'], [sym('port'), '3'], [sym('scheme'), 'amqps']]), // no TLS: left out
      'junk',
    ]]]);
    const learned = failoverServerList(props)!;
    expect(learned).to.deep.equal([url('s', 2), url('m', 1)]);
    c.learn(learned);
    expect(c.urls.map(formatUrl)).to.deep.equal(['amqp://m:1', 'amqp://s:2']);
    expect(c.current).to.deep.equal(url('m', 1));
    expect(failoverServerList(new AmqpMap([]))).to.equal(undefined);
  });
});
