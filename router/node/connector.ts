// A connector: an outgoing connection kept up, to one URL of a list (its own host:port, then
// failoverUrls, then what the peer lists in failover-server-list: a master/slave pair). When
// the connection cannot be made or drops, the next URL is tried at once; after a whole cycle
// without success the connector waits a delay that doubles from `initialDelayMs` up to
// `maxDelayMs`, with ±25% jitter so that routers restarted together do not reconnect in
// lockstep (qdrouterd waits a fixed 5 s, 1 s between failover URLs).

import * as net from 'node:net';
import type { Connection } from '../amqp/connection';
import type { ModuleLogger } from '../observe/logger';
import { ConnectorUrl, FailoverCycle, formatUrl } from './failover-cycle';
import { failoverServerList } from './failover-server-list';

export interface ConnectorSpec {
  name: string;
  host: string;
  port: number;
  role: 'normal' | 'inter-router' | 'route-container' | 'edge';
  cost: number;
  linkCapacity: number;
  maxFrameSize: number;
  maxSessions: number;
  idleTimeoutSeconds: number;
  /** Message fields logged for each message received (none, all or a comma list; message-log.ts). */
  messageLoggingComponents?: string;
  saslMechanisms?: string[];
  saslUsername?: string;
  saslPassword?: string;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** URLs tried after host:port, in order (failoverUrls). */
  failoverUrls?: ConnectorUrl[];
  /** Go through the URLs in random order rather than in turn. */
  randomize?: boolean;
}

export type ConnectorStatus = 'CONNECTING' | 'SUCCESS' | 'FAILED';

export class Connector {
  status: ConnectorStatus = 'CONNECTING';
  lastError = '';
  /** The connection while one is open (readiness asks which neighbour is on it). */
  connection: Connection | undefined;
  private delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private socket: net.Socket | undefined;
  private stopped = false;
  private readonly cycle: FailoverCycle;

  constructor(readonly spec: ConnectorSpec, private readonly log: ModuleLogger, private readonly open: (socket: net.Socket, url: ConnectorUrl) => Connection) {
    this.delayMs = spec.initialDelayMs ?? 200;
    this.cycle = new FailoverCycle([{ host: spec.host, port: spec.port }, ...(spec.failoverUrls ?? [])], spec.randomize);
  }

  /** The URL in use, or being tried. */
  get url(): string { return formatUrl(this.cycle.current); }

  /** Every URL the connector goes through, the learned ones included. */
  get failoverUrls(): string[] {
    this.learn();
    return this.cycle.urls.map(formatUrl);
  }

  start(): void {
    if (this.stopped) return;
    this.status = 'CONNECTING';
    const url = this.cycle.current;
    const where = `${formatUrl(url)} (${this.spec.name})`;
    const socket = net.connect({ host: url.host, port: url.port });
    this.socket = socket;
    this.connection = undefined;
    let opened = false;
    socket.once('connect', () => {
      opened = true;
      this.status = 'SUCCESS';
      const of = this.cycle.urls.length > 1 ? ` (URL ${this.cycle.urls.indexOf(url) + 1} of ${this.cycle.urls.length})` : '';
      this.log.info(`Connection to ${where} established${of}`);
      this.connection = this.open(socket, url);
    });
    socket.once('error', (err) => { this.lastError = err.message; });
    socket.once('close', () => {
      this.socket = undefined;
      if (this.stopped) { this.connection = undefined; return; }
      this.status = 'FAILED';
      // Only a peer that answered with its open counts as a success: a port that accepts and
      // drops (a slave not yet live) must not reset the back-off.
      const established = this.connection?.remoteOpen !== undefined;
      this.learn();
      this.connection = undefined;
      if (established) {
        this.cycle.succeeded();
        this.delayMs = this.spec.initialDelayMs ?? 200;
      }
      const wait = this.cycle.advance() ? this.backoff() : 0;
      const next = this.cycle.urls.length > 1 ? `; next: ${this.url}${wait > 0 ? ` in ${wait} ms` : ''}` : `; next try in ${wait} ms`;
      if (!opened) this.log.debug(`Connection to ${where} failed: ${this.lastError}${next}`);
      else this.log.info(`Connection to ${where} lost${next}`);
      this.timer = setTimeout(() => this.start(), wait);
      this.timer.unref();
    });
  }

  /** The peer's failover-server-list (from the open of the connection in use or just lost). */
  private learn(): void {
    const urls = failoverServerList(this.connection?.remoteProperties);
    if (urls) this.cycle.learn(urls);
  }

  /** The wait after a whole cycle failed; the next one will be twice as long (up to the max). */
  private backoff(): number {
    const wait = Math.round(this.delayMs * (0.75 + Math.random() * 0.5));
    this.delayMs = Math.min(this.delayMs * 2, this.spec.maxDelayMs ?? 5000);
    return wait;
  }

  /** No more attempts; an open connection is closed with amqp:connection:forced, telling the peer why. */
  stop(description = 'router shutting down'): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.connection) this.connection.close({ condition: 'amqp:connection:forced', description });
    else this.socket?.destroy();
  }
}
