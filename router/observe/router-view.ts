// What /metrics and /readyz read of a running router, in one place. Counters that other work
// adds or renames (RouterStats fields, Address deliveriesIn → deliveriesIngress, link routes,
// auto-links) are read by name and count 0 until they exist, so that each side builds alone.

import type { RouterNode } from '../node/router-node';
import type { RouterAddress } from '../node/links';
import type { MeshState } from './readiness';

export interface RouterCounts {
  connections: number;
  links: number;
  addresses: number;
  /** Other routers known to the link-state engine. */
  routers: number;
  linkRoutes: number;
  autoLinks: number;
}

export interface AddressCounters {
  key: string;
  deliveriesIn: number;
  deliveriesOut: number;
  /** Deliveries waiting for a consumer with credit. */
  undelivered: number;
  localConsumers: number;
}

/** What the metrics read, as an interface so that tests can give their own. */
export interface MetricsSource {
  /** A router counter by its management name (reference §7.6), 0 while it does not exist. */
  stat(name: string): number;
  counts(): RouterCounts;
  addresses(): Iterable<AddressCounters>;
}

export function metricsSource(node: RouterNode): MetricsSource {
  return {
    stat: (name) => numberField(node.stats, name),
    counts: () => routerCounts(node),
    addresses: () => mapIterable(node.addresses.values(), addressCounters),
  };
}

export function addressCounters(a: RouterAddress): AddressCounters {
  return {
    key: a.key,
    deliveriesIn: numberField(a, 'deliveriesIngress') || numberField(a, 'deliveriesIn'),
    deliveriesOut: numberField(a, 'deliveriesEgress') || numberField(a, 'deliveriesOut'),
    undelivered: a.waiting.length,
    localConsumers: a.consumers.length,
  };
}

function routerCounts(node: RouterNode): RouterCounts {
  let links = 0;
  for (const c of [...node.connections, ...node.interRouterConnections]) {
    for (const s of c.connection.sessions.values()) links += s.links.size;
  }
  return {
    connections: node.connections.size + node.interRouterConnections.size,
    links,
    addresses: node.addresses.size,
    routers: node.mesh?.engine.knownRouters().length ?? 0,
    linkRoutes: sizeField(node, 'linkRoutes'),
    autoLinks: sizeField(node, 'autoLinks'),
  };
}

/** The mesh as readiness needs it. */
export function meshState(node: RouterNode): MeshState {
  const neighbours = node.mesh?.engine.neighbours();
  const connectors = [...node.connectors.values()].map((c) => {
    const irc = c.connection && [...node.interRouterConnections].find((x) => x.connection === c.connection);
    const neighbour = irc?.routerId !== undefined && neighbours?.has(irc.routerId) ? irc.routerId : undefined;
    return { name: c.spec.name, target: `${c.spec.host}:${c.spec.port}`, status: c.status, lastError: c.lastError, neighbour };
  });
  return { started: node.started, self: node.id, connectors, routers: node.mesh?.engine.routerNodes() };
}

function numberField(o: object, name: string): number {
  const v = (o as Record<string, unknown>)[name];
  return typeof v === 'number' ? v : 0;
}

/** A collection's size (Map, Set or array) by field name, 0 when absent. */
function sizeField(o: object, name: string): number {
  const v = (o as Record<string, unknown>)[name] as { size?: unknown; length?: unknown } | undefined;
  if (v === null || typeof v !== 'object') return 0;
  const n = v.size ?? v.length;
  return typeof n === 'number' ? n : 0;
}

function* mapIterable<T, U>(it: Iterable<T>, f: (t: T) => U): Iterable<U> {
  for (const t of it) yield f(t);
}
