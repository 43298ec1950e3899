// `router.node` entities: every router the link-state engine knows, this one first (reference
// §7.7). A standalone router has none (qdstat -n: "Router is Standalone").

import { i32 } from '../amqp-values';
import { PREFIX } from '../entity-types';
import type { AgentContext, Row } from './row';

const PROTOCOL_VERSION = 1; // the inter-router protocol version: sent between routers

export function nodeRows(ctx: AgentContext): Row[] {
  const mesh = ctx.node.mesh;
  if (!mesh) return [];
  return mesh.engine.routerNodes().map((n) => {
    const self = n.nextHop === '(self)';
    // qdrouterd: "(self)" for us, null for a neighbour (the next hop is itself), else the next hop.
    const nextHop = self ? '(self)' : n.nextHop === undefined || n.nextHop === n.id ? null : n.nextHop;
    return {
      id: n.id, protocolVersion: i32(PROTOCOL_VERSION), instance: n.instance === undefined ? null : i32(n.instance),
      linkState: n.linkState, nextHop, validOrigins: n.validOrigins, address: `amqp:/_topo/0/${n.id}`,
      routerLink: n.routerLink === undefined ? null : i32(Number(n.routerLink)), cost: n.cost === undefined ? null : i32(n.cost),
      lastTopoChange: self ? i32(mesh.lastTopoChangeSec) : null, index: i32(n.index),
      name: `router.node/${n.id}`, identity: `router.node/${n.id}`, type: `${PREFIX}.router.node`,
    };
  });
}

/** GET-MGMT-NODES: the management address of every router, this one included. */
export function managementNodes(ctx: AgentContext): string[] {
  const ids = ctx.node.mesh ? ctx.node.mesh.engine.routerNodes().map((n) => n.id) : [ctx.node.id];
  return ids.map((id) => `amqp:/_topo/0/${id}/$management`);
}
