// A running router: its listeners, connections, address table and delivery router. The daemon
// (weftd) builds one from a configuration; an embedding Node process can build one directly.

import * as net from 'node:net';
import { Connection, ConnectionOptions } from '../amqp/connection';
import { INTER_ROUTER_CAPABILITIES, interRouterOpenProperties } from '../mesh/inter-router-open';
import type { LinkStateTimers } from '../core/linkstate';
import { InterRouterConnection } from './inter-router-connection';
import { Mesh } from './mesh';
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
import { Consumer, Producer, RouterAddress } from './links';
import { ListenerSpec, connectorListenerSpec } from './listener-spec';
import { RouterStats } from './stats';
import type { PlainUsers } from './sasl-users';
import { LinkRoutes, LinkRouteConfig } from './link-routes';
import { withLinkRoutes } from './link-route-events';

export const WEFT_VERSION = '0.1.0';

export interface RouterNodeOptions {
  id: string;
  mode: 'standalone' | 'interior' | 'edge';
  defaultDistribution?: Distribution;
  addresses?: AddressRule[];
  logging?: Logging;
  random?: () => number;
  /** Users for PLAIN on listeners with authenticatePeer (sasl-users.ts). */
  plainUsers?: PlainUsers;
  /** Link-state timers (router helloIntervalSeconds etc.), in ms. */
  linkStateTimers?: Partial<LinkStateTimers>;
  /** linkRoute entities (reference §6.1). */
  linkRoutes?: LinkRouteConfig[];
  /** router.allowResumableLinkRoute (default true). */
  allowResumableLinkRoute?: boolean;
}

export interface RunningListener { spec: ListenerSpec; server: net.Server; port: number }

export class RouterNode {
  readonly id: string;
  readonly stats = new RouterStats();
  readonly addresses: AddressTable<Consumer, InDelivery>;
  readonly deliveries = new DeliveryRouter(this);
  readonly connections = new Set<ClientConnection>();
  readonly listeners = new Map<string, RunningListener>();
  readonly logging: Logging;
  readonly log: { server: ModuleLogger; core: ModuleLogger; router: ModuleLogger; message: ModuleLogger; routerLs: ModuleLogger; routerHello: ModuleLogger; connMgr: ModuleLogger };
  readonly random: () => number;
  /** The link-state mesh (interior routers only). */
  readonly mesh: Mesh | undefined;
  readonly interRouterConnections = new Set<InterRouterConnection>();
  readonly connectors = new Map<string, Connector>();
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
    this.addresses = new AddressTable<Consumer, InDelivery>({ routerId: this.id, mode: options.mode }, options.defaultDistribution ?? 'balanced', options.addresses ?? []);
    this.linkRoutes = new LinkRoutes(this, options.linkRoutes, options.allowResumableLinkRoute ?? true);
    if (options.mode === 'interior') {
      this.mesh = new Mesh(this, options.linkStateTimers);
      this.mesh.start();
    }
  }

  /** Delivery tags from one router-wide counter (8 bytes on the wire, as qdrouterd's). */
  nextTag(): number {
    this.tagCounter = this.tagCounter === Number.MAX_SAFE_INTEGER ? 1 : this.tagCounter + 1;
    return this.tagCounter;
  }

  // ---- addresses as the mesh sees them ----

  /** The first local consumer of an address: senders get credit, the mesh advertises it. */
  firstLocalConsumer(address: RouterAddress): void {
    this.mesh?.addLocal(address);
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

  /** Starts a listener; resolves with the port it is bound to (port 0 picks a free one). */
  listen(spec: ListenerSpec): Promise<RunningListener> {
    if (spec.role === 'edge') return Promise.reject(new Error(`listener ${spec.name}: role edge is not supported yet`));
    if (spec.role === 'inter-router' && !this.mesh) return Promise.reject(new Error(`listener ${spec.name}: role inter-router needs router mode interior`));
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(spec, socket));
      server.once('error', reject);
      server.listen(spec.port, spec.host === '' ? undefined : spec.host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log.server.error(`listener ${spec.name}: ${err.message}`));
        const port = (server.address() as net.AddressInfo).port;
        const running = { spec, server, port };
        this.listeners.set(spec.name, running);
        this.log.server.notice(`Listening on ${spec.host || '0.0.0.0'}:${port}`);
        resolve(running);
      });
    });
  }

  private accept(spec: ListenerSpec, socket: net.Socket): void {
    const id = this.nextConnectionId++;
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    if (spec.role === 'inter-router') {
      const irc = new InterRouterConnection(this, id, false, spec.cost ?? 1, spec.linkCapacity, peer);
      irc.connection = new Connection(socket, this.interRouterOptions(id, spec.cost ?? 1, spec, true), withLinkRoutes(this.linkRoutes, irc));
      this.interRouterConnections.add(irc);
      return;
    }
    const client = new ClientConnection(this, id, spec, peer, 'in');
    const mechanisms = spec.saslMechanisms ?? (spec.authenticatePeer ? ['PLAIN'] : ['ANONYMOUS', 'PLAIN']);
    client.connection = new Connection(socket, {
      server: true,
      containerId: this.id,
      maxFrameSize: Math.max(512, spec.maxFrameSize),
      channelMax: spec.maxSessions - 1,
      idleTimeoutMs: spec.idleTimeoutSeconds * 1000,
      sasl: {
        mechanisms: spec.authenticatePeer ? mechanisms.filter((m) => m !== 'ANONYMOUS') : mechanisms,
        // Without authentication any PLAIN identity is taken as given; with it, only known users pass.
        checkPlain: spec.authenticatePeer ? (user, password) => this.options.plainUsers?.get(user) === password : undefined,
      },
      requireSasl: spec.authenticatePeer,
      sessionWindow: spec.maxSessionFrames,
      offeredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links'],
      properties: new AmqpMap([[sym('product'), 'weft'], [sym('version'), WEFT_VERSION], [sym('qd.conn-id'), int(id)]]),
      trace: this.frameTrace(id),
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
    const connector = new Connector(spec, this.log.connMgr, (socket) => {
      const id = this.nextConnectionId++;
      const peer = `${spec.host}:${spec.port}`;
      if (spec.role === 'inter-router') {
        const irc = new InterRouterConnection(this, id, true, spec.cost, spec.linkCapacity, peer);
        irc.connection = new Connection(socket, this.interRouterOptions(id, spec.cost, spec, false, { host: spec.host, username: spec.saslUsername, password: spec.saslPassword }), withLinkRoutes(this.linkRoutes, irc));
        this.interRouterConnections.add(irc);
        return irc.connection;
      }
      // normal / route-container: we are the AMQP client, and the peer (a broker, a service)
      // attaches and is attached to like any client connection.
      const client = new ClientConnection(this, id, connectorListenerSpec(spec), peer, 'out');
      client.connection = new Connection(socket, {
        server: false,
        containerId: this.id,
        hostname: spec.host,
        maxFrameSize: Math.max(512, spec.maxFrameSize),
        channelMax: spec.maxSessions - 1,
        idleTimeoutMs: spec.idleTimeoutSeconds * 1000,
        saslClient: { mechanisms: spec.saslMechanisms, username: spec.saslUsername, password: spec.saslPassword },
        offeredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links'],
        properties: new AmqpMap([[sym('product'), 'weft'], [sym('version'), WEFT_VERSION], [sym('qd.conn-id'), int(id)]]),
        trace: this.frameTrace(id),
      }, withLinkRoutes(this.linkRoutes, client));
      this.connections.add(client);
      return client.connection;
    });
    this.connectors.set(spec.name, connector);
    connector.start();
    return connector;
  }

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

  logDroppedPresettled(p: Producer, state: DeliveryState): void {
    const now = Date.now();
    // One line per second at most: a flood of drops must not become a flood of logs.
    if (now - this.lastDropLogAt < 1000) return;
    this.lastDropLogAt = now;
    this.log.router.warning(`pre-settled delivery from [C${p.conn.id}] link ${p.link.name} could not be delivered (${state.code === 0x26 ? 'no consumer' : 'refused'}); ${this.stats.droppedPresettledDeliveries} dropped so far`);
  }

  async stop(): Promise<void> {
    this.mesh?.stop();
    for (const c of this.connectors.values()) c.stop();
    for (const c of this.interRouterConnections) c.connection.close({ condition: 'amqp:connection:forced', description: 'router shutting down' });
    for (const l of this.listeners.values()) l.server.close();
    for (const c of this.connections) c.connection.close({ condition: 'amqp:connection:forced', description: 'router shutting down' });
    this.listeners.clear();
  }
}
