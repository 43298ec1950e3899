// The five control addresses of the routing protocol (reference §3.2), exactly as qdrouterd
// writes them in `properties.to`. Sent between routers: do not change.

/** HELLO: neighbours only (multicast-flood, never re-forwarded). */
export const HELLO_ADDRESS = 'amqp:/_local/qdhello';
/** RA: flooded to every router's routing engine. */
export const ALL_ROUTERS_ADDRESS = 'amqp:/_topo/0/all/qdrouter';
/** Differential MAU broadcast. qdrouterd's C module writes it without `amqp:/`. */
export const ALL_MOBILE_SYNC_ADDRESS = '_topo/0/all/qdrouter.ma';

/** LSR and LSU: unicast to one router's routing engine. */
export function routerAddress(routerId: string): string {
  return `amqp:/_topo/0/${routerId}/qdrouter`;
}

/** MAR and the absolute MAU that answers it: unicast to one router's mobile-sync module. */
export function mobileSyncAddress(routerId: string): string {
  return `amqp:/_topo/0/${routerId}/qdrouter.ma`;
}

export type ControlAddress =
  | { kind: 'hello' }
  | { kind: 'all-routers' }
  | { kind: 'all-mobile-sync' }
  | { kind: 'router'; routerId: string }
  | { kind: 'mobile-sync'; routerId: string };

const UNICAST = /^(?:amqp:\/)?_topo\/0\/([^/]+)\/(qdrouter(?:\.ma)?)$/;

/**
 * What a `to` names, or undefined when it is not a control address. Like qdrouterd's
 * normalisation (§4.1) the `amqp:/` prefix is optional; `all` is the broadcast, not a router.
 */
export function parseControlAddress(to: string): ControlAddress | undefined {
  const bare = to.startsWith('amqp:/') ? to.slice('amqp:/'.length) : to;
  if (bare === '_local/qdhello') return { kind: 'hello' };
  const m = UNICAST.exec(bare);
  if (!m) return undefined;
  const [, routerId, node] = m;
  const mobile = node === 'qdrouter.ma';
  if (routerId === 'all') return { kind: mobile ? 'all-mobile-sync' : 'all-routers' };
  return mobile ? { kind: 'mobile-sync', routerId } : { kind: 'router', routerId };
}
