// rhea (the AMQP client from npm, not written here) as a test client: promises for opening a
// connection and links, each bounded by a timeout and failing on the peer's error or close.

import { EventEmitter } from 'node:events';
// Named imports only: rhea exports a Container instance, whose methods live on its prototype.
import { create_container } from 'rhea';
import type { Connection, EventContext, Receiver, ReceiverOptions, Sender, SenderOptions } from 'rhea';

let containerCount = 0;

/**
 * Waits for `event` on `emitter`; fails after `timeoutMs` or when one of `failOn` comes first
 * (with the AMQP error the peer gave, if any).
 */
export function nextEvent(emitter: EventEmitter, event: string, what: string, timeoutMs = 5000, failOn: string[] = []): Promise<EventContext> {
  return new Promise((resolve, reject) => {
    const handlers: Array<[string, (ctx: EventContext) => void]> = [];
    const done = (err: Error | undefined, ctx?: EventContext) => {
      clearTimeout(timer);
      for (const [name, h] of handlers) emitter.removeListener(name, h);
      if (err) reject(err); else resolve(ctx!);
    };
    const on = (name: string, h: (ctx: EventContext) => void) => { handlers.push([name, h]); emitter.on(name, h); };
    on(event, (ctx) => done(undefined, ctx));
    for (const name of failOn) {
      on(name, (ctx) => {
        const error = (ctx?.receiver ?? ctx?.sender ?? ctx?.connection as { error?: unknown } | undefined)?.error;
        done(new Error(`${what}: got ${name} instead of ${event}${error ? `: ${JSON.stringify(error)}` : ''}`));
      });
    }
    const timer = setTimeout(() => done(new Error(`${what}: no ${event} within ${timeoutMs} ms`)), timeoutMs);
  });
}

/** A rhea connection to 127.0.0.1:port (no reconnect), open. */
export async function rheaConnect(port: number, timeoutMs = 5000): Promise<Connection> {
  const container = create_container({ id: `rhea-interop-${process.pid}-${++containerCount}` });
  const conn = container.connect({ host: '127.0.0.1', port, reconnect: false });
  // Without listeners rhea would rethrow errors or log them: they reach the tests as failures instead.
  conn.on('error', () => { /* reported by the wait below or by the link's own events */ });
  conn.on('disconnected', () => { /* idem */ });
  await nextEvent(conn as unknown as EventEmitter, 'connection_open', `rhea connection to port ${port}`, timeoutMs, ['connection_error', 'connection_close', 'disconnected']);
  return conn;
}

export async function openReceiver(conn: Connection, options: ReceiverOptions | string, timeoutMs = 5000): Promise<Receiver> {
  const r = conn.open_receiver(options);
  await nextEvent(r as unknown as EventEmitter, 'receiver_open', `rhea receiver ${JSON.stringify(options)}`, timeoutMs, ['receiver_error', 'receiver_close']);
  return r;
}

export async function openSender(conn: Connection, options: SenderOptions | string, timeoutMs = 5000): Promise<Sender> {
  const s = conn.open_sender(options);
  await nextEvent(s as unknown as EventEmitter, 'sender_open', `rhea sender ${JSON.stringify(options)}`, timeoutMs, ['sender_error', 'sender_close']);
  return s;
}

/** Waits until the sender has credit (the router gives none while its address has no consumer). */
export async function sendable(s: Sender, timeoutMs = 5000): Promise<void> {
  if (s.sendable()) return;
  await nextEvent(s as unknown as EventEmitter, 'sendable', `credit for rhea sender ${s.name}`, timeoutMs, ['sender_error', 'sender_close']);
}

/** Closes a connection and waits for the router's close (or the socket's end). */
export async function closeConnection(conn: Connection, timeoutMs = 3000): Promise<void> {
  if (!conn.is_open()) { conn.close(); return; }
  const closed = nextEvent(conn as unknown as EventEmitter, 'connection_close', 'closing rhea connection', timeoutMs, ['disconnected']).catch(() => undefined);
  conn.close();
  await closed;
}

/** Collects the messages a receiver gets (rhea accepts them unless autoaccept is off). */
export function collectMessages(r: Receiver): EventContext[] {
  const got: EventContext[] = [];
  r.on('message', (ctx: EventContext) => { got.push(ctx); });
  return got;
}

/** The link fields of a flow the router sent on a link. */
export interface FlowSeen { delivery_count?: number; link_credit?: number; drain?: boolean; available?: number }

/**
 * Records the flows the router sends on a receiver, as they arrive (rhea keeps no history and
 * only raises `receiver_drained` for a flow with drain set: a test can say what came instead).
 */
export function recordFlows(r: Receiver): FlowSeen[] {
  const flows: FlowSeen[] = [];
  const link = r as unknown as { on_flow(frame: { performative: FlowSeen }): void };
  const onFlow = link.on_flow;
  link.on_flow = function (frame) {
    const f = frame.performative;
    flows.push({ delivery_count: f.delivery_count, link_credit: f.link_credit, drain: f.drain, available: f.available });
    onFlow.call(this, frame);
  };
  return flows;
}

/**
 * How a peer refused a link: by the spec, an attach (null terminus) and a detach with the error;
 * RabbitMQ 3.10 ends the link's session instead and sends neither. `opened`: an attach came back.
 */
export interface Refusal { by: 'detach' | 'end'; opened: boolean; condition?: string; description?: string }

export function refusal(link: Sender | Receiver, timeoutMs = 5000): Promise<Refusal> {
  const role = link.is_sender() ? 'sender' : 'receiver';
  let opened = false;
  return new Promise((resolve, reject) => {
    const done = (by: Refusal['by'], error: { condition?: string; description?: string } | undefined): void => {
      clearTimeout(timer);
      link.removeListener(`${role}_close`, onDetach);
      link.session.removeListener('session_close', onEnd);
      resolve({ by, opened, condition: error?.condition, description: error?.description });
    };
    const onDetach = (): void => done('detach', link.error as Refusal | undefined);
    const onEnd = (): void => done('end', link.session.error as Refusal | undefined);
    // Listeners keep rhea from raising the peer's error on the container, where nobody listens.
    link.on(`${role}_error`, () => undefined);
    link.once(`${role}_open`, () => { opened = true; });
    link.once(`${role}_close`, onDetach);
    link.session.on('session_error', () => undefined);
    link.session.once('session_close', onEnd);
    const timer = setTimeout(() => reject(new Error(`${role} ${link.name}: neither detached nor ended within ${timeoutMs} ms`)), timeoutMs);
  });
}
