// Our own engine as a test client, for tests that must control exactly when each part of a
// message leaves the producer (rhea only sends whole messages).

import * as net from 'node:net';
import { Connection, ConnectionEvents } from '../../router/amqp/connection';
import type { InDelivery } from '../../router/amqp/delivery';
import type { Link, SenderLink } from '../../router/amqp/link';
import { Encoder } from '../../router/amqp/codec/encoder';

/** An amqp-value section holding `size` bytes of binary. */
export function bodySection(size: number): Buffer {
  const e = new Encoder(size + 16);
  e.descriptor(0x77);
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) body.writeUInt32BE(i, i);
  e.binary(body);
  return e.take();
}

export interface EngineClient { conn: Connection; events: ConnectionEvents & { transfers: InDelivery[]; credit: number; attached: Link[] } }

export async function engineClient(port: number, name: string): Promise<EngineClient> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('error', reject); });
  const events = {
    transfers: [] as InDelivery[],
    credit: 0,
    attached: [] as Link[],
    onTransfer(d: InDelivery) { if (!events.transfers.includes(d)) events.transfers.push(d); },
    onCredit(l: SenderLink) { events.credit = l.linkCredit; },
    onAttach(l: Link) { events.attached.push(l); },
  };
  const conn = new Connection(socket, { server: false, containerId: name, saslClient: {}, maxFrameSize: 16384 }, events);
  return { conn, events };
}

