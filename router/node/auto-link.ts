// One auto-link at run time (reference §6.2): the link the router attaches on a route-container
// connection, in its own session; bound to its address once the peer's answer names a node;
// failed and tried again (2 s, then every 5 s) when the peer detaches it; inactive while no
// matching connection is open. The registry (auto-links.ts) tells it about connections.

import { Link, ReceiverLink, ReceiverSettleMode, SenderLink, SenderSettleMode } from '../amqp/link';
import { Descriptor, ErrorCondition } from '../amqp/performatives';
import type { AddressPhase } from '../core/address-key';
import {
  AutoLinkConfig, AutoLinkOperStatus, autoLinkExternalAddress, autoLinkPhase, autoLinkRetryDelayMs,
} from '../core/auto-link-config';
import { randomId } from '../core/random-id';
import { BrokerProducer } from './broker-producer';
import type { ClientConnection } from './client-connection';
import { Consumer } from './links';
import type { RouterNode } from './router-node';

/** What management shows of an auto-link (qdrouterd's autoLink entity and its read-only attributes). */
export interface AutoLinkStatus extends Required<Pick<AutoLinkConfig, 'name' | 'address' | 'direction'>> {
  phase: AddressPhase;
  connection?: string;
  containerId?: string;
  externalAddress?: string;
  fallback: boolean;
  operStatus: AutoLinkOperStatus;
  /** The last attach failure ('' when none since it was last active). */
  lastError: string;
  /** The link's name while it is attaching or attached (qdrouterd's linkRef). */
  linkRef?: string;
  /** The id of the connection it is on ([C<id>] in the logs). */
  connectionId?: number;
}

/** Our links to their auto-link: the connection's events name the link, not the auto-link. */
const owners = new WeakMap<Link, AutoLink>();

export function autoLinkOf(link: Link): AutoLink | undefined { return owners.get(link); }

export class AutoLink {
  operStatus: AutoLinkOperStatus = 'inactive';
  lastError = '';
  /** The connection it is attaching, attached or waiting to retry on. */
  conn: ClientConnection | undefined = undefined;
  link: Link | undefined = undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(readonly config: AutoLinkConfig, private readonly node: RouterNode) {}

  get name(): string { return this.config.name; }

  private get label(): string { return `Auto-link ${this.name} (${this.config.direction} ${this.config.address})`; }

  status(): AutoLinkStatus {
    const c = this.config;
    return {
      name: c.name, address: c.address, direction: c.direction, phase: autoLinkPhase(c),
      connection: c.connection, containerId: c.containerId, externalAddress: c.externalAddress, fallback: c.fallback ?? false,
      operStatus: this.operStatus, lastError: this.lastError, linkRef: this.link?.name, connectionId: this.conn?.id,
    };
  }

  /** Attaches on `conn`, in a session of its own (a broker may end the session to refuse it). */
  attach(conn: ClientConnection): void {
    this.cancelRetry();
    this.conn = conn;
    this.operStatus = 'attaching';
    const c = conn.connection;
    const session = c.beginSession();
    const name = `qdlink.${randomId(this.node.random)}`;
    const internal = { address: this.config.address };
    const external = { address: autoLinkExternalAddress(this.config) };
    const link = this.config.direction === 'out'
      ? c.attachSender(session, name, {
        source: { kind: Descriptor.source, ...internal }, target: { kind: Descriptor.target, ...external },
        // Mixed: a client's pre-settled messages stay pre-settled.
        sndSettleMode: SenderSettleMode.mixed, rcvSettleMode: ReceiverSettleMode.first,
      })
      : c.attachReceiver(session, name, {
        source: { kind: Descriptor.source, ...external }, target: { kind: Descriptor.target, ...internal },
        // Unsettled: the broker forgets a message only once a consumer has taken it.
        sndSettleMode: SenderSettleMode.unsettled, rcvSettleMode: ReceiverSettleMode.first,
      });
    owners.set(link, this);
    this.link = link;
    this.node.log.core.debug(`${this.label} attaching on [C${conn.id}] as ${name}`);
  }

  /**
   * The peer answered our attach: a terminus makes the link active. A refusal answers with
   * none and detaches at once; some peers (rhea's auto-answer) send none and keep the link, so
   * an answer without one counts as attached unless the detach came with it.
   */
  answered(link: Link): void {
    if (link !== this.link || !this.conn) return;
    const terminus = this.config.direction === 'out' ? link.remoteAttach?.target : link.remoteAttach?.source;
    if (terminus) return this.bind(link);
    setImmediate(() => { if (link === this.link && !link.localDetached && !link.remoteDetached) this.bind(link); });
  }

  /** Binds the link to its address: a destination (out) or a producer (in), as a client's link would be. */
  private bind(link: Link): void {
    const conn = this.conn!;
    const address = this.node.addresses.obtain(this.node.addresses.keyOf(this.config.address, autoLinkPhase(this.config)));
    if (this.config.direction === 'out') {
      const c = new Consumer(link as SenderLink, conn, address);
      c.toBroker = true;
      link.context = c;
      const first = !address.hasConsumers;
      address.addConsumer(c);
      if (first) this.node.firstLocalConsumer(address);
      // Credit the broker gave with its answer.
      if (c.capacity > 0) this.node.deliveries.onCredit(c);
    } else {
      const p = new BrokerProducer(link as ReceiverLink, conn, address, conn.spec.linkCapacity, this.config.address);
      link.context = p;
      address.senders.add(p);
      p.grant();
    }
    this.operStatus = 'active';
    this.lastError = '';
    this.failures = 0;
    this.node.log.core.info(`${this.label} active on [C${conn.id}] as ${address.key}`);
  }

  /**
   * The link ended (its consumer or producer is already gone: client-connection.ts). With the
   * connection it is inactive; otherwise the peer refused or dropped it: failed, tried again.
   */
  detached(link: Link, error: ErrorCondition | undefined): void {
    if (link !== this.link) return;
    this.link = undefined;
    const conn = this.conn;
    if (!conn || conn.connection.closed) return this.deactivate();
    this.operStatus = 'failed';
    this.lastError = error ? `${error.condition}${error.description ? `: ${error.description}` : ''}` : 'detached by the peer without an error';
    const delay = autoLinkRetryDelayMs(++this.failures);
    this.node.log.core.warning(`${this.label} failed on [C${conn.id}]: ${this.lastError}; attaching again in ${delay / 1000} s`);
    // Its session goes too, once the detach has been answered (this runs before the answer).
    const session = link.session;
    setImmediate(() => { if (!session.localEnded && !conn.connection.closed) session.end(); });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.conn === conn && !conn.connection.closed) this.attach(conn);
    }, delay);
    this.timer.unref();
  }

  /** Its connection is gone (or it is being removed): nothing attached, nothing pending. */
  deactivate(): void {
    this.cancelRetry();
    const was = this.conn;
    this.conn = undefined;
    this.link = undefined;
    if (this.operStatus !== 'inactive' && was) this.node.log.core.info(`${this.label} inactive: connection [C${was.id}] closed`);
    this.operStatus = 'inactive';
  }

  /** Detaches on purpose (removed by management, router stopping): its deliveries go elsewhere first. */
  close(): void {
    const link = this.link;
    if (link && !link.localDetached && !link.connection.closed) {
      const ctx = link.context;
      if (ctx instanceof Consumer) this.node.deliveries.consumerGone(ctx);
      else if (ctx instanceof BrokerProducer) this.node.deliveries.producerGone(ctx);
      link.context = undefined;
      link.detach();
      link.session.end();
    }
    this.deactivate();
  }

  private cancelRetry(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
