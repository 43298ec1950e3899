// What a qdrouterd 1.19 router needs from the frames its inter-router neighbour sends, as checks
// that return the problems they find (none: the frame is one qdrouterd would take, and written
// the way qdrouterd itself writes it). Read straight off the bytes with the codec's Decoder, not
// with router/mesh's decoder, so that the router's own reading of the protocol is not the judge.
//
// Sources: reference §2.4 (attaches), §3.1–§3.7 (control messages), §5.1/§5.3 (annotations), and
// wire-captures/README.md §B–§D, which record what qdrouterd 1.19 actually puts on the wire.

import { Decoder } from '../../router/amqp/codec/decoder';
import { AmqpArray, AmqpMap, AmqpSymbol, AmqpValue, Described, Typed, TypedKind } from '../../router/amqp/codec/values';
import { Descriptor, Terminus } from '../../router/amqp/performatives';
import { Section } from '../../router/amqp/message-sections';

export interface MessageSection { code: number; value: AmqpValue; start: number; end: number }

/** The sections of an encoded message, in wire order; throws on bytes that are not AMQP. */
export function messageSections(payload: Buffer): MessageSection[] {
  const d = new Decoder(payload);
  const out: MessageSection[] = [];
  while (d.remaining > 0) {
    const start = d.pos;
    const v = d.value();
    if (!(v instanceof Described) || !(v.descriptor instanceof Typed) || v.descriptor.type !== 'ulong') {
      throw new Error(`section at ${start} is not described by a ulong`);
    }
    out.push({ code: v.descriptor.number, value: v.value, start, end: d.pos });
  }
  return out;
}

const INTEGERS: ReadonlySet<TypedKind> = new Set<TypedKind>(['ubyte', 'ushort', 'uint', 'ulong', 'byte', 'short', 'int', 'long']);

/** Which qdrouterd module writes an opcode: the Python engine or the C mobile-sync module (§3.1). */
const PYTHON_OPCODES = ['HELLO', 'RA', 'LSR', 'LSU'];
const C_OPCODES = ['MAU', 'MAR'];

export interface ControlCheck {
  /** The router that sent the message (its bodies and annotations name it). */
  routerId: string;
  /** The only other router there is: LSR, LSU, MAR and absolute MAUs go to it. */
  peerId: string;
}

/**
 * Problems with a control message the router originated, judged by what qdrouterd's receivers
 * require (properties.to, an `opcode`, a map body, `seen` an AMQP list, integers that are
 * integers, both `add` and `del` in a differential MAU…) and by how qdrouterd writes them
 * (string keys and int for HELLO/RA/LSR/LSU, symbol keys and long for MAU/MAR).
 */
export function controlMessageProblems(payload: Buffer, c: ControlCheck): { opcode?: string; body?: AmqpMap; problems: string[] } {
  const problems: string[] = [];
  let sections: MessageSection[];
  try {
    sections = messageSections(payload);
  } catch (err) {
    return { problems: [`payload is not an AMQP message: ${(err as Error).message}`] };
  }
  const codes = sections.map((s) => s.code);
  const want = [Section.header, Section.messageAnnotations, Section.properties, Section.applicationProperties, Section.amqpValue];
  if (codes.join() !== want.join()) problems.push(`sections are 0x${codes.map((x) => x.toString(16)).join(',0x')}, not header, message-annotations, properties, application-properties, amqp-value`);
  const get = (code: number) => sections.find((s) => s.code === code)?.value;

  const header = get(Section.header);
  if (header !== undefined && (!Array.isArray(header) || header[0] === true)) problems.push('header is not a list with durable false');

  problems.push(...originAnnotationProblems(get(Section.messageAnnotations), c.routerId));

  const props = get(Section.properties);
  const to = Array.isArray(props) && typeof props[2] === 'string' ? props[2] : undefined;
  if (to === undefined) problems.push('properties.to is not a string');

  const app = get(Section.applicationProperties);
  let opcode: string | undefined;
  if (!(app instanceof AmqpMap)) problems.push('application-properties is not a map');
  else {
    const entry = app.entries.find(([k]) => keyName(k) === 'opcode');
    if (!entry) problems.push('application-properties has no opcode');
    else if (typeof entry[1] !== 'string') problems.push('opcode is not a string');
    else {
      opcode = entry[1];
      const python = PYTHON_OPCODES.includes(opcode);
      if (!python && !C_OPCODES.includes(opcode)) problems.push(`unknown opcode ${opcode}`);
      else if (python !== (typeof entry[0] === 'string')) problems.push(`${opcode}: the opcode key is a ${typeof entry[0] === 'string' ? 'string' : 'symbol'}, qdrouterd writes a ${python ? 'string' : 'symbol'}`);
    }
  }

  const body = get(Section.amqpValue);
  if (!(body instanceof AmqpMap)) {
    problems.push('the amqp-value body is not a map');
    return { opcode, problems };
  }
  if (opcode === undefined || (!PYTHON_OPCODES.includes(opcode) && !C_OPCODES.includes(opcode))) return { opcode, body, problems };
  const b = new BodyRules(body, opcode, problems);
  b.keysAre(PYTHON_OPCODES.includes(opcode) ? 'string' : 'symbol');
  b.text('id', c.routerId);
  b.integer('pv', PYTHON_OPCODES.includes(opcode) ? 'int' : 'long', 1);
  b.text('area', '0');
  const expectTo = (address: string) => { if (to !== undefined && to !== address) problems.push(`${opcode} sent to ${to}, qdrouterd sends it to ${address}`); };
  switch (opcode) {
    case 'HELLO':
      expectTo('amqp:/_local/qdhello');
      b.integer('instance', 'int');
      b.strings('seen');
      break;
    case 'RA':
      expectTo('amqp:/_topo/0/all/qdrouter');
      b.integer('instance', 'int');
      b.integer('ls_seq', 'int');
      b.integer('mobile_seq', 'int');
      break;
    case 'LSR':
      expectTo(`amqp:/_topo/0/${c.peerId}/qdrouter`);
      break;
    case 'LSU': {
      expectTo(`amqp:/_topo/0/${c.peerId}/qdrouter`);
      b.integer('instance', 'int');
      b.integer('ls_seq', 'int');
      const ls = b.submap('ls');
      if (ls) {
        const l = new BodyRules(ls, 'LSU ls', problems);
        l.keysAre('string');
        l.text('id', c.routerId);
        l.text('area', '0');
        l.integer('ls_seq', 'int');
        const peers = l.submap('peers');
        if (peers) {
          for (const [k, v] of peers.entries) {
            if (typeof k !== 'string') problems.push('LSU ls.peers has a key that is not a string');
            if (!isInteger(v, 'int')) problems.push(`LSU ls.peers.${keyName(k)} is not an int`);
          }
        }
      }
      break;
    }
    case 'MAR':
      expectTo(`amqp:/_topo/0/${c.peerId}/qdrouter.ma`);
      b.integer('have_seq', 'long');
      break;
    case 'MAU': {
      b.integer('mobile_seq', 'long');
      const absolute = body.get('exist') !== undefined;
      let listed: number | undefined;
      if (absolute) {
        expectTo(`amqp:/_topo/0/${c.peerId}/qdrouter.ma`);
        if (body.get('add') !== undefined || body.get('del') !== undefined) problems.push('MAU combines exist with add/del');
        listed = b.strings('exist');
      } else {
        expectTo('_topo/0/all/qdrouter.ma');
        listed = b.strings('add');
        b.strings('del');
      }
      const hints = body.get('hints');
      if (!Array.isArray(hints) || !hints.every((h) => isInteger(h, 'int'))) problems.push('MAU hints is not an AMQP list of int');
      else if (listed !== undefined && hints.length !== listed) problems.push(`MAU has ${hints.length} hints for ${listed} addresses (qdrouterd then ignores every hint)`);
      break;
    }
  }
  return { opcode, body, problems };
}

/** x-opt-qd.ingress and x-opt-qd.trace of a message `routerId` originated: `0/<id>`, trace an AMQP list. */
function originAnnotationProblems(v: AmqpValue | undefined, routerId: string): string[] {
  if (!(v instanceof AmqpMap)) return ['no message-annotations map (x-opt-qd.ingress and x-opt-qd.trace)'];
  const problems: string[] = [];
  if (!v.entries.every(([k]) => k instanceof AmqpSymbol)) problems.push('message-annotations has keys that are not symbols');
  const ingress = v.get('x-opt-qd.ingress');
  if (ingress !== `0/${routerId}`) problems.push(`x-opt-qd.ingress is ${JSON.stringify(ingress)}, not "0/${routerId}"`);
  const trace = v.get('x-opt-qd.trace');
  if (trace instanceof AmqpArray) problems.push('x-opt-qd.trace is an AMQP array, not a list');
  else if (!Array.isArray(trace) || trace.length !== 1 || trace[0] !== `0/${routerId}`) problems.push(`x-opt-qd.trace is ${JSON.stringify(trace)}, not ["0/${routerId}"]`);
  return problems;
}

/** Typed checks on one body map; problems are appended to the shared list. */
class BodyRules {
  constructor(private readonly body: AmqpMap, private readonly what: string, private readonly problems: string[]) {}

  keysAre(kind: 'string' | 'symbol'): void {
    const bad = this.body.entries.filter(([k]) => (kind === 'string' ? typeof k !== 'string' : !(k instanceof AmqpSymbol)));
    if (bad.length > 0) this.problems.push(`${this.what}: keys ${bad.map(([k]) => keyName(k)).join(', ')} are not ${kind}s (qdrouterd writes ${kind} keys)`);
  }

  text(key: string, expected?: string): void {
    const v = this.body.get(key);
    if (typeof v !== 'string') this.problems.push(`${this.what}: ${key} is not a string`);
    else if (expected !== undefined && v !== expected) this.problems.push(`${this.what}: ${key} is ${JSON.stringify(v)}, not ${JSON.stringify(expected)}`);
  }

  integer(key: string, kind: 'int' | 'long', expected?: number): void {
    const v = this.body.get(key);
    if (!isInteger(v)) this.problems.push(`${this.what}: ${key} is not an integer (${describe(v)})`);
    else if ((v as Typed).type !== kind) this.problems.push(`${this.what}: ${key} is a ${(v as Typed).type}, qdrouterd writes ${kind}`);
    else if (expected !== undefined && (v as Typed).number !== expected) this.problems.push(`${this.what}: ${key} is ${(v as Typed).number}, not ${expected}`);
  }

  /** An AMQP list of strings (an array decodes to nothing in qdrouterd's Python); returns its length. */
  strings(key: string): number | undefined {
    const v = this.body.get(key);
    if (v instanceof AmqpArray) { this.problems.push(`${this.what}: ${key} is an AMQP array, qdrouterd needs a list`); return undefined; }
    if (!Array.isArray(v)) { this.problems.push(`${this.what}: ${key} is not a list (${describe(v)})`); return undefined; }
    if (!v.every((x) => typeof x === 'string')) this.problems.push(`${this.what}: ${key} holds values that are not strings`);
    return v.length;
  }

  submap(key: string): AmqpMap | undefined {
    const v = this.body.get(key);
    if (v instanceof AmqpMap) return v;
    this.problems.push(`${this.what}: ${key} is not a map`);
    return undefined;
  }
}

function isInteger(v: AmqpValue | undefined, kind?: TypedKind): boolean {
  return v instanceof Typed && INTEGERS.has(v.type) && (kind === undefined || v.type === kind);
}

function keyName(k: AmqpValue): string {
  return typeof k === 'string' ? k : k instanceof AmqpSymbol ? k.value : String(k);
}

function describe(v: AmqpValue | undefined): string {
  if (v === undefined) return 'absent';
  if (v instanceof Typed) return v.type;
  if (v instanceof AmqpSymbol) return 'symbol';
  if (v instanceof AmqpArray) return 'array';
  if (v instanceof AmqpMap) return 'map';
  return Array.isArray(v) ? 'list' : typeof v;
}

// ---- attaches ----

export interface OwnLink { name: string; role: boolean; capability: 'qd.router' | 'qd.router-data' }

/**
 * Problems with the router's answer to one of the peer's inter-router attaches: same name,
 * the other role, null addresses, and on both termini the capability as one bare symbol
 * (qdrouterd only looks at a bare symbol; an array makes it an endpoint link, §2.4).
 */
export function attachAnswerProblems(answer: Record<string, unknown>, ours: OwnLink): string[] {
  const problems: string[] = [];
  const what = `answer to ${ours.name}`;
  if (answer.name !== ours.name) problems.push(`${what}: name ${String(answer.name)}`);
  if (answer.role !== !ours.role) problems.push(`${what}: role ${String(answer.role)}, the peer's was ${ours.role}`);
  for (const [key, kind] of [['source', Descriptor.source], ['target', Descriptor.target]] as const) {
    const t = answer[key] as Terminus | undefined;
    if (!t || t.kind !== kind) { problems.push(`${what}: no ${key}`); continue; }
    if (t.address !== undefined) problems.push(`${what}: ${key} address ${t.address}, qdrouterd leaves it null`);
    if (typeof t.capabilities !== 'string') problems.push(`${what}: ${key} capabilities ${JSON.stringify(t.capabilities)} are not one bare symbol`);
    else if (t.capabilities !== ours.capability) problems.push(`${what}: ${key} capability ${t.capabilities}, not ${ours.capability}`);
  }
  return problems;
}

// ---- router annotations on data ----

export interface ExpectedAnnotations { to?: string; ingress: string; trace: string[] }

/**
 * Problems with the message-annotations of a data message leaving the router toward a
 * neighbour (§5.3): after header and delivery-annotations, before the bare message; symbol
 * keys; router keys after user keys, in the order phase, stream, to, ingress, trace; the
 * trace an AMQP list.
 */
export function dataAnnotationProblems(payload: Buffer, expected: ExpectedAnnotations): string[] {
  let sections: MessageSection[];
  try {
    sections = messageSections(payload);
  } catch (err) {
    return [`payload is not an AMQP message: ${(err as Error).message}`];
  }
  const i = sections.findIndex((s) => s.code === Section.messageAnnotations);
  if (i < 0) return ['no message-annotations section'];
  const problems: string[] = [];
  if (sections.slice(0, i).some((s) => s.code !== Section.header && s.code !== Section.deliveryAnnotations)) problems.push('message-annotations come after a bare-message section');
  if (sections.slice(i + 1).some((s) => s.code <= Section.messageAnnotations)) problems.push('a header or annotations section follows message-annotations');
  const map = sections[i].value;
  if (!(map instanceof AmqpMap)) return ['message-annotations is not a map'];
  if (!map.entries.every(([k]) => k instanceof AmqpSymbol)) problems.push('message-annotations has keys that are not symbols');
  const order = ['x-opt-qd.phase', 'x-opt-qd.stream', 'x-opt-qd.to', 'x-opt-qd.ingress', 'x-opt-qd.trace'];
  const keys = map.entries.map(([k]) => keyName(k));
  const routerKeys = keys.filter((k) => k.startsWith('x-opt-qd.'));
  const firstRouterKey = keys.findIndex((k) => k.startsWith('x-opt-qd.'));
  if (firstRouterKey >= 0 && keys.slice(firstRouterKey).some((k) => !k.startsWith('x-opt-qd.'))) problems.push('a user annotation follows a router annotation');
  const wantKeys = order.filter((k) => (k === 'x-opt-qd.to' ? expected.to !== undefined : k === 'x-opt-qd.ingress' || k === 'x-opt-qd.trace'));
  if (routerKeys.join() !== wantKeys.join()) problems.push(`router annotations are [${routerKeys.join(', ')}], qdrouterd writes [${wantKeys.join(', ')}]`);
  if (expected.to !== undefined && map.get('x-opt-qd.to') !== expected.to) problems.push(`x-opt-qd.to is ${JSON.stringify(map.get('x-opt-qd.to'))}, not "${expected.to}"`);
  if (map.get('x-opt-qd.ingress') !== expected.ingress) problems.push(`x-opt-qd.ingress is ${JSON.stringify(map.get('x-opt-qd.ingress'))}, not "${expected.ingress}"`);
  const trace = map.get('x-opt-qd.trace');
  if (trace instanceof AmqpArray) problems.push('x-opt-qd.trace is an AMQP array, not a list');
  else if (!Array.isArray(trace) || JSON.stringify(trace) !== JSON.stringify(expected.trace)) problems.push(`x-opt-qd.trace is ${JSON.stringify(trace)}, not ${JSON.stringify(expected.trace)}`);
  return problems;
}
