// The Prometheus metrics of one router (prom-client, one Registry per router): qdrouterd's
// router-wide series under its names and types (reference §8.7) and Weft's per-address series.
// Every value is read at scrape time by a collect() callback: nothing is counted on the fast
// path. qdrouterd's qdr_allocator_* series describe its C memory pools, which Weft has not.

import { Counter, Gauge, Registry } from 'prom-client';
import { addressSeries, type AddressRow } from './address-series';
import type { MetricsSource, RouterCounts } from './router-view';

type Kind = 'counter' | 'gauge';
type Read = (s: MetricsSource) => number;

const count = (name: keyof RouterCounts): Read => (s) => s.counts()[name];
const stat = (name: string): Read => (s) => s.stat(name);

/** In qdrouterd's order; the third column names the router attribute (reference §7.6). */
export const ROUTER_METRICS: ReadonlyArray<readonly [name: string, kind: Kind, attribute: string, read: Read]> = [
  ['qdr_connections_total', 'gauge', 'connectionCount', count('connections')],
  ['qdr_links_total', 'gauge', 'linkCount', count('links')],
  ['qdr_addresses_total', 'gauge', 'addrCount', count('addresses')],
  ['qdr_routers_total', 'gauge', 'nodeCount', count('routers')],
  ['qdr_link_routes_total', 'gauge', 'linkRouteCount', count('linkRoutes')],
  ['qdr_auto_links_total', 'gauge', 'autoLinkCount', count('autoLinks')],
  ['qdr_presettled_deliveries_total', 'counter', 'presettledDeliveries', stat('presettledDeliveries')],
  ['qdr_dropped_presettled_deliveries_total', 'counter', 'droppedPresettledDeliveries', stat('droppedPresettledDeliveries')],
  ['qdr_accepted_deliveries_total', 'counter', 'acceptedDeliveries', stat('acceptedDeliveries')],
  ['qdr_released_deliveries_total', 'counter', 'releasedDeliveries', stat('releasedDeliveries')],
  ['qdr_rejected_deliveries_total', 'counter', 'rejectedDeliveries', stat('rejectedDeliveries')],
  ['qdr_modified_deliveries_total', 'counter', 'modifiedDeliveries', stat('modifiedDeliveries')],
  ['qdr_deliveries_ingress_total', 'counter', 'deliveriesIngress', stat('deliveriesIngress')],
  ['qdr_deliveries_egress_total', 'counter', 'deliveriesEgress', stat('deliveriesEgress')],
  ['qdr_deliveries_transit_total', 'counter', 'deliveriesTransit', stat('deliveriesTransit')],
  ['qdr_deliveries_ingress_route_container_total', 'counter', 'deliveriesIngressRouteContainer', stat('deliveriesIngressRouteContainer')],
  ['qdr_deliveries_egress_route_container_total', 'counter', 'deliveriesEgressRouteContainer', stat('deliveriesEgressRouteContainer')],
  ['qdr_deliveries_delayed_1sec_total', 'counter', 'deliveriesDelayed1Sec', stat('deliveriesDelayed1Sec')],
  ['qdr_deliveries_delayed_10sec_total', 'counter', 'deliveriesDelayed10Sec', stat('deliveriesDelayed10Sec')],
  ['qdr_deliveries_stuck_total', 'gauge', 'deliveriesStuck', stat('deliveriesStuck')],
  ['qdr_links_blocked_total', 'gauge', 'linksBlocked', stat('linksBlocked')],
  ['qdr_deliveries_redirected_to_fallback_total', 'counter', 'deliveriesRedirectedToFallback', stat('deliveriesRedirectedToFallback')],
];

/** Weft's per-address series, labelled {address, phase} (address-series.ts bounds them). */
export const ADDRESS_METRICS: ReadonlyArray<readonly [name: string, kind: Kind, help: string, read: (r: AddressRow) => number]> = [
  ['weft_address_deliveries_ingress_total', 'counter', 'Deliveries that arrived for the address', (r) => r.deliveriesIn],
  ['weft_address_deliveries_egress_total', 'counter', 'Deliveries sent to local consumers of the address', (r) => r.deliveriesOut],
  ['weft_address_undelivered', 'gauge', 'Deliveries waiting for a consumer with credit', (r) => r.undelivered],
  ['weft_address_local_consumers', 'gauge', 'Receivers attached to the address on this router', (r) => r.localConsumers],
];

export class RouterMetrics {
  readonly registry = new Registry();
  /** The address rows of the scrape in progress, so that they are computed once per scrape. */
  private rows: AddressRow[] | undefined;

  constructor(private readonly source: MetricsSource, private readonly addressLimit = 100) {
    for (const [name, kind, attribute, read] of ROUTER_METRICS) {
      this.metric(name, kind, `router ${attribute}`, [], (set) => set({}, read(source)));
    }
    for (const [name, kind, help, read] of ADDRESS_METRICS) {
      this.metric(name, kind, help, ['address', 'phase'], (set) => {
        for (const r of this.addressRows()) set({ address: r.address, phase: r.phase }, read(r));
      });
    }
  }

  get contentType(): string { return this.registry.contentType; }

  /** The exposition text, every value read now. */
  async scrape(): Promise<string> {
    try {
      return await this.registry.metrics();
    } finally {
      this.rows = undefined;
    }
  }

  private addressRows(): AddressRow[] {
    this.rows ??= addressSeries(this.source.addresses(), this.addressLimit);
    return this.rows;
  }

  /** A counter or gauge whose values `fill` sets at each scrape. */
  private metric(name: string, kind: Kind, help: string, labelNames: string[], fill: (set: (labels: Record<string, string>, v: number) => void) => void): void {
    const registers = [this.registry];
    if (kind === 'gauge') {
      const g: Gauge = new Gauge({ name, help, labelNames, registers, collect: () => { g.reset(); fill((l, v) => g.set(l, v)); } });
    } else {
      // A counter has no set(): emptied, then incremented by the current total.
      const c: Counter = new Counter({ name, help, labelNames, registers, collect: () => { c.reset(); fill((l, v) => c.inc(l, v)); } });
    }
  }
}
