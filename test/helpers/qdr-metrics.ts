// The router-wide metrics qdrouterd 1.19 serves on /metrics, with their types (reference §8.7),
// in its order: what tests expect, written out independently of router/observe/metrics.ts.

export const QDR_METRICS: ReadonlyArray<readonly [name: string, type: 'counter' | 'gauge']> = [
  ['qdr_connections_total', 'gauge'], ['qdr_links_total', 'gauge'], ['qdr_addresses_total', 'gauge'],
  ['qdr_routers_total', 'gauge'], ['qdr_link_routes_total', 'gauge'], ['qdr_auto_links_total', 'gauge'],
  ['qdr_presettled_deliveries_total', 'counter'], ['qdr_dropped_presettled_deliveries_total', 'counter'],
  ['qdr_accepted_deliveries_total', 'counter'], ['qdr_released_deliveries_total', 'counter'],
  ['qdr_rejected_deliveries_total', 'counter'], ['qdr_modified_deliveries_total', 'counter'],
  ['qdr_deliveries_ingress_total', 'counter'], ['qdr_deliveries_egress_total', 'counter'],
  ['qdr_deliveries_transit_total', 'counter'], ['qdr_deliveries_ingress_route_container_total', 'counter'],
  ['qdr_deliveries_egress_route_container_total', 'counter'], ['qdr_deliveries_delayed_1sec_total', 'counter'],
  ['qdr_deliveries_delayed_10sec_total', 'counter'], ['qdr_deliveries_stuck_total', 'gauge'],
  ['qdr_links_blocked_total', 'gauge'], ['qdr_deliveries_redirected_to_fallback_total', 'counter'],
];
