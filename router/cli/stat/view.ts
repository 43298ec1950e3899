// What one `weft stat` option is: the requests it sends to a management node and what it prints,
// as text (qdstat's layout) and as JSON (--json).

import { LONG_NAME_PREFIX } from '../../config/entity-names';
import { Attributes, ManagementNode, QueryResult, rowsOf } from '../management-node';

/** The requests a view sends (a ManagementNode, or a stub in tests). */
export type StatNode = Pick<ManagementNode, 'query' | 'nodeRequest'>;

export interface StatContext {
  node: StatNode;
  verbose: boolean;
  /** At most this many rows (--limit); undefined means all. */
  limit?: number;
}

export interface ViewOutput {
  /** The report, without the date and router-id lines. */
  lines: string[];
  /** The same data for machines: attribute names and rows as objects. */
  json: Record<string, unknown>;
}

export interface StatView {
  /** Whether the report starts with the date and the router id (all but --log, as qdstat). */
  header: boolean;
  run(ctx: StatContext): Promise<ViewOutput>;
}

export const ENTITY_PREFIX = LONG_NAME_PREFIX;

/** The --json form of a query: what was asked, the names the agent returned, rows as objects. */
export function queryJson(entityType: string, result: QueryResult): Record<string, unknown> {
  return { entityType, attributeNames: result.attributeNames, rows: rowsOf(result) };
}

/** Whether the agent returned this attribute (qdstat checks the first row: older routers lack some). */
export function has(result: QueryResult, name: string): boolean {
  return result.results.length > 0 && result.attributeNames.includes(name);
}

export type Row = Attributes;
