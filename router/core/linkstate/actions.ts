// What the link-state engine asks of the world. Every entry point returns the actions it
// produced; the caller (router/mesh, or the simulator) carries them out with a
// `switch (action.type)` and a `never` check, so a new action cannot go unhandled.

import type { ControlMessage, RouterId } from './messages';
import type { RoutingTable } from './shortest-paths';

/** An inter-router connection as the mesh names it (qdrouterd: the link mask bit). */
export type ConnectionId = string | number;

/**
 * Where a control message goes; `address` in the action is the exact `to` of the message.
 * - 'every-link': one copy on every inter-router connection, not forwarded (HELLO).
 * - 'every-router': flooded/multicast to every router (RA, differential MAU).
 * - { router }: to one router along the shortest path (LSR, LSU, MAR, absolute MAU).
 */
export type Recipient = 'every-link' | 'every-router' | { router: RouterId };

export interface SendAction {
  type: 'send';
  to: Recipient;
  address: string;
  message: ControlMessage;
}

/** The path computation changed: next hops, costs, valid origins and radius. */
export interface RoutesAction {
  type: 'routes';
  table: RoutingTable;
}

/** A mobile address (hash key, reference §4.2) advertised by a router, with its treatment hint. */
export interface AddressAdvert {
  key: string;
  /** Treatment hint (messages.ts TREATMENT_HINTS), undefined when the MAU's hints were unusable. */
  hint: number | undefined;
}

/** A remote router's advertised addresses changed (MAU, restart, or the router went away). */
export interface AddressesAction {
  type: 'addresses';
  router: RouterId;
  added: AddressAdvert[];
  removed: string[];
}

/** Two-way HELLO confirmed: `router` is a neighbour over `connection`. */
export interface NeighbourUpAction {
  type: 'neighbour-up';
  router: RouterId;
  connection: ConnectionId;
  cost: number;
}

export interface NeighbourDownAction {
  type: 'neighbour-down';
  router: RouterId;
  connection: ConnectionId;
  reason: 'connection-lost' | 'hello-expired';
}

/** A router became known (its `R<id>` address exists from now on). */
export interface RouterAddedAction {
  type: 'router-added';
  router: RouterId;
  maskBit: number;
}

/** A router was forgotten (no link state, no neighbour, listed by nobody for 3 ticks). */
export interface RouterRemovedAction {
  type: 'router-removed';
  router: RouterId;
  maskBit: number;
}

/** A known router came back with a new instance: its link state and addresses were dropped. */
export interface RouterRestartedAction {
  type: 'router-restarted';
  router: RouterId;
  instance: number;
}

/**
 * Two routers use one id: ours (a HELLO or RA with our id and another instance), or a
 * neighbour's (HELLOs with that id and two instances on two connections).
 */
export interface DuplicateIdAction {
  type: 'duplicate-id';
  router: RouterId;
  /** The instance of the router that is not the one we knew. */
  instance: number;
  /** Where its HELLO came from. */
  connection?: ConnectionId;
}

export type IgnoredReason = 'protocol-version' | 'unknown-router' | 'too-many-routers';

/** A control message (or a router it named) was dropped; for the log, not repeated per message. */
export interface IgnoredAction {
  type: 'ignored';
  reason: IgnoredReason;
  router: RouterId;
  opcode: ControlMessage['opcode'];
}

export type Action =
  | SendAction
  | RoutesAction
  | AddressesAction
  | NeighbourUpAction
  | NeighbourDownAction
  | RouterAddedAction
  | RouterRemovedAction
  | RouterRestartedAction
  | DuplicateIdAction
  | IgnoredAction;

export type ActionType = Action['type'];
