// The routing protocol's control messages as plain typed objects (reference §3.3–3.7).
// Field names are the body keys on the wire, snake_case included, the same shape as
// router/core/linkstate/messages.ts, so that the core's messages can be encoded as they are.

/** The routing protocol version qdrouterd 1.19 writes in every body. Sent between routers: do not change. */
export const PROTOCOL_VERSION = 1;
/** The only area qdrouterd knows. Sent between routers: do not change. */
export const AREA = '0';

export type ControlOpcode = 'HELLO' | 'RA' | 'LSR' | 'LSU' | 'MAU' | 'MAR';

interface ControlBody {
  /** The router that wrote the body (for LSR and MAR: the one asking). */
  id: string;
  /** Protocol version; 0 when a peer leaves it out. */
  pv: number;
  area: string;
}

export interface Hello extends ControlBody {
  opcode: 'HELLO';
  /** Boot time of the sender in whole seconds; changes on restart. */
  instance: number;
  /** Routers the sender heard a HELLO from within helloMaxAge. */
  seen: string[];
}

export interface RouterAdvertisement extends ControlBody {
  opcode: 'RA';
  instance: number;
  ls_seq: number;
  mobile_seq: number;
}

export interface LinkStateRequest extends ControlBody {
  opcode: 'LSR';
}

export interface LinkState {
  id: string;
  area: string;
  ls_seq: number;
  /**
   * Neighbour router id → cost. Decoded into an object without prototype (a router id
   * `__proto__` stays a key). Integer-like ids ("1") are enumerated first, so they are
   * re-encoded first: the order of a map carries no meaning to qdrouterd.
   */
  peers: Record<string, number>;
}

export interface LinkStateUpdate extends ControlBody {
  opcode: 'LSU';
  instance: number;
  ls_seq: number;
  ls: LinkState;
}

interface MauBody extends ControlBody {
  opcode: 'MAU';
  mobile_seq: number;
  /**
   * Treatment hints (0 flood … 5 unavailable), one per `add` or `exist` entry. Decoded as []
   * when absent, not a list of integers, or of another length: qdrouterd then ignores them.
   */
  hints: number[];
}

/** Sent to every router when local destinations appeared or went (mobile_seq + 1 each time). */
export interface DifferentialMau extends MauBody {
  /** Address hash keys (`M0queue`, `Cprefix`, …) that became destinations here. */
  add: string[];
  del: string[];
}

/** Sent in answer to a MAR: every address the sender currently has destinations for. */
export interface AbsoluteMau extends MauBody {
  exist: string[];
}

export type MobileAddressUpdate = DifferentialMau | AbsoluteMau;

/** qdrouterd tells the two kinds apart by the presence of `exist`. */
export function isAbsoluteMau(m: MobileAddressUpdate): m is AbsoluteMau {
  return (m as Partial<AbsoluteMau>).exist !== undefined;
}

export interface MobileAddressRequest extends ControlBody {
  opcode: 'MAR';
  /** The last mobile_seq the requester holds for the target. */
  have_seq: number;
}

export type ControlMessage =
  | Hello | RouterAdvertisement | LinkStateRequest | LinkStateUpdate | MobileAddressUpdate | MobileAddressRequest;

/** A control message with what travels around its body. */
export interface ControlEnvelope {
  /** properties.to: one of control-addresses.ts. */
  to: string;
  /** x-opt-qd.ingress, `0/<router id>`; with trace absent too, no message-annotations are written. */
  ingress?: string;
  /** x-opt-qd.trace, `0/<router id>` of every router the message left, in order. */
  trace?: string[];
  message: ControlMessage;
}
