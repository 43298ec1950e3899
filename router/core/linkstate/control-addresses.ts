// The `to` addresses of control messages, exactly as qdrouterd 1.19 writes them (reference §3.2,
// wire-captures README §C). Sent between routers: do not change (note the differential MAU has
// no `amqp:/` prefix).

import type { RouterId } from './messages';

/** HELLO: one copy on every inter-router connection, never forwarded (key `Lqdhello`). */
export const HELLO_ADDRESS = 'amqp:/_local/qdhello';
/** RA: flooded to every router (key `Tqdrouter`). */
export const ALL_ROUTERS_ADDRESS = 'amqp:/_topo/0/all/qdrouter';
/** Differential MAU: multicast to every router's mobile-sync module (key `Tqdrouter.ma`). */
export const ALL_ROUTERS_MA_ADDRESS = '_topo/0/all/qdrouter.ma';

/** LSR and LSU: unicast to one router's engine (key `R<id>` in transit, `Lqdrouter` there). */
export function routerAddress(id: RouterId, area = '0'): string {
  return `amqp:/_topo/${area}/${id}/qdrouter`;
}

/** MAR and absolute MAU: unicast to one router's mobile-sync module. */
export function routerMaAddress(id: RouterId): string {
  return `amqp:/_topo/0/${id}/qdrouter.ma`;
}
