// Termini of link-routed attaches (reference §6.1): the address an attach is routed by, the
// copies sent on to the next hop (and back in the reply), and the external-prefix rewrite on
// the last hop.

import { AmqpSymbol } from '../amqp/codec/values';
import { Attach, Descriptor, Terminus } from '../amqp/performatives';

/** The pseudo-address coordinator links are routed by: a `$coordinator` link route takes them (as qdrouterd). */
export const COORDINATOR_ADDRESS = '$coordinator';

/** Node property of a dynamic source asking for a link-routed address (reference §4.6). */
const DYNAMIC_ADDRESS_PROPERTY = 'x-opt-qd.address';

/**
 * The address an attach is routed by: the target of an incoming link (the peer sends), the
 * source of an outgoing one; `$coordinator` for a coordinator target; a dynamic terminus's
 * `x-opt-qd.address` node property. Undefined when there is none (anonymous, plain dynamic).
 */
export function routingAddress(a: Attach, incoming: boolean): string | undefined {
  const t = incoming ? a.target : a.source;
  if (!t) return undefined;
  if (t.kind === Descriptor.coordinator) return COORDINATOR_ADDRESS;
  if (t.dynamic) {
    const v = t.dynamicNodeProperties?.get(DYNAMIC_ADDRESS_PROPERTY);
    return typeof v === 'string' && v !== '' ? v : v instanceof AmqpSymbol && v.value !== '' ? v.value : undefined;
  }
  return t.address || undefined;
}

/** A terminus that outlives its link (reference §6.1 allowResumableLinkRoute). */
export function survivesDisconnect(t: Terminus | undefined): boolean {
  return t !== undefined && ((t.timeout ?? 0) > 0 || t.expiryPolicy === 'never');
}

/**
 * The copy of a terminus sent on: the same fields, with the spec's defaults written out as
 * qdrouterd does (durable 0, expiry-policy `session-end`, timeout 0, dynamic false). A
 * coordinator (or an unknown kind) is relayed as its bytes.
 */
export function forwardTerminus(t: Terminus | undefined): Terminus | undefined {
  if (!t) return undefined;
  if (t.kind !== Descriptor.source && t.kind !== Descriptor.target) return t;
  return { ...t, durable: t.durable ?? 0, expiryPolicy: t.expiryPolicy ?? 'session-end', timeout: t.timeout ?? 0, dynamic: t.dynamic ?? false, raw: undefined };
}

/** The external-prefix rewrite of a last hop, and what was done (to undo it on the reply). */
export interface PrefixRewrite {
  del?: string;
  add?: string;
}

/** delExternalPrefix stripped (when present), then addExternalPrefix prepended (reference §6.1). */
export function toExternal(address: string | undefined, rw: PrefixRewrite): { address: string | undefined; stripped: boolean } {
  if (address === undefined) return { address, stripped: false };
  let a = address;
  let stripped = false;
  if (rw.del && a.startsWith(rw.del)) { a = a.slice(rw.del.length); stripped = true; }
  if (rw.add) a = rw.add + a;
  return { address: a, stripped };
}

/** The reply's address back in the router's terms: addExternalPrefix removed, delExternalPrefix restored. */
export function fromExternal(address: string | undefined, rw: PrefixRewrite, stripped: boolean): string | undefined {
  if (address === undefined) return address;
  let a = address;
  if (rw.add && a.startsWith(rw.add)) a = a.slice(rw.add.length);
  if (rw.del && stripped) a = rw.del + a;
  return a;
}

/** A terminus with another address (a copy; the original is left as received). */
export function withAddress(t: Terminus | undefined, address: string | undefined): Terminus | undefined {
  if (!t || (t.kind !== Descriptor.source && t.kind !== Descriptor.target)) return t;
  return { ...t, address, raw: undefined };
}
