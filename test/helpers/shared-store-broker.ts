// A master/slave broker pair with a shared store (ActiveMQ's shared-file-system master/slave,
// seed 002), made of rhea: only the live member listens; a message is in the store from the
// moment it is accepted until a consumer accepts it; what was sent to a consumer and not
// settled goes back to the head of its queue when the consumer releases it or goes away, or
// when the live member dies. So whatever the pair accepted reaches a consumer at least once.
//
//   const pair = await SharedStorePair.start();      // master live on pair.ports[0]
//   await pair.failover();                            // master killed, slave live on pair.ports[1]

import { Server, Socket } from 'node:net';
import { Connection, Delivery, EventContext, Message, Sender, create_container } from 'rhea';
import { freePort } from '../../scripts/bench/ports';

export class SharedStore {
  readonly queues = new Map<string, Message[]>();
  /** Bodies of the messages accepted from producers, in order (with repeats if sent again). */
  readonly accepted: string[] = [];
  /** Bodies handed to consumers and accepted by them. */
  readonly consumed: string[] = [];

  private readonly seq = new WeakMap<Message, number>();
  private nextSeq = 0;

  queue(address: string): Message[] {
    let q = this.queues.get(address);
    if (!q) { q = []; this.queues.set(address, q); }
    return q;
  }

  /** A message accepted from a producer joins the tail. */
  push(address: string, message: Message): void {
    this.seq.set(message, this.nextSeq++);
    this.queue(address).push(message);
    this.accepted.push(String(message.body));
  }

  /** A message coming back goes where it was: before every later one (a broker's queue order). */
  putBack(address: string, message: Message): void {
    const q = this.queue(address);
    const mine = this.seq.get(message) ?? -1;
    const at = q.findIndex((m) => (this.seq.get(m) ?? -1) > mine);
    q.splice(at < 0 ? q.length : at, 0, message);
  }
}

interface Unsettled { address: string; message: Message; sender: Sender; conn: Connection }

/** One member: while live it serves the store on its port. */
class Member {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly consumers = new Map<string, Sender[]>();
  /** Deliveries sent to consumers and not settled yet: what goes back if they are lost. */
  private readonly unsettled = new Map<Delivery, Unsettled>();
  private readonly queuedBy = new WeakMap<Sender, number>();

  constructor(readonly store: SharedStore, readonly port: number, readonly id: string) {}

  get live(): boolean { return this.server !== undefined; }

  async start(): Promise<void> {
    const container = create_container({ id: this.id });
    const server = container.listen({ port: this.port, host: '127.0.0.1', autoaccept: false, treat_modified_as_released: true } as Parameters<typeof container.listen>[0]);
    server.on('connection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    container.on('sender_open', (ctx: EventContext) => {
      const address = ctx.sender!.source?.address ?? '';
      this.consumers.set(address, [...(this.consumers.get(address) ?? []), ctx.sender!]);
    });
    container.on('message', (ctx: EventContext) => {
      const address = ctx.receiver!.target?.address ?? ctx.message!.to ?? '';
      this.store.push(address, ctx.message!);
      ctx.delivery!.accept();
      this.pumpAll();
    });
    container.on('sendable', () => this.pumpAll());
    container.on('accepted', (ctx: EventContext) => {
      const u = this.unsettled.get(ctx.delivery!);
      if (u) { this.unsettled.delete(ctx.delivery!); this.store.consumed.push(String(u.message.body)); }
    });
    // treat_modified_as_released: both come as released.
    container.on('released', (ctx: EventContext) => this.requeue((d) => d === ctx.delivery));
    container.on('rejected', (ctx: EventContext) => { this.unsettled.delete(ctx.delivery!); });
    container.on('sender_close', (ctx: EventContext) => this.lost((u) => u.sender === ctx.sender));
    for (const gone of ['connection_close', 'disconnected']) container.on(gone, (ctx: EventContext) => this.lost((u) => u.conn === ctx.connection));
    container.on('error', () => { /* a dropped router connection is what these tests do */ });
    await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
    this.server = server;
  }

  /** Dies at once: connections dropped, what consumers had not settled back in the store. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.requeue(() => true);
    this.consumers.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A consumer or its connection went away: its unsettled messages go back. */
  private lost(which: (u: Unsettled) => boolean): void {
    this.requeue((_d, u) => which(u));
    for (const [address, senders] of this.consumers) this.consumers.set(address, senders.filter((s) => !which({ sender: s, conn: s.connection } as Unsettled)));
  }

  private requeue(which: (d: Delivery, u: Unsettled) => boolean): void {
    const back = [...this.unsettled].filter(([d, u]) => which(d, u));
    for (const [d, u] of back) {
      this.unsettled.delete(d);
      this.store.putBack(u.address, u.message);
    }
    if (back.length > 0 && this.live) setImmediate(() => this.pumpAll());
  }

  private pumpAll(): void {
    if (!this.live) return;
    for (const [address, senders] of this.consumers) {
      const queue = this.store.queue(address);
      for (const s of senders) {
        while (queue.length > 0 && this.room(s) > 0) {
          const message = queue.shift()!;
          const d = s.send(message);
          this.queuedBy.set(s, (this.queuedBy.get(s) ?? 0) + 1);
          this.unsettled.set(d, { address, message, sender: s, conn: s.connection });
        }
      }
    }
  }

  /** rhea counts credit down only when it writes: subtract what send() queued and did not write yet. */
  private room(s: Sender): number {
    const c = s as unknown as { credit: number; delivery_count: number };
    return s.is_open() && s.sendable() ? c.credit - ((this.queuedBy.get(s) ?? 0) - c.delivery_count) : 0;
  }
}

export class SharedStorePair {
  private constructor(readonly store: SharedStore, readonly master: Member, readonly slave: Member) {}

  static async start(): Promise<SharedStorePair> {
    const store = new SharedStore();
    const pair = new SharedStorePair(store, new Member(store, await freePort(), 'master'), new Member(store, await freePort(), 'slave'));
    await pair.master.start();
    return pair;
  }

  get ports(): [number, number] { return [this.master.port, this.slave.port]; }

  /** The master dies; the slave takes the store over after `takeoverMs` (it was not listening). */
  async failover(takeoverMs = 300): Promise<void> {
    await this.master.kill();
    await new Promise((r) => setTimeout(r, takeoverMs));
    await this.slave.start();
  }

  async close(): Promise<void> {
    await this.master.kill();
    await this.slave.kill();
  }
}
