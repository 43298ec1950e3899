// A running router: its listeners, connections, address table and delivery router. The daemon
// (weftd) builds one from a configuration; an embedding Node process can build one directly.

import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { Connection, ConnectionOptions } from '../amqp/connection';
import { INTER_ROUTER_CAPABILITIES, interRouterOpenProperties } from '../mesh/inter-router-open';
import type { LinkStateTimers } from '../core/linkstate';
import { InterRouterConnection } from './inter-router-connection';
import { Mesh } from './mesh';
import type { ReloadReport } from './reload-report';
import { Connector, ConnectorSpec } from './connector';
import { AmqpMap, sym, int } from '../amqp/codec/values';
import { AddressTable, AddressRule } from '../core/address-table';
import type { Distribution } from '../core/destination';
import { randomId } from '../core/random-id';
import type { DeliveryState } from '../amqp/performatives';
import type { InDelivery } from '../amqp/delivery';
import { Logging, ModuleLogger } from '../observe/logger';
import { formatFrame } from '../observe/frame-trace';
import { ClientConnection } from './client-connection';
import { DeliveryRouter } from './delivery-router';
import { Consumer, InProcessEndpoint, Producer, RouterAddress } from './links';
import type { Link } from '../amqp/link';
import { ListenerSpec, connectorListenerSpec } from './listener-spec';
import { RouterStats } from './stats';
import type { PlainUsers } from './sasl-users';
import { createHttpListener } from '../observe/http-listener';
import { logAccepted } from './connection-log';
import type { AutoLinkConfig } from '../core/auto-link-config';
import { AutoLinks } from './auto-links';
import { Originator } from './originator';
import { ConfigEntities } from './config-entities';
import { sweepStats } from './stats-sweep';
import { LinkRoutes, LinkRouteConfig } from './link-routes';
import { withLinkRoutes } from './link-route-events';

export const WEFT_VERSION = '0.1.0';

export interface RouterNodeOptions {
  id: string;
  mode: 'standalone' | 'interior' | 'edge';
  defaultDistribution?: Distribution;
  /** Configured `address` rules; `name` is the entity's (unnamed ones get `address/<index>`). */
  addresses?: Array<AddressRule & { name?: string }>;
  logging?: Logging;
  random?: () => number;
  /** Users for PLAIN on listeners with authenticatePeer (sasl-users.ts). */
  plainUsers?: PlainUsers;
  /** Link-state timers (router helloIntervalSeconds etc.), in ms. */
  linkStateTimers?: Partial<LinkStateTimers>;
  /** Addresses with their own series on /metrics (router metricsAddressLimit; default 100). */
  metricsAddressLimit?: number;
  /** autoLink entities (reference §6.2). */
  autoLinks?: AutoLinkConfig[];
  /** linkRoute entities (reference §6.1). */
  linkRoutes?: LinkRouteConfig[];
  /** router.allowResumableLinkRoute (default true). */
  allowResumableLinkRoute?: boolean;
}

export interface RunningListener { spec: ListenerSpec; server: net.Server; port: number }

export class RouterNode {
  readonly id: string;
  readonly stats = new RouterStats();
  readonly addresses: AddressTable<Consumer, InDelivery, InProcessEndpoint>;
  readonly deliveries = new DeliveryRouter(this);
  readonly connections = new Set<ClientConnection>();
  readonly listeners = new Map<string, RunningListener>();
  readonly logging: Logging;
  readonly log: { server: ModuleLogger; core: ModuleLogger; router: ModuleLogger; message: ModuleLogger; routerLs: ModuleLogger; routerHello: ModuleLogger; connMgr: ModuleLogger };
  readonly random: () => number;
  /** Re-reads the configuration and applies the difference (set by weftd; management calls it). */
  reloadConfig?: () => Promise<ReloadReport>;
  /** The link-state mesh (interior routers only). */
  readonly mesh: Mesh | undefined;
  readonly interRouterConnections = new Set<InterRouterConnection>();
  readonly connectors = new Map<string, Connector>();
  /** Every configured listener and connector has been started (weftd sets it; /readyz waits for it). */
  started = false;
  /** Auto-links by name, with their operStatus and lastError (auto-links.ts). */
  readonly autoLinks: AutoLinks;
  /** Messages the router sends itself (management replies). */
  readonly originated = new Originator(this);
  /** Configuration entities for management and the link-route code (config-entities.ts). */
  readonly configEntities = new ConfigEntities();
  readonly startedAt = Date.now();
  private readonly sweepTimer: NodeJS.Timeout;
  /** Connections accepted on listeners since start (policy's connectionsProcessed). */
  connectionsAccepted = 0;
  /** Link routes: their state (management lists it) and the links they route. */
  readonly linkRoutes: LinkRoutes;
  private tagCounter = 0;
  private nextConnectionId = 1;
  private lastDropLogAt = 0;

  constructor(readonly options: RouterNodeOptions) {
    this.id = options.id;
    this.random = options.random ?? Math.random;
    this.logging = options.logging ?? new Logging();
    this.log = {
      server: this.logging.module('SERVER'), core: this.logging.module('ROUTER_CORE'),
      router: this.logging.module('ROUTER'), message: this.logging.module('MESSAGE'),
      routerLs: this.logging.module('ROUTER_LS'), routerHello: this.logging.module('ROUTER_HELLO'), connMgr: this.logging.module('CONN_MGR'),
    };
    this.addresses = new AddressTable<Consumer, InDelivery, InProcessEndpoint>({ routerId: this.id, mode: options.mode }, options.defaultDistribution ?? 'balanced', options.addresses ?? []);
    this.sweepTimer = setInterval(() => sweepStats(this, Math.floor(Date.now() / 1000)), 1000);
    this.sweepTimer.unref();
    this.linkRoutes = new LinkRoutes(this, options.linkRoutes, options.allowResumableLinkRoute ?? true);
    if (options.mode === 'interior') {
      this.mesh = new Mesh(this, options.linkStateTimers);
      this.mesh.start();
    }
    this.autoLinks = new AutoLinks(this, options.autoLinks ?? []);
  }

  /** Delivery tags from one router-wide counter (8 bytes on the wire, as qdrouterd's). */
  nextTag(): number {
    this.tagCounter = this.tagCounter === Number.MAX_SAFE_INTEGER ? 1 : this.tagCounter + 1;
    return this.tagCounter;
  }

  /** Link identities ([L<n>] in logs, management's link identity), router-wide from 1. */
  nextLinkId(): number { return ++this.linkIds; }
  private linkIds = 0;

  /** A link's identity, numbered now if the logs have not seen it yet (one still attaching). */
  linkIdentity(link: { identity: number }): number {
    if (link.identity === 0) link.identity = this.nextLinkId();
    return link.identity;
  }

  // ---- addresses as the mesh sees them ----

  /** The first local consumer of an address: senders get credit, the mesh advertises it. */
  firstLocalConsumer(address: RouterAddress): void {
    if (address.inProcess === undefined) this.mesh?.addLocal(address); // in-process addresses stay local

    for (const p of address.senders) (p as Producer).grant();
  }

  lastLocalConsumerGone(address: RouterAddress): void {
    this.mesh?.removeLocal(address);
    this.destinationsChanged(address);
  }

  remoteAddressAdded(key: string, router: string, hint: number | undefined): void {
    if (this.linkRoutes.remoteAdded(key, router)) return;
    const address = this.addresses.obtain(key);
    const first = !address.hasDestinations;
    address.remotes.set(router, hint);
    if (first) for (const p of address.senders) (p as Producer).grant();
  }

  remoteAddressRemoved(key: string, router: string): void {
    if (this.linkRoutes.remoteRemoved(key, router)) return;
    const address = this.addresses.get(key);
    if (!address || !address.remotes.delete(router)) return;
    this.destinationsChanged(address);
  }

  /** Another router is known: its own address space (`_topo/0/<id>/...`, key R<id>) leads to it. */
  routerAdded(router: string): void {
    const address = this.addresses.obtain(`R${router}`);
    const first = !address.hasDestinations;
    address.remotes.set(router, undefined);
    if (first) for (const p of address.senders) (p as Producer).grant();
  }

  routesChanged(): void {
    for (const address of this.addresses.values()) if (address.waiting.length > 0 && address.remotes.size > 0) this.deliveries.retryWaiting(address);
  }

  routerGone(router: string): void {
    this.linkRoutes.routerGone(router);
    for (const address of [...this.addresses.values()]) {
      if (address.remotes.delete(router)) this.destinationsChanged(address);
    }
  }

  /** A destination went away: with none left, waiting deliveries go back and senders are drained. */
  private destinationsChanged(address: RouterAddress): void {
    if (!address.hasDestinations) {
      this.deliveries.noDestinations(address);
      for (const p of address.senders) (p as Producer).grant();
    }
    this.releaseAddress(address);
  }

  /**
   * An endpoint inside the router takes every delivery to these address texts (closest, never
   * advertised to the mesh): the management agent on `$management` and `_local/$management`.
   */
  addInProcess(endpoint: InProcessEndpoint, texts: string[]): void {
    for (const text of texts) {
      const address = this.addresses.obtain(this.addresses.keyOf(text, 0), { distribution: 'closest', ingressPhase: 0, egressPhase: 0 });
      address.inProcess = endpoint;
      for (const p of address.senders) (p as Producer).grant();
    }
  }

  /** Every link of every connection (management's router.link, the stats sweep). */
  *allLinks(): Generator<Link> {
    for (const c of [...this.connections, ...this.interRouterConnections]) {
      for (const s of c.connection.sessions.values()) yield* s.links.values();
    }
  }

  /** Starts a listener; resolves with the port it is bound to (port 0 picks a free one). */
  listen(spec: ListenerSpec): Promise<RunningListener> {
    if (spec.role === 'edge') return Promise.reject(new Error(`listener ${spec.name}: role edge is not supported yet`));
    if (spec.role === 'inter-router' && !this.mesh) return Promise.reject(new Error(`listener ${spec.name}: role inter-router needs router mode interior`));
    if (spec.http && spec.role !== 'normal') return Promise.reject(new Error(`listener ${spec.name}: http needs role normal`));
    return new Promise((resolve, reject) => {
      // An http listener serves /metrics, /healthz, /readyz and AMQP over WebSocket (router/observe).
      const server = spec.http ? createHttpListener(this, spec) : net.createServer((socket) => this.accept(spec, socket, `${socket.remoteAddress}:${socket.remotePort}`));
      server.once('error', reject);
      if (this.listeners.has(spec.name)) return reject(new Error(`listener ${spec.name}: a listener of that name is open already`));
      server.listen(spec.port, spec.host === '' ? undefined : spec.host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log.server.error(`listener ${spec.name}: ${err.message}`));
        const port = (server.address() as net.AddressInfo).port;
        const running = { spec, server, port };
        this.listeners.set(spec.name, running);
        this.log.server.notice(`Listening on ${spec.host || '0.0.0.0'}:${port}${spec.http ? ' (http)' : ''}`);
        resolve(running);
      });
    });
  }

  /** A connection accepted by a listener: a TCP socket, or a WebSocket as a Duplex. */
  accept(spec: ListenerSpec, socket: Duplex, peer: string): void {
    const id = this.nextConnectionId++;
    this.connectionsAccepted++;
    logAccepted(this, id, spec, peer); // connection-log.ts
    if (spec.role === 'inter-router') {
      const irc = new InterRouterConnection(this, id, false, spec.cost ?? 1, spec.linkCapacity, peer);
      irc.connection = new Connection(socket, this.interRouterOptions(id, spec.cost ?? 1, spec, true), withLinkRoutes(this.linkRoutes, irc));
      this.interRouterConnections.add(irc);
      return;
    }
    const client = new ClientConnection(this, id, spec, peer, 'in');
    const mechanisms = spec.saslMechanisms ?? (spec.authenticatePeer ? ['PLAIN'] : ['ANONYMOUS', 'PLAIN']);
    client.connection = new Connection(socket, {
      ...this.clientOptions(id, spec),
      server: true,
      sasl: {
        mechanisms: spec.authenticatePeer ? mechanisms.filter((m) => m !== 'ANONYMOUS') : mechanisms,
        // Without authentication any PLAIN identity is taken as given; with it, only known users pass.
        checkPlain: spec.authenticatePeer ? (user, password) => this.options.plainUsers?.get(user) === password : undefined,
      },
      requireSasl: spec.authenticatePeer,
      sessionWindow: spec.maxSessionFrames,
    }, withLinkRoutes(this.linkRoutes, client));
    this.connections.add(client);
  }

  connectionClosed(c: ClientConnection): void { this.connections.delete(c); }
  interRouterClosed(c: InterRouterConnection): void { this.interRouterConnections.delete(c); }

  /** The SERVER frame trace of one connection, when trace level is on. */
  frameTrace(id: number): ConnectionOptions['trace'] {
    const traceLog = this.log.server;
    return traceLog.enabled('trace') ? (dir, ch, name, fields, n) => traceLog.trace(formatFrame(id, ch, dir, name, fields, n)) : undefined;
  }

  /** Engine options every client-side connection shares, accepted (listener) or made (connector). */
  private clientOptions(id: number, spec: { maxFrameSize: number; maxSessions: number; idleTimeoutSeconds: number }): Omit<ConnectionOptions, 'server'> {
    return {
      containerId: this.id,
      maxFrameSize: Math.max(512, spec.maxFrameSize),
      channelMax: spec.maxSessions - 1,
      idleTimeoutMs: spec.idleTimeoutSeconds * 1000,
      offeredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links'],
      properties: new AmqpMap([[sym('product'), 'weft'], [sym('version'), WEFT_VERSION], [sym('qd.conn-id'), int(id)]]),
      trace: this.frameTrace(id),
    };
  }

  /** Engine options of an inter-router connection (reference §2.1, §2.2). */
  interRouterOptions(id: number, cost: number, spec: { maxFrameSize: number; maxSessions: number; idleTimeoutSeconds: number; saslMechanisms?: string[] }, server: boolean, client?: { host: string; username?: string; password?: string }): ConnectionOptions {
    return {
      server,
      containerId: this.id,
      hostname: client?.host,
      maxFrameSize: Math.max(512, spec.maxFrameSize),
      channelMax: spec.maxSessions - 1,
      idleTimeoutMs: spec.idleTimeoutSeconds * 1000,
      sasl: server ? { mechanisms: spec.saslMechanisms ?? ['ANONYMOUS', 'PLAIN'] } : undefined,
      saslClient: server ? undefined : { mechanisms: spec.saslMechanisms, username: client?.username, password: client?.password },
      offeredCapabilities: [...INTER_ROUTER_CAPABILITIES],
      desiredCapabilities: [...INTER_ROUTER_CAPABILITIES],
      properties: interRouterOpenProperties({ product: 'weft', version: WEFT_VERSION, connectionId: id, cost }),
      trace: this.frameTrace(id),
    };
  }

  /** Starts a connector: it connects, and reconnects with backoff whenever the connection drops. */
  connect(spec: ConnectorSpec): Connector {
    if (spec.role === 'edge') throw new Error(`connector ${spec.name}: role edge is not supported yet`);
    if (spec.role === 'inter-router' && !this.mesh) throw new Error(`connector ${spec.name}: role inter-router needs router mode interior`);
    const connector = new Connector(spec, this.log.connMgr, (socket, url) => {
      const id = this.nextConnectionId++;
      // The URL in use: the connector's own host:port or one of its failover URLs.
      const peer = `${url.host}:${url.port}`;
      if (spec.role === 'inter-router') {
        const irc = new InterRouterConnection(this, id, true, spec.cost, spec.linkCapacity, peer);
        irc.connection = new Connection(socket, this.interRouterOptions(id, spec.cost, spec, false, { host: url.host, username: spec.saslUsername, password: spec.saslPassword }), withLinkRoutes(this.linkRoutes, irc));
        irc.connectorName = spec.name;
        this.interRouterConnections.add(irc);
        return irc.connection;
      }
      // normal / route-container: we are the AMQP client, and the peer (a broker, a service)
      // attaches and is attached to like any client connection.
      const client = new ClientConnection(this, id, connectorListenerSpec(spec), peer, 'out');
      client.connection = new Connection(socket, {
        ...this.clientOptions(id, spec),
        server: false,
        hostname: url.host,
        saslClient: { mechanisms: spec.saslMechanisms, username: spec.saslUsername, password: spec.saslPassword },
      }, withLinkRoutes(this.linkRoutes, client));
      this.connections.add(client);
      return client.connection;
    });
    if (this.connectors.has(spec.name)) throw new Error(`connector ${spec.name}: a connector of that name exists already`);
    this.connectors.set(spec.name, connector);
    connector.start();
    return connector;
  }

  // ---- live reconfiguration (reload, management) ----

  /**
   * Stops accepting on a listener. Connections it accepted stay up until their peers close them,
   * as in qdrouterd when a listener is deleted: a reload must not cut clients off.
   */
  closeListener(name: string): Promise<void> {
    const l = this.listeners.get(name);
    if (!l) return Promise.reject(new Error(`no listener is named '${name}'`));
    this.listeners.delete(name);
    // The port is released now; the callback would wait for every connection to end.
    l.server.close();
    this.log.server.notice(`Stopped listening on ${l.spec.host || '0.0.0.0'}:${l.port}`);
    return Promise.resolve();
  }

  /** Stops a connector: no more attempts, and its connection closed with amqp:connection:forced. */
  removeConnector(name: string): void {
    const c = this.connectors.get(name);
    if (!c) throw new Error(`no connector is named '${name}'`);
    this.connectors.delete(name);
    c.stop(`connector ${name} removed`);
  }

  /** Adds an address rule (AddressTable.addRule says which addresses take it when). */
  addAddressRule(name: string, rule: AddressRule): void { this.addresses.addRule(name, rule); }

  removeAddressRule(name: string): boolean { return this.addresses.removeRule(name); }

  /** The address for a text, with the phase its configured treatment gives this direction. */
  lookupAddress(text: string, phase?: number, direction?: 'ingress' | 'egress'): RouterAddress {
    let p = phase ?? 0;
    if (direction) {
      const settings = this.addresses.settingsFor(this.addresses.keyOf(text, 0));
      p = direction === 'ingress' ? settings.ingressPhase : settings.egressPhase;
    }
    return this.addresses.obtain(this.addresses.keyOf(text, p));
  }

  releaseAddress(a: RouterAddress): void { this.addresses.release(a); }

  /** A dynamic receiver's address: topological, so it is routable from every router. */
  dynamicReplyAddress(): string { return `amqp:/_topo/0/${this.id}/temp.${randomId(this.random)}`; }
  dynamicSenderAddress(): string { return `amqp:/_$temp.${randomId(this.random)}`; }

  /** Addresses a client may not attach to: the routers' own control addresses and other routers' space. */
  forbiddenReason(text: string): string | undefined {
    const key = this.addresses.keyOf(text, 0);
    if (key.startsWith('Lqd') || key === 'L_edge') return `${text} is a router control address`;
    if (key.startsWith('R') || key.startsWith('T') || key.startsWith('A')) return `${text} belongs to another router`;
    return undefined;
  }

  /** Addresses a client may not send to: only the routers' own control addresses (another router's space is how `qdstat -r` reaches it). */
  forbiddenTargetReason(text: string): string | undefined {
    const reason = this.forbiddenReason(text);
    return reason !== undefined && this.addresses.keyOf(text, 0).startsWith('R') ? undefined : reason;
  }

  logDroppedPresettled(p: Producer, state: DeliveryState): void {
    const now = Date.now();
    // One line per second at most: a flood of drops must not become a flood of logs.
    if (now - this.lastDropLogAt < 1000) return;
    this.lastDropLogAt = now;
    this.log.router.warning(`pre-settled delivery from [C${p.conn.id}] link ${p.link.name} could not be delivered (${state.code === 0x26 ? 'no consumer' : 'refused'}); ${this.stats.droppedPresettledDeliveries} dropped so far`);
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.mesh?.stop();
    this.autoLinks.stop();
    for (const c of this.connectors.values()) c.stop();
    for (const c of this.interRouterConnections) c.connection.close({ condition: 'amqp:connection:forced', description: 'router shutting down' });
    for (const l of this.listeners.values()) l.server.close();
    for (const c of this.connections) c.connection.close({ condition: 'amqp:connection:forced', description: 'router shutting down' });
    this.listeners.clear();
  }
}
