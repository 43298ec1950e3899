// Operations of the management node itself (type org.amqp.management, name self; reference
// §7.3): GET-TYPES, GET-OPERATIONS, GET-ATTRIBUTES, GET-ANNOTATIONS, GET-MGMT-NODES,
// GET-SCHEMA, GET-JSON-SCHEMA, GET-LOG.

import { AmqpMap, toPlain } from '../../amqp/codec/values';
import { ManagementError } from '../../common/errors';
import { i32, i64 } from '../amqp-values';
import { ENTITY_TYPE_LIST, entityType, typeHierarchy, type EntityType } from '../entity-types';
import { intProperty, stringProperty, type ManagementRequest } from '../request';
import { managementNodes, type AgentContext } from '../rows';
import { schemaMap } from '../schema-map';
import { ok, type OperationResult } from './result';

export const NODE_OPERATIONS = new Set(['GET-TYPES', 'GET-OPERATIONS', 'GET-ATTRIBUTES', 'GET-ANNOTATIONS', 'GET-MGMT-NODES', 'GET-SCHEMA', 'GET-JSON-SCHEMA', 'GET-LOG']);

export function nodeOperation(ctx: AgentContext, operation: string, req: ManagementRequest): OperationResult {
  switch (operation) {
    case 'GET-TYPES': {
      const only = filterType(req);
      return ok(new AmqpMap(typeHierarchy().filter(([long]) => !only || long === only.long)));
    }
    case 'GET-OPERATIONS':
      return ok(perType(req, (t) => [...t.operations]));
    case 'GET-ATTRIBUTES':
      return ok(perType(req, (t) => [...new Set([...t.columns, ...Object.keys(t.attributes)])]));
    case 'GET-ANNOTATIONS':
      return ok(new AmqpMap());
    case 'GET-MGMT-NODES':
      return ok(managementNodes(ctx));
    case 'GET-SCHEMA':
      return ok(schemaMap());
    case 'GET-JSON-SCHEMA': {
      const indent = intProperty(req, 'indent');
      return ok(JSON.stringify(toPlain(schemaMap()), null, indent));
    }
    case 'GET-LOG': {
      const limit = intProperty(req, 'limit');
      return ok(ctx.node.logging.recent.recent(limit).map((e) => [e.module, e.level, e.text, e.file ?? null, e.line === undefined ? null : i32(e.line), i64(e.timestamp)]));
    }
    default:
      throw new ManagementError(501, `Operation ${operation} not implemented for org.amqp.management`);
  }
}

/** The entityType a GET-* request is limited to, if any. */
function filterType(req: ManagementRequest): EntityType | undefined {
  const name = stringProperty(req, 'entityType');
  if (name === undefined) return undefined;
  const t = entityType(name);
  if (!t) throw new ManagementError(404, `No such entity type '${name}'`);
  return t;
}

function perType(req: ManagementRequest, f: (t: EntityType) => string[]): AmqpMap {
  const only = filterType(req);
  return new AmqpMap(ENTITY_TYPE_LIST.filter((t) => !only || t === only).map((t) => [t.long, f(t)]));
}
