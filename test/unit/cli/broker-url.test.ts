import { expect } from 'chai';
import { UsageError } from '../../../router/cli/args';
import { parseBrokerUrl } from '../../../router/cli/commands/broker-url';

describe('cli/broker-url', () => {
  it('reads host and port, with 5672 by default', () => {
    expect(parseBrokerUrl('amqp://127.0.0.1:5673')).to.deep.include({ host: '127.0.0.1', port: 5673, tls: false, display: 'amqp://127.0.0.1:5673' });
    expect(parseBrokerUrl('amqp://router.example')).to.deep.include({ port: 5672, display: 'amqp://router.example:5672' });
  });

  it('takes a bare host:port, as qdstat -b does', () => {
    expect(parseBrokerUrl('localhost:20001')).to.deep.include({ host: 'localhost', port: 20001 });
  });

  it('uses TLS and port 5671 for amqps', () => {
    expect(parseBrokerUrl('amqps://h')).to.deep.include({ tls: true, port: 5671 });
  });

  it('reads credentials but never shows the password', () => {
    const u = parseBrokerUrl('amqp://alice:s%40cret@h:1');
    expect(u).to.deep.include({ username: 'alice', password: 's@cret', display: 'amqp://h:1' });
  });

  it('unwraps IPv6 literals', () => {
    expect(parseBrokerUrl('amqp://[::1]:5672')).to.deep.include({ host: '::1', display: 'amqp://[::1]:5672' });
  });

  it('refuses other schemes and bad URLs', () => {
    expect(() => parseBrokerUrl('http://h')).to.throw(UsageError, /amqp or amqps/);
    expect(() => parseBrokerUrl('amqp://h:port')).to.throw(UsageError, /not a URL/);
  });
});
