// The one `router` entity: identity "1", name = router id, and the router-wide counters.

import { configValue, i32, optional, ui, ul } from '../amqp-values';
import type { AgentContext, Row } from './row';
import { PREFIX } from '../entity-types';

/** Attributes the row sets itself, not taken from the configuration. */
const ROUTER_OWN = new Set(['name', 'identity', 'type', 'id', 'mode', 'area', 'metadata', 'workerThreads']);

export function routerRows(ctx: AgentContext): Row[] {
  const { node, router } = ctx;
  const s = node.stats;
  let links = 0;
  for (const _ of node.allLinks()) links++;
  const configured = node.configEntities;
  return [{
    name: node.id, identity: '1', id: node.id, type: `${PREFIX}.router`, mode: router.mode, area: router.area, version: router.version,
    metadata: optional(router.metadata, (m) => m),
    addrCount: ul(node.addresses.size), linkCount: ul(links), nodeCount: ul(node.mesh ? node.mesh.engine.knownRouters().length : 0),
    linkRouteCount: ul(configured.list('linkRoute').length), autoLinkCount: ul(configured.list('autoLink').length),
    connectionCount: ul(node.connections.size + node.interRouterConnections.size),
    presettledDeliveries: ul(s.presettledDeliveries), droppedPresettledDeliveries: ul(s.droppedPresettledDeliveries),
    acceptedDeliveries: ul(s.acceptedDeliveries), rejectedDeliveries: ul(s.rejectedDeliveries),
    releasedDeliveries: ul(s.releasedDeliveries), modifiedDeliveries: ul(s.modifiedDeliveries),
    deliveriesDelayed1Sec: ul(s.deliveriesDelayed1Sec), deliveriesDelayed10Sec: ul(s.deliveriesDelayed10Sec), deliveriesStuck: ul(s.deliveriesStuck),
    deliveriesIngress: ul(s.deliveriesIngress), deliveriesEgress: ul(s.deliveriesEgress), deliveriesTransit: ul(s.deliveriesTransit),
    deliveriesIngressRouteContainer: ul(s.deliveriesIngressRouteContainer), deliveriesEgressRouteContainer: ul(s.deliveriesEgressRouteContainer),
    deliveriesRedirectedToFallback: ul(s.deliveriesRedirectedToFallback), linksBlocked: ui(s.linksBlocked),
    uptimeSeconds: ui((Date.now() - node.startedAt) / 1000), memoryUsage: ul(process.memoryUsage().rss), workerThreads: i32(router.workerThreads),
    // Configuration attributes (READ shows them; a QUERY for all returns the columns above).
    ...Object.fromEntries(Object.entries(router.attributes ?? {}).filter(([k]) => !ROUTER_OWN.has(k)).map(([k, v]) => [k, configValue(v)])),
  }];
}
