// `router.address` entities: the address table by hash key (reference §7.5): name = identity = key.

import { i32, i64, ui, ul } from '../amqp-values';
import { PREFIX } from '../entity-types';
import type { AgentContext, Row } from './row';

export function addressRows(ctx: AgentContext): Row[] {
  const rows: Row[] = [];
  for (const a of ctx.node.addresses.values()) {
    rows.push({
      name: a.key, identity: a.key, type: `${PREFIX}.router.address`, key: a.key, distribution: a.distribution,
      inProcess: ui(a.inProcess !== undefined ? 1 : 0), subscriberCount: ui(a.consumers.length), remoteCount: ui(a.remotes.size), containerCount: ui(0),
      remoteHostRouters: [...a.remotes.keys()],
      deliveriesIngress: ul(a.deliveriesIngress), deliveriesEgress: ul(a.deliveriesEgress), deliveriesTransit: ul(a.deliveriesTransit),
      deliveriesToContainer: ul(a.deliveriesToContainer), deliveriesFromContainer: ul(a.deliveriesFromContainer),
      deliveriesEgressRouteContainer: ul(0), deliveriesIngressRouteContainer: ul(0), transitOutstanding: null, trackedDeliveries: i64(0),
      priority: i32(a.settings.priority ?? -1), deliveriesRedirectedToFallback: ul(0),
    });
  }
  return rows;
}
