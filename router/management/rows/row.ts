// What the row builders share: a row is one entity's attributes as AMQP values.

import type { AmqpValue } from '../../amqp/codec/values';
import type { RouterNode } from '../../node/router-node';

export type Row = Record<string, AmqpValue>;

/** What management knows of the router beyond the running node (from its configuration). */
export interface RouterInfo {
  mode: 'standalone' | 'interior' | 'edge';
  area: string;
  workerThreads: number;
  metadata?: string;
  /** The version reported to tools (qdstat prints it). */
  version: string;
  /** The router entity's other configuration attributes (READ shows them). */
  attributes?: Record<string, unknown>;
}

export interface AgentContext {
  node: RouterNode;
  router: RouterInfo;
}
