// Router-wide delivery counters (qdstat -g names them; metrics export them). Plain numbers:
// counting must stay cheap on the fast path. The delayed/stuck/blocked figures and the router
// clock are kept by the 1-second sweep (stats-sweep.ts), not per delivery.

export class RouterStats {
  /** Deliveries in from client (endpoint) links. */
  deliveriesIngress = 0;
  /** Copies out to client (endpoint) links. */
  deliveriesEgress = 0;
  /** Deliveries that came from another router and went on to another router. */
  deliveriesTransit = 0;
  deliveriesIngressRouteContainer = 0;
  deliveriesEgressRouteContainer = 0;
  deliveriesRedirectedToFallback = 0;
  presettledDeliveries = 0;
  droppedPresettledDeliveries = 0;
  acceptedDeliveries = 0;
  rejectedDeliveries = 0;
  releasedDeliveries = 0;
  modifiedDeliveries = 0;
  /** Settled after waiting 1 to 10 s for their outcome. */
  deliveriesDelayed1Sec = 0;
  /** Settled after waiting 10 s or more. */
  deliveriesDelayed10Sec = 0;
  /** Unsettled for more than 10 s (each counted once, by the sweep). */
  deliveriesStuck = 0;
  /** Outgoing links without credit for more than 10 s, as of the last sweep. */
  linksBlocked = 0;
  /** Deliveries that found no destination (released, rejected or, pre-settled, dropped with a log line). */
  undeliverable = 0;
  /**
   * Whole seconds since the epoch, advanced by the sweep: the timestamp deliveries carry to
   * measure their wait (reading a field is cheaper than a clock per delivery).
   */
  clockSec = Math.floor(Date.now() / 1000);
}
