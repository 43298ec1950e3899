// Router annotations (reference §5): readAnnotations takes x-opt-qd.* keys with the types of
// §5.1 and refuses other types with amqp:invalid-field; encodeAnnotationsSection writes user
// keys first, then phase, stream, to, ingress, trace (§5.3), sym8 keys, a list for the trace;
// spliceAnnotations swaps the section and leaves everything else byte-identical.

import { expect } from 'chai';
import { DecodeError } from '../../../router/amqp/codec/decode-error';
import { AmqpArray, AmqpMap, AmqpValue, int, sym } from '../../../router/amqp/codec/values';
import { TypeCode as T } from '../../../router/amqp/codec/type-codes';
import { OutDelivery, PayloadSource } from '../../../router/amqp/delivery';
import { scanHead } from '../../../router/amqp/message-sections';
import { encodeAnnotationsSection, readAnnotations, spliceAnnotations } from '../../../router/amqp/router-annotations';
import type { SenderLink } from '../../../router/amqp/link';
import { applicationProperties, data, deliveryAnnotations, header, messageAnnotations, properties } from './message-builders';

// Independent hex writers for the expected bytes (not the Encoder under test).
const sym8 = (s: string): string => 'a3' + byte(s.length) + Buffer.from(s, 'latin1').toString('hex');
const str8 = (s: string): string => 'a1' + byte(Buffer.byteLength(s)) + Buffer.from(s, 'utf8').toString('hex');
const byte = (n: number): string => n.toString(16).padStart(2, '0');
const list8 = (items: string[]): string => { const body = items.join(''); return 'c0' + byte(body.length / 2 + 1) + byte(items.length) + body; };
const map8Section = (pairs: string[]): string => { const body = pairs.join(''); return '005372c1' + byte(body.length / 2 + 1) + byte(pairs.length * 2) + body; };

function read(entries: [AmqpValue, AmqpValue][]) {
  const msg = Buffer.concat([header(), messageAnnotations(entries), properties('q'), data('x')]);
  return readAnnotations(msg, scanHead(msg));
}

function invalidField(fn: () => unknown): void {
  let caught: unknown;
  try { fn(); } catch (err) { caught = err; }
  expect(caught, 'no error raised').to.be.instanceOf(DecodeError);
  expect((caught as DecodeError).condition).to.equal('amqp:invalid-field');
}

describe('router annotations: readAnnotations (reference §5.1, §5.2)', () => {
  it('reads ingress, trace, to, phase and stream with their types, and keeps user keys in order', () => {
    const a = read([
      [sym('user-1'), 'u1'],
      [sym('x-opt-qd.phase'), int(3)],
      [sym('x-opt-qd.stream'), int(1)],
      [sym('x-opt-qd.to'), 'override/addr'],
      [sym('x-opt-qd.ingress'), '0/RouterA'],
      [sym('x-opt-qd.trace'), ['0/RouterA', '0/RouterB']],
      [sym('user-2'), 'u2'],
    ]);
    expect(a).to.deep.include({ ingress: '0/RouterA', trace: ['0/RouterA', '0/RouterB'], to: 'override/addr', phase: 3, stream: true, hasRouterKeys: true });
    expect(a.user.map(([k, v]) => [String(k), v])).to.deep.equal([['user-1', 'u1'], ['user-2', 'u2']]);
  });

  it('a message without message-annotations has no router keys and no user entries', () => {
    const msg = Buffer.concat([header(), properties('q'), data('x')]);
    expect(readAnnotations(msg, scanHead(msg))).to.deep.equal({ hasRouterKeys: false, user: [] });
  });

  it('drops obsolete router keys (x-opt-qd.class, the bare prefix) without making them user keys', () => {
    const a = read([[sym('x-opt-qd.class'), 'c'], [sym('x-opt-qd.'), 'X'], [sym('k'), 'v']]);
    expect(a.hasRouterKeys).to.equal(true);
    expect(a.user.map(([k]) => String(k))).to.deep.equal(['k']);
  });

  it('only symbol keys are router keys: a string key "x-opt-qd.to" is a user key', () => {
    const a = read([['x-opt-qd.to', 'not/an/override']]);
    expect(a.to).to.equal(undefined);
    expect(a.hasRouterKeys).to.equal(false);
    expect(a.user).to.have.length(1);
  });

  it('reads an empty trace', () => {
    expect(read([[sym('x-opt-qd.trace'), []]]).trace).to.deep.equal([]);
  });

  describe('refuses wrong types with amqp:invalid-field', () => {
    const wrong: [string, AmqpValue][] = [
      ['ingress as a symbol', sym('0/RouterA')],
      ['ingress as an int', int(1)],
    ];
    for (const [name, v] of wrong) it(name, () => invalidField(() => read([[sym('x-opt-qd.ingress'), v]])));
    it('to as an int', () => invalidField(() => read([[sym('x-opt-qd.to'), int(7)]])));
    it('to as a binary', () => invalidField(() => read([[sym('x-opt-qd.to'), Buffer.from('addr')]])));
    it('trace as a string', () => invalidField(() => read([[sym('x-opt-qd.trace'), '0/RouterA']])));
    it('trace holding a non-string', () => invalidField(() => read([[sym('x-opt-qd.trace'), ['0/RouterA', int(1)]]])));
    it('trace as an array rather than a list', () => invalidField(() => read([[sym('x-opt-qd.trace'), new AmqpArray(T.str8, ['0/RouterA'])]])));
  });

  it('never yields a phase that is not an integer (a string phase is refused or ignored)', () => {
    let phase: number | undefined;
    try {
      phase = read([[sym('x-opt-qd.phase'), 'one']]).phase;
    } catch (err) {
      expect(err).to.be.instanceOf(DecodeError);
      expect((err as DecodeError).condition).to.equal('amqp:invalid-field');
      return;
    }
    expect(phase === undefined || Number.isInteger(phase), `phase read as ${phase}`).to.equal(true);
  });

  it('refuses message-annotations that are not a map', () => {
    const msg = Buffer.concat([Buffer.from('005372c0020140', 'hex'), data('x')]); // a list
    expect(() => readAnnotations(msg, scanHead(msg))).to.throw(DecodeError);
  });
});

describe('router annotations: encodeAnnotationsSection (reference §5.3)', () => {
  it('writes user entries first, then phase, stream, to, ingress, trace; sym8 keys, smallint, str8, list8', () => {
    const section = encodeAnnotationsSection([[sym('k'), 'v']], {
      trace: ['0/RouterA', '0/RouterB'], ingress: '0/RouterA', to: 'addr', stream: true, phase: 2,
    })!;
    expect(section.toString('hex')).to.equal(map8Section([
      sym8('k') + str8('v'),
      sym8('x-opt-qd.phase') + '5402',
      sym8('x-opt-qd.stream') + '5401',
      sym8('x-opt-qd.to') + str8('addr'),
      sym8('x-opt-qd.ingress') + str8('0/RouterA'),
      sym8('x-opt-qd.trace') + list8([str8('0/RouterA'), str8('0/RouterB')]),
    ]));
  });

  it('omits phase 0, an absent stream, to, ingress and trace', () => {
    const section = encodeAnnotationsSection([], { phase: 0, stream: false, ingress: '0/R' })!;
    expect(section.toString('hex')).to.equal(map8Section([sym8('x-opt-qd.ingress') + str8('0/R')]));
  });

  it('drops the section when nothing is left', () => {
    expect(encodeAnnotationsSection([], undefined)).to.equal(undefined);
    expect(encodeAnnotationsSection([], {})).to.equal(undefined);
  });

  it('keeps user entries as they were (any key type, any value)', () => {
    const user: [AmqpValue, AmqpValue][] = [[sym('a'), int(1)], ['str-key', new AmqpMap([[sym('n'), null]])]];
    const msg = Buffer.concat([encodeAnnotationsSection(user, undefined)!, data('x')]);
    const back = readAnnotations(msg, scanHead(msg));
    expect(back.hasRouterKeys).to.equal(false);
    expect(back.user).to.have.length(2);
    expect(String(back.user[0][0])).to.equal('a');
    expect(back.user[1][0]).to.equal('str-key');
  });

  it('switches to list32 and map32 when a long trace needs them', () => {
    const trace = Array.from({ length: 30 }, (_, i) => `0/Router-with-a-long-name-${i}`);
    const section = encodeAnnotationsSection([], { ingress: trace[0], trace })!;
    expect(section[3]).to.equal(T.map32);
    const traceKey = Buffer.from(sym8('x-opt-qd.trace'), 'hex');
    const at = section.indexOf(traceKey) + traceKey.length;
    expect(section[at]).to.equal(T.list32);
    const msg = Buffer.concat([section, data('x')]);
    expect(readAnnotations(msg, scanHead(msg))).to.deep.include({ ingress: trace[0], trace });
  });

  it('reads back what it writes', () => {
    const router = { phase: 1, stream: true, to: 'to/x', ingress: '0/A', trace: ['0/A', '0/B'] };
    const msg = Buffer.concat([encodeAnnotationsSection([[sym('u'), 'v']], router)!, data('x')]);
    const back = readAnnotations(msg, scanHead(msg));
    expect(back).to.deep.include({ ...router, hasRouterKeys: true });
  });
});

describe('router annotations: spliceAnnotations keeps the rest byte-identical', () => {
  const newSection = encodeAnnotationsSection([[sym('user'), 'kept']], { ingress: '0/RouterA', trace: ['0/RouterA'] })!;

  function splice(parts: Buffer[], section: Buffer | undefined): { out: Buffer; payload: Buffer } {
    const payload = Buffer.concat(parts);
    const head = scanHead(payload);
    const { prefix, skip } = spliceAnnotations(payload, head, section);
    return { out: Buffer.concat([prefix, payload.subarray(skip)]), payload };
  }

  it('replaces an existing section: header before it and the bare message after it unchanged', () => {
    const parts = [header(), deliveryAnnotations(), messageAnnotations([[sym('user'), 'kept'], [sym('x-opt-qd.ingress'), '0/Old']]), properties('q'), applicationProperties(), data('the body')];
    const { out } = splice(parts, newSection);
    const headLen = parts[0].length + parts[1].length;
    const bare = Buffer.concat(parts.slice(3));
    expect(out.subarray(0, headLen).equals(Buffer.concat(parts.slice(0, 2)))).to.equal(true);
    expect(out.subarray(headLen, headLen + newSection.length).equals(newSection)).to.equal(true);
    expect(out.subarray(headLen + newSection.length).equals(bare), 'bare message').to.equal(true);
    const again = readAnnotations(out, scanHead(out));
    expect(again).to.deep.include({ ingress: '0/RouterA', trace: ['0/RouterA'] });
  });

  it('inserts a section after header and delivery-annotations when there was none', () => {
    const parts = [header(), deliveryAnnotations(), properties('q'), data('body')];
    const { out } = splice(parts, newSection);
    expect(out.equals(Buffer.concat([parts[0], parts[1], newSection, parts[2], parts[3]]))).to.equal(true);
  });

  it('inserts at the front of a message without header', () => {
    const parts = [properties('q'), data('body')];
    const { out } = splice(parts, newSection);
    expect(out.equals(Buffer.concat([newSection, ...parts]))).to.equal(true);
  });

  it('removes the section when the new one is empty', () => {
    const parts = [header(), messageAnnotations([[sym('x-opt-qd.trace'), ['0/A']]]), properties('q'), data('body')];
    const { out } = splice(parts, undefined);
    expect(out.equals(Buffer.concat([parts[0], parts[2], parts[3]]))).to.equal(true);
  });

  it('an OutDelivery reading the prefix then the payload from `skip` sends the same bytes, whatever the chunking', () => {
    const parts = [header(), messageAnnotations([[sym('x-opt-qd.ingress'), '0/Old']]), properties('q'), data(Buffer.alloc(300, 0x5a))];
    const payload = Buffer.concat(parts);
    const head = scanHead(payload);
    const { prefix, skip } = spliceAnnotations(payload, head, newSection);
    const expected = Buffer.concat([prefix, payload.subarray(skip)]);
    for (const size of [1, 7, 64, payload.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < payload.length; i += size) chunks.push(payload.subarray(i, i + size));
      const source: PayloadSource = { chunks, chunkBase: 0, complete: true, aborted: false };
      const out = new OutDelivery(undefined as unknown as SenderLink, source, Buffer.from('t'), true, 0, prefix, skip);
      const got = Buffer.alloc(out.available());
      let n = 0;
      while (out.available() > 0) n += out.read(got, n, 50);
      expect(got.equals(expected), `chunks of ${size}`).to.equal(true);
    }
  });
});
