// One AMQP connection of a normal listener: answers attaches (producers, consumers, dynamic
// reply addresses), refuses what a normal connection may not do, and hands deliveries to the
// delivery router. Engine events arrive here; routing decisions are the core's.

import { Connection, ConnectionEvents } from '../amqp/connection';
import type { Link, ReceiverLink, SenderLink } from '../amqp/link';
import type { InDelivery, OutDelivery } from '../amqp/delivery';
import { Descriptor, ErrorCondition, Terminus, symbolList } from '../amqp/performatives';
import { Consumer, Peer, Producer } from './links';
import type { RouterNode } from './router-node';
import type { ListenerSpec } from './listener-spec';
import type { MessageLogging } from '../observe/message-log';
import { connectionClosed, connectionOpened, setProtocolTrace } from './connection-log';

export class ClientConnection implements ConnectionEvents, Peer {
  connection!: Connection;
  /** messageLoggingComponents of its listener or connector, set when it opens (connection-log.ts). */
  messageLog: MessageLogging | undefined = undefined;
  readonly stripIn: boolean;
  readonly stripOut: boolean;
  readonly interRouter = false;
  lastDeliverySec = -1;
  readonly openedAt = Date.now();

  constructor(readonly node: RouterNode, readonly id: number, readonly spec: ListenerSpec, readonly peer: string, readonly dir: 'in' | 'out') {
    this.stripIn = spec.stripAnnotations === 'in' || spec.stripAnnotations === 'both';
    this.stripOut = spec.stripAnnotations === 'out' || spec.stripAnnotations === 'both';
  }

  get linkCapacity(): number { return this.spec.linkCapacity; }

  private get log() { return this.node.log.server; }

  onOpen(_c: Connection): void {
    connectionOpened(this); // the Opened line, link lines and message tracing (connection-log.ts)
    this.node.autoLinks.connectionOpened(this); // auto-links (auto-links.ts)
  }

  /** The listener's or connector's role: route-container connections activate link routes and auto-links. */
  get role(): ListenerSpec['role'] { return this.spec.role; }

  onClose(_c: Connection, _error: ErrorCondition | undefined): void {
    this.node.connectionClosed(this);
    this.node.autoLinks.connectionClosed(this); // auto-links (auto-links.ts)
    connectionClosed(this); // the Closed line, with who closed it and why (connection-log.ts)
  }

  onSaslOutcome(_c: Connection, ok: boolean, user: string | undefined, reason?: string): void {
    if (ok) this.log.debug(`[C${this.id}] SASL authenticated ${user ?? ''}`);
    else this.log.warning(`[C${this.id}] SASL authentication failed from ${this.peer}: ${reason ?? ''}`);
  }

  onAttach(link: Link): void {
    if (link.localAttached) {
      // Answers to the router's own attaches: auto-links (auto-links.ts).
      this.node.autoLinks.attachAnswered(link);
      return;
    }
    const term = link.remoteTerminus;
    const caps = symbolList(term?.capabilities);
    if (caps.includes('qd.router') || caps.includes('qd.router-data')) {
      return this.refuse(link, 'qd:forbidden', 'Connectivity to the node is forbidden');
    }
    if (link.isSender) this.attachConsumer(link as SenderLink);
    else this.attachProducer(link as ReceiverLink);
  }

  private refuse(link: Link, condition: string, description: string): void {
    link.refuse({ condition, description }); // logged with the link's termini (link-log.ts)
  }

  /** The client's receiver: a destination for deliveries. */
  private attachConsumer(link: SenderLink): void {
    const source = link.remoteAttach!.source;
    let text = source?.address;
    if (source?.dynamic) text = this.node.dynamicReplyAddress();
    if (!text) return this.refuse(link, 'amqp:invalid-field', 'a receiver needs a source address or a dynamic source');
    const forbidden = this.node.forbiddenReason(text);
    if (forbidden) return this.refuse(link, 'amqp:unauthorized-access', forbidden);
    const address = this.node.lookupAddress(text, undefined, 'egress');
    if (address.distribution === 'unavailable') return this.refuse(link, 'amqp:not-found', 'Node not found');
    const replySource: Terminus = { ...(source ?? { kind: Descriptor.source }), kind: Descriptor.source, address: text, raw: undefined };
    link.attach({ source: replySource, target: link.remoteAttach!.target });
    const c = new Consumer(link, this, address);
    link.context = c;
    const first = !address.hasConsumers;
    address.addConsumer(c);
    this.node.log.core.debug(`[C${this.id}] consumer ${link.name} on ${address.key}`);
    if (first) this.node.firstLocalConsumer(address);
  }

  /** The client's sender: deliveries come in on it. */
  private attachProducer(link: ReceiverLink): void {
    const target = link.remoteAttach!.target;
    if (target?.kind === Descriptor.coordinator) {
      return this.refuse(link, 'amqp:precondition-failed', 'The router can not coordinate transactions: attach through a link route to a broker');
    }
    let text = target?.address;
    if (target?.dynamic) text = this.node.dynamicSenderAddress();
    let address;
    if (text) {
      const forbidden = this.node.forbiddenTargetReason(text);
      if (forbidden) return this.refuse(link, 'amqp:unauthorized-access', forbidden);
      address = this.node.lookupAddress(text, undefined, 'ingress');
      if (address.distribution === 'unavailable') return this.refuse(link, 'amqp:not-found', 'Node not found');
    }
    const replyTarget: Terminus | undefined = target ? { ...target, address: text, raw: undefined } : undefined;
    // We settle first: a sender asking for rcv-settle-mode second gets first.
    link.attach({ source: link.remoteAttach!.source, target: replyTarget, rcvSettleMode: 0 });
    const p = new Producer(link, this, address, this.spec.linkCapacity);
    link.context = p;
    address?.senders.add(p);
    this.node.log.core.debug(`[C${this.id}] producer ${link.name} on ${address?.key ?? '(anonymous)'}`);
    p.grant();
  }

  onDetach(link: Link, error: ErrorCondition | undefined, byPeer: boolean): void {
    const ctx = link.context;
    if (ctx instanceof Consumer) this.node.deliveries.consumerGone(ctx);
    else if (ctx instanceof Producer) this.node.deliveries.producerGone(ctx);
    link.context = undefined;
    this.node.autoLinks.linkDetached(link, error); // auto-links (auto-links.ts)
    if (error && byPeer) this.node.log.core.debug(`[C${this.id}] link ${link.name} detached by peer: ${error.condition} ${error.description ?? ''}`);
  }

  onCredit(link: SenderLink): void {
    const c = link.context;
    if (c instanceof Consumer && c.capacity > 0) this.node.deliveries.onCredit(c);
  }

  onTransfer(d: InDelivery): void {
    const p = d.link.context;
    if (p instanceof Producer) this.node.deliveries.onTransfer(d, p);
    else { d.doneRouting(); }
  }

  onSent(out: OutDelivery): void { this.node.deliveries.onSent(out); }
  onDisposition(out: OutDelivery): void { this.node.deliveries.onDisposition(out); }

  /** Frame tracing for this connection only (management's enableProtocolTrace). */
  setProtocolTrace(on: boolean): void { setProtocolTrace(this, on); }
}
