// A connector's failoverUrls in its three forms (qdrouterd's list, ActiveMQ's failover: and
// masterslave: URIs of seeds 001 and 002) and how they combine with the connector's attributes.

import { expect } from 'chai';
import { parseFailoverUrls } from '../../../router/config/failover-urls';
import { load, lines, problems } from './helpers';

describe('connector failoverUrls', () => {
  it('reads a comma list of host:port and amqp://host:port, 5672 when no port is given', () => {
    expect(parseFailoverUrls('b1:5673, amqp://b2:5674,b3,[::1]:5675')).to.deep.equal({
      ok: true, urls: [{ host: 'b1', port: 5673 }, { host: 'b2', port: 5674 }, { host: 'b3', port: 5672 }, { host: '::1', port: 5675 }], options: {}, ignored: [],
    });
  });

  it("reads ActiveMQ's failover:(...)?options, naming the options it has no attribute for", () => {
    const p = parseFailoverUrls('failover:(amqp://h1:61616,amqp://h2:61617)?randomize=false&initialReconnectDelay=100&maxReconnectDelay=2000&timeout=3000');
    expect(p).to.deep.equal({
      ok: true, urls: [{ host: 'h1', port: 61616 }, { host: 'h2', port: 61617 }],
      options: { randomize: false, initialReconnectDelay: 100, maxReconnectDelay: 2000 }, ignored: ['timeout'],
    });
  });

  it("reads masterslave:(tcp://...) and failover: without parentheses", () => {
    expect(parseFailoverUrls('masterslave:(tcp://masterHost:61002,tcp://slaveHost:61002)')).to.deep.include({ urls: [{ host: 'masterHost', port: 61002 }, { host: 'slaveHost', port: 61002 }] });
    expect(parseFailoverUrls('failover:amqp://a:1,amqp://b:2?randomize=true')).to.deep.include({ urls: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }], options: { randomize: true } });
  });

  it('refuses TLS schemes, bad ports, empty entries and bad option values', () => {
    const message = (t: string) => { const p = parseFailoverUrls(t); return p.ok ? '' : p.message; };
    expect(message('amqps://h:5671')).to.match(/scheme amqps is not supported/);
    expect(message('h:99999')).to.match(/bad port '99999'/);
    expect(message('a:1,,b:2')).to.match(/empty URL/);
    expect(message('failover:(a:1,b:2)?randomize=maybe')).to.match(/randomize: expected true or false/);
    expect(message('failover:(a:1,b:2')).to.match(/missing '\)'/);
  });

  it('with neither host nor port, the first URL is the connector\'s own; the options fill attributes not given', () => {
    const c = load(lines('connector {', '    name: broker', '    role: route-container',
      '    failoverUrls: failover:(amqp://m:5701,amqp://s:5702)?randomize=false&initialReconnectDelay=100&maxReconnectDelay=2000', '}'));
    expect(c.connectors[0]).to.include({ host: 'm', port: '5701', randomize: false, initialReconnectDelay: 100, maxReconnectDelay: 2000 });
    expect(c.warnings).to.deep.equal([]);
  });

  it('keeps a given host:port and attributes given, warning when the URI says otherwise', () => {
    const c = load(lines('connector {', '    name: broker', '    host: m', '    port: 5701', '    maxReconnectDelay: 500',
      '    failoverUrls: failover:(amqp://s:5702)?maxReconnectDelay=2000&backup=true', '}'));
    expect(c.connectors[0]).to.include({ host: 'm', port: '5701', maxReconnectDelay: 500, randomize: false });
    expect(c.warnings.map((w) => `${w.line}: ${w.path}: ${w.message}`)).to.deep.equal([
      '5: connector.maxReconnectDelay: differs from maxReconnectDelay=2000 in failoverUrls; maxReconnectDelay is used',
      '6: connector.failoverUrls: option backup is ignored (no connector attribute for it)',
    ]);
  });

  it('reports an unreadable list at its line', () => {
    expect(problems(lines('connector {', '    name: broker', '    failoverUrls: ssl://h:1', '}'))).to.deep.equal([
      "test.conf:3: connector.failoverUrls: 'ssl://h:1': scheme ssl is not supported (amqp or tcp; connectors do not do TLS yet)",
    ]);
  });
});
