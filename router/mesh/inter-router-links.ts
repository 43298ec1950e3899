// The link set of an inter-router connection (reference §2.4, wire captures §B): what the
// connector side begins and attaches right after the open, and how an attach is recognised
// as an inter-router link. Pure builders: the engine sends them (encodeComposite).
//
//   channel 0        control pair  (h0 receiver, h1 sender)   capability qd.router
//   channel n + 1    priority n data pair, n = 0..9            capability qd.router-data
//
// Priority is not on the wire: the peer numbers data links by the order they attach, so the
// pairs must go out in this order. Everything here is sent between routers: do not change.

import { Random, randomId } from '../core/random-id';
import { Attach, Begin, Descriptor, Terminus } from '../amqp/performatives';
import { ReceiverSettleMode, SenderSettleMode } from '../amqp/link';

export const CONTROL_CAPABILITY = 'qd.router';
export const DATA_CAPABILITY = 'qd.router-data';
export const DATA_PRIORITIES = 10;
/** qdrouterd counts the control links as priority 9. */
export const CONTROL_PRIORITY = 9;
/** Streaming data links beyond the first ten per direction take this priority. */
export const DEFAULT_DATA_PRIORITY = 4;
/** Proton's session windows as qdrouterd sends them (2^31 − 1). */
export const SESSION_WINDOW = 2147483647;

export type InterRouterLinkKind = 'control' | 'data';

/**
 * An attach as Proton writes it: every field, so the trailing offered-capabilities,
 * desired-capabilities and properties are encoded as explicit nulls (encodeComposite trims
 * only undefined fields). Typed apart from Attach because these three are null, not absent.
 */
export type WireAttach = Omit<Attach, 'offeredCapabilities' | 'desiredCapabilities' | 'properties'> & {
  offeredCapabilities: null; desiredCapabilities: null; properties: null;
};

export interface InterRouterLink {
  /** Session channel of the connector side. */
  channel: number;
  kind: InterRouterLinkKind;
  /** 0..9 for data links; CONTROL_PRIORITY for the control pair. */
  priority: number;
  attach: WireAttach;
}

/** `qdlink.` and 15 characters of [a-zA-Z0-9+_], like qdrouterd's names. */
export function interRouterLinkName(random: Random): string {
  return `qdlink.${randomId(random)}`;
}

/** The 11 begins, in channel order: control session first, then priorities 0..9. */
export function interRouterBegins(): Begin[] {
  return Array.from({ length: DATA_PRIORITIES + 1 }, () => ({
    remoteChannel: undefined, nextOutgoingId: 0, incomingWindow: SESSION_WINDOW, outgoingWindow: SESSION_WINDOW,
  }));
}

/** The 22 attaches in wire order: per session the receiver (handle 0), then the sender (handle 1). */
export function interRouterLinks(random: Random): InterRouterLink[] {
  const links: InterRouterLink[] = [];
  for (let channel = 0; channel <= DATA_PRIORITIES; channel++) {
    const kind: InterRouterLinkKind = channel === 0 ? 'control' : 'data';
    const priority = channel === 0 ? CONTROL_PRIORITY : channel - 1;
    for (const receiver of [true, false]) {
      links.push({ channel, kind, priority, attach: interRouterAttach(interRouterLinkName(random), receiver ? 0 : 1, receiver, kind) });
    }
  }
  return links;
}

/** One connector-side attach; `role` true is a receiver (AMQP's role field). */
export function interRouterAttach(name: string, handle: number, role: boolean, kind: InterRouterLinkKind): WireAttach {
  const capability = kind === 'control' ? CONTROL_CAPABILITY : DATA_CAPABILITY;
  return {
    name, handle, role,
    sndSettleMode: SenderSettleMode.mixed,
    rcvSettleMode: ReceiverSettleMode.first,
    source: terminus(Descriptor.source, capability, 'link-detach'),
    target: terminus(Descriptor.target, capability, 'link-detach'),
    unsettled: undefined,
    incompleteUnsettled: undefined,
    initialDeliveryCount: 0,
    maxMessageSize: 0,
    offeredCapabilities: null, desiredCapabilities: null, properties: null,
  };
}

/**
 * qdrouterd's answer to a peer's inter-router attach: the opposite role, the same name and
 * capability, but expiry-policy `session-end` where the peer sent `link-detach` (observed on
 * the wire; the reference sheet says the termini are echoed).
 */
export function interRouterAttachAnswer(peer: Attach, handle: number): WireAttach {
  const kind = classifyInterRouterAttach(peer);
  if (kind === 'none') throw new TypeError(`attach ${peer.name} is not an inter-router link`);
  const capability = kind === 'control' ? CONTROL_CAPABILITY : DATA_CAPABILITY;
  return {
    ...interRouterAttach(peer.name, handle, !peer.role, kind),
    source: terminus(Descriptor.source, capability, 'session-end'),
    target: terminus(Descriptor.target, capability, 'session-end'),
  };
}

function terminus(kind: number, capability: string, expiryPolicy: string): Terminus {
  return { kind, address: undefined, durable: 0, expiryPolicy, timeout: 0, dynamic: false, capabilities: capability };
}

/**
 * What a peer's attach asks for. Like qdrouterd, only the first capability counts, on our
 * local terminus: the target when the peer sends (role false), the source when it receives.
 * qdrouterd itself only recognises a bare symbol; we also take an array, as the reference asks.
 */
export function classifyInterRouterAttach(attach: Attach): InterRouterLinkKind | 'none' {
  const local = attach.role ? attach.source : attach.target;
  if (local === undefined || (local.kind !== Descriptor.source && local.kind !== Descriptor.target)) return 'none';
  const caps = local.capabilities;
  const first = typeof caps === 'string' ? caps : caps?.[0];
  if (first === CONTROL_CAPABILITY) return 'control';
  if (first === DATA_CAPABILITY) return 'data';
  return 'none';
}
