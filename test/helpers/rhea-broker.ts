// A small AMQP broker made of rhea, for tests that need a peer doing what RabbitMQ 3.10 cannot:
// a queue per address (rhea-broker-queues.ts: round-robin, browsing, drain, requeue), dynamic
// sources and targets (temporary queues), anonymous senders (routed by `to`), the modified
// outcome, local transactions (rhea-broker-txn.ts), attach refusals with a chosen error, a
// chosen container-id, and an abrupt stop with a restart on the same port. Listens on
// 127.0.0.1, port 0. Attach replies echo the peer's terminus (no filters: selectors are ignored).
//
//   const broker = await RheaBroker.start({ containerId: 'broker-a', requeue: true });
//   ... connect to broker.url ...
//   await broker.waitFor(() => broker.received.length === 3, 'three messages');
//   await broker.kill(); await broker.restart();   // sockets destroyed mid-transfer; queues kept
//   await broker.close();

import { EventEmitter } from 'node:events';
import { AddressInfo, Server, Socket } from 'node:net';
import { Connection, Delivery, EventContext, Message, Receiver, Sender, create_container } from 'rhea';
import { BrokerQueues, ConsumerOutcome } from './rhea-broker-queues';
import { TxnCoordinator, TxnRecord } from './rhea-broker-txn';
import { CoordinatorTerminus, coordinatorTarget, localAttach, readTransactionalState, takesTxnControl, transferTxn } from './rhea-txn-types';

export type { ConsumerOutcome } from './rhea-broker-queues';
export type { TxnRecord } from './rhea-broker-txn';

/** How the broker settles a message it is sent; `hold` leaves it unsettled (for a kill in flight). */
export type BrokerOutcome = 'accept' | 'reject' | 'release' | 'modify' | 'hold';

export interface AmqpError { condition: string; description?: string }

export interface RheaBrokerOptions {
  /** The container-id in the broker's open frame (default: rhea-broker). */
  containerId?: string;
  /** How the broker settles each message it is sent (default: accept, then queue it). */
  outcome?: (address: string, message: Message) => BrokerOutcome;
  /** Credit the broker keeps open to each sending client (rhea's default: 1000). */
  producerCredit?: number;
  /**
   * Released and modified messages (delivery-count raised when delivery-failed), and messages
   * unsettled when their consumer goes, go back to the head of the queue. Off by default: such
   * messages are then only recorded in consumerOutcomes.
   */
  requeue?: boolean;
  /** The error to refuse an attach to `address` with (default: refuseByPrefix). */
  refuse?: (address: string) => AmqpError | undefined;
}

/** The default refusal: addresses starting with `refuse.` do not exist. */
export function refuseByPrefix(address: string): AmqpError | undefined {
  return address.startsWith('refuse.') ? { condition: 'amqp:not-found', description: 'no such queue' } : undefined;
}

export interface StoredMessage { address: string; message: Message }

/** The terminus fields a broker echoes: all but the filter, which it does not apply. */
const ECHOED = ['address', 'durable', 'expiry_policy', 'timeout', 'dynamic', 'dynamic_node_properties', 'distribution_mode', 'default_outcome', 'outcomes', 'capabilities'];

export class RheaBroker {
  /** Every message senders sent, in arrival order, whatever its outcome (transactional ones too). */
  readonly received: StoredMessage[] = [];
  /** How receivers settled what the broker gave them, in order (a transaction's at its commit). */
  readonly consumerOutcomes: { address: string; outcome: ConsumerOutcome }[] = [];
  /** Links refused, in order. */
  readonly refused: { address: string; role: 'sender' | 'receiver'; error: AmqpError }[] = [];
  private readonly queues: BrokerQueues;
  private readonly txn: TxnCoordinator;
  /** Kept after a link goes: rhea may report a consumer's outcomes after its detach. */
  private readonly addressOf = new WeakMap<Sender | Receiver, string>();
  private readonly coordinators = new WeakSet<Receiver>();
  private readonly temporary = new WeakSet<Sender | Receiver>();
  private readonly sockets = new Set<Socket>();
  private readonly changes = new EventEmitter();
  private dynamicCount = 0;
  private server: Server;
  private readonly listenPort: number;

  private constructor(private readonly container: ReturnType<typeof create_container>, server: Server, private readonly options: RheaBrokerOptions) {
    this.queues = new BrokerQueues({
      requeue: options.requeue ?? false,
      onOutcome: (address, outcome) => this.consumerOutcomes.push({ address, outcome }),
      changed: () => this.changed(),
    });
    this.txn = new TxnCoordinator(this.queues, () => this.changed());
    this.server = this.track(server);
    this.listenPort = (server.address() as AddressInfo).port;
    this.attach(container);
  }

  static async start(options: RheaBrokerOptions = {}): Promise<RheaBroker> {
    const container = create_container({ id: options.containerId ?? 'rhea-broker' });
    const server = await listen(container, 0, options);
    return new RheaBroker(container, server, options);
  }

  get port(): number { return this.listenPort; }
  get url(): string { return `amqp://127.0.0.1:${this.port}`; }

  /** Messages waiting on `address` for a receiver with credit. */
  depth(address: string): number { return this.queues.depth(address); }

  /** Receivers attached to `address`, browsers included. */
  receiverCount(address: string): number { return this.queues.receiverCount(address); }

  /** Transactions that ended, in order. */
  get transactions(): readonly TxnRecord[] { return this.txn.discharged; }

  /** Transactions declared and not discharged yet, with the sends and acceptances they hold. */
  get openTransactions(): Omit<TxnRecord, 'outcome' | 'cause'>[] { return this.txn.open; }

  /** Resolves once `condition()` holds; it is checked after every broker event. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`broker: timed out waiting for ${what}`)); }, timeoutMs);
      const cleanup = (): void => { clearTimeout(timer); this.changes.off('change', check); };
      this.changes.on('change', check);
    });
  }

  /**
   * Stops abruptly, as a crash would: sockets destroyed whatever is in flight, no close frames.
   * Queues stay for restart(); what consumers had not settled goes back only when requeueing.
   */
  async kill(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again on the same port after kill(). */
  async restart(): Promise<void> {
    this.server = this.track(await listen(this.container, this.listenPort, this.options));
  }

  async close(): Promise<void> {
    await this.kill();
  }

  private track(server: Server): Server {
    server.on('connection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    return server;
  }

  private attach(container: ReturnType<typeof create_container>): void {
    container.on('sender_open', (ctx: EventContext) => this.onConsumer(ctx.sender!));
    container.on('receiver_open', (ctx: EventContext) => this.onProducer(ctx.receiver!));
    container.on('message', (ctx: EventContext) => this.onMessage(ctx.receiver!, ctx.message!, ctx.delivery!));
    container.on('sendable', (ctx: EventContext) => this.queues.schedulePump(this.addressOf.get(ctx.sender!)));
    container.on('sender_draining', (ctx: EventContext) => this.queues.schedulePump(this.addressOf.get(ctx.sender!)));
    container.on('sender_close', (ctx: EventContext) => this.linkGone(ctx.sender!));
    container.on('receiver_close', (ctx: EventContext) => this.linkGone(ctx.receiver!));
    container.on('connection_close', (ctx: EventContext) => this.connectionGone(ctx.connection));
    container.on('disconnected', (ctx: EventContext) => this.connectionGone(ctx.connection));
    for (const outcome of ['accepted', 'rejected', 'released', 'modified'] as const) {
      container.on(outcome, (ctx: EventContext) => this.queues.settle(ctx.delivery!, outcome));
    }
    container.on('transactional_state', (ctx: EventContext) => this.txn.settle(ctx.delivery!, readTransactionalState(ctx.delivery!.remote_state)!));
    container.on('settled', (ctx: EventContext) => this.queues.forget(ctx.delivery!));
    container.on('error', () => { /* a client's broken link is the test's business, not a crash */ });
  }

  private onConsumer(sender: Sender): void {
    const source = sender.source;
    const address = source?.dynamic ? this.dynamicAddress() : source?.address;
    if (address && this.refuse(sender, address, 'sender')) return;
    echo(sender, source, sender.target, address);
    if (address) {
      this.addressOf.set(sender, address);
      if (source?.dynamic) this.temporary.add(sender);
      this.queues.addConsumer(address, sender, source?.distribution_mode === 'copy');
    }
    this.changed();
  }

  private onProducer(receiver: Receiver): void {
    const target = receiver.target as (typeof receiver.target & Partial<CoordinatorTerminus>) | undefined;
    if (target?.coordinator) {
      this.coordinators.add(receiver);
      takesTxnControl(receiver);
      localAttach(receiver).target = coordinatorTarget();
      localAttach(receiver).source = echoed(receiver.source);
      this.changed();
      return;
    }
    const address = target?.dynamic ? this.dynamicAddress() : target?.address;
    if (address && this.refuse(receiver, address, 'receiver')) return;
    echo(receiver, receiver.source, target, address);
    if (address) this.addressOf.set(receiver, address); // no address: anonymous, routed by `to`
    this.changed();
  }

  /** Refuses the way the spec asks: an attach with no terminus of ours, then a detach with the error. */
  private refuse(link: Sender | Receiver, address: string, role: 'sender' | 'receiver'): boolean {
    const error = (this.options.refuse ?? refuseByPrefix)(address);
    if (!error) return false;
    this.refused.push({ address, role, error });
    link.close(error);
    this.changed();
    return true;
  }

  private onMessage(receiver: Receiver, message: Message, delivery: Delivery): void {
    if (this.coordinators.has(receiver)) {
      this.txn.control(receiver, message, delivery);
      return;
    }
    const address = this.addressOf.get(receiver) ?? message.to ?? '';
    this.received.push({ address, message });
    const txn = transferTxn(delivery);
    if (txn) {
      this.txn.send(txn, address, message, delivery);
      return;
    }
    const outcome = this.options.outcome?.(address, message) ?? 'accept';
    switch (outcome) {
      case 'accept':
        delivery.accept();
        this.queues.enqueue(address, message);
        break;
      case 'reject': delivery.reject({ condition: 'amqp:not-allowed', description: 'rejected by the test broker' }); break;
      case 'release': delivery.release(); break;
      case 'modify': delivery.modified({ delivery_failed: true }); break;
      case 'hold': break;
    }
    this.changed();
  }

  private linkGone(link: Sender | Receiver): void {
    this.queues.removeConsumers((s) => s === link);
    this.txn.linksLost((l) => l === link);
    const address = this.addressOf.get(link);
    if (this.temporary.has(link) && address) this.queues.deleteQueue(address);
    this.changed();
  }

  private connectionGone(connection: Connection): void {
    this.queues.removeConnection(connection);
    this.txn.linksLost((l) => l.connection === connection);
    this.changed();
  }

  private dynamicAddress(): string {
    return `dynamic-${++this.dynamicCount}`;
  }

  private changed(): void {
    this.changes.emit('change');
  }
}

function listen(container: ReturnType<typeof create_container>, port: number, options: RheaBrokerOptions): Promise<Server> {
  // Link options fall back to these: the broker decides each outcome, and sees `modified` as such.
  const listenOptions = {
    port, host: '127.0.0.1', autoaccept: false, treat_modified_as_released: false, credit_window: options.producerCredit,
  };
  const server = container.listen(listenOptions as Parameters<typeof container.listen>[0]);
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** The peer's terminus back, with the address the broker chose for a dynamic one. */
function echo(link: Sender | Receiver, source: unknown, target: unknown, address: string | undefined): void {
  const mine = link.is_sender() ? 'source' : 'target';
  localAttach(link).source = echoed(source, mine === 'source' ? address : undefined);
  localAttach(link).target = echoed(target, mine === 'target' ? address : undefined);
}

function echoed(terminus: unknown, address?: string): unknown {
  if (!terminus) return null;
  const t = terminus as Record<string, unknown> & { described?: () => unknown; constructor: { create?: (f: object) => { described(): unknown } } };
  const fields: Record<string, unknown> = {};
  for (const f of ECHOED) if (t[f] !== undefined && t[f] !== null) fields[f] = t[f];
  if (address !== undefined) fields.address = address;
  return t.constructor.create ? t.constructor.create(fields).described() : null;
}
