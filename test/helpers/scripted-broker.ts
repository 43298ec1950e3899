// A broker stand-in for bad-input tests, on the engine's own Connection (server side): it
// answers the router's attaches as told (accept, refuse with a detach as qdrouterd or Artemis
// do, or end the session as RabbitMQ does), grants credit to the router's senders, keeps what
// it is sent unsettled, and can be killed mid-transfer. Listens on 127.0.0.1, port 0 or given.

import * as net from 'node:net';
import { Connection, ConnectionEvents } from '../../router/amqp/connection';
import type { Link, ReceiverLink } from '../../router/amqp/link';
import type { InDelivery } from '../../router/amqp/delivery';
import type { ErrorCondition } from '../../router/amqp/performatives';
import type { AmqpMap } from '../../router/amqp/codec/values';

export type AttachAnswer = 'accept' | { refuse: ErrorCondition } | { endSession: ErrorCondition };

export interface ScriptedBrokerOptions {
  /** How to answer an attach (default: accept). */
  answer?: (link: Link) => AttachAnswer;
  /** Credit given to each link the router sends on (default 100). */
  credit?: number;
  /** Properties of the broker's open (e.g. a failover-server-list). */
  openProperties?: AmqpMap;
}

export class ScriptedBroker {
  /** Every attach the router sent: link name, whether the router sends, the address on our side. */
  readonly attaches: { name: string; routerSends: boolean; address: string | undefined }[] = [];
  /** Complete deliveries received, unsettled (the broker never settles them). */
  readonly deliveries: InDelivery[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server, private readonly options: ScriptedBrokerOptions) {}

  static async start(options: ScriptedBrokerOptions = {}, port = 0): Promise<ScriptedBroker> {
    const server = net.createServer();
    const broker = new ScriptedBroker(server, options);
    server.on('connection', (s) => broker.accept(s));
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()); });
    return broker;
  }

  get port(): number { return (this.server.address() as net.AddressInfo).port; }

  /** Drops every connection at once, as a crashed broker would, and stops listening. */
  async kill(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const events: ConnectionEvents = {
      onAttach: (link) => this.onAttach(link),
      onTransfer: (d) => {
        if (!d.complete) return;
        d.doneRouting();
        if (!d.aborted) this.deliveries.push(d);
      },
    };
    new Connection(socket, { server: true, containerId: 'scripted-broker', sasl: { mechanisms: ['ANONYMOUS'] }, properties: this.options.openProperties }, events);
  }

  private onAttach(link: Link): void {
    const a = link.remoteAttach!;
    const address = link.isSender ? a.source?.address : a.target?.address;
    this.attaches.push({ name: link.name, routerSends: !link.isSender, address });
    const answer = this.options.answer?.(link) ?? 'accept';
    if (answer === 'accept') {
      link.attach({ source: a.source, target: a.target });
      if (!link.isSender) (link as ReceiverLink).setCredit(this.options.credit ?? 100);
    } else if ('refuse' in answer) link.refuse(answer.refuse);
    else link.session.end(answer.endSession);
  }
}
