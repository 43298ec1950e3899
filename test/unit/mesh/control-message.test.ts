// Control messages (reference §3.1–3.7) against the qdrouterd 1.19 captures: every control
// transfer of 1-inter-router and 2-data-over-mesh decodes to the expected object, and
// re-encoding it with the same trace and ingress gives the captured payload byte for byte.
// Malformed bodies come back as typed errors, never as exceptions.

import { expect } from 'chai';
import { Encoder } from '../../../router/amqp/codec/encoder';
import { AmqpArray, AmqpMap, AmqpValue, described, int, long, sym, ubyte, uint, ulong } from '../../../router/amqp/codec/values';
import { TypeCode as T } from '../../../router/amqp/codec/type-codes';
import { scanHead } from '../../../router/amqp/message-sections';
import {
  ALL_MOBILE_SYNC_ADDRESS, ALL_ROUTERS_ADDRESS, HELLO_ADDRESS, mobileSyncAddress, parseControlAddress, routerAddress,
} from '../../../router/mesh/control-addresses';
import { WRITERS } from '../../../router/mesh/control-body-encoder';
import { ControlProblem } from '../../../router/mesh/control-message-error';
import { controlAddressFor, decodeControlMessage, encodeControlMessage, originAnnotations } from '../../../router/mesh/control-message';
import { ControlEnvelope, ControlMessage, isAbsoluteMau } from '../../../router/mesh/control-types';
import { CapturedTransfer, capturedTransfers, parseNotation } from './captured-transfers';

const RA_INSTANCE = 1795339600;
const RB_INSTANCE = 1795339603;

/** Every transfer whose properties.to is a control address. */
function controlTransfers(file: string): CapturedTransfer[] {
  return capturedTransfers(file).filter((t) => {
    const to = scanHead(t.payload).to;
    return to !== undefined && parseControlAddress(to) !== undefined;
  });
}

function decodeOk(payload: Buffer): ControlEnvelope {
  const r = decodeControlMessage(payload);
  if (!r.ok) throw r.error;
  return r.envelope;
}

/** The body as the capture notation renders it: wire keys, `sym:` on symbol keys. */
function wireForm(m: ControlMessage): unknown {
  const k = (key: string): string => (WRITERS[m.opcode] === 'c' ? `sym:${key}` : key);
  const o: Record<string, unknown> = { [k('id')]: m.id, [k('pv')]: m.pv, [k('area')]: m.area };
  switch (m.opcode) {
    case 'HELLO': Object.assign(o, { instance: m.instance, seen: m.seen }); break;
    case 'RA': Object.assign(o, { instance: m.instance, ls_seq: m.ls_seq, mobile_seq: m.mobile_seq }); break;
    case 'LSR': break;
    case 'LSU': Object.assign(o, { instance: m.instance, ls_seq: m.ls_seq, ls: { id: m.ls.id, area: m.ls.area, ls_seq: m.ls.ls_seq, peers: { ...m.ls.peers } } }); break;
    case 'MAR': o[k('have_seq')] = m.have_seq; break;
    case 'MAU':
      o[k('mobile_seq')] = m.mobile_seq;
      if (isAbsoluteMau(m)) Object.assign(o, { [k('exist')]: m.exist, [k('hints')]: m.hints });
      else Object.assign(o, { [k('hints')]: m.hints, [k('add')]: m.add, [k('del')]: m.del });
      break;
  }
  return o;
}

describe('mesh control messages: the qdrouterd 1.19 captures', () => {
  for (const file of ['1-inter-router', '2-data-over-mesh']) {
    describe(file, () => {
      const transfers = controlTransfers(file);

      it('finds the control transfers (pre-settled, on the control session)', () => {
        expect(transfers.length).to.equal(file === '1-inter-router' ? 46 : 6);
        for (const t of transfers) {
          expect(t.channel, `#${t.frame.index}`).to.equal(0);
          expect(t.transfer.settled, `#${t.frame.index}`).to.equal(true);
        }
      });

      it('every control transfer decodes, with the to and opcode the capture tool read', () => {
        for (const t of transfers) {
          const env = decodeOk(t.payload);
          const summary = (t.frame as unknown as { msg: { to: string; opcode: string } }).msg;
          expect({ to: env.to, opcode: env.message.opcode }, `#${t.frame.index}`).to.deep.equal(summary);
          expect(env.ingress).to.equal(t.frame.dir === 'A->B' ? '0/RA' : '0/RB');
          expect(env.trace).to.deep.equal([env.ingress]);
        }
      });

      it('every body equals the capture tool\'s own rendering of it (keys, key types, values)', () => {
        for (const t of transfers) {
          expect(wireForm(decodeOk(t.payload).message), `#${t.frame.index}`).to.deep.equal(parseNotation(t.bodyNotation!));
        }
      });

      it('re-encoding the decoded envelope reproduces the captured payload byte for byte', () => {
        for (const t of transfers) {
          const again = encodeControlMessage(decodeOk(t.payload));
          expect(again.toString('hex'), `#${t.frame.index} ${t.frame.dir}`).to.equal(t.payload.toString('hex'));
        }
      });
    });
  }

  it('data transfers on the mesh are not control messages', () => {
    const data = capturedTransfers('2-data-over-mesh').filter((t) => t.frame.tag === 'IR' && t.channel === 5);
    expect(data).to.have.length(4);
    for (const t of data) expect(parseControlAddress(scanHead(t.payload).to ?? '')).to.equal(undefined);
  });
});

describe('mesh control messages: the typed model of each opcode', () => {
  const payloadAt = (file: string, index: number): Buffer => capturedTransfers(file).find((t) => t.frame.index === index)!.payload;
  const cases: [string, string, number, ControlEnvelope][] = [
    ['HELLO, nobody seen yet', '1-inter-router', 111, {
      to: HELLO_ADDRESS, ingress: '0/RA', trace: ['0/RA'],
      message: { opcode: 'HELLO', id: 'RA', pv: 1, area: '0', instance: RA_INSTANCE, seen: [] },
    }],
    ['HELLO, two-way', '1-inter-router', 113, {
      to: HELLO_ADDRESS, ingress: '0/RB', trace: ['0/RB'],
      message: { opcode: 'HELLO', id: 'RB', pv: 1, area: '0', instance: RB_INSTANCE, seen: ['RA'] },
    }],
    ['LSR', '1-inter-router', 116, {
      to: routerAddress('RB'), ingress: '0/RA', trace: ['0/RA'], message: { opcode: 'LSR', id: 'RA', pv: 1, area: '0' },
    }],
    ['RA', '1-inter-router', 117, {
      to: ALL_ROUTERS_ADDRESS, ingress: '0/RA', trace: ['0/RA'],
      message: { opcode: 'RA', id: 'RA', pv: 1, area: '0', instance: RA_INSTANCE, ls_seq: 1, mobile_seq: 1 },
    }],
    ['LSU', '1-inter-router', 119, {
      to: routerAddress('RA'), ingress: '0/RB', trace: ['0/RB'],
      message: { opcode: 'LSU', id: 'RB', pv: 1, area: '0', instance: RB_INSTANCE, ls_seq: 0, ls: { id: 'RB', area: '0', ls_seq: 0, peers: { RA: 1 } } },
    }],
    ['MAR', '1-inter-router', 126, {
      to: mobileSyncAddress('RA'), ingress: '0/RB', trace: ['0/RB'], message: { opcode: 'MAR', id: 'RB', pv: 1, area: '0', have_seq: 0 },
    }],
    ['absolute MAU', '1-inter-router', 129, {
      to: mobileSyncAddress('RB'), ingress: '0/RA', trace: ['0/RA'],
      message: { opcode: 'MAU', id: 'RA', pv: 1, area: '0', mobile_seq: 1, exist: ['M0preAddress'], hints: [3] },
    }],
    ['differential MAU', '1-inter-router', 170, {
      to: ALL_MOBILE_SYNC_ADDRESS, ingress: '0/RA', trace: ['0/RA'],
      message: { opcode: 'MAU', id: 'RA', pv: 1, area: '0', mobile_seq: 2, hints: [3], add: ['M0myAddress'], del: [] },
    }],
    ['differential MAU for a multicast address (hint 1)', '2-data-over-mesh', 16, {
      to: ALL_MOBILE_SYNC_ADDRESS, ingress: '0/RA', trace: ['0/RA'],
      message: { opcode: 'MAU', id: 'RA', pv: 1, area: '0', mobile_seq: 3, hints: [1], add: ['M0multicast/x'], del: [] },
    }],
  ];
  for (const [name, file, index, expected] of cases) {
    it(`${name} (${file}#${index})`, () => {
      const payload = payloadAt(file, index);
      expect(decodeOk(payload)).to.deep.equal(expected);
      expect(encodeControlMessage(expected).equals(payload)).to.equal(true);
    });
  }

  it('controlAddressFor and originAnnotations build the envelope qdrouterd would send', () => {
    const mau = cases[6][3].message;
    const env: ControlEnvelope = { to: controlAddressFor(mau, 'RB'), ...originAnnotations('RA'), message: mau };
    expect(encodeControlMessage(env).equals(payloadAt('1-inter-router', 129))).to.equal(true);
    expect(controlAddressFor(cases[0][3].message)).to.equal(HELLO_ADDRESS);
    expect(controlAddressFor(cases[3][3].message)).to.equal(ALL_ROUTERS_ADDRESS);
    expect(controlAddressFor(cases[7][3].message)).to.equal(ALL_MOBILE_SYNC_ADDRESS);
    expect(() => controlAddressFor(cases[2][3].message)).to.throw(TypeError);
  });
});

describe('mesh control messages: encodings chosen for values the captures do not show', () => {
  const hello: ControlMessage = { opcode: 'HELLO', id: 'RA', pv: 1, area: '0', instance: 2 ** 31, seen: [] };

  it('a Python int beyond 32 bits is a long (qd_py_to_composed), a C sequence beyond a byte a long', () => {
    const p = encodeControlMessage({ to: HELLO_ADDRESS, message: hello });
    expect(p.toString('hex')).to.contain('a108696e7374616e6365' + '810000000080000000');
    const mar = encodeControlMessage({ to: mobileSyncAddress('RB'), message: { opcode: 'MAR', id: 'RA', pv: 1, area: '0', have_seq: 300 } });
    expect(mar.toString('hex')).to.contain('a308686176655f736571' + '81000000000000012c');
  });

  it('an LSU with no peers writes an empty map32; without router annotations there is no message-annotations section', () => {
    const lsu: ControlMessage = { opcode: 'LSU', id: 'RA', pv: 1, area: '0', instance: 5, ls_seq: 0, ls: { id: 'RA', area: '0', ls_seq: 0, peers: {} } };
    const p = encodeControlMessage({ to: routerAddress('RB'), message: lsu });
    expect(p.toString('hex')).to.contain('a1057065657273' + 'd10000000400000000');
    expect(scanHead(p).annotationsStart).to.equal(-1);
    expect(decodeOk(p)).to.deep.equal({ to: routerAddress('RB'), message: lsu });
  });

  it('a trace of several routers round-trips (the map and trace grow to map32/list32 when they must)', () => {
    const trace = Array.from({ length: 40 }, (_, i) => `0/Router${i}`);
    const env: ControlEnvelope = { to: ALL_ROUTERS_ADDRESS, ingress: trace[0], trace, message: { opcode: 'RA', id: 'Router0', pv: 1, area: '0', instance: 1, ls_seq: 200, mobile_seq: 3 } };
    expect(decodeOk(encodeControlMessage(env))).to.deep.equal(env);
  });
});

// ---- what peers may send: accepted like qdrouterd, or refused with a typed error ----

// Sections written with the generic encoder (list8/map8), as another implementation might.
const sections = { header: described(0x70, [false]), props: (to: string) => described(0x73, [null, null, to]) };

function payload(opcode: AmqpValue, body: AmqpValue, extra: AmqpValue[] = []): Buffer {
  const e = new Encoder();
  for (const section of [sections.header, ...extra, sections.props(HELLO_ADDRESS), described(0x74, new AmqpMap([['opcode', opcode]])), described(0x77, body)]) e.value(section);
  return e.take();
}
const map = (entries: [AmqpValue, AmqpValue][]): AmqpMap => new AmqpMap(entries);
const helloBody = (over: Record<string, AmqpValue | undefined> = {}): AmqpMap => {
  const base: Record<string, AmqpValue | undefined> = { id: 'RB', pv: int(1), area: '0', instance: int(7), seen: ['RA'], ...over };
  return map(Object.entries(base).filter(([, v]) => v !== undefined) as [string, AmqpValue][]);
};

function problemOf(p: Buffer): { problem: ControlProblem; key?: string; routerId?: string } {
  const r = decodeControlMessage(p);
  if (r.ok) throw new Error(`decoded: ${JSON.stringify(r.envelope)}`);
  expect(r.error.code).to.equal('WEFT_CONTROL_MESSAGE');
  return { problem: r.error.problem, key: r.error.details.key, routerId: r.error.details.routerId };
}

describe('mesh control messages: leniency towards peers (reference §3.1)', () => {
  it('accepts symbol keys and values, any integer type, and absent pv, instance and area', () => {
    const body = map([[sym('id'), sym('RB')], [sym('seen'), [sym('RA')]], ['pv', uint(1)]]);
    expect(decodeOk(payload(sym('HELLO'), body)).message).to.deep.equal({ opcode: 'HELLO', id: 'RB', pv: 1, area: '0', instance: 0, seen: ['RA'] });
    const ra = map([['id', 'RB'], ['ls_seq', long(3)], ['mobile_seq', ubyte(2)], ['instance', ulong(9)]]);
    expect(decodeOk(payload('RA', ra)).message).to.deep.equal({ opcode: 'RA', id: 'RB', pv: 0, area: '0', instance: 9, ls_seq: 3, mobile_seq: 2 });
  });

  it('a MAU with string keys and a hints list of another length (hints ignored, as qdrouterd does)', () => {
    const body = map([['id', 'RB'], ['mobile_seq', long(4)], ['hints', [int(1), int(2)]], ['add', ['M0a']], ['del', []]]);
    expect(decodeOk(payload('MAU', body)).message).to.deep.equal({ opcode: 'MAU', id: 'RB', pv: 0, area: '0', mobile_seq: 4, hints: [], add: ['M0a'], del: [] });
  });

  it('keeps any router id as a peers key, __proto__ included', () => {
    const ls = map([['id', 'RB'], ['ls_seq', int(1)], ['peers', map([['__proto__', int(2)], ['RA', int(1)]])]]);
    const m = decodeOk(payload('LSU', map([['id', 'RB'], ['ls_seq', int(1)], ['ls', ls]]))).message;
    expect(m.opcode === 'LSU' && Object.keys(m.ls.peers)).to.deep.equal(['__proto__', 'RA']);
  });

  it('ignores other message annotations and sections it does not need (delivery-annotations, footer)', () => {
    const extra = [described(0x71, map([[sym('x'), 'y']])), described(0x72, map([[sym('user'), 'u'], [sym('x-opt-qd.ingress'), '0/RB'], [sym('x-opt-qd.trace'), ['0/RB', '0/RC']]]))];
    const env = decodeOk(payload('HELLO', helloBody(), extra));
    expect(env).to.deep.include({ ingress: '0/RB', trace: ['0/RB', '0/RC'] });
  });
});

describe('mesh control messages: malformed messages are typed errors', () => {
  const cases: [string, Buffer, ControlProblem, string?][] = [
    ['not AMQP at all', Buffer.from('not amqp'), 'malformed'],
    ['a truncated payload', payload('HELLO', helloBody()).subarray(0, 40), 'malformed'],
    ['an unknown opcode', payload('HELO', helloBody()), 'unknown-opcode'],
    ['no opcode', (() => { const e = new Encoder(); e.value(sections.props(HELLO_ADDRESS)); e.value(described(0x77, helloBody())); return e.take(); })(), 'missing-key', 'opcode'],
    ['no properties.to', (() => { const e = new Encoder(); e.value(described(0x74, map([['opcode', 'HELLO']]))); e.value(described(0x77, helloBody())); return e.take(); })(), 'missing-key', 'to'],
    ['a data body', (() => { const e = new Encoder(); e.value(sections.props(HELLO_ADDRESS)); e.value(described(0x74, map([['opcode', 'HELLO']]))); e.value(described(0x75, Buffer.from('x'))); return e.take(); })(), 'malformed', 'body'],
    ['a body that is a list', payload('HELLO', ['RB']), 'wrong-type', 'body'],
    ['HELLO without id', payload('HELLO', helloBody({ id: undefined })), 'missing-key', 'id'],
    ['HELLO with a binary id', payload('HELLO', helloBody({ id: Buffer.from('RB') })), 'wrong-type', 'id'],
    ['HELLO without seen', payload('HELLO', helloBody({ seen: undefined })), 'missing-key', 'seen'],
    ['HELLO with seen as an AMQP array', payload('HELLO', helloBody({ seen: new AmqpArray(T.str8, ['RA']) })), 'wrong-type', 'seen'],
    ['HELLO with a number in seen', payload('HELLO', helloBody({ seen: ['RA', int(1)] })), 'wrong-type', 'seen'],
    ['HELLO with a boolean pv', payload('HELLO', helloBody({ pv: true })), 'wrong-type', 'pv'],
    ['HELLO with a string instance', payload('HELLO', helloBody({ instance: '7' })), 'wrong-type', 'instance'],
    ['HELLO from protocol version 2', payload('HELLO', helloBody({ pv: int(2) })), 'unsupported-version', 'pv'],
    ['RA without mobile_seq', payload('RA', map([['id', 'RB'], ['ls_seq', int(1)]])), 'missing-key', 'mobile_seq'],
    ['LSU with ls not a map', payload('LSU', map([['id', 'RB'], ['ls_seq', int(1)], ['ls', ['RB']]])), 'wrong-type', 'ls'],
    ['LSU with peers as a list', payload('LSU', map([['id', 'RB'], ['ls_seq', int(1)], ['ls', map([['id', 'RB'], ['ls_seq', int(1)], ['peers', ['RA']]])]])), 'wrong-type', 'ls.peers'],
    ['LSU with a cost that is a string', payload('LSU', map([['id', 'RB'], ['ls_seq', int(1)], ['ls', map([['id', 'RB'], ['ls_seq', int(1)], ['peers', map([['RA', '1']])]])]])), 'wrong-type', 'ls.peers.RA'],
    ['MAR without have_seq', payload('MAR', map([[sym('id'), 'RB']])), 'missing-key', 'have_seq'],
    ['differential MAU without del', payload('MAU', map([[sym('id'), 'RB'], [sym('mobile_seq'), long(1)], [sym('add'), ['M0a']]])), 'missing-key', 'del'],
    ['MAU with exist and add', payload('MAU', map([[sym('id'), 'RB'], [sym('mobile_seq'), long(1)], [sym('exist'), []], [sym('add'), []]])), 'malformed', 'exist'],
    ['MAU with exist not a list', payload('MAU', map([[sym('id'), 'RB'], [sym('mobile_seq'), long(1)], [sym('exist'), 'M0a']])), 'wrong-type', 'exist'],
    ['a trace that is not a list of strings', payload('HELLO', helloBody(), [described(0x72, map([[sym('x-opt-qd.trace'), '0/RB']]))]), 'wrong-type', 'x-opt-qd.trace'],
  ];
  for (const [name, p, problem, key] of cases) {
    it(`${name} → ${problem}${key ? ` (${key})` : ''}`, () => {
      const got = problemOf(p);
      expect(got.problem).to.equal(problem);
      if (key !== undefined) expect(got.key).to.equal(key);
    });
  }

  it('names the sender when it can, so the caller can log once per router', () => {
    expect(problemOf(payload('HELLO', helloBody({ pv: int(2) }))).routerId).to.equal('RB');
  });
});

describe('mesh control addresses (reference §3.2)', () => {
  it('parses the five addresses, with or without amqp:/', () => {
    expect(parseControlAddress(HELLO_ADDRESS)).to.deep.equal({ kind: 'hello' });
    expect(parseControlAddress(ALL_ROUTERS_ADDRESS)).to.deep.equal({ kind: 'all-routers' });
    expect(parseControlAddress(ALL_MOBILE_SYNC_ADDRESS)).to.deep.equal({ kind: 'all-mobile-sync' });
    expect(parseControlAddress('amqp:/_topo/0/all/qdrouter.ma')).to.deep.equal({ kind: 'all-mobile-sync' });
    expect(parseControlAddress(routerAddress('RB'))).to.deep.equal({ kind: 'router', routerId: 'RB' });
    expect(parseControlAddress(mobileSyncAddress('R.1'))).to.deep.equal({ kind: 'mobile-sync', routerId: 'R.1' });
  });

  it('other addresses are not control addresses', () => {
    for (const to of ['myAddress', '_topo/0/RB/$management', 'amqp:/_topo/0/RA/temp.abc', 'amqp:/_topo/1/RB/qdrouter', 'amqp:/_local/qdhello2']) {
      expect(parseControlAddress(to), to).to.equal(undefined);
    }
  });
});
