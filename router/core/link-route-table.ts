// Link routes (reference §6.1): the configured routes of this router, which route-container
// connections activate them, the routes other routers advertise (C/D/E/F keys learned by MAU),
// and the match of an attach's address against both. No I/O: the node layer opens the links.
//
// One link-route address per key (and pattern): several configured routes may share it (one per
// broker connection), and any number of remote routers may advertise it. Attaches go to an
// active local connection first (round-robin), else to an advertising router (round-robin,
// not by cost), as qdrouterd does.

import { PatternTable, canonicalPattern, prefixToPattern } from './address-pattern';
import { LinkRouteDirection, linkRouteHashKey, linkRouteKeyToPattern, stripSchemeAndHost } from './address-key';

export interface LinkRouteConfig {
  /** The configuration entity's name (management lists routes by it). */
  name: string;
  prefix?: string;
  pattern?: string;
  direction: LinkRouteDirection;
  /** Name of the listener or connector whose connections activate the route. */
  connection?: string;
  /** Remote container-id of the connections that activate the route. */
  containerId?: string;
  addExternalPrefix?: string;
  delExternalPrefix?: string;
}

/** A configured link route and the route-container connections that currently activate it. */
export class ConfiguredLinkRoute<C> {
  readonly active: C[] = [];
  constructor(readonly config: LinkRouteConfig, readonly key: string) {}
  get operStatus(): 'active' | 'inactive' { return this.active.length > 0 ? 'active' : 'inactive'; }
}

/** A link-route address: the configured routes sharing its pattern, the routers advertising it. */
export class LinkRouteAddress<C> {
  readonly routes: ConfiguredLinkRoute<C>[] = [];
  /** Routers that advertised it, with the key(s) each used. */
  readonly remotes = new Map<string, Set<string>>();
  private localCursor = 0;
  private remoteCursor = 0;

  constructor(readonly key: string, readonly pattern: string, readonly direction: LinkRouteDirection) {}

  get locallyActive(): boolean { return this.routes.some((r) => r.active.length > 0); }

  /** The next active local connection (and the route it belongs to), skipping `except`. */
  pickLocal(except?: C): { route: ConfiguredLinkRoute<C>; conn: C } | undefined {
    const all: { route: ConfiguredLinkRoute<C>; conn: C }[] = [];
    for (const route of this.routes) for (const conn of route.active) if (conn !== except) all.push({ route, conn });
    if (all.length === 0) return undefined;
    return all[this.localCursor++ % all.length];
  }

  /** The next advertising router that `reachable` accepts. */
  pickRemote(reachable: (router: string) => boolean): string | undefined {
    const all = [...this.remotes.keys()].filter(reachable).sort();
    if (all.length === 0) return undefined;
    return all[this.remoteCursor++ % all.length];
  }

  get idle(): boolean { return this.routes.length === 0 && this.remotes.size === 0; }
}

/** What `connectionOpened`/`connectionClosed` changed: keys to advertise or withdraw. */
export interface ActivationChange { advertise: string[]; withdraw: string[] }

export class LinkRouteTable<C> {
  readonly routes: ConfiguredLinkRoute<C>[];
  private readonly trees: Record<LinkRouteDirection, PatternTable<LinkRouteAddress<C>>> = { in: new PatternTable(), out: new PatternTable() };
  private readonly byKey = new Map<string, LinkRouteAddress<C>>();

  constructor(configs: readonly LinkRouteConfig[]) {
    this.routes = [];
    for (const config of configs) this.addRoute(config);
  }

  /** A configured route (file or management CREATE), inactive until a connection activates it. */
  addRoute(config: LinkRouteConfig): ConfiguredLinkRoute<C> {
    const key = linkRouteHashKey(config, config.direction);
    const route = new ConfiguredLinkRoute<C>(config, key);
    const pattern = config.prefix !== undefined ? prefixToPattern(config.prefix) : config.pattern!;
    this.obtain(key, pattern, config.direction).routes.push(route);
    this.routes.push(route);
    return route;
  }

  /** Removes a route by name; the keys no longer locally active are to be withdrawn. */
  removeRoute(name: string): ActivationChange | undefined {
    const i = this.routes.findIndex((r) => r.config.name === name);
    if (i < 0) return undefined;
    const [route] = this.routes.splice(i, 1);
    const address = this.byKey.get(route.key)!;
    const was = address.locallyActive;
    address.routes.splice(address.routes.indexOf(route), 1);
    const change: ActivationChange = { advertise: [], withdraw: was && !address.locallyActive ? [address.key] : [] };
    this.releaseIfIdle(address);
    return change;
  }

  /**
   * A route-container connection opened (its listener's or connector's `name`, the peer's
   * container-id): the routes it activates. Returns the keys that became locally active.
   */
  connectionOpened(conn: C, name: string | undefined, containerId: string | undefined): ActivationChange {
    const change: ActivationChange = { advertise: [], withdraw: [] };
    for (const route of this.routes) {
      const c = route.config;
      const matches = (c.connection !== undefined && c.connection === name) || (c.containerId !== undefined && c.containerId === containerId);
      if (!matches || route.active.includes(conn)) continue;
      const address = this.byKey.get(route.key)!;
      const was = address.locallyActive;
      route.active.push(conn);
      if (!was) change.advertise.push(address.key);
    }
    return change;
  }

  /** A connection closed: the routes it activated; returns the keys no longer locally active. */
  connectionClosed(conn: C): ActivationChange {
    const change: ActivationChange = { advertise: [], withdraw: [] };
    for (const route of this.routes) {
      const i = route.active.indexOf(conn);
      if (i < 0) continue;
      route.active.splice(i, 1);
      const address = this.byKey.get(route.key)!;
      if (!address.locallyActive && !change.withdraw.includes(address.key)) change.withdraw.push(address.key);
    }
    return change;
  }

  /** A router advertised a link-route key (MAU). False if the key is not a link-route key. */
  remoteAdded(key: string, router: string): boolean {
    const parsed = linkRouteKeyToPattern(key);
    if (!parsed) return false;
    const address = this.obtain(key, parsed.pattern, parsed.direction);
    let keys = address.remotes.get(router);
    if (!keys) address.remotes.set(router, (keys = new Set()));
    keys.add(key);
    return true;
  }

  remoteRemoved(key: string, router: string): void {
    const address = this.byKey.get(key);
    const keys = address?.remotes.get(router);
    if (!address || !keys) return;
    keys.delete(key);
    if (keys.size === 0) address.remotes.delete(router);
    this.releaseIfIdle(address);
  }

  /** A router is gone: everything it advertised goes with it. */
  routerGone(router: string): void {
    for (const address of new Set(this.byKey.values())) {
      if (address.remotes.delete(router)) this.releaseIfIdle(address);
    }
  }

  /**
   * The link-route address for an attach's address (scheme and host removed), best match in
   * the tree of that direction: `in` for the router's incoming links (the peer is a sender).
   */
  match(address: string, direction: LinkRouteDirection): LinkRouteAddress<C> | undefined {
    return this.trees[direction].match(stripSchemeAndHost(address));
  }

  get(key: string): LinkRouteAddress<C> | undefined { return this.byKey.get(key); }

  /** The address for a key, shared with any key of the same direction and pattern. */
  private obtain(key: string, pattern: string, direction: LinkRouteDirection): LinkRouteAddress<C> {
    let address = this.byKey.get(key);
    if (address) return address;
    address = this.trees[direction].get(pattern);
    if (!address) {
      address = new LinkRouteAddress<C>(key, canonicalPattern(pattern), direction);
      this.trees[direction].add(pattern, address);
    }
    this.byKey.set(key, address);
    return address;
  }

  private releaseIfIdle(address: LinkRouteAddress<C>): void {
    if (!address.idle) return;
    this.trees[address.direction].remove(address.pattern);
    for (const [key, a] of this.byKey) if (a === address) this.byKey.delete(key);
  }
}

/** Link-route keys (reference §4.2): C/D prefix in/out, E/F pattern in/out. */
export function isLinkRouteKey(key: string): boolean {
  const c = key[0];
  return c === 'C' || c === 'D' || c === 'E' || c === 'F';
}
