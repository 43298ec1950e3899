// One management node (`$management`, or `_topo/0/<id>/$management`) and the requests qdstat and
// qdmanage send it, in the shapes of reference §7.2 and the 3-management capture: node requests
// carry name=self and type=org.amqp.management; QUERY pages with offset/count (500 a page, more
// pages while a page comes back full); offset and count are AMQP longs as proton sends them.

import { types } from 'rhea';
import { ManagementClient, ManagementReply } from './management-client';
import { ManagementClientError } from './management-errors';

export const STATUS_OK = 200;
export const STATUS_CREATED = 201;
export const STATUS_NO_CONTENT = 204;

/** What qdmanage expects per operation (reference §7.3). */
export function expectedStatus(operation: string): number {
  if (operation === 'CREATE') return STATUS_CREATED;
  if (operation === 'DELETE') return STATUS_NO_CONTENT;
  return STATUS_OK;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 501: 'Not Implemented',
};

/** proton's client asks for at most this many rows per QUERY (PROTON-1846). */
export const QUERY_PAGE = 500;

const NODE_TYPE = 'org.amqp.management';

export interface QueryResult {
  attributeNames: string[];
  results: unknown[][];
}

export type Attributes = Record<string, unknown>;

/** Drops undefined values, as proton's clean_dict drops None: absent, not null. */
function defined(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined));
}

export class ManagementNode {
  constructor(readonly client: ManagementClient, readonly address: string) {}

  /** Sends a request and checks the reply's status; the body of the reply. */
  async request(properties: Record<string, unknown>, body: unknown = {}, expect = STATUS_OK): Promise<unknown> {
    const reply = await this.client.call(this.address, { properties: defined(properties), body });
    this.check(String(properties.operation), properties.entityType ?? properties.type, reply, expect);
    return reply.body;
  }

  /** A request addressed to the management node itself. */
  nodeRequest(properties: Record<string, unknown>, body: unknown = {}): Promise<unknown> {
    return this.request({ name: 'self', type: NODE_TYPE, ...properties }, body);
  }

  /** Every row of `entityType` (all types when undefined), at most `limit` rows. */
  async query(entityType: string | undefined, attributeNames: readonly string[] = [], limit?: number): Promise<QueryResult> {
    const names: string[] = [];
    const results: unknown[][] = [];
    let offset = 0;
    let count = limit === undefined || limit === 0 ? QUERY_PAGE : Math.min(QUERY_PAGE, limit);
    while (true) {
      const body = await this.nodeRequest(
        { operation: 'QUERY', entityType, offset: types.wrap_long(offset), count: types.wrap_long(count) },
        { attributeNames: [...attributeNames] },
      );
      const page = queryBody(body, this.address);
      if (names.length === 0) names.push(...page.attributeNames);
      results.push(...page.results);
      if (page.results.length < count) break;
      if (limit) {
        if (results.length >= limit) break;
        count = Math.min(count, limit - results.length);
      }
      offset += page.results.length;
    }
    return { attributeNames: names, results };
  }

  /** The management addresses of every router, this one included, `amqp:/` removed. */
  async mgmtNodes(): Promise<string[]> {
    const body = await this.nodeRequest({ operation: 'GET-MGMT-NODES' });
    if (!Array.isArray(body)) throw malformed('GET-MGMT-NODES', 'a list', this.address);
    // qdstat strips exactly the first six characters, "amqp:/".
    return body.map((a) => String(a)).map((a) => (a.startsWith('amqp:/') ? a.slice(6) : a));
  }

  private check(operation: string, type: unknown, reply: ManagementReply, expect: number): void {
    if (reply.status === expect) return;
    const what = `${typeof type === 'string' && type !== NODE_TYPE ? `${operation} ${type}` : operation} to '${this.address}'`;
    if (Number.isNaN(reply.status)) throw new ManagementClientError('WEFT_MGMT_STATUS', `${what}: the reply has no statusCode`);
    const status = `${reply.status} ${STATUS_TEXT[reply.status] ?? ''}`.trim();
    const description = reply.description !== '' && reply.description !== STATUS_TEXT[reply.status] ? `: ${reply.description}` : '';
    // A success of the wrong kind (200 for a CREATE) says what was expected, as qdmanage does.
    const message = reply.status >= 200 && reply.status < 300
      ? `${what} answered ${status}, expected ${expect} ${STATUS_TEXT[expect] ?? ''}`.trim() + description
      : `${what} failed: ${status}${description}`;
    throw new ManagementClientError('WEFT_MGMT_STATUS', message, reply.status);
  }
}

function malformed(operation: string, expected: string, address: string): ManagementClientError {
  return new ManagementClientError('WEFT_MGMT_STATUS', `${operation} to '${address}': the reply body is not ${expected}`);
}

function queryBody(body: unknown, address: string): QueryResult {
  const b = body as Partial<QueryResult> | null;
  if (!b || !Array.isArray(b.attributeNames) || !Array.isArray(b.results)) {
    throw malformed('QUERY', 'a map of attributeNames and results', address);
  }
  return { attributeNames: b.attributeNames.map(String), results: b.results.map((r) => (Array.isArray(r) ? r : [])) };
}

/** The rows of a query as objects, one key per attribute name (absent values are null). */
export function rowsOf(result: QueryResult): Attributes[] {
  return result.results.map((row) => Object.fromEntries(result.attributeNames.map((n, i) => [n, row[i] ?? null])));
}
