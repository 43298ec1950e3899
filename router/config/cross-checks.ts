// Rules across entities (reference §1.2): unique names, router mode against connection roles,
// references by name, duplicate address patterns.

import { canonicalPattern, prefixToPattern } from '../core/address-pattern';
import type { EntityTypeName } from './entities';
import type { EntityDraft } from './entity-draft';

export type DraftsByType = Record<EntityTypeName, EntityDraft[]>;

/** `all` holds every draft in the order of the sources, for "first defined at" messages. */
export function crossCheck(drafts: DraftsByType, all: readonly EntityDraft[]): void {
  uniqueNames(all);
  rolesAgainstMode(drafts);
  sslProfileReferences(drafts);
  uniqueAddressPatterns(drafts.address);
  containerConnections(drafts);
  vhostsNeedPolicy(drafts);
}

function where(d: EntityDraft): string {
  return d.line === 0 ? `the default ${d.type}` : `the ${d.type} at ${d.file}:${d.line}`;
}

function uniqueNames(all: readonly EntityDraft[]): void {
  const seen = new Map<string, EntityDraft>();
  for (const d of all) {
    const first = seen.get(d.name);
    if (first === undefined) seen.set(d.name, d);
    else d.error(d.given.has('name') ? 'name' : undefined, `duplicate name '${d.name}' (also ${where(first)})`);
  }
}

function rolesAgainstMode(drafts: DraftsByType): void {
  const router = drafts.router[0];
  if (router === undefined || !router.ok('mode')) return;
  const mode = router.string('mode');
  const modeAt = router.line === 0 ? 'the default mode' : `router mode at line ${router.lineOf('mode')}`;
  for (const d of [...drafts.listener, ...drafts.connector]) {
    if (!d.ok('role')) continue;
    const role = d.string('role');
    if (mode === 'standalone' && (role === 'inter-router' || role === 'edge')) {
      d.error('role', `role '${role}' is not allowed in a standalone router (${modeAt})`);
    } else if (mode === 'edge' && role === 'inter-router') {
      d.error('role', `role 'inter-router' is allowed only in an interior router (${modeAt})`);
    } else if (mode === 'edge' && role === 'edge' && d.type === 'listener') {
      d.error('role', `an edge router cannot accept edge connections (${modeAt})`);
    }
  }
}

function sslProfileReferences(drafts: DraftsByType): void {
  const profiles = new Set(drafts.sslProfile.map((d) => d.name));
  for (const d of [...drafts.listener, ...drafts.connector]) {
    const name = d.string('sslProfile');
    if (name !== undefined && !profiles.has(name)) d.error('sslProfile', `no sslProfile is named '${name}'`);
  }
}

/** Two address entries with the same normalised pattern are an error (reference §4.4). */
function uniqueAddressPatterns(addresses: EntityDraft[]): void {
  const seen = new Map<string, EntityDraft>();
  for (const d of addresses) {
    const prefix = d.string('prefix');
    const pattern = d.string('pattern');
    if ((prefix === undefined) === (pattern === undefined)) continue; // already reported
    const key = canonicalPattern(prefix !== undefined ? prefixToPattern(prefix) : pattern!);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, d);
    else d.error(prefix !== undefined ? 'prefix' : 'pattern', `matches the same addresses as ${where(first)}`);
  }
}

/** linkRoute/autoLink `connection` should name a route-container listener or connector. */
function containerConnections(drafts: DraftsByType): void {
  const connections = new Map<string, EntityDraft>();
  for (const d of [...drafts.listener, ...drafts.connector]) if (d.given.has('name')) connections.set(d.name, d);
  for (const d of [...drafts.linkRoute, ...drafts.autoLink]) {
    const name = d.string('connection');
    if (name === undefined) continue;
    const target = connections.get(name);
    if (target === undefined) d.warn('connection', `no listener or connector is named '${name}'`);
    else if (target.string('role') !== 'route-container') {
      d.warn('connection', `'${name}' has role '${String(target.string('role'))}': only route-container connections activate it`);
    }
  }
}

function vhostsNeedPolicy(drafts: DraftsByType): void {
  const policy = drafts.policy[0];
  if (drafts.vhost.length === 0 || policy === undefined || policy.boolean('enableVhostPolicy')) return;
  drafts.vhost[0].warn(undefined, 'vhosts have no effect unless policy.enableVhostPolicy is true');
}
