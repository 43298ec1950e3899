// Links: attach/detach state, credit and delivery-count (part 2 §2.6.7). A sender link writes
// its queued deliveries as credit, the session window and the socket allow; a receiver link
// grants credit when the router says so.

import { Attach, Descriptor, Detach, ErrorCondition, Terminus } from './performatives';
import { InDelivery, OutDelivery } from './delivery';
import { serialAdd, serialDiff } from './serial';
import type { Session } from './session';

export type LinkState = 'attaching' | 'attached' | 'detached';

export const SenderSettleMode = { unsettled: 0, settled: 1, mixed: 2 } as const;
export const ReceiverSettleMode = { first: 0, second: 1 } as const;

export interface LocalAttach {
  source?: Terminus;
  target?: Terminus;
  sndSettleMode?: number;
  rcvSettleMode?: number;
  offeredCapabilities?: string | string[];
  desiredCapabilities?: string | string[];
  properties?: Attach['properties'];
  maxMessageSize?: number;
}

/** Process-wide: every link gets a distinct serial (management's link identity). */
let linkSerial = 0;

export abstract class Link {
  abstract readonly isSender: boolean;
  /** Distinct for every link made in this process, in creation order. */
  readonly serial = ++linkSerial;
  /** Local handle, assigned when the local attach is sent. */
  handle = -1;
  remoteHandle = -1;
  remoteAttach: Attach | undefined = undefined;
  localAttach: Attach | undefined = undefined;
  localAttached = false;
  localDetached = false;
  remoteDetached = false;
  /** The peer's detach frame (its error and `closed`), once it came. */
  remoteDetach: Detach | undefined = undefined;
  /** The peer's detach is answered by the router (link routes answer once the far side has). */
  deferDetachReply = false;
  deliveryCount = 0;
  linkCredit = 0;
  /** The router's state for this link. */
  context: unknown = undefined;
  /** Router-wide link number ([L<n>] in logs, management's identity); 0 until the router numbers it. */
  identity = 0;
  /** Set by refuse(): the error the peer's attach is refused with. */
  refusal: ErrorCondition | undefined = undefined;
  /** The error of our detach, once we have sent it. */
  detachError: ErrorCondition | undefined = undefined;

  constructor(readonly session: Session, readonly name: string) {}

  get state(): LinkState {
    if (this.localDetached || this.remoteDetached) return 'detached';
    return this.localAttached && this.remoteAttach ? 'attached' : 'attaching';
  }

  get connection() { return this.session.connection; }
  /** The terminus the peer gave for this link's address: target of a receiver, source of a sender. */
  get remoteTerminus(): Terminus | undefined {
    return this.isSender ? this.remoteAttach?.source : this.remoteAttach?.target;
  }

  /** Sends our attach (an answer to the peer's, or a new link). */
  attach(local: LocalAttach): void {
    if (this.localAttached) return;
    this.localAttached = true;
    this.handle = this.session.allocateHandle(this);
    const a: Attach = {
      name: this.name,
      handle: this.handle,
      role: !this.isSender,
      sndSettleMode: local.sndSettleMode ?? this.remoteAttach?.sndSettleMode,
      rcvSettleMode: local.rcvSettleMode ?? this.remoteAttach?.rcvSettleMode,
      source: local.source,
      target: local.target,
      initialDeliveryCount: this.isSender ? this.deliveryCount : undefined,
      maxMessageSize: local.maxMessageSize,
      offeredCapabilities: local.offeredCapabilities,
      desiredCapabilities: local.desiredCapabilities,
      properties: local.properties,
    };
    this.localAttach = a;
    this.session.sendFrame(Descriptor.attach, a);
    if (this.remoteAttach) this.connection.linkObserver?.attached(this, 'remote');
  }

  /** Refuses a peer's attach: answers with a null terminus, then detaches with `error`. */
  refuse(error: ErrorCondition): void {
    this.refusal = error;
    this.attach(this.isSender ? { source: undefined, target: this.remoteAttach?.target } : { source: this.remoteAttach?.source, target: undefined });
    this.detach(error);
  }

  detach(error?: ErrorCondition, closed = true): void {
    if (this.localDetached) return;
    this.localDetached = true;
    this.detachError = error;
    if (!this.localAttached) this.attach({});
    this.session.sendFrame(Descriptor.detach, { handle: this.handle, closed, error });
    this.onDetached();
    this.session.releaseHandle(this);
  }

  /** Called when the link is gone for us (local detach sent). */
  protected onDetached(): void { /* subclasses release their deliveries */ }
}

export class SenderLink extends Link {
  readonly isSender = true;
  /** Deliveries waiting for credit or for their frames to be written; head first. */
  readonly queue: OutDelivery[] = [];
  drain = false;
  /**
   * Link routes: a drain is the far sender's to answer. It completes (credit used up, flow with
   * drain sent) only after `releaseDrain()`, never because nothing is queued here.
   */
  relayDrain = false;
  private drainReleased = false;
  /** Queued in the connection's list of links with frames to write. */
  wakeScheduled = false;

  /** Credit left for new deliveries. */
  get credit(): number { return this.linkCredit; }

  send(d: OutDelivery): void {
    this.queue.push(d);
    this.session.connection.wake(this);
  }

  /** The peer's flow: recompute credit from its delivery-count (part 2 §2.6.7). */
  onFlow(deliveryCount: number | undefined, linkCredit: number, drain: boolean): void {
    const theirCount = deliveryCount ?? 0; // absent only before the first flow: initial count is ours
    this.linkCredit = Math.max(0, serialDiff(serialAdd(theirCount, linkCredit), this.deliveryCount));
    this.drain = drain;
    this.drainReleased = false; // a new request waits for its own answer
  }

  /** The far sender drained (relayDrain): report it once what it sent before is written. */
  releaseDrain(): void {
    if (!this.drain) return;
    this.drainReleased = true;
    this.session.connection.wake(this);
  }

  /** Uses up remaining credit when draining with nothing to send, and reports it. */
  completeDrain(): void {
    if (!this.drain || this.queue.length > 0) return;
    if (this.relayDrain) {
      if (!this.drainReleased) return;
      this.drainReleased = false;
    }
    this.deliveryCount = serialAdd(this.deliveryCount, this.linkCredit);
    this.linkCredit = 0;
    this.session.queueFlow(this); // the flow clears `drain` when it is written
  }

  protected override onDetached(): void {
    for (const d of this.queue) d.source.readerDone?.(d);
    this.queue.length = 0;
  }
}

export class ReceiverLink extends Link {
  readonly isSender = false;
  /** The delivery whose frames are arriving. */
  current: InDelivery | undefined = undefined;
  drainRequested = false;
  /** Credit decided but not yet written in a flow: `linkCredit` is what the peer has been told. */
  private pendingCredit: number | undefined = undefined;

  /** The credit the peer will have once our next flow is written. */
  get creditTarget(): number { return this.pendingCredit ?? this.linkCredit; }

  /** Sets the credit window the peer may use (sent in the next flow). */
  setCredit(credit: number, drain = false): void {
    if (credit === this.creditTarget && drain === this.drainRequested) return;
    this.pendingCredit = credit;
    this.drainRequested = drain;
    this.session.queueFlow(this);
  }

  addCredit(n: number): void {
    if (n !== 0) this.setCredit(this.creditTarget + n, this.drainRequested);
  }

  /** A transfer arrived: it uses a credit the peer has, and one of those we are about to give. */
  consumeCredit(): void {
    this.linkCredit--;
    if (this.pendingCredit !== undefined && this.pendingCredit > 0) this.pendingCredit--;
  }

  /** The flow carrying the new credit is being written: from now on the peer may use it. */
  applyCredit(): void {
    if (this.pendingCredit !== undefined) { this.linkCredit = this.pendingCredit; this.pendingCredit = undefined; }
  }
}
