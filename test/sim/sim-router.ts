// One simulated router: a LinkStateEngine and what its actions told the rest of the router (the
// routing table and the remote address sets a forwarder would hold). Actions are handled the
// way router/mesh will: a switch over action.type with a never check.

import type { Action, SendAction } from '../../router/core/linkstate/actions';
import { LinkStateEngine } from '../../router/core/linkstate/engine';
import type { RouterId } from '../../router/core/linkstate/messages';
import type { RoutingTable } from '../../router/core/linkstate/shortest-paths';
import type { LinkStateTimers } from '../../router/core/linkstate/timing';
import type { SimLink } from './sim-link';

/** What a router needs from the mesh around it. */
export interface SimTransport {
  readonly now: number;
  originate(from: SimRouter, action: SendAction): void;
}

export interface LoggedAction {
  at: number;
  action: Exclude<Action, SendAction>;
}

export class SimRouter {
  engine!: LinkStateEngine;
  /** Bumped on restart: ticks and messages of the previous life are dropped. */
  generation = 0;
  /** Addresses its consumers use; a restarted router's clients come back with them. */
  readonly addresses = new Map<string, number>();
  readonly links = new Set<SimLink>();
  /** Every action except sends, oldest first. */
  readonly log: LoggedAction[] = [];
  /** As the `routes` actions said. */
  table: RoutingTable = { radius: 0, diameter: 0, routes: new Map() };
  /** As the `addresses` actions said: router → hash key → hint. */
  readonly remote = new Map<RouterId, Map<string, number | undefined>>();
  /** Multicast messages already handled (the mesh's flood 'once'). */
  readonly floodsSeen = new Set<number>();

  constructor(
    readonly name: string,
    readonly id: RouterId,
    private readonly transport: SimTransport,
    private readonly timers: Partial<LinkStateTimers>,
  ) {}

  /** Starts (or restarts) the router process with a new instance. */
  boot(instance: number): void {
    this.generation++;
    this.engine = new LinkStateEngine({ id: this.id, instance, timers: this.timers });
    this.table = { radius: 0, diameter: 0, routes: new Map() };
    this.remote.clear();
    for (const [key, hint] of this.addresses) this.engine.addLocalAddress(key, hint);
  }

  addAddress(key: string, hint = 3): void {
    this.addresses.set(key, hint);
    this.engine.addLocalAddress(key, hint);
  }

  removeAddress(key: string): void {
    this.addresses.delete(key);
    this.engine.removeLocalAddress(key);
  }

  /** The logged actions of one type. */
  events<T extends LoggedAction['action']['type']>(type: T): Extract<Action, { type: T }>[] {
    return this.log.flatMap((e) => (e.action.type === type ? [e.action as Extract<Action, { type: T }>] : []));
  }

  apply(actions: Action[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'send':
          this.transport.originate(this, action);
          continue;
        case 'routes':
          this.table = action.table;
          break;
        case 'addresses': {
          const set = this.remote.get(action.router) ?? new Map<string, number | undefined>();
          for (const { key, hint } of action.added) set.set(key, hint);
          for (const key of action.removed) set.delete(key);
          if (set.size > 0) this.remote.set(action.router, set);
          else this.remote.delete(action.router);
          break;
        }
        case 'neighbour-up':
        case 'neighbour-down':
        case 'router-added':
        case 'router-removed':
        case 'router-restarted':
        case 'duplicate-id':
        case 'ignored':
          break;
        default: {
          const never: never = action;
          throw new Error(`unhandled action ${JSON.stringify(never)}`);
        }
      }
      this.log.push({ at: this.transport.now, action });
    }
  }
}
