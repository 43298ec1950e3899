// The router's view of the links of client connections: a producer (the client's sender, our
// receiver) and a consumer (the client's receiver, our sender, a destination for the core).

import type { ReceiverLink, SenderLink } from '../amqp/link';
import type { InDelivery, OutDelivery } from '../amqp/delivery';
import type { DeliveryState } from '../amqp/performatives';
import type { Address } from '../core/address';
import type { Destination } from '../core/destination';
import type { MessageLogging } from '../observe/message-log';
import { LinkStats } from './link-stats';

/** The connection a link belongs to, as the forwarding path sees it. */
export interface Peer {
  readonly id: number;
  /** What to log of each message received (messageLoggingComponents); undefined: nothing. */
  readonly messageLog?: MessageLogging;
  /** Router annotations are ignored on the way in (normal clients by default). */
  readonly stripIn: boolean;
  /** Router annotations are removed on the way out. */
  readonly stripOut: boolean;
  /** The neighbour router on an inter-router connection. */
  readonly routerId?: string;
  /** Inter-router connections: a link of its own for a message not yet whole (reference §2.4). */
  streamingDestination?(): Consumer | undefined;
  /** An inter-router connection: its deliveries are transit, not ingress/egress. */
  readonly interRouter: boolean;
  /** The configured credit window of its links (management's `capacity`). */
  readonly linkCapacity: number;
  /** Seconds (router clock) of the last delivery in or out; -1 before the first. */
  lastDeliverySec: number;
}

/**
 * An endpoint inside the router (the management agent): it takes whole messages, which are
 * settled accepted once handed over. `$management` and `_local/$management` are such.
 */
export interface InProcessEndpoint {
  readonly name: string;
  /** A complete message; `from` is the connection it came in on. */
  receive(payload: Buffer, from: Peer): void;
}

export type RouterAddress = Address<Consumer, InDelivery, InProcessEndpoint>;

export class Producer {
  readonly stats = new LinkStats();
  /** Inter-router data links carry one priority (reference §8.3); client links the default. */
  priority = 4;
  /** Deliveries received and not yet forwarded (or released): credit given back as they go. */
  outstanding = 0;
  /** Unsettled deliveries forwarded whose outcome has not come back yet. */
  awaitingOutcome = 0;

  constructor(
    readonly link: ReceiverLink,
    readonly conn: Peer,
    /** Undefined for an anonymous-relay link (routing by each message's `to`). */
    readonly address: RouterAddress | undefined,
    readonly capacity: number,
  ) {}

  /** The to-override of its deliveries (reference §4.3): the target it attached to. */
  get routingAddress(): string | undefined { return this.link.remoteAttach?.target?.address; }

  /** The outcome the sender is given for a delivery whose copies ended in `state`. */
  outcome(state: DeliveryState): DeliveryState { return state; }

  /** Gives the sender credit up to the link capacity while its messages can go somewhere. */
  grant(): void {
    const link = this.link;
    if (link.localDetached) return;
    if (this.address && !this.address.hasDestinations) {
      // Nobody to take them: ask the sender to give back the credit it has.
      if (link.creditTarget > 0 && !link.drainRequested) link.setCredit(link.creditTarget, true);
      return;
    }
    // At most `capacity` deliveries inside the router, and (for unsettled ones) at most twice
    // that waiting for an outcome: the router's memory per link stays bounded.
    const target = Math.min(this.capacity - this.outstanding, 2 * this.capacity - this.outstanding - this.awaitingOutcome);
    if (target > link.creditTarget || link.drainRequested) link.setCredit(Math.max(target, link.creditTarget), false);
  }
}

export class Consumer implements Destination {
  readonly stats = new LinkStats();
  /** Inter-router data links carry one priority (reference §8.3); client links the default. */
  priority = 4;
  /** Copies sent and not yet settled by the client. */
  readonly unsettled = new Set<OutDelivery>();

  /**
   * A client's receiver on `address`, or (address undefined) an outgoing inter-router data
   * link, which carries deliveries for every address toward one neighbour.
   */
  constructor(readonly link: SenderLink, readonly conn: Peer, readonly address: RouterAddress | undefined) {}

  /** A broker's link (an out auto-link): delivery-annotations are removed as well (broker-head.ts). */
  toBroker = false;

  /** Inter-router links: unsettled deliveries out per address key (the load `balanced` weighs). */
  readonly outstandingByAddress = new Map<string, number>();

  countOut(key: string, delta: number): void {
    const n = (this.outstandingByAddress.get(key) ?? 0) + delta;
    if (n <= 0) this.outstandingByAddress.delete(key);
    else this.outstandingByAddress.set(key, n);
  }

  get capacity(): number { return this.link.linkCredit - this.link.queue.length; }
  get load(): number { return this.link.queue.length + this.unsettled.size; }
}
