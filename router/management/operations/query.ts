// QUERY (reference §7.2, §7.3): the requested attributes of every entity of a type, or of
// every type; offset/count paging. Types of the C agent drop names they do not know; those of
// the Python agent answer 404 for them and leave out rows that would be all null.

import { AmqpMap, type AmqpValue } from '../../amqp/codec/values';
import { ManagementError } from '../../common/errors';
import { ENTITY_TYPE_LIST, type EntityType } from '../entity-types';
import { bodyMap, intProperty, text, type ManagementRequest } from '../request';
import { ROWS, type AgentContext, type Row } from '../rows';
import { ok, type OperationResult } from './result';

export function query(ctx: AgentContext, type: EntityType | undefined, req: ManagementRequest): OperationResult {
  const requested = requestedNames(req);
  const offset = intProperty(req, 'offset') ?? 0;
  const count = intProperty(req, 'count');
  let names: string[];
  let results: AmqpValue[][];
  if (type) {
    if (requested.length === 0) names = [...type.columns];
    else if (type.agent === 'c') names = requested.filter((n) => n in type.attributes);
    else names = checked(requested, (n) => n in type.attributes, ` for type ${type.long}`);
    results = project(ROWS[type.short](ctx), names, type.agent === 'python');
  } else {
    const all = allAttributeNames();
    names = requested.length === 0 ? all : checked(requested, (n) => all.includes(n), '');
    results = ENTITY_TYPE_LIST.flatMap((t) => project(ROWS[t.short](ctx), names, true));
  }
  const page = results.slice(offset, count === undefined ? undefined : offset + count);
  return ok(new AmqpMap([['attributeNames', names], ['results', page]]));
}

function project(rows: Row[], names: string[], dropEmpty: boolean): AmqpValue[][] {
  const out: AmqpValue[][] = [];
  for (const row of rows) {
    const values = names.map((n) => row[n] ?? null);
    if (!dropEmpty || values.some((v) => v !== null)) out.push(values);
  }
  return out;
}

function checked(names: string[], known: (n: string) => boolean, forType: string): string[] {
  const unknown = names.filter((n) => !known(n));
  if (unknown.length > 0) throw new ManagementError(404, `Unknown attributes ${JSON.stringify(unknown)}${forType}.`);
  return names;
}

/** body.attributeNames: a list of strings; absent or empty means all. */
function requestedNames(req: ManagementRequest): string[] {
  const v = bodyMap(req).get('attributeNames');
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : null;
  const names = list?.map(text);
  if (!names || names.some((n) => n === undefined)) throw new ManagementError(400, 'attributeNames must be a list of strings');
  return names as string[];
}

/** Every attribute of every type (QUERY without entityType and without names). */
function allAttributeNames(): string[] {
  const names = new Set(['name', 'identity', 'type']);
  for (const t of ENTITY_TYPE_LIST) for (const n of t.columns) names.add(n);
  return [...names];
}
