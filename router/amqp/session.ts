// A session: channel, transfer windows (part 2 §2.5.6), handles, delivery-ids and the maps of
// unsettled deliveries in each direction. Flows and dispositions are gathered during a turn
// and written once, dispositions coalesced into ranges.

import { Descriptor, DeliveryState, Disposition, ErrorCondition, Flow, Transfer } from './performatives';
import { InDelivery, OutDelivery } from './delivery';
import { Link, ReceiverLink, SenderLink } from './link';
import { serialAdd, serialDiff } from './serial';
import { ProtocolError } from '../common/errors';
import type { Connection } from './connection';

const MAX_WINDOW = 2147483647;

/** Key of `linksByName`: a link is identified by its name and its direction (part 2 §2.6.1). */
function linkKey(name: string, isSender: boolean): string { return (isSender ? 'S' : 'R') + name; }

interface PendingDisposition { role: boolean; id: number; settled: boolean; state: DeliveryState | undefined }

export class Session {
  remoteChannel = -1;
  localBegun = false;
  localEnded = false;
  remoteEnded = false;
  /** Links by local handle and by the peer's handle. */
  readonly links = new Map<number, Link>();
  readonly remoteLinks = new Map<number, Link>();
  /** Links by name and role (a link is named per direction: a sender and a receiver may share a name). */
  readonly linksByName = new Map<string, Link>();
  readonly unsettledIn = new Map<number, InDelivery>();
  readonly unsettledOut = new Map<number, OutDelivery>();

  // Outgoing transfers.
  nextOutgoingId = 0;
  /** Our first transfer-id (what a peer's flow without next-incoming-id refers to). */
  readonly initialOutgoingId = 0;
  nextDeliveryId = 0;
  remoteIncomingWindow = 0;
  // Incoming transfers.
  nextIncomingId = 0;
  incomingWindow: number;
  remoteOutgoingWindow = 0;
  readonly windowSize: number;

  private pendingDispositions: PendingDisposition[] = [];
  private flowsDue = new Set<Link>();
  private sessionFlowDue = false;
  context: unknown = undefined;

  constructor(readonly connection: Connection, readonly channel: number, windowSize = MAX_WINDOW) {
    this.windowSize = windowSize;
    this.incomingWindow = windowSize;
  }

  begin(): void {
    if (this.localBegun) return;
    this.localBegun = true;
    this.connection.sendFrame(this.channel, Descriptor.begin, {
      remoteChannel: this.remoteChannel >= 0 ? this.remoteChannel : undefined,
      nextOutgoingId: this.nextOutgoingId,
      incomingWindow: this.incomingWindow,
      outgoingWindow: MAX_WINDOW,
      handleMax: this.connection.options.handleMax,
    });
  }

  end(error?: ErrorCondition): void {
    if (this.localEnded) return;
    for (const link of this.links.values()) link.localDetached = true;
    this.localEnded = true;
    this.connection.sendFrame(this.channel, Descriptor.end, { error });
    this.connection.sessionEnded(this);
  }

  sendFrame(code: number, value: object): void {
    this.connection.sendFrame(this.channel, code, value);
  }

  allocateHandle(link: Link): number {
    let h = 0;
    while (this.links.has(h)) h++;
    this.links.set(h, link);
    return h;
  }

  releaseHandle(link: Link): void {
    if (this.links.get(link.handle) === link) this.links.delete(link.handle);
    // A link detached before the peer answered its attach stays known by name: the late answer
    // (and the detach after it) must find it rather than look like a new link.
    if (link.remoteDetached) this.forgetLink(link);
  }

  forgetLink(link: Link): void {
    if (this.remoteLinks.get(link.remoteHandle) === link) this.remoteLinks.delete(link.remoteHandle);
    const key = linkKey(link.name, link.isSender);
    if (this.linksByName.get(key) === link) this.linksByName.delete(key);
  }

  /** Registers a link we attach, so that the peer's answer finds it. */
  addLink(link: Link): void { this.linksByName.set(linkKey(link.name, link.isSender), link); }

  /** Our link of that name and role (`isSender` is our side's role), if any. */
  findLink(name: string, isSender: boolean): Link | undefined { return this.linksByName.get(linkKey(name, isSender)); }

  // ---- incoming frames ----

  onBegin(remoteNextOutgoingId: number, remoteIncomingWindow: number, remoteOutgoingWindow: number): void {
    this.nextIncomingId = remoteNextOutgoingId;
    this.remoteIncomingWindow = remoteIncomingWindow;
    this.remoteOutgoingWindow = remoteOutgoingWindow;
  }

  onFlow(f: Flow): void {
    // Session window: what the peer can still take from us.
    // Transfers they have not yet seen come off the window they announce. Windows near 2^31
    // (qdrouterd's and ours) are beyond serial arithmetic's range, so count the frames in flight.
    const theirNextIncoming = f.nextIncomingId ?? this.initialOutgoingId;
    const inFlight = (this.nextOutgoingId - theirNextIncoming) >>> 0;
    this.remoteIncomingWindow = Math.max(0, f.incomingWindow - inFlight);
    this.remoteOutgoingWindow = f.outgoingWindow;
    // A wider window lets the senders parked on it go on.
    if (this.remoteIncomingWindow > 0) for (const l of this.links.values()) if (l instanceof SenderLink) this.connection.wake(l);
    if (f.handle === undefined) {
      if (f.echo) this.sessionFlowDue = true;
      this.connection.wakeSession(this);
      return;
    }
    const link = this.remoteLinks.get(f.handle);
    if (!link) throw new ProtocolError('amqp:session:unattached-handle', `flow for unattached handle ${f.handle}`);
    if (link instanceof SenderLink) {
      link.onFlow(f.deliveryCount, f.linkCredit ?? 0, f.drain ?? false);
      this.connection.events.onCredit?.(link);
      this.connection.wake(link);
      if (f.echo) this.queueFlow(link);
    } else {
      // A sender tells us its delivery-count / available; we keep our credit window.
      const rl = link as ReceiverLink;
      if (f.deliveryCount !== undefined) {
        const advanced = serialDiff(f.deliveryCount, rl.deliveryCount);
        if (advanced > 0) { rl.deliveryCount = f.deliveryCount; rl.linkCredit = Math.max(0, rl.linkCredit - advanced); }
      }
      if (f.drain && rl.linkCredit > 0) { /* sender drained: it reports the used credit through delivery-count */ }
      this.connection.events.onReceiverFlow?.(rl, f);
      if (f.echo) this.queueFlow(rl);
    }
  }

  onTransfer(t: Transfer, payload: Buffer): void {
    if (this.incomingWindow <= 0) throw new ProtocolError('amqp:session:window-violation', `transfer beyond the session's incoming window (${this.windowSize})`);
    this.incomingWindow--;
    this.nextIncomingId = serialAdd(this.nextIncomingId, 1);
    if (this.windowSize < MAX_WINDOW && this.incomingWindow < this.windowSize / 2) {
      // Reopened when the flow is written (flowFields): the peer may not send more before it.
      this.sessionFlowDue = true;
      this.connection.wakeSession(this);
    }
    const link = this.remoteLinks.get(t.handle);
    if (!link) throw new ProtocolError('amqp:session:unattached-handle', `transfer on unattached handle ${t.handle}`);
    if (!(link instanceof ReceiverLink)) throw new ProtocolError('amqp:session:errant-link', `transfer on handle ${t.handle}, which is our receiver's peer`);
    if (link.localDetached) return; // in flight while we detached: dropped, the sender learns from the detach
    let d = link.current;
    if (!d) {
      if (t.deliveryId === undefined || t.deliveryTag === undefined) {
        return this.connection.linkError(link, 'amqp:link:detach-forced', 'first transfer of a delivery without delivery-id or delivery-tag');
      }
      if (link.linkCredit <= 0) {
        return this.connection.linkError(link, 'amqp:link:transfer-limit-exceeded', 'transfer with no link credit');
      }
      link.consumeCredit();
      link.deliveryCount = serialAdd(link.deliveryCount, 1);
      // The tag stays a slice of the socket chunk: unsettled deliveries in flight are bounded, so is what they pin.
      d = new InDelivery(link, t.deliveryId, t.deliveryTag, t.messageFormat ?? 0, t.settled ?? false);
      link.current = d;
      if (!d.remoteSettled) this.unsettledIn.set(d.id, d);
      else d.localSettled = true;
    }
    if (t.state !== undefined) d.state = t.state;
    if (t.aborted) {
      d.aborted = true;
      d.complete = true;
      link.current = undefined;
      this.unsettledIn.delete(d.id);
      d.chunks.length = 0; // aborted bytes are never forwarded
      this.connection.unhold(d.held);
      d.held = 0;
    } else {
      d.push(payload);
      if (!t.more) { d.complete = true; link.current = undefined; }
    }
    if (d.routed) { for (const r of d.readers) r.link.connection.wake(r.link); }
    else this.connection.events.onTransfer(d);
  }

  onDisposition(disp: Disposition): void {
    const last = disp.last ?? disp.first;
    const count = serialDiff(last, disp.first);
    if (count < 0 || count > 1_000_000) throw new ProtocolError('amqp:connection:framing-error', `disposition range ${disp.first}..${last} is invalid`);
    const map: Map<number, InDelivery | OutDelivery> = disp.role ? this.unsettledOut : this.unsettledIn;
    for (let i = 0, id = disp.first; i <= count; i++, id = serialAdd(id, 1)) {
      const d = map.get(id);
      if (!d) continue;
      if (d instanceof OutDelivery) {
        if (disp.state) d.remoteState = disp.state;
        if (disp.settled) { d.remoteSettled = true; this.unsettledOut.delete(id); }
        this.connection.events.onDisposition?.(d);
      } else {
        // The sender settled (or updated) an incoming delivery: the router relays it.
        if (disp.settled) this.unsettledIn.delete(id);
        this.connection.events.onSenderSettled?.(d, disp.state, disp.settled ?? false);
      }
    }
  }

  // ---- outgoing state ----

  queueDisposition(role: boolean, id: number, settled: boolean, state: DeliveryState | undefined): void {
    this.pendingDispositions.push({ role, id, settled, state });
    this.connection.wakeSession(this);
  }

  forgetIncoming(id: number): void { this.unsettledIn.delete(id); }
  forgetOutgoing(id: number): void { this.unsettledOut.delete(id); }

  queueFlow(link: Link): void {
    this.flowsDue.add(link);
    this.connection.wakeSession(this);
  }

  /** Writes the flows and dispositions gathered during this turn. */
  emitPending(): void {
    if (this.localEnded || !this.localBegun) { this.pendingDispositions.length = 0; this.flowsDue.clear(); return; }
    if (this.pendingDispositions.length > 0) this.emitDispositions();
    if (this.sessionFlowDue && this.flowsDue.size === 0) this.sendFrame(Descriptor.flow, this.flowFields());
    this.sessionFlowDue = false;
    for (const link of this.flowsDue) {
      if (link.localDetached || !link.localAttached) continue;
      if (link instanceof ReceiverLink) link.applyCredit();
      const f = this.flowFields();
      f.handle = link.handle;
      f.deliveryCount = link.deliveryCount;
      f.linkCredit = link.linkCredit;
      if (link instanceof ReceiverLink && link.drainRequested) f.drain = true;
      if (link instanceof SenderLink) {
        f.available = link.queue.length;
        // The flow that reports a finished drain carries drain=true, as the peer asked.
        if (link.drain && link.linkCredit === 0) { f.drain = true; link.drain = false; }
      }
      this.sendFrame(Descriptor.flow, f);
    }
    this.flowsDue.clear();
  }

  private flowFields(): Flow {
    if (this.windowSize < MAX_WINDOW && this.incomingWindow < this.windowSize / 2) this.incomingWindow = this.windowSize;
    return {
      nextIncomingId: this.nextIncomingId,
      incomingWindow: this.incomingWindow,
      nextOutgoingId: this.nextOutgoingId,
      outgoingWindow: MAX_WINDOW,
    };
  }

  /** Coalesces consecutive ids with the same role, settlement and state into ranges. */
  private emitDispositions(): void {
    const list = this.pendingDispositions;
    this.pendingDispositions = [];
    list.sort((a, b) => (a.role === b.role ? serialDiff(a.id, b.id) : a.role ? 1 : -1));
    let i = 0;
    while (i < list.length) {
      const first = list[i];
      let j = i + 1;
      while (j < list.length) {
        const d = list[j];
        if (d.role !== first.role || d.settled !== first.settled || d.id !== serialAdd(list[j - 1].id, 1) || !sameState(d.state, first.state)) break;
        j++;
      }
      const last = list[j - 1].id;
      this.sendFrame(Descriptor.disposition, {
        role: first.role, first: first.id, last: last === first.id ? undefined : last, settled: first.settled, state: first.state,
      });
      i = j;
    }
  }
}

function sameState(a: DeliveryState | undefined, b: DeliveryState | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.code === b.code && a.raw.equals(b.raw);
}
