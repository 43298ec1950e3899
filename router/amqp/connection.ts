// An AMQP connection over any Duplex: protocol headers, SASL, open/close, sessions, idle
// timeout and heartbeats, batched writes and backpressure in both directions. It owns no
// routing: every decision is asked of `events` (the router, a client, or a test).

import type { Duplex } from 'node:stream';
import { Decoder } from './codec/decoder';
import { DecodeError } from './codec/decode-error';
import {
  Attach, Begin, Close, Descriptor, Detach, Disposition, End, ErrorCondition, Flow, Open, PerformativeNames,
  SaslInit, SaslMechanisms, SaslOutcome, Transfer, decodeFields, readDescriptor, symbolList,
} from './performatives';
import { AMQP_HEADER, FrameParser, FrameType, SASL_HEADER } from './frame-parser';
import { FrameWriter } from './frame-writer';
import { Session } from './session';
import { Link, ReceiverLink, SenderLink } from './link';
import { InDelivery, OutDelivery } from './delivery';
import { SaslClientOptions, SaslCode, SaslServerOptions, saslClientChoose, saslServerCheck } from './sasl';
import { pumpSender } from './sender-pump';
import { ProtocolError } from '../common/errors';
import { AmqpMap } from './codec/values';

export interface ConnectionOptions {
  /** We accepted the socket (listener) rather than opened it (connector). */
  server: boolean;
  containerId: string;
  hostname?: string;
  /** Largest frame we accept; also caps the frames we send. */
  maxFrameSize?: number;
  channelMax?: number;
  handleMax?: number;
  /** Close when nothing arrives for this long; we ask the peer for heartbeats at half of it. */
  idleTimeoutMs?: number;
  /** Server: SASL mechanisms offered (absent: SASL refused). */
  sasl?: SaslServerOptions;
  /** Server: a bare AMQP header (no SASL) is refused. */
  requireSasl?: boolean;
  /** Client: run SASL first (qdrouterd connectors always do). */
  saslClient?: SaslClientOptions;
  properties?: AmqpMap;
  offeredCapabilities?: string | string[];
  desiredCapabilities?: string | string[];
  /** Session incoming window in frames (maxSessionFrames); unlimited when absent. */
  sessionWindow?: number;
  /** Stop reading the socket while this many received bytes wait to be forwarded. */
  readHighWaterBytes?: number;
  /** Stop writing transfers while this many bytes wait in the socket. */
  writeHighWaterBytes?: number;
  trace?: (direction: '->' | '<-', channel: number, name: string, fields: object, payloadBytes: number) => void;
}

export interface ConnectionEvents {
  onOpen?(c: Connection): void;
  /** The connection is gone (closed by either side, or the socket dropped). Called once. */
  onClose?(c: Connection, error: ErrorCondition | undefined): void;
  /** The peer attached a link, or answered ours (`link.localAttached` tells which). */
  onAttach?(link: Link): void;
  /** A link ended for any reason: remote or local detach, session end, connection loss. Called once per link. */
  onDetach?(link: Link, error: ErrorCondition | undefined, byPeer: boolean): void;
  onCredit?(link: SenderLink): void;
  onReceiverFlow?(link: ReceiverLink, flow: Flow): void;
  /** A delivery's first frame, or more frames before the router has routed it. */
  onTransfer(d: InDelivery): void;
  /** An outgoing delivery's state or settlement changed at the peer. */
  onDisposition?(d: OutDelivery): void;
  /** The peer (as sender) updated or settled one of our incoming deliveries. */
  onSenderSettled?(d: InDelivery, state: unknown, settled: boolean): void;
  /** An outgoing delivery has been written whole (or dropped because its source aborted). */
  onSent?(d: OutDelivery): void;
  onSaslOutcome?(c: Connection, ok: boolean, user: string | undefined, reason?: string): void;
}

/**
 * Told of every link's attach and end, whoever handles the link's events (logging). Not a
 * routing hook: it sees links after the router has answered them.
 */
export interface LinkObserver {
  /**
   * Both attaches are exchanged (`initiator` sent the first), or the peer's attach is being
   * refused (`link.refusal` set, or detached before the answer).
   */
  attached(link: Link, initiator: 'local' | 'remote'): void;
  /** Once per link, just before ConnectionEvents.onDetach. */
  ended(link: Link, error: ErrorCondition | undefined, byPeer: boolean): void;
}

/** Who ended a connection first: we did (close, abort), the peer sent close, or the socket went. */
export type EndedBy = 'local' | 'remote' | 'transport';

type Phase = 'header' | 'sasl' | 'sasl-client' | 'amqp' | 'closed';

/** Frames processed in one read before pending flows and dispositions are written early. */
const EARLY_FLUSH_FRAMES = 64;

let flushScheduled = false;
const dirty: Connection[] = [];

function scheduleFlush(c: Connection): void {
  dirty.push(c);
  if (!flushScheduled) { flushScheduled = true; setImmediate(flushAll); }
}

function flushAll(): void {
  flushScheduled = false;
  // Flushing may dirty connections again (a drain that frees bytes); those go in the next turn.
  const list = dirty.splice(0);
  for (const c of list) { c.dirty = false; c.flush(); }
}

export class Connection {
  readonly writer = new FrameWriter();
  private readonly decoder = new Decoder(Buffer.alloc(0));
  private readonly parser: FrameParser;
  private phase: Phase = 'header';
  private saslDone = false;
  remoteOpen: Open | undefined = undefined;
  localOpened = false;
  localClosed = false;
  remoteClosed = false;
  private closedNotified = false;
  readonly sessions = new Map<number, Session>();
  private readonly remoteSessions = new Map<number, Session>();
  /** Max frame size for what we send: the peer's limit, capped by ours. */
  outgoingFrameSize = 512;
  user: string | undefined = undefined;
  /** The SASL mechanism the peer used (or we used, as a client); undefined without SASL. */
  saslMechanism: string | undefined = undefined;
  dirty = false;
  private wakeLinks = new Set<SenderLink>();
  private readonly beforeOpen: Array<() => void> = [];
  private wakeSessions = new Set<Session>();
  private blockedLinks = new Set<SenderLink>();
  heldBytes = 0;
  private readPaused = false;
  private lastReadAt = Date.now();
  private lastWriteAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private remoteIdleTimeoutMs = 0;
  /** Frame tracing: set at construction, or switched at run time with setTrace(). */
  traceOn: boolean;
  /** The router's state for this connection. */
  context: unknown = undefined;
  linkObserver: LinkObserver | undefined = undefined;
  /** Who ended the connection first and with what error; the socket's error if it had one. */
  endedBy: EndedBy | undefined = undefined;
  endError: ErrorCondition | undefined = undefined;
  socketError: string | undefined = undefined;
  readonly readHighWater: number;
  readonly writeHighWater: number;

  constructor(readonly transport: Duplex, readonly options: ConnectionOptions, readonly events: ConnectionEvents) {
    this.parser = new FrameParser(options.maxFrameSize ?? 16384);
    this.traceOn = options.trace !== undefined;
    this.readHighWater = options.readHighWaterBytes ?? 4 * 1024 * 1024;
    this.writeHighWater = options.writeHighWaterBytes ?? 1024 * 1024;
    transport.on('data', (chunk: Buffer) => this.onData(chunk));
    transport.on('drain', () => this.onDrain());
    transport.on('error', (err: Error) => { this.socketError = err.message; }); // 'close' follows
    transport.on('close', () => this.onTransportClosed());
    (transport as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
    if (!options.server) this.startClient();
    this.startTimer();
  }

  /** Ticks often enough for our idle timeout and for the heartbeats the peer asked for. */
  private startTimer(): void {
    clearInterval(this.timer);
    const periods = [1000];
    const idle = this.options.idleTimeoutMs ?? 0;
    if (idle > 0) periods.push(idle / 4);
    if (this.remoteIdleTimeoutMs > 0) periods.push(this.remoteIdleTimeoutMs / 4);
    this.timer = setInterval(() => this.tick(), Math.max(25, Math.min(...periods)));
    this.timer.unref();
  }

  // ---- public API ----

  get maxFrameSize(): number { return this.options.maxFrameSize ?? 16384; }

  /** Sends our open (a server answers the peer's open automatically). */
  open(): void {
    if (this.localOpened) return;
    this.localOpened = true;
    const idle = this.options.idleTimeoutMs ?? 0;
    const open: Open = {
      containerId: this.options.containerId,
      hostname: this.options.server ? undefined : this.options.hostname,
      maxFrameSize: this.maxFrameSize,
      channelMax: this.options.channelMax ?? 32767,
      idleTimeOut: idle > 0 ? Math.floor(idle / 2) : undefined,
      offeredCapabilities: this.options.offeredCapabilities,
      desiredCapabilities: this.options.desiredCapabilities,
      properties: this.options.properties,
    };
    this.sendFrame(0, Descriptor.open, open);
    for (const send of this.beforeOpen.splice(0)) send();
  }

  close(error?: ErrorCondition): void {
    if (this.localClosed || this.phase === 'closed') return;
    this.noteEnd('local', error);
    if (!this.localOpened && this.phase === 'amqp') this.open();
    if (this.phase === 'amqp') {
      this.emitPendingState(); // settlements decided before the close still go out
      this.localClosed = true;
      this.sendFrame(0, Descriptor.close, { error });
    }
    this.localClosed = true;
    this.flush();
    if (this.remoteClosed || this.phase !== 'amqp') this.shutdown(error);
    else {
      // Give the peer a moment to answer; then drop the socket anyway.
      setTimeout(() => this.shutdown(error), 2000).unref();
    }
  }

  /** Drops the socket without an AMQP close (used when the peer broke the protocol badly). */
  abort(error?: ErrorCondition): void { this.shutdown(error); }

  beginSession(): Session {
    let ch = 0;
    while (this.sessions.has(ch)) ch++;
    const s = new Session(this, ch, this.options.sessionWindow);
    this.sessions.set(ch, s);
    s.begin();
    return s;
  }

  attachSender(session: Session, name: string, local: Parameters<Link['attach']>[0]): SenderLink {
    const l = new SenderLink(session, name);
    session.addLink(l);
    l.attach(local);
    return l;
  }

  attachReceiver(session: Session, name: string, local: Parameters<Link['attach']>[0]): ReceiverLink {
    const l = new ReceiverLink(session, name);
    session.addLink(l);
    l.attach(local);
    return l;
  }

  /** Turns frame tracing on (a function) or off (undefined): management's enableProtocolTrace. */
  setTrace(trace: ConnectionOptions['trace']): void {
    (this.options as { trace?: ConnectionOptions['trace'] }).trace = trace;
    this.traceOn = trace !== undefined;
  }

  get remoteContainerId(): string | undefined { return this.remoteOpen?.containerId; }
  get remoteProperties(): AmqpMap | undefined { return this.remoteOpen?.properties; }
  get closed(): boolean { return this.phase === 'closed'; }

  // ---- output ----

  sendFrame(channel: number, code: number, value: object, type: number = FrameType.amqp): void {
    if (this.phase === 'closed') return;
    if (this.localClosed && code !== Descriptor.close) return; // nothing follows our close
    if (!this.localOpened && type === FrameType.amqp && code !== Descriptor.open) {
      // A client may begin sessions before SASL is done: those frames follow our open.
      this.beforeOpen.push(() => this.sendFrame(channel, code, value, type));
      return;
    }
    if (code !== Descriptor.flow && code !== Descriptor.disposition) this.emitPendingState();
    this.writer.frame(channel, code, value, type);
    if (this.traceOn) this.options.trace!('->', channel, PerformativeNames[code], value, 0);
    this.markDirty();
  }

  traceTransfer(link: SenderLink, d: OutDelivery, more: boolean, aborted: boolean, n: number): void {
    const t: Transfer = { handle: link.handle, deliveryId: d.id, deliveryTag: d.tagBytes, messageFormat: d.messageFormat, settled: d.settled, more, aborted: aborted || undefined };
    this.options.trace!('->', link.session.channel, 'transfer', t, n);
  }

  markDirty(): void {
    if (!this.dirty) { this.dirty = true; scheduleFlush(this); }
  }

  wake(link: SenderLink): void {
    if (link.queue.length === 0 && !link.drain) return;
    this.wakeLinks.add(link);
    this.markDirty();
  }

  wakeSession(s: Session): void {
    this.wakeSessions.add(s);
    this.markDirty();
  }

  /** A link could not finish writing (window or socket full): retried on drain or flow. */
  blocked(link: SenderLink): void { this.blockedLinks.add(link); }

  canWrite(): boolean {
    return this.writer.length + this.transport.writableLength < this.writeHighWater;
  }

  /** Writes everything gathered this turn with one socket write. */
  flush(): void {
    if (this.phase === 'closed') return;
    if (this.localClosed) { this.wakeLinks.clear(); this.wakeSessions.clear(); }
    if (this.wakeLinks.size > 0) {
      const links = this.wakeLinks;
      this.wakeLinks = new Set();
      for (const l of links) pumpSender(this, l);
    }
    this.emitPendingState();
    const out = this.writer.take();
    if (out) {
      this.lastWriteAt = Date.now();
      const room = this.transport.write(out);
      // Links that stopped because our own batch was full go on next turn; 'drain' only
      // comes when the socket itself pushed back.
      if (room && this.blockedLinks.size > 0) this.onDrain();
    }
  }

  /** Writes pending flows and dispositions now, without pumping senders. */
  private writeState(): void {
    this.emitPendingState();
    const out = this.writer.take();
    if (out) { this.lastWriteAt = Date.now(); this.transport.write(out); }
  }

  private emitPendingState(): void {
    if (this.wakeSessions.size === 0) return;
    const sessions = this.wakeSessions;
    this.wakeSessions = new Set();
    for (const s of sessions) s.emitPending();
  }

  private onDrain(): void {
    if (this.blockedLinks.size === 0) return;
    for (const l of this.blockedLinks) this.wakeLinks.add(l);
    this.blockedLinks.clear();
    this.markDirty();
  }

  // ---- memory bound: bytes received and not yet forwarded ----

  hold(n: number): void {
    this.heldBytes += n;
    if (!this.readPaused && this.heldBytes > this.readHighWater) { this.readPaused = true; this.transport.pause(); }
  }

  unhold(n: number): void {
    this.heldBytes -= n;
    if (this.readPaused && this.heldBytes <= this.readHighWater / 2) { this.readPaused = false; this.transport.resume(); }
  }

  get readingPaused(): boolean { return this.readPaused; }

  // ---- input ----

  private startClient(): void {
    this.transport.write(this.options.saslClient ? SASL_HEADER : AMQP_HEADER);
    this.phase = 'header';
    if (!this.options.saslClient) { this.saslDone = true; this.open(); }
  }

  private onData(chunk: Buffer): void {
    this.lastReadAt = Date.now();
    if (this.phase === 'closed') return;
    this.parser.push(chunk);
    try {
      this.process();
    } catch (err) {
      this.onProtocolError(err);
    }
  }

  private process(): void {
    let frames = 0;
    while (this.phase !== 'closed') {
      // In a large read, let the flows and dispositions decided so far go out before the rest
      // is processed: a sender whose credit came back keeps sending meanwhile.
      if (++frames % EARLY_FLUSH_FRAMES === 0 && this.wakeSessions.size > 0) this.writeState();
      if (this.phase === 'header') {
        const h = this.parser.take(8);
        if (!h) return;
        this.onHeader(h);
        continue;
      }
      const f = this.parser.next();
      if (!f) return;
      if (this.phase === 'sasl' || this.phase === 'sasl-client') {
        if (f.type !== FrameType.sasl) throw new ProtocolError('amqp:connection:framing-error', 'expected a SASL frame');
        this.onSaslFrame(f.body);
        continue;
      }
      if (f.type !== FrameType.amqp) throw new ProtocolError('amqp:connection:framing-error', `unexpected frame type ${f.type}`);
      if (f.bodyLength === 0) continue; // heartbeat
      this.onFrame(f.channel, f.buf, f.start, f.end);
    }
  }

  private onHeader(h: Buffer): void {
    const isSasl = h.equals(SASL_HEADER);
    const isAmqp = h.equals(AMQP_HEADER);
    if (this.options.server) {
      if (isSasl && this.options.sasl && !this.saslDone) {
        this.transport.write(SASL_HEADER);
        this.writer.frame(0, Descriptor.saslMechanisms, { saslServerMechanisms: this.options.sasl.mechanisms }, FrameType.sasl);
        this.markDirty();
        this.phase = 'sasl';
        return;
      }
      if (isAmqp && (this.saslDone || !this.options.requireSasl)) {
        this.transport.write(AMQP_HEADER);
        this.phase = 'amqp';
        return;
      }
      // Unsupported header: answer with the one we want next, then close (part 2 §2.2).
      this.transport.write(this.options.sasl && !this.saslDone ? SASL_HEADER : AMQP_HEADER);
      return this.shutdown({ condition: 'amqp:connection:framing-error', description: `unsupported protocol header ${h.toString('hex')}` });
    }
    // Client: the server's answer to our header.
    if (isSasl && this.options.saslClient && !this.saslDone) { this.phase = 'sasl-client'; return; }
    if (isAmqp && this.saslDone) { this.phase = 'amqp'; return; }
    return this.shutdown({ condition: 'amqp:connection:framing-error', description: `server answered with protocol header ${h.toString('hex')}` });
  }

  private onSaslFrame(body: Buffer): void {
    const d = new Decoder(body);
    const code = readDescriptor(d);
    const fields = decodeFields(d, code);
    if (this.traceOn) this.options.trace!('<-', 0, PerformativeNames[code] ?? String(code), fields, 0);
    if (this.phase === 'sasl') {
      if (code !== Descriptor.saslInit) throw new ProtocolError('amqp:connection:framing-error', `expected sasl-init, got ${PerformativeNames[code]}`);
      const init = fields as unknown as SaslInit;
      const result = saslServerCheck(this.options.sasl!, init.mechanism, init.initialResponse);
      this.writer.frame(0, Descriptor.saslOutcome, { code: result.code }, FrameType.sasl);
      this.events.onSaslOutcome?.(this, result.code === SaslCode.ok, result.user, result.reason);
      if (result.code !== SaslCode.ok) {
        this.flush();
        return this.shutdown({ condition: 'amqp:unauthorized-access', description: result.reason });
      }
      this.user = result.user;
      this.saslMechanism = init.mechanism;
      this.saslDone = true;
      this.phase = 'header';
      this.markDirty();
      return;
    }
    // Client side.
    if (code === Descriptor.saslMechanisms) {
      const offered = symbolList((fields as unknown as SaslMechanisms).saslServerMechanisms);
      const choice = saslClientChoose(this.options.saslClient!, offered);
      if (!choice) return this.shutdown({ condition: 'amqp:unauthorized-access', description: `no usable SASL mechanism in ${offered.join(' ')}` });
      this.saslMechanism = choice.mechanism;
      this.writer.frame(0, Descriptor.saslInit, { mechanism: choice.mechanism, initialResponse: choice.initialResponse, hostname: this.options.hostname }, FrameType.sasl);
      this.markDirty();
      return;
    }
    if (code === Descriptor.saslOutcome) {
      const outcome = fields as unknown as SaslOutcome;
      this.events.onSaslOutcome?.(this, outcome.code === SaslCode.ok, undefined);
      if (outcome.code !== SaslCode.ok) return this.shutdown({ condition: 'amqp:unauthorized-access', description: `SASL outcome ${outcome.code}` });
      this.saslDone = true;
      this.phase = 'header';
      this.transport.write(AMQP_HEADER);
      this.open();
      return;
    }
    if (code === Descriptor.saslChallenge) throw new ProtocolError('amqp:connection:framing-error', 'SASL challenges are not supported');
  }

  private onFrame(channel: number, buf: Buffer, start: number, end: number): void {
    const d = this.decoder.reset(buf, start, end);
    const code = readDescriptor(d);
    const f = decodeFields(d, code);
    if (this.traceOn) this.options.trace!('<-', channel, PerformativeNames[code] ?? String(code), f, end - d.pos);
    if (code === Descriptor.transfer) {
      const s = this.remoteSessions.get(channel);
      if (!s) throw new ProtocolError('amqp:connection:framing-error', `transfer on channel ${channel}, which has no session`);
      return this.onSessionFrame(s, code, f, buf.subarray(d.pos, end));
    }
    if (d.remaining !== 0) throw new DecodeError(`${PerformativeNames[code]}: ${d.remaining} unexpected bytes after the performative`);
    switch (code) {
      case Descriptor.open: return this.onOpen(f as unknown as Open);
      case Descriptor.begin: return this.onBegin(channel, f as unknown as Begin);
      case Descriptor.close: return this.onClose(f as unknown as Close);
      case Descriptor.flow: case Descriptor.disposition: case Descriptor.attach: case Descriptor.detach: case Descriptor.end: {
        const s = this.remoteSessions.get(channel);
        if (!s) throw new ProtocolError('amqp:connection:framing-error', `${PerformativeNames[code]} on channel ${channel}, which has no session`);
        return this.onSessionFrame(s, code, f, undefined);
      }
      default: throw new ProtocolError('amqp:connection:framing-error', `unexpected performative 0x${code.toString(16)}`);
    }
  }

  /** Session-level errors end that session only. */
  private onSessionFrame(s: Session, code: number, f: Record<string, unknown>, payload: Buffer | undefined): void {
    if (s.localEnded && code !== Descriptor.end) return; // frames in flight after our end
    try {
      switch (code) {
        case Descriptor.transfer: return s.onTransfer(f as unknown as Transfer, payload!);
        case Descriptor.flow: return s.onFlow(f as unknown as Flow);
        case Descriptor.disposition: return s.onDisposition(f as unknown as Disposition);
        case Descriptor.attach: return this.onAttach(s, f as unknown as Attach);
        case Descriptor.detach: return this.onDetach(s, f as unknown as Detach);
        case Descriptor.end: return this.onEnd(s, f as unknown as End);
      }
    } catch (err) {
      if (err instanceof ProtocolError && err.condition?.startsWith('amqp:session:')) {
        this.endSessionWithError(s, { condition: err.condition, description: err.message });
        return;
      }
      throw err;
    }
  }

  private endSessionWithError(s: Session, error: ErrorCondition): void {
    for (const link of [...s.remoteLinks.values(), ...s.links.values()]) this.linkGone(link, error, false);
    s.end(error);
  }

  private onOpen(open: Open): void {
    if (this.remoteOpen) throw new ProtocolError('amqp:connection:framing-error', 'second open');
    this.remoteOpen = open;
    const theirs = open.maxFrameSize ?? 0xffffffff;
    this.outgoingFrameSize = Math.max(512, Math.min(theirs, this.maxFrameSize));
    this.remoteIdleTimeoutMs = open.idleTimeOut ?? 0;
    if (this.remoteIdleTimeoutMs > 0) this.startTimer();
    if (this.options.server) this.open();
    this.events.onOpen?.(this);
  }

  private onBegin(channel: number, b: Begin): void {
    if (channel > (this.options.channelMax ?? 32767)) throw new ProtocolError('amqp:connection:framing-error', `channel ${channel} is above channel-max ${this.options.channelMax ?? 32767}`);
    if (this.remoteSessions.has(channel)) throw new ProtocolError('amqp:connection:framing-error', `begin on channel ${channel}, which is in use`);
    let s: Session | undefined;
    if (b.remoteChannel !== undefined) {
      s = this.sessions.get(b.remoteChannel);
      if (!s) throw new ProtocolError('amqp:connection:framing-error', `begin answers channel ${b.remoteChannel}, which we did not begin`);
    } else {
      let ch = 0;
      while (this.sessions.has(ch)) ch++;
      s = new Session(this, ch, this.options.sessionWindow);
      this.sessions.set(ch, s);
    }
    s.remoteChannel = channel;
    this.remoteSessions.set(channel, s);
    s.onBegin(b.nextOutgoingId, b.incomingWindow, b.outgoingWindow);
    s.begin();
  }

  private onAttach(s: Session, a: Attach): void {
    if (s.remoteLinks.has(a.handle)) throw new ProtocolError('amqp:session:handle-in-use', `handle ${a.handle} is in use`);
    // The peer's role is the opposite of ours: a receiver (role true) answers our sender.
    let link = s.findLink(a.name, a.role);
    const ours = link !== undefined && link.localAttached && !link.remoteAttach;
    if (!ours) {
      link = a.role ? new SenderLink(s, a.name) : new ReceiverLink(s, a.name);
      s.addLink(link);
    }
    link = link!;
    link.remoteAttach = a;
    link.remoteHandle = a.handle;
    s.remoteLinks.set(a.handle, link);
    if (!link.isSender) link.deliveryCount = a.initialDeliveryCount ?? 0;
    if (ours) this.linkObserver?.attached(link, 'local');
    this.events.onAttach?.(link);
  }

  private onDetach(s: Session, dt: Detach): void {
    const link = s.remoteLinks.get(dt.handle);
    if (!link) throw new ProtocolError('amqp:session:unattached-handle', `detach of unattached handle ${dt.handle}`);
    link.remoteDetached = true;
    link.remoteDetach = dt;
    s.forgetLink(link);
    this.linkGone(link, dt.error, true);
    // A proxied link (link routes) answers once the far side has answered.
    if (!link.localDetached && !link.deferDetachReply) link.detach(undefined, dt.closed ?? false);
  }

  /** Reports a link's end to the router once. */
  private linkGone(link: Link, error: ErrorCondition | undefined, byPeer: boolean): void {
    if ((link as { goneNotified?: boolean }).goneNotified) return;
    (link as { goneNotified?: boolean }).goneNotified = true;
    this.linkObserver?.ended(link, error, byPeer);
    this.events.onDetach?.(link, error, byPeer);
    if (link instanceof ReceiverLink && link.current) {
      // A delivery cut off by the link's end is aborted; its copies are aborted too.
      const d = link.current;
      link.current = undefined;
      d.aborted = true;
      d.complete = true;
      if (d.routed) for (const r of d.readers) r.link.connection.wake(r.link);
      else this.events.onTransfer(d);
    }
  }

  /** Detaches a link that broke the protocol; the rest of the session goes on. */
  linkError(link: Link, condition: string, description: string): void {
    const error = { condition, description };
    this.linkGone(link, error, false);
    link.detach(error);
  }

  private onEnd(s: Session, e: End): void {
    s.remoteEnded = true;
    for (const link of new Set([...s.remoteLinks.values(), ...s.links.values()])) this.linkGone(link, e.error, true);
    this.remoteSessions.delete(s.remoteChannel);
    if (s.localEnded) this.sessions.delete(s.channel); // the answer to our end: channel free again
    else s.end();
  }

  sessionEnded(s: Session): void {
    if (s.remoteEnded) this.sessions.delete(s.channel);
  }

  private onClose(c: Close): void {
    this.remoteClosed = true;
    if (!this.localClosed) {
      this.emitPendingState();
      this.localClosed = true;
      this.sendFrame(0, Descriptor.close, {});
      this.flush();
    }
    this.shutdown(c.error, true);
  }

  private onProtocolError(err: unknown): void {
    const condition = err instanceof ProtocolError && err.condition ? err.condition : 'amqp:internal-error';
    const description = err instanceof Error ? err.message : String(err);
    if (this.phase === 'amqp') {
      this.close({ condition, description });
      this.shutdown({ condition, description });
    } else this.shutdown({ condition, description });
  }

  private tick(): void {
    if (this.phase === 'closed') return;
    const now = Date.now();
    const idle = this.options.idleTimeoutMs ?? 0;
    if (idle > 0 && now - this.lastReadAt > idle && this.phase === 'amqp') {
      this.close({ condition: 'amqp:resource-limit-exceeded', description: 'local-idle-timeout expired' });
      this.shutdown({ condition: 'amqp:resource-limit-exceeded', description: 'local-idle-timeout expired' });
      return;
    }
    if (this.remoteIdleTimeoutMs > 0 && this.phase === 'amqp' && now - this.lastWriteAt >= this.remoteIdleTimeoutMs / 2) {
      this.writer.heartbeat();
      this.markDirty();
    }
  }

  private shutdown(error: ErrorCondition | undefined, byPeer = false): void {
    this.noteEnd(byPeer ? 'remote' : 'local', error);
    if (this.phase !== 'closed') {
      this.flush();
      this.phase = 'closed';
      clearInterval(this.timer);
      this.transport.end();
      setTimeout(() => this.transport.destroy(), 1000).unref();
    }
    this.notifyClosed(error, byPeer);
  }

  private onTransportClosed(): void {
    this.noteEnd('transport', { condition: 'amqp:connection:forced', description: 'connection lost' });
    if (this.phase !== 'closed') {
      this.phase = 'closed';
      clearInterval(this.timer);
    }
    this.notifyClosed(this.remoteClosed || this.localClosed ? undefined : { condition: 'amqp:connection:forced', description: 'connection lost' }, true);
  }

  /** The first way the connection ended is the one that counts (the close log line says it). */
  private noteEnd(by: EndedBy, error: ErrorCondition | undefined): void {
    if (this.endedBy !== undefined) return;
    this.endedBy = by;
    this.endError = error;
  }

  private notifyClosed(error: ErrorCondition | undefined, byPeer: boolean): void {
    if (this.closedNotified) return;
    this.closedNotified = true;
    for (const s of this.sessions.values()) {
      for (const link of new Set([...s.remoteLinks.values(), ...s.links.values()])) this.linkGone(link, error, byPeer);
    }
    this.events.onClose?.(this, error);
  }
}
