// A tiny AMQP broker made of rhea, for tests that need a real peer before the router can be
// one: a queue per address, messages handed round-robin to the receivers of that address,
// dynamic addresses, and anonymous senders (routed by `to`). Listens on 127.0.0.1, port 0.
//
//   const broker = await RheaBroker.start();
//   ... connect to broker.url ...
//   await broker.waitFor(() => broker.received.length === 3, 'three messages');
//   await broker.close();

import { EventEmitter } from 'node:events';
import { AddressInfo, Server, Socket } from 'node:net';
import { Connection, Delivery, EventContext, Message, Receiver, Sender, create_container } from 'rhea';

export type BrokerOutcome = 'accept' | 'reject' | 'release' | 'modify';

export interface RheaBrokerOptions {
  /** How the broker settles each message it is sent (default: accept, then queue it). */
  outcome?: (address: string, message: Message) => BrokerOutcome;
  /** Credit the broker keeps open to each sending client (rhea's default: 1000). */
  producerCredit?: number;
}

export interface StoredMessage { address: string; message: Message }

export type ConsumerOutcome = 'accepted' | 'rejected' | 'released' | 'modified';

export class RheaBroker {
  /** Every message senders sent, in arrival order, whatever its outcome. */
  readonly received: StoredMessage[] = [];
  /** How receivers settled what the broker gave them, in order (not requeued). */
  readonly consumerOutcomes: { address: string; outcome: ConsumerOutcome }[] = [];
  private readonly queues = new Map<string, Message[]>();
  private readonly consumers = new Map<string, Sender[]>();
  /** Kept after a link goes: rhea may report a consumer's outcomes after its detach. */
  private readonly addressOf = new WeakMap<Sender | Receiver, string>();
  private readonly sockets = new Set<Socket>();
  private readonly changes = new EventEmitter();
  private dynamicCount = 0;
  private readonly pumpsDue = new Set<string>();
  /** Messages handed to each sender's send(), written or not. */
  private readonly queuedBy = new WeakMap<Sender, number>();

  private constructor(private readonly server: Server, private readonly options: RheaBrokerOptions) {
    server.on('connection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  static async start(options: RheaBrokerOptions = {}): Promise<RheaBroker> {
    const container = create_container({ id: 'rhea-broker' });
    // Link options fall back to these: the broker decides each outcome, and sees `modified` as such.
    const listenOptions = {
      port: 0, host: '127.0.0.1', autoaccept: false, treat_modified_as_released: false, credit_window: options.producerCredit,
    };
    const server = container.listen(listenOptions as Parameters<typeof container.listen>[0]);
    const broker = new RheaBroker(server, options);
    broker.attach(container);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return broker;
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }
  get url(): string { return `amqp://127.0.0.1:${this.port}`; }

  /** Messages waiting on `address` for a receiver with credit. */
  depth(address: string): number { return this.queues.get(address)?.length ?? 0; }

  /** Receivers attached to `address`. */
  receiverCount(address: string): number { return this.consumers.get(address)?.length ?? 0; }

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

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private attach(container: ReturnType<typeof create_container>): void {
    container.on('sender_open', (ctx: EventContext) => this.onConsumer(ctx.sender!));
    container.on('receiver_open', (ctx: EventContext) => this.onProducer(ctx.receiver!));
    container.on('message', (ctx: EventContext) => this.onMessage(ctx.receiver!, ctx.message!, ctx.delivery!));
    container.on('sendable', (ctx: EventContext) => this.schedulePump(this.addressOf.get(ctx.sender!)));
    container.on('sender_close', (ctx: EventContext) => this.forget(ctx.sender!));
    container.on('receiver_close', (ctx: EventContext) => this.forget(ctx.receiver!));
    container.on('connection_close', (ctx: EventContext) => this.forgetConnection(ctx.connection));
    container.on('disconnected', (ctx: EventContext) => this.forgetConnection(ctx.connection));
    for (const outcome of ['accepted', 'rejected', 'released', 'modified'] as const) {
      container.on(outcome, (ctx: EventContext) => {
        this.consumerOutcomes.push({ address: this.addressOf.get(ctx.sender!) ?? '', outcome });
        this.changed();
      });
    }
    container.on('error', () => { /* a client's broken link is the test's business, not a crash */ });
  }

  private onConsumer(sender: Sender): void {
    const address = sender.source?.dynamic ? this.dynamicAddress() : sender.source?.address;
    if (sender.source?.dynamic) sender.set_source({ address: address! });
    if (address) {
      this.addressOf.set(sender, address);
      this.consumers.set(address, [...(this.consumers.get(address) ?? []), sender]);
    }
    this.changed();
  }

  private onProducer(receiver: Receiver): void {
    const address = receiver.target?.dynamic ? this.dynamicAddress() : receiver.target?.address;
    if (receiver.target?.dynamic) receiver.set_target({ address: address! });
    if (address) this.addressOf.set(receiver, address); // no address: anonymous, routed by `to`
    this.changed();
  }

  private onMessage(receiver: Receiver, message: Message, delivery: Delivery): void {
    const address = this.addressOf.get(receiver) ?? message.to ?? '';
    this.received.push({ address, message });
    const outcome = this.options.outcome?.(address, message) ?? 'accept';
    switch (outcome) {
      case 'accept':
        delivery.accept();
        this.queues.set(address, [...(this.queues.get(address) ?? []), message]);
        this.schedulePump(address);
        break;
      case 'reject': delivery.reject({ condition: 'amqp:not-allowed', description: 'rejected by the test broker' }); break;
      case 'release': delivery.release(); break;
      case 'modify': delivery.modified({ delivery_failed: true }); break;
    }
    this.changed();
  }

  /**
   * Pumps on a later turn: a flow that arrives with its attach makes rhea report the link
   * sendable before it has written its own attach, and a transfer then would precede it.
   */
  private schedulePump(address: string | undefined): void {
    if (address === undefined || this.pumpsDue.has(address)) return;
    this.pumpsDue.add(address);
    setImmediate(() => {
      this.pumpsDue.delete(address);
      this.pump(address);
    });
  }

  /** Hands queued messages to the receivers of `address` that have credit, in turn. */
  private pump(address: string): void {
    const queue = this.queues.get(address) ?? [];
    const consumers = this.consumers.get(address) ?? [];
    let idle = 0;
    while (queue.length > 0 && consumers.length > 0 && idle < consumers.length) {
      const next = consumers.shift()!;
      consumers.push(next);
      if (this.room(next) <= 0) { idle++; continue; }
      idle = 0;
      next.send(queue.shift()!);
      this.queuedBy.set(next, (this.queuedBy.get(next) ?? 0) + 1);
    }
    this.changed();
  }

  /**
   * Credit a sender has left. rhea counts credit down only when it writes a transfer, so
   * sendable() stays true while messages queue inside rhea, and those are lost if the
   * receiver goes away: subtract what was handed to send() and not yet written.
   */
  private room(sender: Sender): number {
    const c = sender as unknown as { credit: number; delivery_count: number }; // not in rhea's typings
    return sender.sendable() ? c.credit - ((this.queuedBy.get(sender) ?? 0) - c.delivery_count) : 0;
  }

  private forget(link: Sender | Receiver): void {
    this.dropConsumers((s) => s === link);
  }

  private forgetConnection(connection: Connection): void {
    this.dropConsumers((s) => s.connection === connection);
  }

  private dropConsumers(gone: (s: Sender) => boolean): void {
    for (const [address, senders] of this.consumers) {
      const left = senders.filter((s) => !gone(s));
      if (left.length > 0) this.consumers.set(address, left);
      else this.consumers.delete(address);
    }
    this.changed();
  }

  private dynamicAddress(): string {
    return `dynamic-${++this.dynamicCount}`;
  }

  private changed(): void {
    this.changes.emit('change');
  }
}
