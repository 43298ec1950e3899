// What a router puts in its open on an inter-router connection (reference §2.1): the
// capabilities and the properties map, in qdrouterd's key order. Sent between routers: do not
// change. The peer reads qd.inter-router-cost only if it is an AMQP int.

import { AmqpMap, int, sym } from '../amqp/codec/values';
import { TypeCode as T } from '../amqp/codec/type-codes';
import { Open } from '../amqp/performatives';

export const ANONYMOUS_RELAY = 'ANONYMOUS-RELAY';
/** Tells the peer it may open streaming data links for balanced traffic too. */
export const STREAMING_LINKS = 'qd.streaming-links';
export const INTER_ROUTER_CAPABILITIES: readonly string[] = [ANONYMOUS_RELAY, STREAMING_LINKS];
/** Router annotations version of qdrouterd 1.19. */
export const ANNOTATIONS_VERSION = 1;

export interface InterRouterOpenProperties {
  /** `product` and `version`: shown by management on the peer; qdrouterd writes qpid-dispatch-router / 1.19.0. */
  product: string;
  version: string;
  /** Our local id of this connection (qd.conn-id). */
  connectionId: number;
  /** Our configured cost of the connection; only written when above 1. */
  cost: number;
}

/** The open properties map: product, version, qd.conn-id, [qd.inter-router-cost], qd.annotations-version. */
export function interRouterOpenProperties(p: InterRouterOpenProperties): AmqpMap {
  // map32 as Proton writes a connection's properties, whatever their size.
  const props = new AmqpMap([], T.map32);
  props.set(sym('product'), p.product);
  props.set(sym('version'), p.version);
  props.set(sym('qd.conn-id'), int(p.connectionId));
  if (p.cost > 1) props.set(sym('qd.inter-router-cost'), int(p.cost));
  props.set(sym('qd.annotations-version'), int(ANNOTATIONS_VERSION));
  return props;
}

export interface InterRouterOpenParams extends InterRouterOpenProperties {
  /** The router id. */
  containerId: string;
  /** The connector's host; absent on accepted connections. */
  hostname?: string;
  maxFrameSize: number;
  channelMax: number;
  /** What the open carries: half of the configured idle timeout. */
  idleTimeOutMs: number;
}

/**
 * The whole open of an inter-router connection. Proton writes the capability arrays as
 * array32 of sym32; encodeComposite writes the compact array8 of sym8 (same meaning).
 */
export function interRouterOpen(p: InterRouterOpenParams): Open {
  return {
    containerId: p.containerId,
    hostname: p.hostname,
    maxFrameSize: p.maxFrameSize,
    channelMax: p.channelMax,
    idleTimeOut: p.idleTimeOutMs,
    offeredCapabilities: [...INTER_ROUTER_CAPABILITIES],
    desiredCapabilities: [...INTER_ROUTER_CAPABILITIES],
    properties: interRouterOpenProperties(p),
  };
}
