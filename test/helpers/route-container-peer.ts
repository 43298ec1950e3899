// A route-container peer made of rhea for link-route tests that look at what reaches the far
// end exactly: the attaches it gets (names, termini), the credit and drain its senders are
// given, the tags and bodies of what it receives, and how it settles (any outcome, per message).
// It can refuse attaches, send with chosen tags, and drop its connections. Listens on 127.0.0.1
// port 0; the router connects to it with a route-container connector.

import { EventEmitter } from 'node:events';
import { AddressInfo, Server, Socket } from 'node:net';
import { create_container, Delivery, EventContext, Message, Receiver, Sender } from 'rhea';

export interface PeerAttach {
  name: string;
  /** The peer's side: 'sender' when the router's link receives from it. */
  role: 'sender' | 'receiver';
  source: Record<string, unknown> | undefined;
  target: Record<string, unknown> | undefined;
  sndSettleMode: number | undefined;
  rcvSettleMode: number | undefined;
  desiredCapabilities: unknown;
  link: Sender | Receiver;
}

export interface PeerReceived { address: string; tag: string; body: unknown; settled: boolean; message: Message; delivery: Delivery }

/** How the peer settles what it receives. */
export type PeerOutcome =
  | { outcome: 'accept' } | { outcome: 'release' } | { outcome: 'none' }
  | { outcome: 'reject'; error: { condition: string; description?: string } }
  | { outcome: 'modify'; deliveryFailed?: boolean; undeliverableHere?: boolean; annotations?: Record<string, unknown> };

export interface PeerOptions {
  /** Credit the peer keeps open to senders (default 100). */
  credit?: number;
  outcome?: (address: string, message: Message) => PeerOutcome;
  /** Attaches to refuse (by terminus address): closed at once with this error. */
  refuse?: (address: string) => { condition: string; description?: string } | undefined;
}

export class RouteContainerPeer {
  readonly attaches: PeerAttach[] = [];
  readonly received: PeerReceived[] = [];
  /** Flows seen by its senders: the credit the far receiver gave, through the router. */
  readonly flows: { name: string; credit: number; drain: boolean }[] = [];
  /** How deliveries it sent were settled by the far receiver, with the state's fields. */
  readonly outcomes: { tag: string; outcome: string; state: Record<string, unknown> | undefined }[] = [];
  readonly detaches: { name: string; error: unknown }[] = [];
  /** Messages waiting per address for a sender with credit. */
  private readonly queues = new Map<string, { body: Message; tag?: string }[]>();
  private readonly senders = new Map<string, Sender[]>();
  private readonly sockets = new Set<Socket>();
  private readonly changes = new EventEmitter();
  connections = 0;

  private constructor(private readonly server: Server, private readonly options: PeerOptions) {
    server.on('connection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  static async start(options: PeerOptions = {}): Promise<RouteContainerPeer> {
    const container = create_container({ id: 'route-container-peer' });
    const server = container.listen({ port: 0, host: '127.0.0.1', autoaccept: false, treat_modified_as_released: false, credit_window: 0 } as Parameters<typeof container.listen>[0]);
    const peer = new RouteContainerPeer(server, options);
    peer.wire(container);
    await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
    return peer;
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }

  /** Queues a message for the receivers of `address` (sent when one has credit). */
  send(address: string, body: Message, options: { tag?: string } = {}): void {
    this.queues.set(address, [...(this.queues.get(address) ?? []), { body, ...options }]);
    this.pump(address);
  }

  queued(address: string): number { return this.queues.get(address)?.length ?? 0; }

  /** Resolves once `condition()` holds; checked after every peer event. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => { if (condition()) { cleanup(); resolve(); } };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`route-container peer: timed out waiting for ${what}`)); }, timeoutMs);
      const cleanup = (): void => { clearTimeout(timer); this.changes.off('change', check); };
      this.changes.on('change', check);
    });
  }

  /** Drops every connection without a close (a broker crash). */
  dropConnections(): void { for (const s of this.sockets) s.destroy(); }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private changed(): void { this.changes.emit('change'); }

  private wire(container: ReturnType<typeof create_container>): void {
    container.on('connection_open', () => { this.connections++; this.changed(); });
    container.on('sender_open', (ctx: EventContext) => this.onLink(ctx.sender!, 'sender'));
    container.on('receiver_open', (ctx: EventContext) => this.onLink(ctx.receiver!, 'receiver'));
    container.on('sender_flow', (ctx: EventContext) => {
      const s = ctx.sender!;
      this.flows.push({ name: s.name, credit: (s as unknown as { credit: number }).credit, drain: (s as unknown as { _draining: boolean })._draining });
      this.changed();
    });
    container.on('sendable', (ctx: EventContext) => this.pump(addressOf(ctx.sender!)));
    container.on('sender_draining', (ctx: EventContext) => {
      // Whatever could be sent has been: the rest of the credit is given back.
      setImmediate(() => {
        this.pump(addressOf(ctx.sender!));
        ctx.sender!.set_drained(true);
        (ctx.sender!.connection as unknown as { _register(): void })._register(); // rhea writes the flow only when woken
      });
    });
    container.on('message', (ctx: EventContext) => this.onMessage(ctx));
    for (const outcome of ['accepted', 'rejected', 'released', 'modified'] as const) {
      container.on(outcome, (ctx: EventContext) => {
        const d = ctx.delivery!;
        this.outcomes.push({ tag: Buffer.from(d.tag as Buffer).toString(), outcome, state: d.remote_state as Record<string, unknown> | undefined });
        this.changed();
      });
    }
    for (const ev of ['sender_close', 'receiver_close', 'sender_error', 'receiver_error'] as const) {
      container.on(ev, (ctx: EventContext) => {
        const link = (ctx.sender ?? ctx.receiver)!;
        if (!ev.endsWith('error')) this.detaches.push({ name: link.name, error: (link as unknown as { error?: unknown }).error });
        this.forget(link);
        this.changed();
      });
    }
    container.on('disconnected', () => { this.senders.clear(); this.changed(); });
    container.on('error', () => { /* a dropped router connection is part of some tests */ });
  }

  private onLink(link: Sender | Receiver, role: 'sender' | 'receiver'): void {
    const remote = (link as unknown as { remote: { attach: Record<string, unknown> } }).remote.attach;
    const source = remote.source as Record<string, unknown> | undefined;
    const target = remote.target as Record<string, unknown> | undefined;
    this.attaches.push({
      name: link.name, role, source, target, sndSettleMode: remote.snd_settle_mode as number | undefined,
      rcvSettleMode: remote.rcv_settle_mode as number | undefined, desiredCapabilities: remote.desired_capabilities, link,
    });
    const address = String((role === 'sender' ? source?.address : target?.address) ?? '');
    const refusal = this.options.refuse?.(address);
    if (refusal) {
      link.close(refusal);
      this.changed();
      return;
    }
    // Answer with the termini asked for (rhea would send null ones).
    if (source) link.set_source(source as unknown as Parameters<Sender['set_source']>[0]);
    if (target) link.set_target(target as unknown as Parameters<Sender['set_target']>[0]);
    if (role === 'sender') {
      this.senders.set(address, [...(this.senders.get(address) ?? []), link as Sender]);
      this.pump(address);
    } else (link as Receiver).add_credit(this.options.credit ?? 100);
    this.changed();
  }

  private onMessage(ctx: EventContext): void {
    const d = ctx.delivery!;
    const address = String(ctx.receiver!.target?.address ?? '');
    this.received.push({ address, tag: Buffer.from(d.tag as Buffer).toString(), body: ctx.message!.body, settled: Boolean((d as unknown as { remote_settled: boolean }).remote_settled), message: ctx.message!, delivery: d });
    const o = this.options.outcome?.(address, ctx.message!) ?? { outcome: 'accept' };
    switch (o.outcome) {
      case 'accept': d.accept(); break;
      case 'release': d.release(); break;
      case 'reject': d.reject(o.error); break;
      case 'modify': d.modified({ delivery_failed: o.deliveryFailed, undeliverable_here: o.undeliverableHere, message_annotations: o.annotations }); break;
      case 'none': break;
    }
    (ctx.receiver as Receiver).add_credit(1);
    this.changed();
  }

  private pump(address: string): void {
    const queue = this.queues.get(address) ?? [];
    for (const s of this.senders.get(address) ?? []) {
      while (queue.length > 0 && this.room(s) > 0) {
        const m = queue.shift()!;
        s.send(m.body, m.tag === undefined ? undefined : Buffer.from(m.tag));
        this.handed.set(s, (this.handed.get(s) ?? 0) + 1);
      }
    }
    this.changed();
  }

  /** Messages handed to each sender's send(), written or not. */
  private readonly handed = new WeakMap<Sender, number>();

  /**
   * Credit a sender has left. rhea counts credit down only when it writes a transfer, so
   * sendable() stays true while messages wait inside rhea: subtract those (as rhea-broker.ts).
   */
  private room(s: Sender): number {
    const c = s as unknown as { credit: number; delivery_count: number };
    return s.sendable() ? c.credit - ((this.handed.get(s) ?? 0) - c.delivery_count) : 0;
  }

  private forget(link: Sender | Receiver): void {
    for (const [address, list] of this.senders) this.senders.set(address, list.filter((s) => s !== link));
  }
}

function addressOf(s: Sender): string { return String(s.source?.address ?? ''); }
