// An address known to this router: its treatment and the local consumers and senders on it.
// Anycast deliveries that no consumer can take yet wait here (not on one consumer's link), so
// the first consumer with credit gets them and a slow one never holds them hostage.

import type { Destination, Distribution } from './destination';

export interface AddressSettings {
  distribution: Distribution;
  ingressPhase: number;
  egressPhase: number;
  priority?: number;
}

export class Address<C extends Destination, D = unknown, P = unknown> {
  readonly consumers: C[] = [];
  /** Sender links attached to this address (they get credit only while it has consumers). */
  readonly senders = new Set<unknown>();
  /** Other routers that advertised this address (MAU), with their treatment hint. */
  readonly remotes = new Map<string, number | undefined>();
  /** Anycast deliveries waiting for a consumer with credit, oldest first. */
  readonly waiting: D[] = [];
  /** Round-robin position for closest / tie-breaking. */
  cursor = 0;
  /** An endpoint inside the router (management) that takes every delivery: never advertised. */
  inProcess: P | undefined = undefined;
  // Counters shown by management (qdstat -a) and metrics; names as qdrouterd's.
  /** Deliveries that entered the router from a client link to this address. */
  deliveriesIngress = 0;
  /** Copies sent to client links. */
  deliveriesEgress = 0;
  /** Copies sent on toward other routers. */
  deliveriesTransit = 0;
  /** Deliveries taken by the in-process endpoint. */
  deliveriesToContainer = 0;
  /** Messages the router itself sent to this address (management replies). */
  deliveriesFromContainer = 0;

  /** Replaced only while the address is unused (AddressTable.rulesChanged). */
  constructor(readonly key: string, public settings: AddressSettings) {}

  get distribution(): Distribution { return this.settings.distribution; }
  get hasConsumers(): boolean { return this.consumers.length > 0; }
  /** Somewhere to send to: a local consumer or another router. */
  get hasDestinations(): boolean { return this.consumers.length > 0 || this.remotes.size > 0 || this.inProcess !== undefined; }
  /** Nothing refers to it: it can be forgotten. */
  get idle(): boolean {
    return this.consumers.length === 0 && this.senders.size === 0 && this.waiting.length === 0 && this.remotes.size === 0 && this.inProcess === undefined;
  }

  addConsumer(c: C): void { this.consumers.push(c); }

  removeConsumer(c: C): boolean {
    const i = this.consumers.indexOf(c);
    if (i < 0) return false;
    this.consumers.splice(i, 1);
    if (this.cursor > i) this.cursor--;
    return true;
  }
}
