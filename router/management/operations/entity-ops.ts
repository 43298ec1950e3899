// READ, UPDATE and DELETE of one entity, found by name or identity (reference §7.2), and the
// custom RELOAD of the router.

import { AmqpMap, type AmqpValue } from '../../amqp/codec/values';
import { ConfigError, ManagementError } from '../../common/errors';
import type { ClientConnection } from '../../node/client-connection';
import type { InterRouterConnection } from '../../node/inter-router-connection';
import { formatFrame } from '../../observe/frame-trace';
import { plainValue } from '../amqp-values';
import type { EntityType } from '../entity-types';
import { bodyMap, stringProperty, text, type ManagementRequest } from '../request';
import { allConnections, ROWS, type AgentContext, type Row } from '../rows';
import { ok, type OperationResult } from './result';

/** The entity a request names; singletons may be named by type alone. */
export function findEntity(ctx: AgentContext, type: EntityType, req: ManagementRequest): Row {
  const name = stringProperty(req, 'name');
  const identity = stringProperty(req, 'identity');
  const rows = ROWS[type.short](ctx);
  if (name === undefined && identity === undefined) {
    if (type.singleton && rows.length === 1) return rows[0];
    throw new ManagementError(400, `${type.long}: No name or identity provided`);
  }
  const row = rows.find((r) => (identity !== undefined ? r.identity === identity : r.name === name));
  const ids = [name !== undefined ? `name='${name}'` : '', identity !== undefined ? `identity='${identity}'` : ''].filter(Boolean).join(' ');
  if (!row) throw new ManagementError(404, `No entity with ${ids}`);
  if (name !== undefined && identity !== undefined && row.name !== name) throw new ManagementError(400, `Conflicting ${ids}`);
  return row;
}

/** A row as READ returns it: the type's columns first, then any other attribute it has. */
export function entityMap(type: EntityType, row: Row): AmqpMap {
  const keys = [...new Set([...type.columns, ...Object.keys(row)])];
  return new AmqpMap(keys.map((k): [AmqpValue, AmqpValue] => [k, row[k] ?? null]));
}

export function read(ctx: AgentContext, type: EntityType, req: ManagementRequest): OperationResult {
  return ok(entityMap(type, findEntity(ctx, type, req)));
}

export function update(ctx: AgentContext, type: EntityType, req: ManagementRequest): OperationResult {
  const row = findEntity(ctx, type, req);
  const body = bodyMap(req);
  if (type.short === 'connection') updateConnection(ctx, row, body);
  else if (type.short === 'log') updateLog(ctx, row, body);
  else throw new ManagementError(405, `UPDATE is not allowed for ${type.long}`);
  // Read back what is in force now (a deleted connection is no longer listed: answer what was asked).
  const after = ROWS[type.short](ctx).find((r) => r.identity === row.identity) ?? row;
  return ok(entityMap(type, after));
}

function updateConnection(ctx: AgentContext, row: Row, body: AmqpMap): void {
  const c = allConnections(ctx).find((x) => String(x.id) === row.identity) as ClientConnection | InterRouterConnection;
  for (const [k, v] of body.entries) {
    const key = text(k);
    if (key === 'adminStatus') {
      if (v !== 'deleted' && v !== 'enabled') throw new ManagementError(400, `adminStatus must be 'enabled' or 'deleted'`);
      if (v === 'deleted') {
        ctx.node.log.server.info(`[C${c.id}] Connection closed by management (adminStatus deleted)`);
        c.connection.close({ condition: 'amqp:connection:forced', description: 'Connection closed by management' });
      }
    } else if (key === 'enableProtocolTrace') {
      if (typeof v !== 'boolean') throw new ManagementError(400, 'enableProtocolTrace must be a boolean');
      // As qdrouterd: this connection's frames go to the PROTOCOL module at trace level.
      const protocol = ctx.node.logging.module('PROTOCOL');
      const id = c.id;
      c.connection.setTrace(v ? (dir, ch, name, fields, n) => protocol.trace(formatFrame(id, ch, dir, name, fields, n)) : undefined);
    } else if (key !== 'name' && key !== 'identity' && key !== 'type') {
      throw new ManagementError(400, `connection attribute '${String(key)}' cannot be updated (only adminStatus and enableProtocolTrace)`);
    }
  }
}

function updateLog(ctx: AgentContext, row: Row, body: AmqpMap): void {
  const settings: { module: string; enable?: string; includeTimestamp?: boolean; includeSource?: boolean; outputFile?: string } = { module: String(row.module) };
  for (const [k, v] of body.entries) {
    const key = text(k);
    const value = plainValue(v);
    switch (key) {
      case 'enable': case 'outputFile':
        if (typeof value !== 'string') throw new ManagementError(400, `log ${key} must be a string`);
        settings[key] = value;
        break;
      case 'includeTimestamp': case 'includeSource':
        if (typeof value !== 'boolean') throw new ManagementError(400, `log ${key} must be a boolean`);
        settings[key] = value;
        break;
      case 'name': case 'identity': case 'type': case 'module': break;
      default: throw new ManagementError(400, `log attribute '${String(key)}' cannot be updated`);
    }
  }
  try {
    if (settings.enable === 'default' && settings.module !== 'DEFAULT') {
      // Back to inheriting DEFAULT's levels: forget the module's own, keep its other settings.
      const own = ctx.node.logging.ownSettings(settings.module);
      ctx.node.logging.reset(settings.module);
      ctx.node.logging.update({ ...own, ...settings, enable: undefined });
    } else ctx.node.logging.update(settings);
  } catch (err) {
    if (err instanceof ConfigError) throw new ManagementError(400, err.message);
    throw err;
  }
  ctx.node.log.router.info(`log ${settings.module} updated by management: ${JSON.stringify(settings)}`);
}

export async function remove(ctx: AgentContext, type: EntityType, req: ManagementRequest): Promise<OperationResult> {
  const row = findEntity(ctx, type, req);
  const name = String(row.name);
  const node = ctx.node;
  switch (type.config) {
    case 'listener': await node.closeListener(name).catch(() => undefined); break; // registered but not running: nothing to stop
    case 'connector': node.removeConnector(name); break;
    case 'address': node.removeAddressRule(name); break;
    case 'linkRoute': node.linkRoutes.remove(name); break;
    case 'autoLink': node.autoLinks.remove(name); break;
    case 'sslProfile': break;
    default: throw new ManagementError(405, `DELETE is not allowed for ${type.long}`);
  }
  node.configEntities.remove(type.config, name);
  node.log.router.info(`${type.short} ${name} deleted by management`);
  return { status: 204, body: new AmqpMap() };
}

/** RELOAD on the router: the configuration file again, through whoever set node.reloadConfig. */
export async function reload(ctx: AgentContext): Promise<OperationResult> {
  const reloadConfig = ctx.node.reloadConfig;
  if (!reloadConfig) throw new ManagementError(501, 'No configuration reload is configured for this router');
  const report = await reloadConfig();
  return ok(new AmqpMap([['applied', report.applied], ['notApplied', report.notApplied], ['problems', report.problems]]));
}
