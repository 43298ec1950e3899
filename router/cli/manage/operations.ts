// The operations of `weft manage`, one function each, in the request shapes of qdmanage 1.19
// (reference §7.2, §7.9): entity operations carry operation/type/name/identity; node operations
// (GET-*) carry name=self and type=org.amqp.management; anything else is a custom operation whose
// ATTR=VALUE arguments become application properties. Each returns what the command prints.

import { types } from 'rhea';
import { UsageError } from '../args';
import { ManagementNode, STATUS_CREATED, STATUS_NO_CONTENT, rowsOf } from '../management-node';
import { attributeValues, withBooleanWords } from './attribute-values';
import { formatReloadReport, isReloadReport, reloadFailed } from './reload-report';
import { longType } from './type-names';

export interface ManageRequest {
  /** Upper case: QUERY, GET-TYPES, RELOAD... */
  operation: string;
  /** Long type name (--type, expanded). */
  type?: string;
  name?: string;
  identity?: string;
  /** The arguments after the operation: attribute names, ATTR=VALUE pairs, or a type. */
  args: readonly string[];
  limit?: number;
  /** --body and --properties of a custom operation. */
  body?: unknown;
  properties?: Record<string, unknown>;
}

export interface ManageResult {
  /** Printed as JSON; undefined prints nothing (DELETE, an empty custom reply). */
  value: unknown;
  /** A readable form, printed instead of the JSON unless --json. */
  text?: string[];
  /** A reply that succeeded but reports a failure (a reload with problems): exit 1. */
  failed?: boolean;
}

type Operation = (node: ManagementNode, r: ManageRequest) => Promise<ManageResult>;

/** Custom operations whose entity type is implied (RELOAD is an operation of the router entity). */
const IMPLIED_TYPES: Record<string, string> = { RELOAD: 'router' };

function noArgs(r: ManageRequest): void {
  if (r.args.length > 0) throw new UsageError(`${r.operation} takes no arguments, not '${r.args.join(' ')}'`);
}

/** READ/UPDATE/DELETE select one entity; identity wins when both are given, as in qdmanage. */
function selector(r: ManageRequest, attributes: Record<string, unknown> = {}): { name?: string; identity?: string } {
  const identity = r.identity ?? (attributes.identity as string | undefined);
  const name = identity === undefined ? r.name ?? (attributes.name as string | undefined) : undefined;
  if (name === undefined && identity === undefined) throw new UsageError(`${r.operation} needs --name or --identity`);
  return { name, identity };
}

/** A value printed only when Python would find it truthy (qdmanage's print_result). */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === 0 || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && !Buffer.isBuffer(v)) return Object.keys(v).length > 0;
  return true;
}

const query: Operation = async (node, r) => {
  const result = await node.query(r.type, r.args, r.limit);
  // Like qdmanage, absent (null) attributes are left out of each entity.
  return { value: rowsOf(result).map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null))) };
};

const create: Operation = async (node, r) => {
  const attributes = attributeValues(r.args, r.type ?? longType(findType(r.args)));
  if (typeof attributes.type === 'string') attributes.type = longType(attributes.type);
  const type = r.type ?? (attributes.type as string | undefined);
  const name = r.name ?? (attributes.name as string | undefined);
  return { value: await node.request({ operation: 'CREATE', type, name }, attributes, STATUS_CREATED) };
};

const read: Operation = async (node, r) => {
  noArgs(r);
  return { value: await node.request({ operation: 'READ', type: r.type, ...selector(r) }) };
};

const update: Operation = async (node, r) => {
  const attributes = withBooleanWords(attributeValues(r.args, r.type ?? longType(findType(r.args))));
  if (typeof attributes.type === 'string') attributes.type = longType(attributes.type);
  const type = r.type ?? (attributes.type as string | undefined);
  return { value: await node.request({ operation: 'UPDATE', type, ...selector(r, attributes) }, attributes) };
};

const remove: Operation = async (node, r) => {
  noArgs(r);
  await node.request({ operation: 'DELETE', type: r.type, ...selector(r) }, {}, STATUS_NO_CONTENT);
  return { value: undefined };
};

/** GET-TYPES, GET-OPERATIONS, GET-ATTRIBUTES, GET-ANNOTATIONS: for --type or one TYPE argument. */
const typeListing: Operation = async (node, r) => {
  if (r.args.length > 1) throw new UsageError(`${r.operation} takes at most one TYPE`);
  const entityType = r.type ?? longType(r.args[0]);
  return { value: await node.nodeRequest({ operation: r.operation, entityType }) };
};

const nodeOperation: Operation = async (node, r) => {
  noArgs(r);
  return { value: await node.nodeRequest({ operation: r.operation }) };
};

const getLog: Operation = async (node, r) => {
  const given = attributeValues(r.args, undefined).limit;
  const limit = r.limit ?? (given === undefined || given === null ? undefined : Number(given));
  if (limit !== undefined && !Number.isInteger(limit)) throw new UsageError(`limit must be a whole number, not '${String(given)}'`);
  return { value: await node.nodeRequest({ operation: 'GET-LOG', limit: limit === undefined ? undefined : types.wrap_long(limit) }) };
};

const custom: Operation = async (node, r) => {
  const type = r.type ?? longType(IMPLIED_TYPES[r.operation]);
  const properties = { ...attributeValues(r.args, type), ...r.properties };
  const body = await node.request({ operation: r.operation, type, name: r.name, identity: r.identity, ...properties }, r.body ?? {});
  if (isReloadReport(body)) return { value: body, text: formatReloadReport(body), failed: reloadFailed(body) };
  if (!truthy(body)) return { value: undefined };
  return typeof body === 'string' ? { value: body, text: [body] } : { value: body };
};

/** `type=...` among ATTR=VALUE arguments, for typing the others before --type is known. */
function findType(args: readonly string[]): string | undefined {
  const arg = args.find((a) => a.startsWith('type='));
  return arg?.slice('type='.length);
}

const OPERATIONS: Record<string, Operation> = {
  QUERY: query,
  CREATE: create,
  READ: read,
  UPDATE: update,
  DELETE: remove,
  'GET-TYPES': typeListing,
  'GET-OPERATIONS': typeListing,
  'GET-ATTRIBUTES': typeListing,
  'GET-ANNOTATIONS': typeListing,
  'GET-MGMT-NODES': nodeOperation,
  'GET-SCHEMA': nodeOperation,
  'GET-LOG': getLog,
};

export const STANDARD_OPERATIONS = Object.keys(OPERATIONS);

export function runOperation(node: ManagementNode, r: ManageRequest): Promise<ManageResult> {
  return (OPERATIONS[r.operation] ?? custom)(node, r);
}
