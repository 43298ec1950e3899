// A fake qdrouterd management agent for the routers of a small mesh, on a real socket: a rhea
// container on 127.0.0.1, port 0. It accepts a sender to `$management` (the first router) or
// `_topo/0/<id>/$management` (any router it plays; for other ids it either refuses the attach
// with amqp:not-found or, as qdrouterd does for a router it has no route to, never gives credit), gives dynamic receivers an `amqp:/_topo/0/<id>/temp.<15 chars>` address, and
// answers each request the way the agents do (reference §7.2-7.3): QUERY with projection and
// offset/count paging, CREATE/READ/UPDATE/DELETE, the GET-* node operations, RELOAD; 404 for
// unknown types and entities, 501 for unknown operations. Replies are presettled, carry the
// request's correlation-id, an int statusCode and the key order of the agent that would answer.

import { randomBytes } from 'node:crypto';
import { AddressInfo, Server, Socket } from 'node:net';
import { EventContext, Message, Receiver, Sender, create_container, types } from 'rhea';

export interface EntityTable {
  attributeNames: string[];
  results: unknown[][];
}

export interface FakeRouter {
  id: string;
  /** Entity tables by long type name. */
  entities: Record<string, EntityTable>;
  /** GET-MGMT-NODES as this router answers it (`amqp:/_topo/0/<id>/$management`, itself included). */
  mgmtNodes: string[];
  /** GET-LOG entries, oldest first: [module, level, text, file, line, timestamp]. */
  log: unknown[][];
  /** GET-TYPES. */
  types: Record<string, string[]>;
  /** The body a RELOAD returns. */
  reload?: Record<string, unknown>;
}

export interface FakeAgentOptions {
  /** What a sender to another router's $management gets: a refused attach (default) or no credit. */
  unknownRouter?: 'refuse' | 'no-credit';
}

/** Credit the agent's receivers keep open, as qdrouterd's (reference §2.4). */
const CREDIT = 250;

export interface RecordedRequest {
  /** The management address the request was sent to. */
  address: string;
  properties: Record<string, unknown>;
  body: unknown;
}

interface Reply { status: number; description: string; body: unknown }

const PREFIX = 'org.apache.qpid.dispatch.';
const NODE_TYPE = 'org.amqp.management';
/** Types the C agent answers; it puts statusDescription first, the Python agent statusCode. */
const C_TYPES = new Set(['router', 'connection', 'router.link', 'router.address', 'router.config.address',
  'router.config.linkRoute', 'router.config.autoLink', 'router.config.exchange', 'router.config.binding'].map((t) => PREFIX + t));

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 501: 'Not Implemented' };

const ok = (body: unknown, status = 200): Reply => ({ status, description: STATUS_TEXT[status], body });
const fail = (status: number, why: string): Reply => ({ status, description: why, body: {} });

export class FakeManagementAgent {
  readonly requests: RecordedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly replySenders = new Map<string, Sender>();
  private nextIdentity = 41;

  private constructor(private readonly server: Server, readonly routers: FakeRouter[], private readonly options: FakeAgentOptions) {
    server.on('connection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  static async start(routers: FakeRouter[], options: FakeAgentOptions = {}): Promise<FakeManagementAgent> {
    const container = create_container({ id: routers[0].id });
    // Credit is given by hand: none at all for a router the agent has no route to.
    const server = container.listen({ port: 0, host: '127.0.0.1', credit_window: 0 } as Parameters<typeof container.listen>[0]);
    const agent = new FakeManagementAgent(server, routers, options);
    container.on('receiver_open', (ctx: EventContext) => agent.onRequestLink(ctx.receiver!));
    container.on('sender_open', (ctx: EventContext) => agent.onReplyLink(ctx.sender!));
    container.on('message', (ctx: EventContext) => agent.onRequest(ctx.receiver!, ctx.message!));
    container.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return agent;
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }
  /** The -b value that reaches it. */
  get bus(): string { return `127.0.0.1:${this.port}`; }

  /** The operations received, as `OPERATION entityType-or-type`. */
  get operations(): string[] {
    return this.requests.map((r) => [r.properties.operation, r.properties.entityType ?? (r.properties.type === NODE_TYPE ? undefined : r.properties.type)]
      .filter((x) => x !== undefined).join(' '));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private routerFor(address: string | undefined): FakeRouter | undefined {
    if (address === '$management' || address === '_local/$management') return this.routers[0];
    const m = /^(?:amqp:\/)?_topo\/0\/([^/]+)\/\$management$/.exec(address ?? '');
    return m ? this.routers.find((r) => r.id === m[1]) : undefined;
  }

  private onRequestLink(receiver: Receiver): void {
    const address = receiver.target?.address;
    if (this.routerFor(address)) receiver.add_credit(CREDIT);
    else if (this.options.unknownRouter !== 'no-credit') receiver.close({ condition: 'amqp:not-found', description: `no route to '${address}'` });
  }

  private onReplyLink(sender: Sender): void {
    if (!sender.source?.dynamic) return;
    const address = `amqp:/_topo/0/${this.routers[0].id}/temp.${randomBytes(12).toString('base64url').slice(0, 15)}`;
    sender.set_source({ address, dynamic: true } as Parameters<Sender['set_source']>[0]);
    this.replySenders.set(address, sender);
  }

  private onRequest(receiver: Receiver, message: Message): void {
    const address = receiver.target?.address ?? '';
    const properties = (message.application_properties ?? {}) as Record<string, unknown>;
    this.requests.push({ address, properties, body: message.body });
    receiver.add_credit(1);
    const router = this.routerFor(address)!;
    const replyTo = message.reply_to;
    const sender = replyTo === undefined ? undefined : this.replySenders.get(replyTo);
    if (!sender) return; // the Python agent drops requests with no usable reply-to
    const reply = this.answer(router, properties, message.body);
    const type = String(properties.entityType ?? properties.type);
    const status = { statusCode: types.wrap_int(reply.status), statusDescription: reply.description };
    const delivery = sender.send({
      to: replyTo,
      correlation_id: message.correlation_id,
      durable: false,
      application_properties: C_TYPES.has(type) ? { statusDescription: status.statusDescription, statusCode: status.statusCode } : status,
      body: reply.body,
    });
    // Presettled, as the agents reply; rhea's own send() does this for snd-settle-mode settled.
    (delivery as { settled: boolean }).settled = true;
  }

  private answer(router: FakeRouter, p: Record<string, unknown>, body: unknown): Reply {
    const operation = String(p.operation);
    if (p.type === NODE_TYPE || p.type === undefined) return this.nodeOperation(router, operation, p, body);
    const type = String(p.type);
    if (!(type in router.types)) return fail(404, `Unknown entity type '${type}'`);
    const table = router.entities[type] ?? (router.entities[type] = { attributeNames: ['name', 'identity', 'type'], results: [] });
    const attrs = (body ?? {}) as Record<string, unknown>;
    if (operation === 'CREATE') return this.create(table, type, p, attrs);
    if (operation === 'RELOAD' && type === `${PREFIX}router`) return ok(router.reload ?? { applied: [], notApplied: [], problems: [] });
    if (!['READ', 'UPDATE', 'DELETE'].includes(operation)) return fail(501, `Operation '${operation}' not implemented for ${type}`);
    const index = findEntity(table, p);
    if (index < 0) return fail(404, `No ${type} with ${p.identity !== undefined ? `identity '${p.identity}'` : `name '${p.name}'`}`);
    if (operation === 'DELETE') { table.results.splice(index, 1); return ok({}, 204); }
    if (operation === 'UPDATE') {
      for (const [k, v] of Object.entries(attrs)) setValue(table, index, k, v);
    }
    return ok(entityMap(table, index));
  }

  private create(table: EntityTable, type: string, p: Record<string, unknown>, attrs: Record<string, unknown>): Reply {
    const name = p.name ?? attrs.name;
    if (name !== undefined && findEntity(table, { name }) >= 0) return fail(400, `Name conflicts with an existing entity: ${String(name)}`);
    const defaults = type === `${PREFIX}router.config.address`
      ? { prefix: null, distribution: 'balanced', waypoint: false, ingressPhase: 0, egressPhase: 0, pattern: null, priority: -1, fallback: false }
      : {};
    const entity: Record<string, unknown> = { name, identity: String(this.nextIdentity++), type, ...defaults, ...attrs };
    for (const k of Object.keys(entity)) if (!table.attributeNames.includes(k)) table.attributeNames.push(k);
    table.results.push(table.attributeNames.map((n) => entity[n] ?? null));
    return ok(entityMap(table, table.results.length - 1), 201);
  }

  private nodeOperation(router: FakeRouter, operation: string, p: Record<string, unknown>, body: unknown): Reply {
    const entityType = p.entityType === undefined ? undefined : String(p.entityType);
    switch (operation) {
      case 'GET-MGMT-NODES': return ok(router.mgmtNodes);
      case 'GET-TYPES': return ok(entityType ? pick(router.types, entityType) : router.types);
      case 'GET-ATTRIBUTES': return ok(mapTypes(router, entityType, (t) => t.attributeNames));
      case 'GET-OPERATIONS': return ok(mapTypes(router, entityType, () => ['CREATE', 'READ', 'UPDATE', 'DELETE', 'QUERY']));
      case 'GET-ANNOTATIONS': return ok({});
      case 'GET-SCHEMA': return ok({ prefix: PREFIX.slice(0, -1), entityTypes: mapTypes(router, undefined, (t) => ({ attributes: Object.fromEntries(t.attributeNames.map((n) => [n, { type: 'string' }])) })) });
      case 'GET-LOG': return ok(p.limit === undefined ? router.log : router.log.slice(-Number(p.limit)));
      case 'QUERY': return this.query(router, entityType, p, body);
      default: return fail(501, `Operation '${operation}' not implemented`);
    }
  }

  private query(router: FakeRouter, entityType: string | undefined, p: Record<string, unknown>, body: unknown): Reply {
    const requested = ((body as { attributeNames?: unknown[] } | null)?.attributeNames ?? []).map(String);
    if (entityType !== undefined && !(entityType in router.types)) return fail(404, `Unknown entity type '${entityType}'`);
    const tables = entityType === undefined ? Object.values(router.entities) : [router.entities[entityType] ?? { attributeNames: requested, results: [] }];
    const names = requested.length > 0 ? requested : entityType === undefined ? ['name', 'identity', 'type'] : tables[0].attributeNames;
    // Like the C agent: names it does not know are left out.
    const known = names.filter((n) => tables.some((t) => t.attributeNames.includes(n)) || tables.every((t) => t.results.length === 0));
    const rows = tables.flatMap((t) => t.results.map((r) => known.map((n) => (t.attributeNames.includes(n) ? r[t.attributeNames.indexOf(n)] : null))));
    const offset = p.offset === undefined ? 0 : Number(p.offset);
    const count = p.count === undefined ? rows.length : Number(p.count);
    return ok({ attributeNames: known, results: rows.slice(offset, offset + count) });
  }
}

function findEntity(table: EntityTable, p: Record<string, unknown>): number {
  const byIdentity = p.identity !== undefined;
  const column = table.attributeNames.indexOf(byIdentity ? 'identity' : 'name');
  const wanted = byIdentity ? p.identity : p.name;
  return column < 0 ? -1 : table.results.findIndex((r) => r[column] === wanted);
}

function setValue(table: EntityTable, index: number, name: string, value: unknown): void {
  if (!table.attributeNames.includes(name)) {
    table.attributeNames.push(name);
    for (const r of table.results) r.push(null);
  }
  table.results[index][table.attributeNames.indexOf(name)] = value;
}

function entityMap(table: EntityTable, index: number): Record<string, unknown> {
  return Object.fromEntries(table.attributeNames.map((n, i) => [n, table.results[index][i] ?? null]));
}

function pick<T>(map: Record<string, T>, key: string): Record<string, T> {
  return key in map ? { [key]: map[key] } : {};
}

function mapTypes<T>(router: FakeRouter, entityType: string | undefined, f: (t: EntityTable) => T): Record<string, T> {
  const types = entityType === undefined ? Object.keys(router.entities) : [entityType];
  return Object.fromEntries(types.filter((t) => router.entities[t]).map((t) => [t, f(router.entities[t])]));
}
