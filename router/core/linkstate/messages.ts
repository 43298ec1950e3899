// The routing protocol's control messages as plain typed objects (reference §3.1–§3.7).
//
// Field names are the body keys on the wire, snake_case included: sent between routers, do not
// change. The opcode travels in application-properties, not in the body. Encoding is the codec's
// job; the wire type of each field is noted so the codec can match the captures
// (wire-captures/README.md §C): HELLO/RA/LSR/LSU come from qdrouterd's Python engine (string
// keys, integers as AMQP int, smallint when they fit), MAU/MAR from its C module (symbol keys,
// pv and sequence numbers as long, hints as int). Receivers accept any integer encoding.

export type RouterId = string;

/** `pv` of every message (reference §8.9). Messages with a greater pv are ignored. */
export const PROTOCOL_VERSION = 1;
/** `area` is always the string '0'. */
export const AREA = '0';

/** Neighbour discovery, every helloInterval on every inter-router connection (§3.3). */
export interface Hello {
  opcode: 'HELLO';
  /** string: the sender's router id */
  id: RouterId;
  /** int (smallint 1) */
  pv: number;
  /** string '0' */
  area: string;
  /** int: the sender's boot time in whole seconds; changes on restart */
  instance: number;
  /** AMQP list (never an array) of string: routers heard within helloMaxAge */
  seen: RouterId[];
}

/** Router advertisement, flooded to every router (§3.4). */
export interface RouterAdvertisement {
  opcode: 'RA';
  id: RouterId;
  /** int */
  pv: number;
  /** string '0' */
  area: string;
  /** int */
  instance: number;
  /** int: the sender's link-state sequence */
  ls_seq: number;
  /** int: the sender's mobile-address sequence */
  mobile_seq: number;
}

/** Link-state request, unicast to the router whose link state we want (§3.5). */
export interface LinkStateRequest {
  opcode: 'LSR';
  id: RouterId;
  /** int */
  pv: number;
  /** string '0' */
  area: string;
}

/** A router's link state: its neighbours and the cost it reports for each (directional). */
export interface LinkStateBody {
  /** string */
  id: RouterId;
  /** string '0' */
  area: string;
  /** int */
  ls_seq: number;
  /** map string → int: neighbour id → cost of the link from `id` to it */
  peers: Record<RouterId, number>;
}

/** Link-state update, only ever a reply to an LSR (§3.6). */
export interface LinkStateUpdate {
  opcode: 'LSU';
  id: RouterId;
  /** int */
  pv: number;
  /** string '0' */
  area: string;
  /** int */
  instance: number;
  /** int: equals ls.ls_seq */
  ls_seq: number;
  /** map */
  ls: LinkStateBody;
}

/** Differential MAU: the changes since mobile_seq - 1, multicast to every router (§3.7). */
export interface DifferentialMau {
  opcode: 'MAU';
  /** string (symbol key) */
  id: RouterId;
  /** long */
  pv: number;
  /** string '0' */
  area: string;
  /** long */
  mobile_seq: number;
  /** list of int, one treatment hint per entry of `add` */
  hints: number[];
  /** list of string: hash keys that became local destinations (list32 even when empty) */
  add: string[];
  /** list of string: hash keys that stopped being local destinations (list32 even when empty) */
  del: string[];
}

/** Absolute MAU: every advertised address, the answer to a MAR (§3.7). */
export interface AbsoluteMau {
  opcode: 'MAU';
  /** string (symbol key) */
  id: RouterId;
  /** long */
  pv: number;
  /** string '0' */
  area: string;
  /** long */
  mobile_seq: number;
  /** list of string: every advertised hash key */
  exist: string[];
  /** list of int aligned with `exist` */
  hints: number[];
}

export type MobileAddressUpdate = DifferentialMau | AbsoluteMau;

/** Mobile-address request: "send me your addresses, I hold have_seq" (§3.7). */
export interface MobileAddressRequest {
  opcode: 'MAR';
  /** string (symbol key) */
  id: RouterId;
  /** long */
  pv: number;
  /** string '0' */
  area: string;
  /** long: the last mobile_seq we hold for the target */
  have_seq: number;
}

export type ControlMessage =
  | Hello
  | RouterAdvertisement
  | LinkStateRequest
  | LinkStateUpdate
  | MobileAddressUpdate
  | MobileAddressRequest;

export type Opcode = ControlMessage['opcode'];

export function isAbsoluteMau(msg: MobileAddressUpdate): msg is AbsoluteMau {
  return (msg as Partial<AbsoluteMau>).exist !== undefined;
}

/** Treatment hints carried in MAU `hints` (sent between routers: do not change). */
export const TREATMENT_HINTS = {
  'multicast-flood': 0,
  multicast: 1, // multicast-once
  closest: 2,
  balanced: 3,
  'link-balanced': 4,
  unavailable: 5,
} as const;

export type TreatmentHint = (typeof TREATMENT_HINTS)[keyof typeof TREATMENT_HINTS];
