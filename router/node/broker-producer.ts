// The receiving end of an `in` auto-link: a producer whose sender is a broker. It differs from
// a client's in what brokers cannot take (RabbitMQ's AMQP 1.0 plugin: no drain, and `modified`
// closes the connection) and in the address its deliveries are routed as.

import type { ReceiverLink } from '../amqp/link';
import { Descriptor, DeliveryState, Released } from '../amqp/performatives';
import { Peer, Producer, RouterAddress } from './links';

export class BrokerProducer extends Producer {
  constructor(link: ReceiverLink, conn: Peer, address: RouterAddress, capacity: number, private readonly internalAddress: string) {
    super(link, conn, address, capacity);
  }

  /** Deliveries carry the auto-link's address, whatever the queue is called on the broker. */
  override get routingAddress(): string { return this.internalAddress; }

  /** A message to redeliver goes back released: the broker keeps it, and keeps the connection. */
  override outcome(state: DeliveryState): DeliveryState {
    return state.code === Descriptor.modified ? Released : state;
  }

  /**
   * Credit only while the address has a destination somewhere, but never a drain: the credit
   * the broker holds runs out instead (what it sends meanwhile goes back released, and stays
   * on the broker until a consumer appears).
   */
  override grant(): void {
    if (this.address && !this.address.hasDestinations) return;
    super.grant();
  }
}
