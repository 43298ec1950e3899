import { expect } from 'chai';
import { formatFrame } from '../../../router/observe/frame-trace';

// Values shaped like the engine's codec values (router/amqp/codec/values.ts).
const sym = (value: string): { value: string } => ({ value });
const map = (...entries: [unknown, unknown][]): { entries: [unknown, unknown][] } => ({ entries });
const uint = (value: number): { type: string; value: number } => ({ type: 'uint', value });
/** Delivery states as the engine relays them: the code and the encoded bytes. */
const state = (code: number, hex: string): { code: number; raw: Buffer } => ({ code, raw: Buffer.from(hex.replace(/\s/g, ''), 'hex') });
const ascii = (s: string): string => Buffer.from(s).toString('hex');

describe('observe/frame-trace', () => {
  it('formats a transfer as qdrouterd traces it', () => {
    const line = formatFrame(3, 0, '<-', 'transfer', {
      handle: 0, deliveryId: 0, deliveryTag: Buffer.alloc(8), messageFormat: 0, settled: false,
    }, 126);
    expect(line).to.equal('[C3]:0 <- @transfer(20) [handle=0, delivery-id=0, '
      + 'delivery-tag=b"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00", message-format=0, settled=false] (126)');
  });

  it('names every performative with its decimal descriptor and leaves out a zero payload', () => {
    const codes: [string, number][] = [
      ['open', 16], ['begin', 17], ['attach', 18], ['flow', 19], ['transfer', 20], ['disposition', 21],
      ['detach', 22], ['end', 23], ['close', 24], ['sasl-mechanisms', 64], ['saslInit', 65],
      ['sasl-challenge', 66], ['sasl-response', 67], ['sasl-outcome', 68],
    ];
    for (const [name, code] of codes) {
      const dashed = name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      expect(formatFrame(1, 2, '->', name, {}, 0)).to.equal(`[C1]:2 -> @${dashed}(${code}) []`);
    }
  });

  it('dashes field names, skips absent ones and renders symbols, maps and arrays', () => {
    const line = formatFrame(1, 0, '->', 'open', {
      containerId: 'Router.A', hostname: undefined, maxFrameSize: 16384, channelMax: 32767, idleTimeOut: 8000,
      offeredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links'],
      desiredCapabilities: 'ANONYMOUS-RELAY',
      properties: map([sym('product'), 'qpid-dispatch-router'], [sym('qd.conn-id'), uint(7)]),
    }, 0);
    expect(line).to.equal('[C1]:0 -> @open(16) [container-id="Router.A", max-frame-size=16384, channel-max=32767, '
      + 'idle-time-out=8000, offered-capabilities=@PN_SYMBOL[:"ANONYMOUS-RELAY", :"qd.streaming-links"], '
      + 'desired-capabilities=:"ANONYMOUS-RELAY", properties={:product="qpid-dispatch-router", :"qd.conn-id"=7}]');
  });

  it('renders termini without their kind and raw bytes', () => {
    const line = formatFrame(2, 1, '<-', 'attach', {
      name: 'link-1', handle: 0, role: true,
      source: { kind: 0x28, address: 'queue.a', durable: 0, expiryPolicy: 'session-end', dynamic: false, raw: Buffer.from('00', 'hex') },
      target: { kind: 0x29, address: undefined, raw: Buffer.alloc(1) },
      initialDeliveryCount: 0,
    }, 0);
    expect(line).to.equal('[C2]:1 <- @attach(18) [name="link-1", handle=0, role=true, '
      + 'source=@source(40) [address="queue.a", durable=0, expiry-policy=:"session-end", dynamic=false], '
      + 'target=@target(41) [], initial-delivery-count=0]');
  });

  it('decodes delivery states from their bytes', () => {
    const accepted = state(0x24, '00 53 24 45');
    const released = state(0x26, '00 53 26 45');
    const condition = ascii('amqp:not-found');
    const description = ascii('no "route"');
    const error = `00 53 1d c0 ${(1 + 2 + 14 + 2 + 10).toString(16)} 02 a3 0e ${condition} a1 0a ${description}`;
    const errorBytes = error.replace(/\s/g, '').length / 2;
    const rejected = state(0x25, `00 53 25 c0 ${(errorBytes + 1).toString(16)} 01 ${error}`);
    const modified = state(0x27, '00 53 27 c0 03 02 41 42');
    const line = (s: object): string => formatFrame(1, 0, '->', 'disposition', { role: true, first: 4, settled: true, state: s }, 0);
    expect(line(accepted)).to.equal('[C1]:0 -> @disposition(21) [role=true, first=4, settled=true, state=@accepted(36) []]');
    expect(line(released)).to.contain('state=@released(38) []');
    expect(line(rejected)).to.contain('state=@rejected(37) [error=@error(29) [condition=:"amqp:not-found", description="no "route""]]');
    expect(line(modified)).to.contain('state=@modified(39) [delivery-failed=true, undeliverable-here=false]');
    expect(line(state(0x25, 'ff'))).to.contain('state=@rejected(37) []');
  });

  it('renders errors on detach, end and close', () => {
    expect(formatFrame(4, 0, '<-', 'close', { error: { condition: 'amqp:connection:forced', description: 'bye' } }, 0))
      .to.equal('[C4]:0 <- @close(24) [error=@error(29) [condition=:"amqp:connection:forced", description="bye"]]');
  });

  it('escapes non-printable bytes and control characters, and hides SASL responses', () => {
    expect(formatFrame(1, 0, '->', 'transfer', { handle: 1, deliveryTag: Buffer.from([0x41, 0x0a, 0xff]) }, 10))
      .to.equal('[C1]:0 -> @transfer(20) [handle=1, delivery-tag=b"A\\x0a\\xff"] (10)');
    expect(formatFrame(1, 0, '->', 'detach', { handle: 1, error: { condition: 'x:y', description: 'line\nbreak' } }, 0))
      .to.contain('description="line\\x0abreak"');
    expect(formatFrame(1, 0, '->', 'sasl-init', { mechanism: 'PLAIN', initialResponse: Buffer.from('\0u\0secret') }, 0))
      .to.equal('[C1]:0 -> @sasl-init(65) [mechanism=:PLAIN, initial-response=<9 bytes hidden>]');
  });
});
