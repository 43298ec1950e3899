// One link-routed link (reference §6.1 steps 3–5): the link a peer attached (near: a client, a
// broker, or the previous router) and the link this router attached toward the next hop (far),
// joined. The attach reply comes back; credit and drain go from the receiving side to the
// sending side; deliveries pass with their tags and bytes untouched, streamed frame by frame;
// dispositions and settlement go both ways as they came (any outcome or transactional state);
// detach is relayed hop by hop, each side answered once the other has; a side that is lost
// detaches the other with `qd:routed-link-lost`.
//
// Memory stays bounded by the receiver: the sending side is never given more credit than the
// receiving side has left, less what is already queued toward it.

import { InDelivery, OutDelivery } from '../amqp/delivery';
import { Link, LocalAttach, ReceiverLink, SenderLink } from '../amqp/link';
import { DeliveryState, ErrorCondition, ModifiedFailed, Released } from '../amqp/performatives';
import type { Session } from '../amqp/session';
import { PrefixRewrite, forwardTerminus, fromExternal, withAddress } from './link-route-termini';

export const ROUTED_LINK_LOST: ErrorCondition = { condition: 'qd:routed-link-lost', description: 'Connectivity to the peer container was lost' };

/** Where and how the far link is attached. */
export interface FarLink {
  session: Session;
  /** The session is the link's alone (toward a route-container): ended with it. */
  dedicated: boolean;
  name: string;
  attach: LocalAttach;
  /** Last hop: the external-prefix rewrite done on the attach, undone on the reply. */
  rewrite?: { terminus: 'source' | 'target'; prefixes: PrefixRewrite; stripped: boolean };
}

export class RoutedLink {
  readonly far: Link;
  /** The side deliveries arrive on (our receiver) and the side they leave by (our sender). */
  readonly rx: ReceiverLink;
  readonly tx: SenderLink;
  /** Copies queued or sent and not yet settled (pre-settled ones until written). */
  private readonly copies = new Set<OutDelivery>();
  private finished = false;

  constructor(readonly near: Link, private readonly spec: FarLink, private readonly onFinished: (r: RoutedLink) => void) {
    const peer = near.remoteAttach!;
    let far: Link;
    if (near.isSender) far = new ReceiverLink(spec.session, spec.name);
    else {
      far = new SenderLink(spec.session, spec.name);
      far.deliveryCount = peer.initialDeliveryCount ?? 0; // delivery-counts line up hop by hop
    }
    this.far = far;
    this.rx = (near.isSender ? far : near) as ReceiverLink;
    this.tx = (near.isSender ? near : far) as SenderLink;
    this.tx.relayDrain = true;
    near.context = far.context = this;
    near.deferDetachReply = far.deferDetachReply = true;
    spec.session.addLink(far);
    far.attach(spec.attach);
  }

  /** The link of the other side. */
  private other(link: Link): Link { return link === this.near ? this.far : this.near; }

  // ---- attach ----

  /** The next hop answered: the peer gets its answer, with the next hop's termini. */
  onAttach(link: Link): void {
    if (link !== this.far) return;
    const near = this.near;
    if (near.localAttached || near.localDetached || this.far.localDetached) return;
    const r = this.far.remoteAttach!;
    let source = forwardTerminus(r.source);
    let target = forwardTerminus(r.target);
    const rw = this.spec.rewrite;
    if (rw?.terminus === 'source') source = withAddress(source, fromExternal(source?.address, rw.prefixes, rw.stripped));
    if (rw?.terminus === 'target') target = withAddress(target, fromExternal(target?.address, rw.prefixes, rw.stripped));
    if (near.isSender) near.deliveryCount = r.initialDeliveryCount ?? 0;
    near.attach({
      source, target, sndSettleMode: r.sndSettleMode, rcvSettleMode: r.rcvSettleMode,
      offeredCapabilities: r.offeredCapabilities, desiredCapabilities: r.desiredCapabilities, properties: r.properties,
      maxMessageSize: r.maxMessageSize === undefined ? undefined : Number(r.maxMessageSize),
    });
    this.updateCredit();
  }

  // ---- credit and drain: from the receiver's side to the sender's ----

  /** The sending side's credit, less what waits to go out on it, is what the far sender may use. */
  private updateCredit(): void {
    const { rx, tx } = this;
    if (!rx.localAttached || rx.localDetached) return;
    const q = tx.queue;
    const waiting = q.length > 0 && q[0].started ? q.length - 1 : q.length;
    rx.setCredit(Math.max(0, tx.linkCredit - waiting), tx.drain);
  }

  onCredit(): void { this.updateCredit(); }

  /** The sender's flow: when it has used up the credit of a drain, the drain is answered downstream. */
  onReceiverFlow(): void { this.checkDrained(); }

  private checkDrained(): void {
    const rx = this.rx;
    if (this.tx.drain && rx.drainRequested && rx.linkCredit <= 0 && rx.creditTarget <= 0) this.tx.releaseDrain();
  }

  // ---- deliveries ----

  /** A delivery's first frame: a copy with the same tag, settled flag, format and transfer state. */
  onTransfer(d: InDelivery): void {
    const tx = this.tx;
    if (tx.localDetached) {
      // The far side is going: nothing can take it.
      if (!d.remoteSettled && !d.aborted) d.settle(Released);
      d.doneRouting();
      return;
    }
    const out = new OutDelivery(tx, d, d.tag, d.remoteSettled, d.messageFormat);
    out.state = d.state;
    out.context = this;
    d.context = out;
    d.addReader(out);
    this.copies.add(out);
    tx.send(out);
    d.doneRouting(); // later frames are streamed on as they arrive
    this.checkDrained();
  }

  onSent(out: OutDelivery): void {
    if (out.settled || out.source.aborted) this.copies.delete(out);
    this.updateCredit(); // an aborted delivery dropped before its first frame used no credit
  }

  /** The receiver's side updated or settled a copy: the sender's side hears the same. */
  onDisposition(out: OutDelivery): void {
    const d = out.source as InDelivery;
    if (!d.remoteSettled && !d.localSettled) {
      if (out.remoteSettled) d.settle(out.remoteState);
      else if (out.remoteState) d.settle(out.remoteState, false);
    }
    if (out.remoteSettled) {
      this.copies.delete(out);
      out.settle();
    }
  }

  /** The sender's side settled or updated a delivery (mode second, transactional work). */
  onSenderSettled(d: InDelivery, state: DeliveryState | undefined, settled: boolean): void {
    const out = d.context;
    if (!(out instanceof OutDelivery)) return;
    if (settled) {
      d.localSettled = true; // nothing more to tell the sender
      this.copies.delete(out);
      out.settle(state);
    } else if (state) out.updateState(state);
  }

  // ---- detach ----

  /**
   * A side ended. A detach from its peer is relayed to the other side, and answered once the
   * other side's peer answers (or is gone). A side lost without a detach (connection, session)
   * detaches the other with its session's error or `qd:routed-link-lost`; copies sent toward a
   * lost receiver come back `modified` (delivery-failed) or, never sent, `released` (as qdrouterd).
   */
  onDetach(link: Link, error: ErrorCondition | undefined): void {
    const other = this.other(link);
    if (link.remoteDetach) {
      if (link.localDetached) answer(other); // the answer to a detach we relayed
      else if (!other.localDetached) other.detach(link.remoteDetach.error, link.remoteDetach.closed ?? false);
      else link.detach(undefined, link.remoteDetach.closed ?? false);
    } else {
      if (link === this.tx) this.failCopies();
      if (other.remoteDetached) answer(other); // its peer was leaving anyway: just answer
      else if (!other.localDetached) other.detach(lossError(link, error), true);
    }
    this.maybeFinished();
  }

  private failCopies(): void {
    for (const out of this.copies) {
      const d = out.source as InDelivery;
      if (!d.remoteSettled && !d.localSettled) d.settle(out.started ? ModifiedFailed : Released);
    }
    this.copies.clear();
    const queue = this.tx.queue.splice(0);
    for (const out of queue) out.source.readerDone?.(out);
  }

  /** Both sides done: their unsettled deliveries are forgotten, a dedicated session ended. */
  private maybeFinished(): void {
    if (this.finished || !gone(this.near) || !gone(this.far)) return;
    this.finished = true;
    for (const out of this.copies) {
      if (out.id >= 0) out.link.session.forgetOutgoing(out.id);
      const d = out.source as InDelivery;
      d.link.session.forgetIncoming(d.id);
    }
    this.copies.clear();
    const s = this.spec.session;
    if (this.spec.dedicated && !s.localEnded && !this.far.connection.closed) s.end();
    this.onFinished(this);
  }
}

/** Answers a peer's detach we held back. */
function answer(link: Link): void {
  if (link.remoteDetached && !link.localDetached) link.detach(undefined, link.remoteDetach?.closed ?? true);
}

/** Nothing more can pass on it: detached both ways, or its session or connection is gone. */
function gone(link: Link): boolean {
  return (link.localDetached && link.remoteDetached) || link.connection.closed || link.session.remoteEnded || link.session.localEnded;
}

/**
 * Why the other side is detached when a side is lost: its connection gone → routed-link-lost;
 * a session ended with an error (a broker refusing an attach that way) or a protocol error →
 * that error.
 */
function lossError(link: Link, error: ErrorCondition | undefined): ErrorCondition {
  if (link.connection.closed || !error) return ROUTED_LINK_LOST;
  return error;
}
