// A fake qdrouterd 1.19 router (the connector side, `RB`) on a real socket, in the manner of
// nats-server's setupRoute: it plays the join script of test/fixtures/qdrouterd-peer/join.json
// (RB's captured bytes; the router's frames matched against what real qdrouterd answered),
// then behaves as RB keeps behaving: a HELLO every second, credit returned per transfer, and
// (once `autoAnswer` is on) an LSU for every LSR and an absolute MAU for every MAR.
//
// Every frame the router sends is recorded in order (`frames`), with its session and link as
// the peer knows them, and checked against qdrouterd's rules (qdrouterd-rules.ts): anything a
// real qdrouterd would not take, or would not write itself, lands in `problems`.

import * as net from 'node:net';
import { FrameType } from '../../router/amqp/frame-parser';
import { FrameWriter } from '../../router/amqp/frame-writer';
import { Accepted, DeliveryState, Descriptor } from '../../router/amqp/performatives';
import { controlAddressFor, decodeControlMessage, encodeControlMessage } from '../../router/mesh/control-message';
import type { ControlEnvelope, ControlMessage } from '../../router/mesh/control-types';
import { QdrouterdScript, ReceivedFrame, ScriptSessions, ScriptStep, matches, readFrame, tolerated } from './qdrouterd-script';
import { attachAnswerProblems, controlMessageProblems, OwnLink } from './qdrouterd-rules';

/** Session windows and link credit as qdrouterd sends them (reference §2.4). */
const WINDOW = 2147483647;

export interface PeerFrame extends ReceivedFrame {
  /** Position in `frames`. */
  index: number;
  at: number;
  /** The peer's channel of the session the frame came on (mapped through the router's begin). */
  session?: number;
  /** The peer's link, by name, that the frame's handle stands for. */
  link?: string;
  /** A complete delivery on one of the peer's receiving links (its frames' payloads joined). */
  delivery?: Buffer;
  /** The control message, for a delivery on the control link. */
  control?: ControlEnvelope;
}

interface PeerLink extends OwnLink {
  channel: number;
  handle: number;
  deliveryCount: number;
  /** Credit the router last granted this sender of ours (deliveryCount + linkCredit − ours). */
  credit: number;
  partial: Buffer[];
}

interface PeerSession { nextOutgoingId: number; nextIncomingId: number }

export class FakeQdrouterd {
  readonly frames: PeerFrame[] = [];
  /** Frames the router sent that qdrouterd would refuse or would not write so. */
  readonly problems: string[] = [];
  readonly id: string;
  readonly instance: number;
  /** The router under test. */
  readonly routerId: string;
  /** The peer's link state sequence (the script's last LSU says 1) and its neighbours. */
  lsSeq = 1;
  /** The peer's mobile sequence and its advertised addresses (key → hint). */
  mobileSeq = 0;
  readonly addresses = new Map<string, number>();
  /** Answer the router's LSRs and MARs as a settled qdrouterd does (off while the script runs). */
  autoAnswer = false;
  closed = false;

  private readonly sessions = new ScriptSessions();
  private readonly links = new Map<string, PeerLink>();
  private readonly channels = new Map<number, PeerSession>();
  private readonly writer = new FrameWriter();
  private pending: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private cursor = 0;
  private tagCounter = 0;
  private helloTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly socket: net.Socket, readonly script: QdrouterdScript) {
    this.id = script.peer.id;
    this.instance = script.peer.instance;
    this.routerId = script.router.id;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => { /* 'close' follows */ });
    socket.on('close', () => { this.closed = true; this.stopHello(); this.wake(); });
  }

  static connect(port: number, script: QdrouterdScript, host = '127.0.0.1'): Promise<FakeQdrouterd> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => { socket.off('error', reject); resolve(new FakeQdrouterd(socket, script)); });
      socket.once('error', reject);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The script

  /**
   * One step: its action, its sends, then the router's frames in order until every expectation
   * has matched; a frame that matches none must be one the step tolerates (or `tolerate`).
   */
  async runStep(step: ScriptStep, options: { timeoutMs?: number; tolerate?: string[]; onAction?: (a: NonNullable<ScriptStep['action']>) => Promise<void> } = {}): Promise<void> {
    if (step.action) {
      if (!options.onAction) throw new Error(`step ${step.name} has an action and no one to do it`);
      await options.onAction(step.action);
    }
    for (const s of step.send) {
      if ('bytes' in s) this.writeBytes(Buffer.from(s.bytes, 'hex'));
      else this.sendTransfer(s.transfer.session, s.transfer.handle, Buffer.from(s.transfer.payload, 'hex'), true);
    }
    // The peer keeps its neighbour alive from the two-way step on (behaviour.hello).
    if (step.name === 'two-way') this.startHello();
    const pending = [...step.expect];
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    while (pending.length > 0) {
      const f = await this.nextFrame(deadline, () => `step ${step.name}: still waiting for ${pending.map((e) => `#${e.capture} ${e.perf}${e.control ? ` ${String(e.control.message.opcode)}` : ''}`).join(', ')}`);
      const i = pending.findIndex((e) => matches(e, f, this.sessions));
      if (i >= 0) { pending.splice(i, 1); continue; }
      if (f.perf === 'empty' || tolerated(step, f) || (options.tolerate && tolerated({ ...step, tolerate: options.tolerate }, f))) continue;
      throw new Error(`step ${step.name}: the router sent ${describeFrame(f)}, which qdrouterd does not send here; still waiting for ${pending.map((e) => `#${e.capture}`).join(', ')}`);
    }
  }

  /** The script's steps from `from` up to and including `to` (by name). */
  async runSteps(from: string | undefined, to: string | undefined, options: Parameters<FakeQdrouterd['runStep']>[1] = {}): Promise<void> {
    const names = this.script.steps.map((s) => s.name);
    const first = from === undefined ? 0 : names.indexOf(from);
    const last = to === undefined ? names.length - 1 : names.indexOf(to);
    if (first < 0 || last < 0) throw new Error(`no step ${first < 0 ? from : to} in the script`);
    for (const step of this.script.steps.slice(first, last + 1)) await this.runStep(step, options);
  }

  private async nextFrame(deadline: number, what: () => string): Promise<PeerFrame> {
    while (this.cursor >= this.frames.length) {
      if (this.closed) throw new Error(`${what()} (the router closed the connection)`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what()} (timed out)`);
      await this.changed(left);
    }
    return this.frames[this.cursor++];
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting on what the router sent

  /** The index the next frame will get: wait for frames from here on. */
  mark(): number { return this.frames.length; }

  /** The first frame from `from` on that satisfies `match`; waits for it. */
  async waitFrame(match: (f: PeerFrame) => boolean, what: string, options: { from?: number; timeoutMs?: number } = {}): Promise<PeerFrame> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    let i = options.from ?? 0;
    while (true) {
      for (; i < this.frames.length; i++) if (match(this.frames[i])) return this.frames[i];
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) throw new Error(`timed out waiting for ${what}${this.closed ? ' (connection closed)' : ''}; since then: ${this.frames.slice(options.from ?? 0).map(describeFrame).slice(-40).join(' | ')}`);
      await this.changed(left);
    }
  }

  /** The first control message from `from` on that satisfies `match`. */
  async waitControl(match: (m: ControlMessage, env: ControlEnvelope) => boolean, what: string, options: { from?: number; timeoutMs?: number } = {}): Promise<PeerFrame> {
    return this.waitFrame((f) => f.control !== undefined && match(f.control.message, f.control), what, options);
  }

  /** Frames of the router that end something: detach, end, close (none are expected on a healthy connection). */
  endings(from = 0): PeerFrame[] {
    return this.frames.slice(from).filter((f) => f.perf === 'detach' || f.perf === 'end' || f.perf === 'close');
  }

  /** The router's credit for one of our senders. */
  creditOf(name: string): number { return this.link(name).credit; }

  /** Deliveries we have sent on a sender, or received on a receiver. */
  deliveryCountOf(name: string): number { return this.link(name).deliveryCount; }

  /** Our link of a kind: the control pair, or the data pair of a priority. */
  linkName(kind: 'control' | number, role: 'sender' | 'receiver'): string {
    const channel = kind === 'control' ? 0 : kind + 1;
    for (const l of this.links.values()) if (l.channel === channel && l.role === (role === 'receiver')) return l.name;
    throw new Error(`no ${role} of ours on channel ${channel}`);
  }

  private link(name: string): PeerLink {
    const l = this.links.get(name);
    if (!l) throw new Error(`no link ${name} of ours`);
    return l;
  }

  private changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  /** Whole frames (or protocol headers) as bytes; begins and attaches among them are tracked. */
  writeBytes(bytes: Buffer): void {
    for (const frame of splitFrames(bytes)) this.trackOwn(frame);
    this.socket.write(bytes);
  }

  private trackOwn(bytes: Buffer): void {
    if (bytes.length === 8 && bytes.toString('latin1', 0, 4) === 'AMQP') return;
    if (bytes.length <= 8) return;
    const f = readFrame(bytes);
    if (f.perf === 'begin') this.channels.set(f.channel, { nextOutgoingId: 0, nextIncomingId: 0 });
    if (f.perf === 'attach') {
      const a = f.fields!;
      const role = a.role as boolean;
      const terminus = (role ? a.source : a.target) as { capabilities?: string } | undefined;
      const capability = terminus?.capabilities === 'qd.router' ? 'qd.router' : 'qd.router-data';
      this.links.set(a.name as string, { name: a.name as string, role, capability, channel: f.channel, handle: a.handle as number, deliveryCount: 0, credit: 0, partial: [] });
    }
  }

  /** A transfer on our sender `handle` of channel `channel`: delivery-id per session, tag from one counter (as RB). */
  sendTransfer(channel: number, handle: number, payload: Buffer, settled: boolean): number {
    const link = [...this.links.values()].find((l) => l.channel === channel && l.handle === handle);
    if (!link || link.role) throw new Error(`no sender of ours with handle ${handle} on channel ${channel}`);
    const session = this.channels.get(channel)!;
    const deliveryId = session.nextOutgoingId++;
    const tag = Buffer.alloc(8);
    tag.writeBigUInt64LE(BigInt(this.tagCounter++));
    link.deliveryCount++;
    link.credit--;
    // qdrouterd omits `settled` on unsettled transfers.
    this.writer.frame(channel, Descriptor.transfer, { handle, deliveryId, deliveryTag: tag, messageFormat: 0, settled: settled ? true : undefined }, FrameType.amqp, payload);
    this.socket.write(this.writer.take()!);
    return deliveryId;
  }

  /** A control message as RB writes it (its ingress and trace; qdrouterd's address for it unless `to` is given). */
  sendControl(message: ControlMessage, options: { to?: string; trace?: string[]; ingress?: string } = {}): void {
    const target = message.opcode === 'HELLO' || message.opcode === 'RA' ? undefined : this.routerId;
    const env: ControlEnvelope = {
      to: options.to ?? controlAddressFor(message, target),
      ingress: options.ingress ?? `0/${this.id}`,
      trace: options.trace ?? [`0/${this.id}`],
      message,
    };
    this.sendControlPayload(encodeControlMessage(env));
  }

  /** Any payload on the control link, pre-settled (as every control message is). */
  sendControlPayload(payload: Buffer): void {
    const l = this.link(this.linkName('control', 'sender'));
    this.sendTransfer(l.channel, l.handle, payload, true);
  }

  /** A data message on our sender of `priority`; returns its delivery id on that session. */
  sendData(priority: number, payload: Buffer, settled: boolean): number {
    const l = this.link(this.linkName(priority, 'sender'));
    return this.sendTransfer(l.channel, l.handle, payload, settled);
  }

  /** Settles a delivery the router sent on one of our receivers (role receiver, as qdrouterd). */
  settle(f: PeerFrame, state: DeliveryState = Accepted): void {
    const l = this.link(f.link!);
    this.writer.frame(l.channel, Descriptor.disposition, { role: true, first: f.fields!.deliveryId, settled: true, state });
    this.socket.write(this.writer.take()!);
  }

  /** Advertises addresses as qdrouterd does: a differential MAU, then an RA with the new mobile_seq. */
  advertise(add: string[], options: { del?: string[]; hint?: number; mobileSeq?: number } = {}): void {
    this.mobileSeq = options.mobileSeq ?? this.mobileSeq + 1;
    for (const key of add) this.addresses.set(key, options.hint ?? 3);
    for (const key of options.del ?? []) this.addresses.delete(key);
    this.sendControl({ opcode: 'MAU', id: this.id, pv: 1, area: '0', mobile_seq: this.mobileSeq, hints: add.map(() => options.hint ?? 3), add, del: options.del ?? [] });
    this.sendRa();
  }

  sendRa(): void {
    this.sendControl({ opcode: 'RA', id: this.id, pv: 1, area: '0', instance: this.instance, ls_seq: this.lsSeq, mobile_seq: this.mobileSeq });
  }

  /** Our link state as an LSU to the router under test. */
  sendLsu(): void {
    this.sendControl({ opcode: 'LSU', id: this.id, pv: 1, area: '0', instance: this.instance, ls_seq: this.lsSeq, ls: { id: this.id, area: '0', ls_seq: this.lsSeq, peers: { [this.routerId]: 1 } } });
  }

  private sendFlow(l: PeerLink): void {
    const s = this.channels.get(l.channel)!;
    this.writer.frame(l.channel, Descriptor.flow, {
      nextIncomingId: s.nextIncomingId, incomingWindow: WINDOW, nextOutgoingId: s.nextOutgoingId, outgoingWindow: WINDOW,
      handle: l.handle, deliveryCount: l.deliveryCount, linkCredit: this.script.behaviour.linkCredit, drain: false,
    });
    this.socket.write(this.writer.take()!);
  }

  startHello(): void {
    if (this.helloTimer) return;
    const hello = Buffer.from(this.script.behaviour.hello, 'hex');
    this.helloTimer = setInterval(() => { if (!this.closed) this.sendControlPayload(hello); }, this.script.behaviour.helloIntervalMs);
  }

  stopHello(): void {
    clearInterval(this.helloTimer);
    this.helloTimer = undefined;
  }

  /** Closes the AMQP connection and waits for the router's close (or the socket's end). */
  async close(timeoutMs = 3000): Promise<void> {
    this.stopHello();
    if (this.closed) return;
    const from = this.mark();
    this.writer.frame(0, Descriptor.close, {});
    this.socket.write(this.writer.take()!);
    await this.waitFrame((f) => f.perf === 'close', 'the router\'s close', { from, timeoutMs }).catch(() => undefined);
    this.socket.destroy();
  }

  destroy(): void {
    this.stopHello();
    this.socket.destroy();
  }

  // ---------------------------------------------------------------------------------------------
  // Receiving

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const header = this.pending.toString('latin1', 0, 4) === 'AMQP';
      const size = header ? 8 : this.pending.readUInt32BE(0);
      if (size < 8) { this.problems.push(`frame size ${size} below 8`); this.socket.destroy(); return; }
      if (this.pending.length < size) break;
      const bytes = Buffer.from(this.pending.subarray(0, size));
      this.pending = this.pending.subarray(size);
      this.receive(bytes);
    }
    this.wake();
  }

  private receive(bytes: Buffer): void {
    const base = { index: this.frames.length, at: Date.now(), bytes };
    if (bytes.length === 8) {
      const perf = bytes.toString('latin1', 0, 4) === 'AMQP' ? 'protocol-header' : 'empty';
      this.frames.push({ ...base, perf, channel: 0 });
      return;
    }
    let f: ReceivedFrame;
    try {
      f = readFrame(bytes);
    } catch (err) {
      this.problems.push(`undecodable frame ${bytes.toString('hex')}: ${(err as Error).message}`);
      this.frames.push({ ...base, perf: 'undecodable', channel: bytes.readUInt16BE(6) });
      return;
    }
    this.sessions.track(f);
    const frame: PeerFrame = { ...base, ...f, session: this.sessions.sessionOf(f.channel) };
    if (f.fields?.handle !== undefined) frame.link = this.sessions.linkName(f.channel, f.fields.handle);
    this.frames.push(frame);
    switch (f.perf) {
      case 'attach': return this.onAttach(frame);
      case 'flow': return this.onFlow(frame);
      case 'transfer': return this.onTransfer(frame);
      case 'detach': case 'end': case 'close': {
        const error = (f.fields!.error as { condition?: string; description?: string } | undefined);
        this.problems.push(`the router sent ${f.perf}${frame.link ? ` for ${frame.link}` : ''}${error ? `: ${error.condition} ${error.description ?? ''}` : ''}`);
        return;
      }
    }
  }

  private onAttach(f: PeerFrame): void {
    const ours = this.links.get(f.fields!.name as string);
    if (!ours) {
      this.problems.push(`the router attached ${String(f.fields!.name)}, a link the peer did not ask for`);
      return;
    }
    if (f.session !== ours.channel) this.problems.push(`answer to ${ours.name} came on the session of channel ${f.session}, not ${ours.channel}`);
    this.problems.push(...attachAnswerProblems(f.fields!, ours));
  }

  private onFlow(f: PeerFrame): void {
    if (f.link === undefined) return; // session flow
    const l = this.links.get(f.link);
    if (!l) { this.problems.push(`flow for a link the peer does not have: ${f.link}`); return; }
    if (l.role) return; // echo on our receiver
    l.credit = (f.fields!.deliveryCount as number ?? 0) + (f.fields!.linkCredit as number ?? 0) - l.deliveryCount;
  }

  private onTransfer(f: PeerFrame): void {
    const l = f.link === undefined ? undefined : this.links.get(f.link);
    if (!l || !l.role) { this.problems.push(`transfer on ${f.link ?? 'an unknown link'}, not on a receiver of the peer`); return; }
    const fields = f.fields!;
    const session = this.channels.get(l.channel)!;
    if (typeof fields.deliveryId === 'number') session.nextIncomingId = fields.deliveryId + 1;
    l.partial.push(f.payload ?? Buffer.alloc(0));
    if (fields.more === true) return;
    const delivery = Buffer.concat(l.partial);
    l.partial = [];
    f.delivery = delivery;
    l.deliveryCount++;
    if (l.capability === 'qd.router') this.onControl(f, delivery);
    // behaviour.creditReturn: per-transfer
    this.sendFlow(l);
  }

  private onControl(f: PeerFrame, payload: Buffer): void {
    if (f.fields!.settled !== true) this.problems.push(`control transfer ${String(f.fields!.deliveryId)} is not pre-settled`);
    const check = controlMessageProblems(payload, { routerId: this.routerId, peerId: this.id });
    this.problems.push(...check.problems.map((p) => `${check.opcode ?? 'control message'} (frame ${f.index}): ${p}`));
    const decoded = decodeControlMessage(payload);
    if (!decoded.ok) return;
    f.control = decoded.envelope;
    if (this.autoAnswer) this.answer(decoded.envelope.message);
  }

  /** What a settled qdrouterd does with the router's requests. */
  private answer(m: ControlMessage): void {
    if (m.opcode === 'LSR' && m.id === this.routerId) this.sendLsu();
    if (m.opcode === 'MAR' && m.id === this.routerId && m.have_seq < this.mobileSeq) {
      const exist = [...this.addresses.keys()];
      this.sendControl({ opcode: 'MAU', id: this.id, pv: 1, area: '0', mobile_seq: this.mobileSeq, exist, hints: exist.map((k) => this.addresses.get(k)!) });
    }
  }
}

/** The frames (and protocol headers) in a run of whole frames. */
function splitFrames(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    const size = bytes.toString('latin1', pos, pos + 4) === 'AMQP' ? 8 : bytes.readUInt32BE(pos);
    out.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

/** A frame in one line, for failure messages. */
export function describeFrame(f: PeerFrame): string {
  const where = `${f.index}:${f.perf}${f.session !== undefined ? ` s${f.session}` : ''}${f.link ? ` ${f.link}` : ''}`;
  if (f.control) {
    const { opcode, ...body } = f.control.message as unknown as Record<string, unknown>;
    return `${where} ${String(opcode)} to=${f.control.to} ${JSON.stringify(body)}`;
  }
  if (f.perf === 'flow') return `${where} dc=${String(f.fields?.deliveryCount)} credit=${String(f.fields?.linkCredit)}`;
  if (f.perf === 'begin') return `${where} remote=${String(f.fields?.remoteChannel)}`;
  return where;
}
