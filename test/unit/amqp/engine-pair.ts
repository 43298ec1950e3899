// Two engine Connections over a duplex pair, a server and a client, with every event recorded
// and the bytes each side wrote readable as frames. Links attached by the peer are answered
// with the peer's own termini unless a test says otherwise; incoming deliveries are gathered
// whole. Nothing here routes: the test plays the application on both sides.

import { Connection, ConnectionEvents, ConnectionOptions } from '../../../router/amqp/connection';
import type { Link, ReceiverLink, SenderLink } from '../../../router/amqp/link';
import { InDelivery, OutDelivery, payloadOf } from '../../../router/amqp/delivery';
import { Descriptor, ErrorCondition, Flow, Terminus } from '../../../router/amqp/performatives';
import { DuplexEnd, duplexPair } from '../../helpers/duplex-pair';
import { FrameReader, RawAmqpClient, WireFrame, WireItem, framesOf } from '../../helpers/raw-amqp-client';

export interface DetachRecord { link: Link; error: ErrorCondition | undefined; byPeer: boolean }

/** Records one side's events; `on*` hooks let a test act on them. */
export class Recorder implements ConnectionEvents {
  opened = false;
  closed: { error: ErrorCondition | undefined } | undefined = undefined;
  readonly attaches: Link[] = [];
  readonly detaches: DetachRecord[] = [];
  readonly credits: SenderLink[] = [];
  readonly receiverFlows: Flow[] = [];
  /** Every onTransfer call (a delivery appears once per frame until complete). */
  readonly transferCalls: { delivery: InDelivery; complete: boolean; aborted: boolean; size: number }[] = [];
  /** Complete, not aborted deliveries with their payload. */
  readonly messages: { delivery: InDelivery; payload: Buffer }[] = [];
  readonly aborted: InDelivery[] = [];
  readonly dispositions: OutDelivery[] = [];
  readonly senderSettled: { delivery: InDelivery; settled: boolean }[] = [];
  readonly sent: OutDelivery[] = [];
  readonly sasl: { ok: boolean; user: string | undefined }[] = [];
  /** Answer a peer's attach (default: echo its termini). */
  answerAttach: ((link: Link) => void) | undefined = (link) => {
    const a = link.remoteAttach!;
    link.attach({ source: a.source, target: a.target });
  };
  /** Called with each complete delivery (default: nothing, the test settles). */
  onMessage: ((d: InDelivery, payload: Buffer) => void) | undefined = undefined;

  onOpen(): void { this.opened = true; }
  onClose(_c: Connection, error: ErrorCondition | undefined): void { this.closed = { error }; }
  onAttach(link: Link): void {
    this.attaches.push(link);
    if (!link.localAttached) this.answerAttach?.(link);
  }
  onDetach(link: Link, error: ErrorCondition | undefined, byPeer: boolean): void { this.detaches.push({ link, error, byPeer }); }
  onCredit(link: SenderLink): void { this.credits.push(link); }
  onReceiverFlow(_link: ReceiverLink, flow: Flow): void { this.receiverFlows.push(flow); }
  onTransfer(d: InDelivery): void {
    this.transferCalls.push({ delivery: d, complete: d.complete, aborted: d.aborted, size: d.size });
    if (d.aborted) { this.aborted.push(d); return; }
    if (!d.complete) return;
    const payload = Buffer.from(d.bytes());
    this.messages.push({ delivery: d, payload });
    d.doneRouting();
    this.onMessage?.(d, payload);
  }
  onDisposition(d: OutDelivery): void { this.dispositions.push(d); }
  onSenderSettled(d: InDelivery, _state: unknown, settled: boolean): void { this.senderSettled.push({ delivery: d, settled }); }
  onSent(d: OutDelivery): void { this.sent.push(d); }
  onSaslOutcome(_c: Connection, ok: boolean, user: string | undefined): void { this.sasl.push({ ok, user }); }
}

export interface EnginePair {
  server: Connection;
  client: Connection;
  serverEvents: Recorder;
  clientEvents: Recorder;
  /** The transport ends: `client.written` holds what the client wrote, and so on. */
  clientEnd: DuplexEnd;
  serverEnd: DuplexEnd;
  /** What each side has written so far, as headers and frames. */
  clientWrote(): WireItem[];
  serverWrote(): WireItem[];
}

export function enginePair(server: Partial<ConnectionOptions> = {}, client: Partial<ConnectionOptions> = {}): EnginePair {
  const [clientEnd, serverEnd] = duplexPair();
  const serverEvents = new Recorder();
  const clientEvents = new Recorder();
  const s = new Connection(serverEnd, { server: true, containerId: 'server', ...server }, serverEvents);
  const c = new Connection(clientEnd, { server: false, containerId: 'client', ...client }, clientEvents);
  return {
    server: s, client: c, serverEvents, clientEvents, clientEnd, serverEnd,
    clientWrote: () => FrameReader.readAll(clientEnd.written),
    serverWrote: () => FrameReader.readAll(serverEnd.written),
  };
}

/** An engine server driven by a RawAmqpClient (for peers that break the protocol). */
export function rawPeer(server: Partial<ConnectionOptions> = {}): { server: Connection; events: Recorder; peer: RawAmqpClient; serverEnd: DuplexEnd } {
  const [peerEnd, serverEnd] = duplexPair();
  const events = new Recorder();
  const s = new Connection(serverEnd, { server: true, containerId: 'server', ...server }, events);
  return { server: s, events, peer: new RawAmqpClient(peerEnd), serverEnd };
}

/** Polls `check` every few milliseconds (the engine flushes on setImmediate). */
export async function until<T>(check: () => T, what: string | (() => string), timeoutMs = 1500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets pending ticks, immediates and writes run (a few event-loop turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

export const target = (address: string): Terminus => ({ kind: Descriptor.target, address });
export const source = (address: string): Terminus => ({ kind: Descriptor.source, address });

/** Opens a pair and a session, with a client sender attached to a server receiver. */
export async function senderToServer(pair: EnginePair, address = 'q1', local: { sndSettleMode?: number; rcvSettleMode?: number } = {}): Promise<{ sender: SenderLink; receiver: ReceiverLink }> {
  const session = pair.client.beginSession();
  const sender = pair.client.attachSender(session, `sender-${address}`, { source: source('client'), target: target(address), ...local });
  await until(() => sender.remoteAttach, 'the server to answer the attach');
  const receiver = pair.serverEvents.attaches.find((l) => l.name === sender.name) as ReceiverLink;
  return { sender, receiver };
}

export function message(text: string): ReturnType<typeof payloadOf> {
  return payloadOf(Buffer.from(text));
}

let tagCounter = 0;
export function tag(): Buffer { return Buffer.from(`t${tagCounter++}`); }

export function framesNamed(items: WireItem[], name: string): WireFrame[] { return framesOf(items, name); }
