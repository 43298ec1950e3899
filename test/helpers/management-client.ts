// A management client that sends what qdstat/qdmanage (Proton's SyncRequestResponse) send
// (reference §7.1, §7.8, §7.9): a sender to the management address, a dynamic receiver for the
// replies, reply-to = its address, correlation-id a string counter, requests one at a time.

import type { Connection, EventContext, Receiver, Sender } from 'rhea';
import { types } from 'rhea';
import { nextEvent, openReceiver, openSender, rheaConnect, closeConnection } from './rhea-client';
import type { EventEmitter } from 'node:events';

export interface Reply {
  statusCode: number;
  statusDescription: string;
  body: unknown;
  /** The whole reply as rhea decoded it. */
  message: Record<string, unknown>;
}

export interface QueryResult { attributeNames: string[]; results: unknown[][] }

export const PREFIX = 'org.apache.qpid.dispatch';
/** The long type name, as qdstat and qdmanage send it. */
export const long = (short: string): string => (short.startsWith(PREFIX) ? short : `${PREFIX}.${short}`);

export class ManagementClient {
  private correlation = 0;
  private constructor(readonly connection: Connection, private readonly sender: Sender, private readonly receiver: Receiver, readonly replyTo: string) {}

  /** Connects to a router's normal listener; `address` is `$management` or `_topo/0/<id>/$management` (qdstat -r). */
  static async connect(port: number, address = '$management'): Promise<ManagementClient> {
    const connection = await rheaConnect(port);
    const receiver = await openReceiver(connection, { source: { dynamic: true } as { address: string; dynamic: boolean }, credit_window: 0, autoaccept: true });
    const replyTo = (receiver.source as { address: string }).address;
    const sender = await openSender(connection, { target: { address } });
    return new ManagementClient(connection, sender, receiver, replyTo);
  }

  /** Sends one request and waits for the reply with its correlation-id. */
  async request(applicationProperties: Record<string, unknown>, body: unknown = {}, timeoutMs = 5000): Promise<Reply> {
    const id = String(++this.correlation);
    const replied = nextEvent(this.receiver as unknown as EventEmitter, 'message', `reply to request ${id} (${JSON.stringify(applicationProperties)})`, timeoutMs, ['receiver_close']);
    this.receiver.add_credit(1); // SyncRequestResponse: one credit per request
    if (!this.sender.sendable()) await nextEvent(this.sender as unknown as EventEmitter, 'sendable', 'credit for management requests', timeoutMs, ['sender_close']);
    this.sender.send({ reply_to: this.replyTo, correlation_id: id, application_properties: applicationProperties, body });
    const ctx: EventContext = await replied;
    const m = ctx.message as unknown as Record<string, unknown>;
    if (m.correlation_id !== id) throw new Error(`reply correlation-id ${String(m.correlation_id)} for request ${id}`);
    const ap = m.application_properties as Record<string, unknown>;
    return { statusCode: ap.statusCode as number, statusDescription: ap.statusDescription as string, body: m.body, message: m };
  }

  /** qdstat's QUERY: name=self, type=org.amqp.management, entityType, offset 0, count 500 (long). */
  async query(entityType: string, attributeNames: string[] = [], paging: { offset?: number; count?: number } = {}): Promise<QueryResult> {
    const r = await this.request({
      name: 'self', type: 'org.amqp.management', operation: 'QUERY', entityType: long(entityType),
      offset: types.wrap_long(paging.offset ?? 0), count: types.wrap_long(paging.count ?? 500),
    }, { attributeNames });
    if (r.statusCode !== 200) throw new Error(`QUERY ${entityType}: ${r.statusCode} ${r.statusDescription}`);
    return r.body as QueryResult;
  }

  /** Rows of a QUERY as objects. */
  async rows(entityType: string, attributeNames: string[] = []): Promise<Array<Record<string, unknown>>> {
    const q = await this.query(entityType, attributeNames);
    return q.results.map((row) => Object.fromEntries(q.attributeNames.map((n, i) => [n, row[i]])));
  }

  /** A node-level operation as qdmanage sends it (GET-TYPES, GET-MGMT-NODES, ...). */
  node(operation: string, more: Record<string, unknown> = {}): Promise<Reply> {
    return this.request({ name: 'self', type: 'org.amqp.management', operation, ...more }, {});
  }

  /** qdmanage create/read/update/delete: type (long) and name or identity as properties. */
  entity(operation: string, type: string, ids: { name?: string; identity?: string }, body: Record<string, unknown> = {}): Promise<Reply> {
    return this.request({ operation, type: long(type), ...ids }, body);
  }

  async close(): Promise<void> { await closeConnection(this.connection); }
}
