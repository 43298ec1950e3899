// A running router: its listeners, connections, address table and delivery router. The daemon
// (weftd) builds one from a configuration; an embedding Node process can build one directly.

import * as net from 'node:net';
import { Connection } from '../amqp/connection';
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
import type { ListenerSpec } from './listener-spec';
import { RouterStats } from './stats';
import type { PlainUsers } from './sasl-users';

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
  readonly log: { server: ModuleLogger; core: ModuleLogger; router: ModuleLogger; message: ModuleLogger };
  private readonly random: () => number;
  private nextConnectionId = 1;
  private lastDropLogAt = 0;

  constructor(readonly options: RouterNodeOptions) {
    this.id = options.id;
    this.random = options.random ?? Math.random;
    this.logging = options.logging ?? new Logging();
    this.log = {
      server: this.logging.module('SERVER'), core: this.logging.module('ROUTER_CORE'),
      router: this.logging.module('ROUTER'), message: this.logging.module('MESSAGE'),
    };
    this.addresses = new AddressTable<Consumer, InDelivery>({ routerId: this.id, mode: options.mode }, options.defaultDistribution ?? 'balanced', options.addresses ?? []);
  }

  /** Starts a listener; resolves with the port it is bound to (port 0 picks a free one). */
  listen(spec: ListenerSpec): Promise<RunningListener> {
    if (spec.role !== 'normal') return Promise.reject(new Error(`listener ${spec.name}: role ${spec.role} is not supported yet`));
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
    const client = new ClientConnection(this, id, spec, peer);
    const mechanisms = spec.saslMechanisms ?? (spec.authenticatePeer ? ['PLAIN'] : ['ANONYMOUS', 'PLAIN']);
    const traceLog = this.log.server;
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
      trace: traceLog.enabled('trace') ? (dir, ch, name, fields, n) => traceLog.trace(formatFrame(id, ch, dir, name, fields, n)) : undefined,
    }, client);
    this.connections.add(client);
  }

  connectionClosed(c: ClientConnection): void { this.connections.delete(c); }

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
    for (const l of this.listeners.values()) l.server.close();
    for (const c of this.connections) c.connection.close({ condition: 'amqp:connection:forced', description: 'router shutting down' });
    this.listeners.clear();
  }
}
