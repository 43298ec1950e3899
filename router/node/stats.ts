// Router-wide delivery counters (qdstat -g names them; metrics export them). Plain numbers:
// counting must stay cheap on the fast path.

export class RouterStats {
  deliveriesIngress = 0;
  deliveriesEgress = 0;
  presettledDeliveries = 0;
  droppedPresettledDeliveries = 0;
  acceptedDeliveries = 0;
  rejectedDeliveries = 0;
  releasedDeliveries = 0;
  modifiedDeliveries = 0;
  /** Deliveries that found no destination (released, rejected or, pre-settled, dropped with a log line). */
  undeliverable = 0;
}
