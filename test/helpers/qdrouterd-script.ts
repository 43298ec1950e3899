// Loads the scripts of test/fixtures/qdrouterd-peer/ (what a real qdrouterd 1.19 connector sends
// and what it needs back, taken from the wire captures) and matches the router's frames
// against their expectations. The fixture's README.md describes the format.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Decoder } from '../../router/amqp/codec/decoder';
import { AmqpMap, toPlain } from '../../router/amqp/codec/values';
import { FrameType } from '../../router/amqp/frame-parser';
import { FrameWriter } from '../../router/amqp/frame-writer';
import { decodeFields, Descriptor, PerformativeNames, readDescriptor } from '../../router/amqp/performatives';
import { decodeControlMessage } from '../../router/mesh/control-message';

export interface ScriptSendBytes { capture: number; what: string; bytes: string }
export interface ScriptSendTransfer {
  capture: number;
  what: string;
  /** Pre-settled, on the peer's channel `session`; numbered by behaviour.deliveryTag. */
  transfer: { session: number; handle: number; payload: string };
}
export type ScriptSend = ScriptSendBytes | ScriptSendTransfer;

export interface ScriptExpect {
  /** Index of the frame real qdrouterd sent for this, in the capture. */
  capture: number;
  /** `protocol-header` or a performative name (PerformativeNames). */
  perf: string;
  /** Exact bytes (protocol headers only). */
  bytes?: string;
  /** The peer's channel of the session the frame must come on (the router's begin answered it). */
  session?: number;
  /** The link (by name) whose handle the frame must carry. */
  link?: string;
  /** Partial match on the decoded performative fields. */
  fields?: Record<string, unknown>;
  /** Partial match on the control message in the payload (router/mesh/control-types.ts: wire keys). */
  control?: { to?: string; ingress?: string; message: Record<string, unknown> };
}

export interface ScriptStep {
  name: string;
  note?: string;
  /** Done to the router under test before this step's sends. */
  action?: { attachReceiver: string };
  send: ScriptSend[];
  /** In any order; the step ends when all have arrived. */
  expect: ScriptExpect[];
  /** Router frames that may come in between: performative names or control opcodes. */
  tolerate?: string[];
}

export interface QdrouterdScript {
  description: string;
  capture: string;
  peer: { id: string; instance: number; connectionId: number };
  /** The router under test: its id, and the receivers attached to it before the peer connects. */
  router: { id: string; localAddresses: string[] };
  behaviour: {
    /** Credit the peer grants on each receiving link. */
    linkCredit: number;
    /** After each transfer the peer receives, it sends a flow restoring linkCredit. */
    creditReturn: 'per-transfer';
    /** delivery-id and an 8-byte little-endian tag from one counter from 0, across all the peer's transfers. */
    deliveryTag: 'le64-counter';
    helloIntervalMs: number;
    /** The peer's HELLO payload, sent every helloIntervalMs once the two-way step has begun. */
    hello: string;
  };
  steps: ScriptStep[];
}

/** The repository root, from dist/test/helpers. */
const REPO_ROOT = path.resolve(__dirname, '../../..');

export function loadQdrouterdScript(name = 'join'): QdrouterdScript {
  const file = path.join(REPO_ROOT, 'test', 'fixtures', 'qdrouterd-peer', `${name}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as QdrouterdScript;
}

/** The frame for a transfer send, as the peer numbers it (behaviour.deliveryTag). */
export function transferFrame(t: ScriptSendTransfer['transfer'], counter: number): Buffer {
  const tag = Buffer.alloc(8);
  tag.writeBigUInt64LE(BigInt(counter));
  const w = new FrameWriter();
  w.frame(t.session, Descriptor.transfer, { handle: t.handle, deliveryId: counter, deliveryTag: tag, messageFormat: 0, settled: true },
    FrameType.amqp, Buffer.from(t.payload, 'hex'));
  return w.take()!;
}

export interface ReceivedFrame {
  perf: string;
  channel: number;
  bytes: Buffer;
  fields?: Record<string, unknown>;
  payload?: Buffer;
}

/** One whole frame (or an 8-byte protocol header) from the router. */
export function readFrame(bytes: Buffer): ReceivedFrame {
  if (bytes.length === 8 && bytes.toString('latin1', 0, 4) === 'AMQP') return { perf: 'protocol-header', channel: 0, bytes };
  const d = new Decoder(bytes, bytes[4] * 4);
  const code = readDescriptor(d);
  const fields = decodeFields(d, code);
  const payload = code === Descriptor.transfer ? bytes.subarray(d.pos) : undefined;
  return { perf: PerformativeNames[code], channel: bytes.readUInt16BE(6), bytes, fields, payload };
}

/** Follows the router's begins and attaches: which of the peer's sessions and which link a frame is on. */
export class ScriptSessions {
  private readonly sessions = new Map<number, number>();
  private readonly links = new Map<string, string>();

  track(f: ReceivedFrame): void {
    if (f.perf === 'begin' && typeof f.fields?.remoteChannel === 'number') this.sessions.set(f.channel, f.fields.remoteChannel);
    if (f.perf === 'attach') this.links.set(`${f.channel}/${f.fields!.handle}`, f.fields!.name as string);
  }

  sessionOf(channel: number): number | undefined { return this.sessions.get(channel); }
  linkName(channel: number, handle: unknown): string | undefined { return this.links.get(`${channel}/${handle}`); }
}

export function matches(exp: ScriptExpect, f: ReceivedFrame, s: ScriptSessions): boolean {
  if (exp.perf !== f.perf) return false;
  if (exp.bytes !== undefined && exp.bytes !== f.bytes.toString('hex')) return false;
  if (exp.session !== undefined && s.sessionOf(f.channel) !== exp.session) return false;
  if (exp.link !== undefined && s.linkName(f.channel, f.fields?.handle) !== exp.link) return false;
  if (exp.fields !== undefined && !like(exp.fields, f.fields)) return false;
  if (exp.control !== undefined) {
    const r = f.payload && decodeControlMessage(f.payload);
    if (!r || !r.ok) return false;
    const { to, ingress, message } = r.envelope;
    if (!like({ to: exp.control.to, ingress: exp.control.ingress, message: exp.control.message }, { to, ingress, message })) return false;
  }
  return true;
}

/** A frame the step lets pass: its performative, or its control opcode, is in `tolerate`. */
export function tolerated(step: ScriptStep, f: ReceivedFrame): boolean {
  const names = step.tolerate ?? [];
  if (names.includes(f.perf)) return true;
  if (f.perf !== 'transfer' || !f.payload) return false;
  const r = decodeControlMessage(f.payload);
  return r.ok && names.includes(r.envelope.message.opcode);
}

/**
 * Partial match: expected objects name only the keys that matter; arrays match element by
 * element; a scalar matches an array that holds it (a capability among several).
 */
export function like(expected: unknown, actual: unknown): boolean {
  if (expected === undefined) return true;
  const a = plain(actual);
  if (Array.isArray(expected)) return Array.isArray(a) && a.length === expected.length && expected.every((x, i) => like(x, a[i]));
  if (expected !== null && typeof expected === 'object') {
    if (a === null || typeof a !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => like(v, (a as Record<string, unknown>)[k]));
  }
  if (Array.isArray(a)) return a.some((x) => like(expected, x));
  return expected === a;
}

function plain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries(v);
  if (v instanceof AmqpMap) return toPlain(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) && v.constructor !== Object) return toPlain(v as never);
  return v;
}
