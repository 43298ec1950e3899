// The management agent (reference §7): an in-process endpoint on `$management` (key
// M0$management, never advertised) and `_local/$management` / `_topo/0/<id>/$management`
// (key L$management). It reads a request, carries out the operation, and sends the reply to
// the request's reply-to, which may be on another router. A bad request gets a status, never
// a crash; a request without reply-to is dropped with a log line (as qdrouterd).

import { ManagementError } from '../common/errors';
import type { InProcessEndpoint, Peer } from '../node/links';
import type { RouterNode } from '../node/router-node';
import type { ModuleLogger } from '../observe/logger';
import { ENTITY_TYPE_LIST, entityType, NODE_TYPE, type EntityType } from './entity-types';
import { create } from './operations/create';
import { read, reload, remove, update } from './operations/entity-ops';
import { NODE_OPERATIONS, nodeOperation } from './operations/node-ops';
import { query } from './operations/query';
import type { OperationResult } from './operations/result';
import { encodeReply, STATUS_TEXT } from './reply';
import { parseRequest, stringProperty, type ManagementRequest } from './request';
import { ROWS, type AgentContext, type RouterInfo } from './rows';

const STANDARD = new Set(['CREATE', 'READ', 'UPDATE', 'DELETE', 'QUERY']);

export class ManagementAgent implements InProcessEndpoint {
  readonly name = '$management';
  private readonly ctx: AgentContext;
  private readonly log: ModuleLogger;

  constructor(readonly node: RouterNode, router: RouterInfo) {
    this.ctx = { node, router };
    this.log = node.logging.module('AGENT');
    node.addInProcess(this, ['$management', '_local/$management']);
  }

  receive(payload: Buffer, from: Peer): void {
    const req = parseRequest(payload);
    if (!req.replyTo) {
      const why = req.malformed !== undefined ? `that does not decode (${req.malformed})` : `without reply-to (operation ${String(req.properties.get('operation'))})`;
      this.log.info(`[C${from.id}] management request ${why} dropped`);
      return;
    }
    void this.handle(req).then((result) => this.reply(req, result)).catch((err: unknown) => {
      this.log.error(`management reply to ${req.replyTo} failed: ${(err as Error).stack ?? String(err)}`);
    });
  }

  /** Carries out a request; every failure becomes a status. */
  async handle(req: ManagementRequest): Promise<OperationResult> {
    try {
      return await this.dispatch(req);
    } catch (err) {
      if (err instanceof ManagementError) {
        this.log.info(`management ${String(req.properties.get('operation'))}: ${err.status} ${err.message}`);
        return { status: err.status, body: null, description: err.message };
      }
      this.log.error(`management ${String(req.properties.get('operation'))} failed: ${(err as Error).stack ?? String(err)}`);
      return { status: 500, body: null, description: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }

  private async dispatch(req: ManagementRequest): Promise<OperationResult> {
    if (req.malformed !== undefined) throw new ManagementError(400, `Malformed request: ${req.malformed}`);
    const given = stringProperty(req, 'operation');
    if (given === undefined || given === '') throw new ManagementError(400, 'No operation');
    const operation = given.toUpperCase();
    const typeName = stringProperty(req, 'type');
    const ctx = this.ctx;
    if (operation === 'QUERY') {
      const t = stringProperty(req, 'entityType') ?? (typeName !== undefined && typeName !== NODE_TYPE ? typeName : undefined);
      const type = t === undefined ? undefined : resolve(t);
      return query(ctx, type, req);
    }
    const nodeLevel = typeName === undefined || typeName === NODE_TYPE || resolve(typeName).short === 'management';
    if (nodeLevel && NODE_OPERATIONS.has(operation)) return nodeOperation(ctx, operation, req);
    if (operation === 'CREATE') {
      const t = typeName ?? stringProperty(req, 'entityType');
      if (t === undefined || t === NODE_TYPE) throw new ManagementError(400, 'CREATE needs the type of the entity');
      return create(ctx, resolve(t), req);
    }
    if (nodeLevel) {
      if (operation === 'READ' && (typeName !== undefined || req.properties.get('name') === 'self')) return read(ctx, resolve('management'), req);
      // No type but a name or identity: the entity of any type that has it (as the Python agent finds it).
      const named = typeName === undefined ? findAnyType(ctx, req) : undefined;
      if (!named) throw new ManagementError(501, `Operation ${given} not implemented for ${NODE_TYPE}`);
      return this.entityOperation(named, operation, given, req);
    }
    return this.entityOperation(resolve(typeName!), operation, given, req);
  }

  private async entityOperation(type: EntityType, operation: string, given: string, req: ManagementRequest): Promise<OperationResult> {
    const ctx = this.ctx;
    if (!type.operations.includes(operation)) {
      // A standard operation the type does not allow, or one no type knows.
      if (STANDARD.has(operation)) throw new ManagementError(405, `${operation} is not allowed for ${type.long} (operations: ${type.operations.join(', ')})`);
      throw new ManagementError(501, `Operation ${given} not implemented for ${type.long}`);
    }
    switch (operation) {
      case 'READ': return read(ctx, type, req);
      case 'UPDATE': return update(ctx, type, req);
      case 'DELETE': return remove(ctx, type, req);
      case 'RELOAD': return reload(ctx);
      default: throw new ManagementError(501, `Operation ${given} not implemented for ${type.long}`);
    }
  }

  private reply(req: ManagementRequest, result: OperationResult): void {
    const message = encodeReply({
      to: req.replyTo!, correlationId: req.correlationId, status: result.status,
      description: result.description ?? STATUS_TEXT[result.status] ?? String(result.status), body: result.body,
    }, this.node.id);
    this.node.originated.send(req.replyTo!, message, `management reply (${result.status})`);
  }
}

/** The type of the one entity named by the request's name or identity, if any. */
function findAnyType(ctx: AgentContext, req: ManagementRequest): EntityType | undefined {
  const name = stringProperty(req, 'name');
  const identity = stringProperty(req, 'identity');
  if (name === undefined && identity === undefined) return undefined;
  return ENTITY_TYPE_LIST.find((t) => ROWS[t.short](ctx).some((r) => (identity !== undefined ? r.identity === identity : r.name === name)));
}

function resolve(name: string): EntityType {
  const t = entityType(name);
  if (!t) throw new ManagementError(404, `No such entity type '${name}'`);
  return t;
}
