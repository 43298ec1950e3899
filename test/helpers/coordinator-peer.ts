// A transactional resource made of Weft's own AMQP engine, for link-route tests of transactions
// (neither rhea nor the test broker coordinates): it answers a coordinator attach (declare →
// declared with a new txn-id, discharge → accepted), takes messages on any other link, and
// records the transfer state each message carried. Listens on 127.0.0.1 port 0 (SASL ANONYMOUS).

import { AddressInfo, Server, createServer } from 'node:net';
import { Connection, ConnectionEvents } from '../../router/amqp/connection';
import type { InDelivery } from '../../router/amqp/delivery';
import type { Link, ReceiverLink } from '../../router/amqp/link';
import { Accepted, DeliveryState, Descriptor } from '../../router/amqp/performatives';
import { Decoder } from '../../router/amqp/codec/decoder';
import { Encoder } from '../../router/amqp/codec/encoder';
import { AmqpSymbol, AmqpValue, Described, Typed } from '../../router/amqp/codec/values';

const AMQP_VALUE_SECTION = 0x77;
const DECLARE = 0x31;
const DISCHARGE = 0x32;

export interface TxnMessage { address: string; body: unknown; stateCode: number | undefined; txnId: string | undefined }

export class CoordinatorPeer {
  readonly declared: string[] = [];
  readonly discharged: { txnId: string; fail: boolean }[] = [];
  readonly received: TxnMessage[] = [];
  readonly coordinatorAttaches: string[] = [];
  private nextTxn = 1;
  private readonly connections = new Set<Connection>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<CoordinatorPeer> {
    const server = createServer();
    const peer = new CoordinatorPeer(server);
    server.on('connection', (socket) => {
      const c = new Connection(socket, { server: true, containerId: 'coordinator-peer', sasl: { mechanisms: ['ANONYMOUS'] } }, peer.events());
      peer.connections.add(c);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }

  async close(): Promise<void> {
    for (const c of this.connections) c.abort();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private events(): ConnectionEvents {
    return {
      onAttach: (link: Link) => {
        if (link.localAttached) return;
        const a = link.remoteAttach!;
        link.attach({ source: a.source, target: a.target });
        if (a.target?.kind === Descriptor.coordinator) this.coordinatorAttaches.push(link.name);
        if (!link.isSender) (link as ReceiverLink).setCredit(100);
      },
      onTransfer: (d: InDelivery) => {
        if (!d.complete) return;
        const payload = Buffer.from(d.bytes());
        d.doneRouting();
        if (d.aborted) return;
        const body = amqpValueOf(payload);
        const target = d.link.remoteAttach?.target;
        if (target?.kind === Descriptor.coordinator) return this.coordinate(d, body);
        const txnId = d.state?.code === Descriptor.transactionalState ? txnIdOf(d.state) : undefined;
        this.received.push({ address: target?.address ?? '', body, stateCode: d.state?.code, txnId });
        // Posted in a transaction: the outcome goes in a transactional-state (spec part 4 §4.4.2).
        d.settle(txnId === undefined ? Accepted : transactionalState(txnId));
        (d.link as ReceiverLink).addCredit(1);
      },
    };
  }

  private coordinate(d: InDelivery, body: AmqpValue | undefined): void {
    const code = body instanceof Described ? codeOf(body.descriptor) : undefined;
    if (code === DECLARE) {
      const txnId = `txn-${this.nextTxn++}`;
      this.declared.push(txnId);
      d.settle(state(Descriptor.declared, [Buffer.from(txnId)]));
    } else if (code === DISCHARGE) {
      const fields = (body as Described).value as AmqpValue[];
      this.discharged.push({ txnId: Buffer.from(fields[0] as Buffer).toString(), fail: fields[1] === true });
      d.settle(Accepted);
    }
    (d.link as ReceiverLink).addCredit(1);
  }
}

/** The value of a message's amqp-value section. */
function amqpValueOf(payload: Buffer): AmqpValue | undefined {
  const dec = new Decoder(payload);
  while (dec.pos < dec.end) {
    const v = dec.value();
    if (v instanceof Described && codeOf(v.descriptor) === AMQP_VALUE_SECTION) return v.value;
  }
  return undefined;
}

/** A descriptor's code; Proton describes declare and discharge by symbol (`amqp:declare:list`). */
function codeOf(descriptor: AmqpValue): number | undefined {
  if (descriptor instanceof AmqpSymbol) return SYMBOLIC[descriptor.value];
  return descriptor instanceof Typed ? descriptor.number : typeof descriptor === 'number' ? descriptor : undefined;
}

const SYMBOLIC: Record<string, number> = { 'amqp:declare:list': DECLARE, 'amqp:discharge:list': DISCHARGE, 'amqp:amqp-value:*': AMQP_VALUE_SECTION };

function state(code: number, fields: AmqpValue[]): DeliveryState {
  const e = new Encoder(64);
  e.value(new Described(new Typed('ulong', code), fields));
  return { code, raw: e.take() };
}

function transactionalState(txnId: string): DeliveryState {
  return state(Descriptor.transactionalState, [Buffer.from(txnId), new Described(new Typed('ulong', Descriptor.accepted), [])]);
}

function txnIdOf(s: DeliveryState): string | undefined {
  const v = new Decoder(s.raw).value();
  if (!(v instanceof Described) || !Array.isArray(v.value)) return undefined;
  const id = v.value[0];
  return Buffer.isBuffer(id) ? id.toString() : undefined;
}
