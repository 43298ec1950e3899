// The lab's two clients, in this process (rhea): a receiver that records each message with the
// router annotations it arrived with, and a sender that reports credit and outcomes. Each wait
// is re-checked on every event and ends on its condition, a client failure or its time limit.

import { Connection, Delivery, EventContext, Message, Sender, SenderOptions, create_container } from 'rhea';
import type { Endpoint } from './lab-mesh';
import { LabError } from './lab-layout';

export interface ReceivedMessage {
  messageId: unknown;
  subject?: string;
  body: string;
  /** `x-opt-qd.trace`: the routers the message left, as `0/<router-id>`. */
  trace?: string[];
  ingress?: string;
}

export type Outcome = 'accepted' | 'rejected' | 'released' | 'modified';

abstract class LabClient {
  protected readonly connection: Connection;
  private failure: LabError | undefined;
  private closing = false;
  private readonly watchers = new Set<() => void>();

  constructor(readonly what: string, endpoint: Endpoint, containerId: string) {
    this.connection = create_container({ id: containerId }).connect({ host: endpoint.host, port: endpoint.port, reconnect: false, transport: 'tcp' });
    const at = `${endpoint.host}:${endpoint.port}`;
    this.connection.on('connection_error', (ctx: EventContext) => this.fail(`${this.what}: the router at ${at} closed the connection: ${errorText(ctx.connection.error)}`));
    this.connection.on('disconnected', (ctx: EventContext) => {
      if (!this.closing) this.fail(`${this.what}: no connection to ${at}: ${errorText(ctx.error)}`);
    });
    this.connection.on('protocol_error', (e: unknown) => this.fail(`${this.what}: protocol error from ${at}: ${errorText(e)}`));
    this.connection.on('error', (e: unknown) => this.fail(`${this.what}: ${errorText(e)}`));
  }

  protected fail(message: string): void {
    this.failure ??= new LabError(message);
    this.changed();
  }

  /** Watchers look again. */
  protected changed(): void { for (const w of [...this.watchers]) w(); }

  /** Resolves with `check()`'s first truthy value; rejects when the client fails or after `timeoutMs` with `timeoutMessage()`. */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs: number, timeoutMessage: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (err: Error | undefined, v?: T): void => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
        if (err) reject(err); else resolve(v as T);
      };
      const watcher = (): void => {
        if (this.failure) return done(this.failure);
        const v = check();
        if (v) done(undefined, v);
      };
      const timer = setTimeout(() => done(new LabError(timeoutMessage())), timeoutMs);
      this.watchers.add(watcher);
      watcher();
    });
  }

  close(): Promise<void> {
    if (this.closing || !this.connection.is_open()) { this.closing = true; return Promise.resolve(); }
    this.closing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 2000); // the router may already be gone
      this.connection.once('connection_close', () => { clearTimeout(timer); resolve(); });
      this.connection.close();
    });
  }
}

export class LabReceiver extends LabClient {
  readonly messages: ReceivedMessage[] = [];
  attached = false;

  constructor(endpoint: Endpoint, readonly address: string, onMessage: (m: ReceivedMessage) => void) {
    super(`the receiver for '${address}'`, endpoint, 'weft-lab-receiver');
    const receiver = this.connection.open_receiver({ source: { address }, credit_window: 100, autoaccept: true });
    receiver.on('receiver_open', () => { this.attached = true; this.changed(); });
    receiver.on('receiver_error', () => this.fail(`${this.what} was refused: ${errorText(receiver.error)}`));
    receiver.on('receiver_close', () => this.fail(`${this.what} was detached by the router`));
    receiver.on('message', (ctx: EventContext) => {
      const m = received(ctx.message!);
      this.messages.push(m);
      onMessage(m);
      this.changed();
    });
  }
}

export class LabSender extends LabClient {
  readonly outcomes = new Map<number, Outcome>();
  credited = false;
  private readonly sender: Sender;
  private readonly queue: Message[] = [];
  private readonly indexOf = new Map<Delivery, number>();
  private sent = 0;

  constructor(endpoint: Endpoint, readonly address: string) {
    super(`the sender to '${address}'`, endpoint, 'weft-lab-sender');
    // Unsettled, so that each message gets an outcome; modified counts on its own.
    const sender = this.connection.open_sender({ target: { address }, treat_modified_as_released: false } as SenderOptions);
    this.sender = sender;
    sender.on('sendable', () => {
      this.credited = true;
      this.pump();
      this.changed();
    });
    for (const outcome of ['accepted', 'rejected', 'released', 'modified'] as const) {
      sender.on(outcome, (ctx: EventContext) => {
        const i = ctx.delivery ? this.indexOf.get(ctx.delivery) : undefined;
        if (i !== undefined) this.outcomes.set(i, outcome);
        this.changed();
      });
    }
    sender.on('sender_error', () => this.fail(`${this.what} was refused: ${errorText(sender.error)}`));
    sender.on('sender_close', () => this.fail(`${this.what} was detached by the router`));
  }

  /** Queues messages; they go out as credit allows. Returns their numbers, the keys of `outcomes`. */
  send(messages: Message[]): number[] {
    const first = this.sent + this.queue.length;
    this.queue.push(...messages);
    this.pump();
    return messages.map((_, i) => first + i);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.sender.sendable()) {
      this.indexOf.set(this.sender.send(this.queue.shift()!), this.sent++);
    }
  }

  /** Outcome counts of these messages (default all): `10 accepted`, or `8 accepted, 2 released`. */
  tally(which: readonly number[] = [...this.outcomes.keys()]): string {
    const counts = new Map<Outcome, number>();
    for (const i of which) {
      const o = this.outcomes.get(i);
      if (o) counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    return [...counts].map(([o, n]) => `${n} ${o}`).join(', ') || 'no outcomes';
  }
}

function received(m: Message): ReceivedMessage {
  const a = m.message_annotations ?? {};
  const trace = a['x-opt-qd.trace'];
  return {
    messageId: m.message_id,
    subject: m.subject,
    body: typeof m.body === 'string' ? m.body : JSON.stringify(m.body),
    trace: Array.isArray(trace) ? trace.map(String) : undefined,
    ingress: typeof a['x-opt-qd.ingress'] === 'string' ? a['x-opt-qd.ingress'] : undefined,
  };
}

function errorText(e: unknown): string {
  if (e === undefined || e === null) return 'no reason given';
  if (typeof e !== 'object') return String(e);
  const err = e as { code?: unknown; condition?: unknown; description?: unknown; message?: unknown };
  if (typeof err.code === 'string') return err.code;
  if (typeof err.condition === 'string') return typeof err.description === 'string' && err.description ? `${err.condition}: ${err.description}` : err.condition;
  return typeof err.message === 'string' ? err.message : String(e);
}
