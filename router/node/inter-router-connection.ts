// One inter-router connection (reference §2): the connector side attaches the 22 links
// (control pair, then a data pair per priority, each pair in its own session), the listener
// side answers them; control messages go to the mesh, data deliveries to the forwarding path.

import type { Connection, ConnectionEvents } from '../amqp/connection';
import type { Link, ReceiverLink, SenderLink } from '../amqp/link';
import { InDelivery, OutDelivery, payloadOf } from '../amqp/delivery';
import { ErrorCondition, symbolList } from '../amqp/performatives';
import { Typed } from '../amqp/codec/values';
import { randomId } from '../core/random-id';
import { classifyInterRouterAttach, interRouterAttach, interRouterAttachAnswer, DATA_PRIORITIES, DEFAULT_DATA_PRIORITY } from '../mesh/inter-router-links';
import { decodeControlMessage } from '../mesh/control-message';
import type { ControlMessageError } from '../mesh/control-message-error';
import { Consumer, Peer, Producer } from './links';
import { LinkStats } from './link-stats';
import type { RouterNode } from './router-node';
import type { MessageLogging } from '../observe/message-log';
import { connectionClosed, connectionOpened, setProtocolTrace } from './connection-log';

/** Idle streaming links kept per connection (qdrouterd keeps up to 128 and scrubs every 30 s;
 *  a few cover the messages a router streams at once, and fewer idle links cost less). */
const STREAMING_POOL_MAX = 8;

export class InterRouterConnection implements ConnectionEvents, Peer {
  connection!: Connection;
  /** messageLoggingComponents of its listener or connector, set when it opens (connection-log.ts). */
  messageLog: MessageLogging | undefined = undefined;
  readonly stripIn = false;
  readonly stripOut = false;
  readonly interRouter = true;
  lastDeliverySec = -1;
  readonly openedAt = Date.now();
  /** The connector that made it (undefined when accepted on a listener). */
  connectorName: string | undefined = undefined;
  /** Counters of the two control links (management's router.link). */
  readonly controlStats = { in: new LinkStats(), out: new LinkStats() };
  /** The neighbour's router id, once its HELLO is two-way. */
  routerId: string | undefined = undefined;
  controlSender: SenderLink | undefined = undefined;
  controlReceiver: ReceiverLink | undefined = undefined;
  /** Outgoing data links by priority, as destinations of the forwarding path. */
  private readonly dataOut: (Consumer | undefined)[] = new Array(DATA_PRIORITIES).fill(undefined);
  /** Our streaming links (reference §2.4): each carries one message that was forwarded before it
   *  was whole, so it cannot hold up the messages behind it on the shared priority link. */
  private readonly streaming = new Set<Consumer>();
  /** Streaming links with nothing left to write, reused before a new one is attached. */
  private readonly streamingIdle: Consumer[] = [];
  /** The peer offered `qd.streaming-links` in its open (read once, not per delivery). */
  private peerStreams = false;
  private incomingDataCount = 0;
  private outgoingDataCount = 0;
  private up = false;

  constructor(
    readonly node: RouterNode,
    readonly id: number,
    /** We opened it (connector): we attach the links. */
    readonly initiator: boolean,
    /** Our configured cost; the link cost is the larger of ours and the peer's. */
    readonly localCost: number,
    readonly linkCapacity: number,
    readonly peerAddress: string,
  ) {}

  /** Both control links are attached: endpoint attaches (link routes) are allowed from now on (reference §2.5). */
  get ready(): boolean { return this.up; }

  get cost(): number {
    const theirs = this.connection.remoteProperties?.get('qd.inter-router-cost');
    const n = theirs instanceof Typed && theirs.type === 'int' ? theirs.number : 1;
    return Math.max(this.localCost, n);
  }

  onOpen(c: Connection): void {
    connectionOpened(this); // the Opened line, link lines and message tracing (connection-log.ts)
    this.peerStreams = symbolList(c.remoteOpen?.offeredCapabilities).includes('qd.streaming-links');
    if (!this.initiator) return;
    // 11 sessions: control on channel 0, priority n on channel n+1; receiver before sender.
    for (let channel = 0; channel <= DATA_PRIORITIES; channel++) {
      const session = c.beginSession();
      const kind = channel === 0 ? 'control' : 'data';
      for (const receiver of [true, false]) {
        const a = interRouterAttach(`qdlink.${randomId(this.node.random)}`, 0, receiver, kind);
        const local = { source: a.source, target: a.target, sndSettleMode: a.sndSettleMode, rcvSettleMode: a.rcvSettleMode };
        const link = receiver ? c.attachReceiver(session, a.name, local) : c.attachSender(session, a.name, local);
        link.context = { kind, priority: channel === 0 ? -1 : channel - 1 };
      }
    }
  }

  onAttach(link: Link): void {
    if (link.localAttached) return this.linkReady(link); // the answer to one of ours
    const a = link.remoteAttach!;
    const kind = classifyInterRouterAttach(a);
    if (kind === 'none') {
      // Link-routed attaches are taken before this (link-route-events.ts) once we are ready.
      link.refuse({ condition: 'qd:connection-role', description: 'Link endpoint on an inter-router connection' });
      return;
    }
    const answer = interRouterAttachAnswer(a, 0);
    link.attach({ source: answer.source, target: answer.target, sndSettleMode: answer.sndSettleMode, rcvSettleMode: answer.rcvSettleMode });
    // Priority is implied by arrival order (reference §2.4); extra streaming links take 4.
    let priority = -1;
    if (kind === 'data') {
      // The connector's first ten data links per direction are the priority links; any other
      // (a streaming link, or one the listener side opens) takes the default priority.
      const n = this.initiator ? DATA_PRIORITIES : link.isSender ? this.outgoingDataCount++ : this.incomingDataCount++;
      priority = n < DATA_PRIORITIES ? n : DEFAULT_DATA_PRIORITY;
    }
    link.context = { kind, priority };
    this.linkReady(link);
  }

  private linkReady(link: Link): void {
    if (link.context instanceof Consumer) return; // one of our streaming links: ready since attached
    const info = link.context as { kind: 'control' | 'data'; priority: number };
    if (link.isSender) {
      const sender = link as SenderLink;
      if (info.kind === 'control') this.controlSender = sender;
      else {
        const dest = new Consumer(sender, this, undefined);
        dest.priority = info.priority;
        if (this.dataOut[info.priority] === undefined) this.dataOut[info.priority] = dest;
        sender.context = dest;
        // Deliveries that waited for a path to this neighbour may have one now.
        if (this.up) this.node.routesChanged();
      }
    } else {
      const receiver = link as ReceiverLink;
      receiver.setCredit(this.linkCapacity);
      if (info.kind === 'control') this.controlReceiver = receiver;
      else {
        const p = new Producer(receiver, this, undefined, this.linkCapacity);
        p.priority = info.priority;
        receiver.context = p;
      }
    }
    if (!this.up && this.controlSender && this.controlReceiver) {
      this.up = true;
      this.node.mesh!.connectionUp(this);
    }
  }

  /** The outgoing data link for a priority, or the nearest lower one that exists (reference §8.3). */
  dataDestination(priority = DEFAULT_DATA_PRIORITY): Consumer | undefined {
    for (let p = priority; p >= 0; p--) if (this.dataOut[p]) return this.dataOut[p];
    return this.dataOut.find((d) => d !== undefined);
  }

  /**
   * A link for a message forwarded before it is whole: an idle streaming link, or a new one
   * (its own session, as qdrouterd's; deliveries queue on it until the peer's credit comes).
   * Undefined when the peer did not offer `qd.streaming-links`.
   */
  streamingDestination(): Consumer | undefined {
    if (!this.up || !this.peerStreams) return undefined;
    const idle = this.streamingIdle.pop();
    if (idle) return idle;
    const a = interRouterAttach(`qdlink.${randomId(this.node.random)}`, 0, false, 'data');
    const link = this.connection.attachSender(this.connection.beginSession(), a.name, { source: a.source, target: a.target, sndSettleMode: a.sndSettleMode, rcvSettleMode: a.rcvSettleMode });
    const dest = new Consumer(link, this, undefined);
    link.context = dest;
    this.streaming.add(dest);
    this.node.log.core.debug(`[C${this.id}] streaming link ${link.name} attached toward ${this.routerId ?? this.peerAddress}`);
    return dest;
  }

  /** A streaming link has written its message: back to the pool, or detached past the pool's size. */
  private streamingDone(dest: Consumer): void {
    if (dest.link.queue.length > 0 || this.streamingIdle.includes(dest)) return;
    if (this.streamingIdle.length < STREAMING_POOL_MAX) { this.streamingIdle.push(dest); return; }
    // Its unsettled deliveries lose their outcomes with it: keep it until they are settled.
    if (dest.unsettled.size > 0) return;
    this.streaming.delete(dest);
    dest.link.detach();
    dest.link.session.end();
  }

  /** Sends a control message (pre-settled, as qdrouterd does). */
  sendControl(payload: Buffer): void {
    const link = this.controlSender;
    if (!link || link.localDetached) return;
    this.controlStats.out.deliveryCount++;
    this.controlStats.out.presettledCount++;
    link.send(new OutDelivery(link, payloadOf(payload), this.node.nextTag(), true));
  }

  onTransfer(d: InDelivery): void {
    if (d.link === this.controlReceiver) {
      if (!d.complete) return;
      this.controlStats.in.deliveryCount++;
      if (d.remoteSettled) this.controlStats.in.presettledCount++;
      const payload = d.bytes();
      d.doneRouting(); // consumed here: its bytes are released
      if (!d.aborted) {
        const result = decodeControlMessage(payload);
        if (result.ok) this.node.mesh!.controlReceived(result.envelope, this);
        else this.reportBadControl(result.error);
      }
      if (!d.remoteSettled) d.settle(undefined);
      d.link.addCredit(1);
      return;
    }
    const p = d.link.context;
    if (p instanceof Producer) this.node.deliveries.onTransfer(d, p);
    else d.doneRouting();
  }

  /** A bad control message is ignored, each distinct problem said once per sender (a newer
   * neighbour's HELLO every second would otherwise be a warning every second). */
  private reportBadControl(error: ControlMessageError): void {
    const key = `${error.details.routerId ?? ''}\u0000${error.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.node.log.routerLs.warning(`[C${this.id}] ${error.message} (ignored)`);
  }

  private readonly reported = new Set<string>();

  onCredit(link: SenderLink): void {
    const c = link.context;
    if (c instanceof Consumer) this.node.deliveries.onCredit(c);
  }

  onSent(out: OutDelivery): void {
    this.node.deliveries.onSent(out);
    const c = out.context;
    if (c instanceof Consumer && this.streaming.has(c)) this.streamingDone(c);
  }

  onDisposition(out: OutDelivery): void { this.node.deliveries.onDisposition(out); }

  onDetach(link: Link): void {
    const ctx = link.context;
    if (ctx instanceof Consumer) {
      const i = this.dataOut.indexOf(ctx);
      if (i >= 0) this.dataOut[i] = undefined;
      this.streaming.delete(ctx);
      const idle = this.streamingIdle.indexOf(ctx);
      if (idle >= 0) this.streamingIdle.splice(idle, 1);
      this.node.deliveries.consumerGone(ctx);
    } else if (ctx instanceof Producer) this.node.deliveries.producerGone(ctx);
    if (link === this.controlSender || link === this.controlReceiver) this.lost();
  }

  onClose(_c: Connection, _error: ErrorCondition | undefined): void {
    connectionClosed(this); // the Closed line, with who closed it and why (connection-log.ts)
    this.lost();
    this.node.interRouterClosed(this);
  }

  /** Frame tracing for this connection only (management's enableProtocolTrace). */
  setProtocolTrace(on: boolean): void { setProtocolTrace(this, on); }

  /** Losing the control link tells the routing engine at once (reference §2.5). */
  private lost(): void {
    if (!this.up) return;
    this.up = false;
    this.node.mesh!.connectionLost(this);
  }
}
