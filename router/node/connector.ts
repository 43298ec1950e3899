// A connector: an outgoing connection kept up. When it drops (or cannot be made) the next try
// comes after a delay that doubles from `initialDelayMs` up to `maxDelayMs`, with ±25% jitter
// so that routers restarted together do not reconnect in lockstep (qdrouterd waits a fixed 5 s).

import * as net from 'node:net';
import type { Connection } from '../amqp/connection';
import type { ModuleLogger } from '../observe/logger';

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
  saslMechanisms?: string[];
  saslUsername?: string;
  saslPassword?: string;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export type ConnectorStatus = 'CONNECTING' | 'SUCCESS' | 'FAILED';

export class Connector {
  status: ConnectorStatus = 'CONNECTING';
  lastError = '';
  /** The connection made on the current socket, if any. */
  current: Connection | undefined = undefined;
  private delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private socket: net.Socket | undefined;
  private stopped = false;

  constructor(readonly spec: ConnectorSpec, private readonly log: ModuleLogger, private readonly open: (socket: net.Socket) => Connection) {
    this.delayMs = spec.initialDelayMs ?? 200;
  }

  start(): void {
    if (this.stopped) return;
    this.status = 'CONNECTING';
    const socket = net.connect({ host: this.spec.host, port: this.spec.port });
    this.socket = socket;
    let opened = false;
    socket.once('connect', () => {
      opened = true;
      this.status = 'SUCCESS';
      this.delayMs = this.spec.initialDelayMs ?? 200;
      this.log.info(`Connection to ${this.spec.host}:${this.spec.port} (${this.spec.name}) established`);
      this.current = this.open(socket);
    });
    socket.once('error', (err) => { this.lastError = err.message; });
    socket.once('close', () => {
      this.socket = undefined;
      this.current = undefined;
      if (this.stopped) return;
      this.status = 'FAILED';
      if (!opened) this.log.debug(`Connection to ${this.spec.host}:${this.spec.port} (${this.spec.name}) failed: ${this.lastError}`);
      else this.log.info(`Connection to ${this.spec.host}:${this.spec.port} (${this.spec.name}) lost; reconnecting`);
      this.retry();
    });
  }

  private retry(): void {
    const jitter = 0.75 + Math.random() * 0.5;
    const wait = Math.round(this.delayMs * jitter);
    this.delayMs = Math.min(this.delayMs * 2, this.spec.maxDelayMs ?? 5000);
    this.timer = setTimeout(() => this.start(), wait);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.destroy();
  }
}
