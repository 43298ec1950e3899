// A reload as a plan: the difference between the running configuration and a new one, as steps
// a running router can take, and what it cannot take without a restart, each with its reason
// (as nats-server's reload.go names each change). Pure: router/node/apply-reload.ts carries
// the steps out.
//
// Entities are matched by name. Unnamed ones are named as the loader names them (identity.ts):
// listeners and connectors by `host:port`, logs by module, addresses by position
// (`address/0`, …), so an identical unnamed entity matches itself; an address inserted before
// unnamed ones shifts their names and they are replaced, which leaves the same rules in force.

import type {
  AddressEntity, AutoLinkEntity, ConnectorEntity, EntityBase, LinkRouteEntity, ListenerEntity, LoadedConfig, LogEntity,
} from './entities';
import { describeChanges } from './entity-changes';
import { parsePort } from './port';

type StepOf<A extends string, E> = {
  action: A;
  entity: E;
  /** `listener amqp2`: names the entity in problems. */
  subject: string;
  /** The line for the report once done; none for the removal half of a replacement. */
  report?: string;
};

export type ReloadStep =
  | StepOf<'log', LogEntity>
  | StepOf<'remove-address', AddressEntity> | StepOf<'add-address', AddressEntity>
  | StepOf<'remove-link-route', LinkRouteEntity> | StepOf<'add-link-route', LinkRouteEntity>
  | StepOf<'remove-auto-link', AutoLinkEntity> | StepOf<'add-auto-link', AutoLinkEntity>
  | StepOf<'remove-connector', ConnectorEntity> | StepOf<'add-connector', ConnectorEntity>
  | StepOf<'close-listener', ListenerEntity> | StepOf<'listen', ListenerEntity>;

export interface ReloadPlan {
  /**
   * In qdrouterd's load order (logs, addresses, linkRoutes, autoLinks, connectors, listeners), and within a type every
   * removal before any addition, so that a port or pattern given up is free for its new owner.
   */
  steps: ReloadStep[];
  /** What differs but needs a restart, one line each with the reason. */
  notApplied: string[];
}

const RESTART = 'restart needed';

export function planReload(old: LoadedConfig, next: LoadedConfig): ReloadPlan {
  const steps: ReloadStep[] = [];
  const notApplied: string[] = [];

  // By module: a log entity may have a name of its own, and a module without one has a default.
  for (const { before, after } of matchBy(old.logs, next.logs, (l) => l.module)) {
    const changes = describeChanges(before, after);
    if (changes === undefined) continue;
    const subject = `log ${after!.module}`;
    const back = after!.source.line === 0;
    steps.push({ action: 'log', entity: after!, subject, report: back ? `${subject} removed: back to the defaults (${changes})` : `${subject} changed (${changes})` });
  }

  replaceable(old.addresses, next.addresses, 'address', steps, 'remove-address', 'add-address', describeAddress, '');
  replaceable(old.linkRoutes, next.linkRoutes, 'linkRoute', steps, 'remove-link-route', 'add-link-route', describeLinkRoute,
    ': replaced; links it routed already stay until they detach');
  replaceable(old.autoLinks, next.autoLinks, 'autoLink', steps, 'remove-auto-link', 'add-auto-link', describeAutoLink,
    ': replaced, its link detached and attached again');
  replaceable(old.connectors, next.connectors, 'connector', steps, 'remove-connector', 'add-connector', describeConnection,
    ': replaced, its connection closed and made again');

  const listeners = matchBy(old.listeners, next.listeners);
  const closes: ReloadStep[] = [];
  const listens: ReloadStep[] = [];
  for (const { before, after } of listeners) {
    const subject = `listener ${(before ?? after)!.name}`;
    if (!after) { closes.push({ action: 'close-listener', entity: before!, subject, report: `${subject} removed: no longer accepting; its connections stay up` }); continue; }
    if (!before) { listens.push({ action: 'listen', entity: after, subject, report: `${subject} added (${describeConnection(after)})` }); continue; }
    const changes = describeChanges(before, after);
    if (changes === undefined) continue;
    if (sameHostPort(before, after)) {
      notApplied.push(`${subject} changed (${changes}): ${RESTART} (a listener is replaced live only when its host or port changes)`);
      continue;
    }
    closes.push({ action: 'close-listener', entity: before, subject });
    listens.push({ action: 'listen', entity: after, subject, report: `${subject} changed (${changes}): replaced; connections it accepted before stay up` });
  }
  steps.push(...closes, ...listens);

  const router = describeChanges(old.router, next.router, routerIdGiven(next) ? [] : ['id']);
  if (router !== undefined) notApplied.push(`router changed (${router}): ${RESTART}`);
  const policy = describeChanges(old.policy, next.policy);
  if (policy !== undefined) notApplied.push(`policy changed (${policy}): ${RESTART}`);
  restartOnly(old.sslProfiles, next.sslProfiles, 'sslProfile', notApplied);
  restartOnly(old.vhosts, next.vhosts, 'vhost', notApplied);
  return { steps, notApplied };
}

/** The configuration running once `done` (the steps that succeeded) took effect on `old`. */
export function runningAfter(old: LoadedConfig, done: readonly ReloadStep[]): LoadedConfig {
  const running = {
    ...old, logs: [...old.logs], addresses: [...old.addresses], linkRoutes: [...old.linkRoutes], autoLinks: [...old.autoLinks],
    connectors: [...old.connectors], listeners: [...old.listeners],
  };
  const without = <E extends EntityBase>(list: E[], name: string): E[] => list.filter((e) => e.name !== name);
  for (const s of done) {
    switch (s.action) {
      case 'log': running.logs = [...without(running.logs, s.entity.name), s.entity]; break;
      case 'remove-address': running.addresses = without(running.addresses, s.entity.name); break;
      case 'add-address': running.addresses = [...without(running.addresses, s.entity.name), s.entity]; break;
      case 'remove-link-route': running.linkRoutes = without(running.linkRoutes, s.entity.name); break;
      case 'add-link-route': running.linkRoutes = [...without(running.linkRoutes, s.entity.name), s.entity]; break;
      case 'remove-auto-link': running.autoLinks = without(running.autoLinks, s.entity.name); break;
      case 'add-auto-link': running.autoLinks = [...without(running.autoLinks, s.entity.name), s.entity]; break;
      case 'remove-connector': running.connectors = without(running.connectors, s.entity.name); break;
      case 'add-connector': running.connectors = [...without(running.connectors, s.entity.name), s.entity]; break;
      case 'close-listener': running.listeners = without(running.listeners, s.entity.name); break;
      case 'listen': running.listeners = [...without(running.listeners, s.entity.name), s.entity]; break;
      default: { const never: never = s; throw new Error(`unknown reload step ${JSON.stringify(never)}`); }
    }
  }
  return running;
}

interface Match<E> { before?: E; after?: E }

/** Pairs entities of one type by name (or `key`): old order first, then the new ones in file order. */
function matchBy<E extends EntityBase>(old: readonly E[], next: readonly E[], key: (e: E) => string = (e) => e.name): Match<E>[] {
  const byKey = new Map(next.map((e) => [key(e), e]));
  const matches: Match<E>[] = old.map((e) => ({ before: e, after: byKey.get(key(e)) }));
  const oldKeys = new Set(old.map(key));
  for (const e of next) if (!oldKeys.has(key(e))) matches.push({ after: e });
  return matches;
}

/** Types a router changes live by removing and adding: a changed entity is replaced. */
function replaceable<E extends AddressEntity | ConnectorEntity | LinkRouteEntity | AutoLinkEntity>(
  old: readonly E[], next: readonly E[], type: string, steps: ReloadStep[],
  remove: 'remove-address' | 'remove-connector' | 'remove-link-route' | 'remove-auto-link',
  add: 'add-address' | 'add-connector' | 'add-link-route' | 'add-auto-link',
  describe: (e: E) => string, replaced: string,
): void {
  const removals: ReloadStep[] = [];
  const additions: ReloadStep[] = [];
  for (const { before, after } of matchBy(old, next)) {
    const subject = `${type} ${(before ?? after)!.name}`;
    if (!after) removals.push({ action: remove, entity: before!, subject, report: `${subject} removed` } as ReloadStep);
    else if (!before) additions.push({ action: add, entity: after, subject, report: `${subject} added (${describe(after)})` } as ReloadStep);
    else {
      const changes = describeChanges(before, after);
      if (changes === undefined) continue;
      removals.push({ action: remove, entity: before, subject } as ReloadStep);
      additions.push({ action: add, entity: after, subject, report: `${subject} changed (${changes})${replaced}` } as ReloadStep);
    }
  }
  steps.push(...removals, ...additions);
}

/** Types a running router cannot change: every difference is reported, nothing done. */
function restartOnly<E extends EntityBase>(old: readonly E[], next: readonly E[], type: string, notApplied: string[], why = ''): void {
  for (const { before, after } of matchBy(old, next)) {
    const subject = `${type} ${(before ?? after)!.name}`;
    if (!after) notApplied.push(`${subject} removed: ${RESTART}${why}`);
    else if (!before) notApplied.push(`${subject} added: ${RESTART}${why}`);
    else {
      const changes = describeChanges(before, after);
      if (changes !== undefined) notApplied.push(`${subject} changed (${changes}): ${RESTART}${why}`);
    }
  }
}

/** A router id the file does not give is generated anew by every load: not a change. */
function routerIdGiven(config: LoadedConfig): boolean {
  return config.router.source.attributeLines?.id !== undefined;
}

/** `port` compares as a number: `amqp` and `5672` are the same listener. */
function sameHostPort(a: ListenerEntity, b: ListenerEntity): boolean {
  return a.host === b.host && parsePort(a.port) === parsePort(b.port);
}

function describeAddress(a: AddressEntity): string {
  return `${a.prefix !== undefined ? `prefix ${a.prefix}` : `pattern ${a.pattern}`}, ${a.distribution}`;
}

function describeLinkRoute(l: LinkRouteEntity): string {
  return `${l.prefix !== undefined ? `prefix ${l.prefix}` : `pattern ${l.pattern}`} ${l.direction}, ${l.connection !== undefined ? `connection ${l.connection}` : `containerId ${l.containerId}`}`;
}

function describeAutoLink(a: AutoLinkEntity): string {
  return `${a.address} ${a.direction}, ${a.connection !== undefined ? `connection ${a.connection}` : `containerId ${a.containerId}`}`;
}

function describeConnection(c: ListenerEntity | ConnectorEntity): string {
  return `${c.host || '0.0.0.0'}:${c.port}${c.role === 'normal' ? '' : `, role ${c.role}`}`;
}
