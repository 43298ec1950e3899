// Entities of configuration types: those of the file and those CREATEd since
// (node.configEntities), with what is live about them (a connector's status, log levels).

import type { EntityTypeName } from '../../config/entities';
import type { ConfigEntityRecord } from '../../node/config-entities';
import { LOG_MODULES, LOG_LEVELS } from '../../observe/logger';
import { configValue, i32, i64 } from '../amqp-values';
import { PREFIX, typeOfConfig } from '../entity-types';
import type { AgentContext, Row } from './row';

/** Attributes never shown (secrets stay in the configuration). */
const HIDDEN = new Set(['password', 'saslPassword']);

function baseRow(r: ConfigEntityRecord, intType: 'int' | 'long'): Row {
  const row: Row = { name: r.name, identity: r.identity, type: typeOfConfig(r.type).long };
  for (const [k, v] of Object.entries(r.attributes)) if (!HIDDEN.has(k)) row[k] = configValue(v, intType);
  return row;
}

/** listener, connector, sslProfile, vhost: as configured (Python agent: ints as long). */
export function configRows(type: EntityTypeName): (ctx: AgentContext) => Row[] {
  return (ctx) => ctx.node.configEntities.list(type).map((r) => {
    const row = baseRow(r, 'long');
    if (type === 'connector') {
      const c = ctx.node.connectors.get(r.name);
      row.connectionStatus = c?.status ?? 'FAILED';
      row.connectionMsg = c ? (c.status === 'SUCCESS' ? 'Connection Opened' : c.lastError || null) : 'not running';
    }
    return row;
  });
}

/** router.config.address (C agent: phases and priority as int, enableFallback shown as fallback). */
export function configAddressRows(ctx: AgentContext): Row[] {
  return ctx.node.configEntities.list('address').map((r) => {
    const a = r.attributes;
    return {
      name: r.name, identity: r.identity, type: `${PREFIX}.router.config.address`, prefix: configValue(a.prefix), distribution: configValue(a.distribution),
      waypoint: a.waypoint === true, ingressPhase: i32(Number(a.ingressPhase ?? 0)), egressPhase: i32(Number(a.egressPhase ?? 0)),
      pattern: configValue(a.pattern), priority: i32(typeof a.priority === 'number' ? a.priority : -1), fallback: a.enableFallback === true,
    };
  });
}

/** router.config.linkRoute: registered only until link routes are implemented (operStatus inactive). */
export function configLinkRouteRows(ctx: AgentContext): Row[] {
  return ctx.node.configEntities.list('linkRoute').map((r) => ({
    ...baseRow(r, 'int'), type: `${PREFIX}.router.config.linkRoute`, dir: configValue(r.attributes.direction), operStatus: 'inactive',
  }));
}

/**
 * router.config.autoLink, with what is live from the auto-link of that name (node.autoLinks):
 * operStatus, lastError, linkRef. One that is not running (none of that name) shows inactive.
 */
export function configAutoLinkRows(ctx: AgentContext): Row[] {
  return ctx.node.configEntities.list('autoLink').map((r) => {
    const live = ctx.node.autoLinks.get(r.name)?.status();
    return {
      ...baseRow(r, 'int'), type: `${PREFIX}.router.config.autoLink`, addr: configValue(r.attributes.address), dir: configValue(r.attributes.direction),
      externalAddr: configValue(r.attributes.externalAddress), linkRef: live?.linkRef ?? null, operStatus: live?.operStatus ?? 'inactive', lastError: live?.lastError || null,
    };
  });
}

/** One row per log module, with the levels in force now (UPDATE changes them). */
export function logRows(ctx: AgentContext): Row[] {
  const logging = ctx.node.logging;
  const effective = new Map(logging.settings().map((s) => [s.module, s]));
  return LOG_MODULES.map((module) => {
    const own = logging.ownSettings(module);
    const eff = effective.get(module)!;
    const isDefault = module === 'DEFAULT';
    const configured = ctx.node.configEntities.list('log').find((r) => r.attributes.module === module);
    return {
      name: configured?.name ?? `log/${module}`, identity: `log/${module}`, type: `${PREFIX}.log`, module,
      enable: own?.enable ?? (isDefault ? eff.enable! : 'default'),
      includeTimestamp: own?.includeTimestamp ?? (isDefault ? eff.includeTimestamp! : null),
      includeSource: own?.includeSource ?? (isDefault ? eff.includeSource! : null),
      outputFile: own?.outputFile ?? (isDefault ? eff.outputFile! : null),
    };
  });
}

export function logStatsRows(ctx: AgentContext): Row[] {
  return ctx.node.logging.counts().map(({ module, counts }) => {
    const row: Row = { name: module, identity: module, type: `${PREFIX}.logStats` };
    for (const level of LOG_LEVELS) row[`${level}Count`] = i64(counts[level]);
    return row;
  });
}

/** The policy singleton (qdstat -p needs exactly one row). */
export function policyRows(ctx: AgentContext): Row[] {
  const node = ctx.node;
  const r = node.configEntities.list('policy')[0];
  const row: Row = r ? baseRow(r, 'long') : { name: 'policy/0', identity: 'policy/0', type: `${PREFIX}.policy` };
  const current = node.connections.size + node.interRouterConnections.size;
  Object.assign(row, {
    connectionsProcessed: i64(node.connectionsAccepted), connectionsDenied: i64(0), connectionsCurrent: i64(current),
    linksDenied: i64(0), maxMessageSizeDenied: i64(0), totalDenials: i64(0),
  });
  return [row];
}

export function managementRows(): Row[] {
  return [{ name: 'self', identity: 'self', type: `${PREFIX}.management` }];
}
