// A fake AMQP peer for tests that must break the protocol on purpose: it writes frames built
// with the engine's own FrameWriter (or any bytes at all) and reads the other side's answers
// with FrameParser + decodeFields. It runs over a net.Socket (integration) or any Duplex
// (a duplex pair in unit tests); nothing in it is clever, so what it sends is what it says.

import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { Decoder } from '../../router/amqp/codec/decoder';
import { AMQP_HEADER, FrameParser, FrameType, SASL_HEADER } from '../../router/amqp/frame-parser';
import { FrameWriter } from '../../router/amqp/frame-writer';
import { Descriptor, ErrorCondition, PerformativeNames, decodeFields, readDescriptor } from '../../router/amqp/performatives';

/** One thing read off the wire: a protocol header, a heartbeat or a decoded frame. */
export type WireItem =
  | { kind: 'header'; bytes: Buffer; at: number }
  | { kind: 'heartbeat'; channel: number; at: number }
  | { kind: 'frame'; type: number; channel: number; code: number; name: string; fields: Record<string, unknown>; payload: Buffer; size: number; at: number };

export type WireFrame = Extract<WireItem, { kind: 'frame' }>;

const AMQP_MAGIC = Buffer.from('AMQP', 'latin1');

/**
 * Splits a byte stream into headers and frames. A header can only start where a frame could
 * (`AMQP` read as a frame size would be over 1 GB), so the two are told apart by their first
 * four bytes; frames go through the engine's FrameParser, bodies through decodeFields.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WireItem[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: WireItem[] = [];
    const at = Date.now();
    while (this.pending.length >= 8) {
      if (this.pending.subarray(0, 4).equals(AMQP_MAGIC)) {
        out.push({ kind: 'header', bytes: Buffer.from(this.pending.subarray(0, 8)), at });
        this.pending = this.pending.subarray(8);
        continue;
      }
      const size = this.pending.readUInt32BE(0);
      if (this.pending.length < size) break;
      const parser = new FrameParser(0xffffffff);
      parser.push(this.pending.subarray(0, Math.max(size, 8)));
      const f = parser.next()!;
      this.pending = this.pending.subarray(Math.max(size, 8));
      if (f.body.length === 0) { out.push({ kind: 'heartbeat', channel: f.channel, at }); continue; }
      const d = new Decoder(f.body);
      const code = readDescriptor(d);
      const fields = decodeFields(d, code);
      out.push({ kind: 'frame', type: f.type, channel: f.channel, code, name: PerformativeNames[code] ?? `0x${code.toString(16)}`, fields, payload: f.body.subarray(d.pos), size: f.size, at });
    }
    return out;
  }

  /** Everything in `chunks`, read as one stream. */
  static readAll(chunks: Buffer[]): WireItem[] {
    const r = new FrameReader();
    return chunks.flatMap((c) => r.push(c));
  }
}

/** The frames (not headers or heartbeats) among `items`, optionally only those named `name`. */
export function framesOf(items: WireItem[], name?: string): WireFrame[] {
  return items.filter((i): i is WireFrame => i.kind === 'frame' && (name === undefined || i.name === name));
}

export interface RawOpenOptions { containerId?: string; maxFrameSize?: number; channelMax?: number; idleTimeOut?: number }

export class RawAmqpClient {
  readonly received: WireItem[] = [];
  readonly writer = new FrameWriter();
  private readonly reader = new FrameReader();
  private readonly taken = new Set<WireItem>();
  private waiters: (() => void)[] = [];
  /** Set once the transport has closed (either side). */
  closedAt: number | undefined = undefined;
  /** A parse error in what the other side sent (a bug there, or in this helper). */
  readError: Error | undefined = undefined;

  constructor(readonly transport: Duplex) {
    transport.on('data', (chunk: Buffer) => {
      try {
        this.received.push(...this.reader.push(chunk));
      } catch (err) {
        this.readError = err as Error;
      }
      this.wakeWaiters();
    });
    transport.on('error', () => { /* 'close' follows */ });
    transport.on('close', () => { this.closedAt = Date.now(); this.wakeWaiters(); });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawAmqpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => { socket.off('error', reject); resolve(new RawAmqpClient(socket)); });
      socket.once('error', reject);
    });
  }

  get closed(): boolean { return this.closedAt !== undefined; }

  // ---- writing ----

  write(bytes: Buffer): void { this.transport.write(bytes); }

  amqpHeader(): void { this.write(AMQP_HEADER); }
  saslHeader(): void { this.write(SASL_HEADER); }

  /** Writes one frame: `code`'s performative with the given fields, then `payload`. */
  frame(channel: number, code: number, fields: object, options: { type?: number; payload?: Buffer } = {}): void {
    this.writer.frame(channel, code, fields, options.type ?? FrameType.amqp, options.payload);
    this.write(this.writer.take()!);
  }

  /** The bytes `frame` would write, without writing them (to send several in one chunk). */
  frameBytes(channel: number, code: number, fields: object, options: { type?: number; payload?: Buffer } = {}): Buffer {
    this.writer.frame(channel, code, fields, options.type ?? FrameType.amqp, options.payload);
    return this.writer.take()!;
  }

  heartbeat(): void { this.writer.heartbeat(); this.write(this.writer.take()!); }

  destroy(): void { this.transport.destroy(); }

  // ---- reading ----

  private wakeWaiters(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  /** Waits for the first item not yet taken that matches `match`, and takes it. */
  async expect(match: (i: WireItem) => boolean, what: string, timeoutMs = 3000): Promise<WireItem> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      if (this.readError) throw new Error(`while waiting for ${what}: cannot read the peer's bytes: ${this.readError.message}`);
      const hit = this.received.find((i) => !this.taken.has(i) && match(i));
      if (hit) { this.taken.add(hit); return hit; }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`timed out waiting for ${what}${this.closed ? ' (connection closed)' : ''}; received: ${this.describe()}`);
      }
      await this.changed(left);
    }
  }

  /** Waits for a frame named `name` (e.g. 'attach', 'sasl-outcome'), optionally on `channel`. */
  async expectFrame(name: string, channel?: number, timeoutMs = 3000): Promise<WireFrame> {
    return await this.expect((i) => i.kind === 'frame' && i.name === name && (channel === undefined || i.channel === channel), `${name}${channel === undefined ? '' : ` on channel ${channel}`}`, timeoutMs) as WireFrame;
  }

  async expectHeader(timeoutMs = 3000): Promise<Buffer> {
    const h = await this.expect((i) => i.kind === 'header', 'a protocol header', timeoutMs);
    return (h as { bytes: Buffer }).bytes;
  }

  /** Resolves when the transport has closed; fails after `timeoutMs`. */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`connection still open after ${timeoutMs} ms; received: ${this.describe()}`);
      await this.changed(left);
    }
  }

  /** A short account of what was received, for failure messages. */
  describe(): string {
    return this.received.map((i) => {
      if (i.kind === 'header') return `header(${i.bytes.toString('hex')})`;
      if (i.kind === 'heartbeat') return 'heartbeat';
      const err = (i.fields.error as ErrorCondition | undefined)?.condition;
      return `${i.name}@${i.channel}${err ? `(${err})` : ''}`;
    }).join(' ') || '(nothing)';
  }

  // ---- handshakes ----

  /** SASL header, mechanisms, sasl-init with `mechanism`; returns the outcome code. */
  async sasl(mechanism = 'ANONYMOUS', initialResponse?: Buffer): Promise<number> {
    this.saslHeader();
    const h = await this.expectHeader();
    if (!h.equals(SASL_HEADER)) throw new Error(`expected the SASL header, got ${h.toString('hex')}`);
    await this.expectFrame('sasl-mechanisms');
    this.frame(0, Descriptor.saslInit, { mechanism, initialResponse }, { type: FrameType.sasl });
    const outcome = await this.expectFrame('sasl-outcome');
    return outcome.fields.code as number;
  }

  /** AMQP header and open; returns the peer's open. */
  async open(options: RawOpenOptions = {}): Promise<WireFrame> {
    this.amqpHeader();
    const h = await this.expectHeader();
    if (!h.equals(AMQP_HEADER)) throw new Error(`expected the AMQP header, got ${h.toString('hex')}`);
    this.frame(0, Descriptor.open, { containerId: options.containerId ?? 'raw-client', maxFrameSize: options.maxFrameSize, channelMax: options.channelMax, idleTimeOut: options.idleTimeOut });
    return await this.expectFrame('open');
  }

  /** Begins a session on `channel`; returns the peer's begin (its channel is the peer's). */
  async begin(channel = 0, fields: { nextOutgoingId?: number; incomingWindow?: number; outgoingWindow?: number } = {}): Promise<WireFrame> {
    this.frame(channel, Descriptor.begin, { nextOutgoingId: fields.nextOutgoingId ?? 0, incomingWindow: fields.incomingWindow ?? 2147483647, outgoingWindow: fields.outgoingWindow ?? 2147483647 });
    return await this.expect((i) => i.kind === 'frame' && i.name === 'begin' && i.fields.remoteChannel === channel, `begin answering channel ${channel}`) as WireFrame;
  }

  /** The error of the first close frame received (waits for it). */
  async closeError(timeoutMs = 3000): Promise<ErrorCondition | undefined> {
    const c = await this.expectFrame('close', undefined, timeoutMs);
    return c.fields.error as ErrorCondition | undefined;
  }
}
