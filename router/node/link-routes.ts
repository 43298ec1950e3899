// The link routes of a router (reference §6.1): which are active (a route-container connection
// named by `connection` or with the remote container-id `containerId` is open), their keys
// advertised to the mesh and the ones learned from it, and the routing of attaches: to a local
// route-container connection, else toward a router advertising the route, else refused with
// `qd:no-route-to-dest`. `list()` is what management shows (operStatus per linkRoute).

import type { Link, LocalAttach } from '../amqp/link';
import { ErrorCondition, symbolList } from '../amqp/performatives';
import { classifyInterRouterAttach } from '../mesh/inter-router-links';
import { TREATMENT_HINTS } from '../core/linkstate';
import { ActivationChange, LinkRouteAddress, LinkRouteConfig, LinkRouteTable, isLinkRouteKey } from '../core/link-route-table';
import { ClientConnection } from './client-connection';
import type { InterRouterConnection } from './inter-router-connection';
import { forwardTerminus, routingAddress, survivesDisconnect, toExternal, withAddress } from './link-route-termini';
import { routedLinkSession } from './link-route-sessions';
import { FarLink, RoutedLink } from './routed-link';
import type { RouterNode } from './router-node';

export type { LinkRouteConfig } from '../core/link-route-table';

/** A configured link route as management lists it (router.config.linkRoute). */
export interface LinkRouteStatus extends LinkRouteConfig {
  distribution: 'linkBalanced';
  operStatus: 'active' | 'inactive';
}

const NO_ROUTE: ErrorCondition = { condition: 'qd:no-route-to-dest', description: 'No route to the destination node' };
const LINK_EXPIRATION: ErrorCondition = { condition: 'qd:link-expiration', description: 'Requested link expiration not allowed' };

export class LinkRoutes {
  readonly table: LinkRouteTable<ClientConnection>;
  /** Routed links in place (both sides not yet detached). */
  readonly links = new Set<RoutedLink>();

  constructor(private readonly node: RouterNode, configs: readonly LinkRouteConfig[] = [], private readonly allowResumable = true) {
    this.table = new LinkRouteTable(configs);
  }

  /** Every configured link route with its state (for management). */
  list(): LinkRouteStatus[] {
    return this.table.routes.map((r) => ({ ...r.config, distribution: 'linkBalanced', operStatus: r.operStatus }));
  }

  private get log() { return this.node.log.core; }

  /** A route created at run time (management): active at once if a matching connection is open. */
  add(config: LinkRouteConfig): void {
    if (this.table.routes.some((r) => r.config.name === config.name)) throw new Error(`a link route named ${config.name} exists already`);
    this.table.addRoute(config);
    for (const c of this.node.connections) if (c.connection.remoteOpen) this.connectionOpened(c);
  }

  /** Removes a route (management DELETE); links it routed already stay until they detach. */
  remove(name: string): boolean {
    const change = this.table.removeRoute(name);
    if (!change) return false;
    for (const key of change.withdraw) {
      this.log.info(`Link route ${key} deactivated: ${name} deleted`);
      this.node.mesh?.engine.removeLocalAddress(key);
    }
    return true;
  }

  // ---- activation ----

  connectionOpened(c: ClientConnection): void {
    if (c.role !== 'route-container') return;
    this.apply(this.table.connectionOpened(c, c.spec.name, c.connection.remoteContainerId), c);
  }

  connectionClosed(c: ClientConnection): void {
    if (c.role !== 'route-container') return;
    this.apply(this.table.connectionClosed(c), c);
  }

  /** Keys that became (in)active locally are advertised to (withdrawn from) the mesh by MAU. */
  private apply(change: ActivationChange, c: ClientConnection): void {
    const engine = this.node.mesh?.engine;
    for (const key of change.advertise) {
      this.log.info(`Link route ${key} activated by [C${c.id}] (${c.spec.name})`);
      engine?.addLocalAddress(key, TREATMENT_HINTS['link-balanced']);
    }
    for (const key of change.withdraw) {
      this.log.info(`Link route ${key} deactivated: [C${c.id}] (${c.spec.name}) closed`);
      engine?.removeLocalAddress(key);
    }
  }

  // ---- keys learned from other routers ----

  /** True when `key` is a link-route key (then it is not a mobile address). */
  remoteAdded(key: string, router: string): boolean { return this.table.remoteAdded(key, router); }

  remoteRemoved(key: string, router: string): boolean {
    if (!isLinkRouteKey(key)) return false;
    this.table.remoteRemoved(key, router);
    return true;
  }

  routerGone(router: string): void { this.table.routerGone(router); }

  // ---- attaches ----

  /**
   * A peer attached a link on a client, route-container or inter-router connection. When its
   * address matches a link route (before any normal address lookup) it is forwarded or
   * refused here, and true is returned.
   */
  onAttach(link: Link, from: ClientConnection | InterRouterConnection): boolean {
    const a = link.remoteAttach!;
    if (from instanceof ClientConnection) {
      const caps = symbolList(link.remoteTerminus?.capabilities);
      if (caps.includes('qd.router') || caps.includes('qd.router-data')) return false;
    } else if (!from.ready || classifyInterRouterAttach(a) !== 'none') return false;

    const incoming = !link.isSender; // the peer sends: `in` routes
    const address = routingAddress(a, incoming);
    const lr = address === undefined ? undefined : this.table.match(address, incoming ? 'in' : 'out');
    if (!lr) return false;
    if (!this.allowResumable && survivesDisconnect(incoming ? a.target : a.source)) return this.refuse(link, from, LINK_EXPIRATION);

    // On the first router the name gets the client's container-id: names stay unique beyond it.
    const name = from instanceof ClientConnection ? `${link.name}@${from.connection.remoteContainerId ?? ''}` : link.name;
    const far = this.towardContainer(lr, link, from, name) ?? this.towardRouter(lr, link, from, name);
    if (!far) return this.refuse(link, from, NO_ROUTE);
    const routed = new RoutedLink(link, far.link, (r) => this.links.delete(r));
    this.links.add(routed);
    this.log.debug(`[C${from.id}] link ${link.name} (${incoming ? 'in' : 'out'} ${address}) routed by ${lr.key} to ${far.toward}`);
    return true;
  }

  /** A local route-container connection (round-robin), with the route's external-prefix rewrite. */
  private towardContainer(lr: LinkRouteAddress<ClientConnection>, link: Link, from: ClientConnection | InterRouterConnection, name: string): { link: FarLink; toward: string } | undefined {
    const local = lr.pickLocal(from instanceof ClientConnection ? from : undefined);
    if (!local) return undefined;
    const incoming = !link.isSender;
    const { session, dedicated } = routedLinkSession(local.conn.connection, false, name, incoming);
    const far: FarLink = { session, dedicated, name, attach: farAttach(link) };
    const c = local.route.config;
    if (c.addExternalPrefix !== undefined || c.delExternalPrefix !== undefined) {
      const prefixes = { add: c.addExternalPrefix, del: c.delExternalPrefix };
      const which = incoming ? 'target' : 'source';
      const ext = toExternal(far.attach[which]?.address, prefixes);
      far.attach[which] = withAddress(far.attach[which], ext.address);
      far.rewrite = { terminus: which, prefixes, stripped: ext.stripped };
    }
    return { link: far, toward: `[C${local.conn.id}] (${local.conn.spec.name})` };
  }

  /** A router advertising the route (round-robin), through the connection toward it. */
  private towardRouter(lr: LinkRouteAddress<ClientConnection>, link: Link, from: ClientConnection | InterRouterConnection, name: string): { link: FarLink; toward: string } | undefined {
    const arrival = from instanceof ClientConnection ? undefined : from;
    const router = lr.pickRemote((r) => this.nextHop(r, arrival) !== undefined);
    const next = router === undefined ? undefined : this.nextHop(router, arrival);
    if (!next) return undefined;
    const { session, dedicated } = routedLinkSession(next.connection, true, name, !link.isSender);
    return { link: { session, dedicated, name, attach: farAttach(link) }, toward: `router ${router} via [C${next.id}]` };
  }

  /** The inter-router connection toward `router`, if it is up and not the one the attach came by. */
  private nextHop(router: string, arrival: InterRouterConnection | undefined): InterRouterConnection | undefined {
    const id = this.node.mesh?.engine.connectionTo(router);
    if (id === undefined) return undefined;
    for (const c of this.node.interRouterConnections) {
      if (String(c.id) === String(id)) return c.ready && c !== arrival ? c : undefined;
    }
    return undefined;
  }

  private refuse(link: Link, from: ClientConnection | InterRouterConnection, error: ErrorCondition): true {
    this.log.info(`[C${from.id}] attach of ${link.name} refused: ${error.condition} ${error.description ?? ''}`);
    link.refuse(error);
    return true;
  }
}

/** The attach sent on: copies of the peer's termini and link properties (reference §6.1 step 3). */
function farAttach(link: Link): LocalAttach {
  const a = link.remoteAttach!;
  return {
    source: forwardTerminus(a.source), target: forwardTerminus(a.target),
    sndSettleMode: a.sndSettleMode, rcvSettleMode: a.rcvSettleMode,
    offeredCapabilities: a.offeredCapabilities, desiredCapabilities: a.desiredCapabilities, properties: a.properties,
    maxMessageSize: a.maxMessageSize === undefined ? undefined : Number(a.maxMessageSize),
  };
}
