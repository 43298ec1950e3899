// Rules of one entity that a JSON Schema does not say well: exactly one of two attributes,
// defaults that depend on other attributes, values qdrouterd adjusts (reference §1.2, §1.3).
// Rules that involve several entities are in cross-checks.ts.

import type { EntityTypeName, RouterMode } from './entities';
import type { EntityDraft } from './entity-draft';
import { parsePort } from './port';
import { parseFailoverUrls } from './failover-urls';
import { generateRouterId, routerIdProblem } from './router-id';

export interface RuleContext {
  /** Makes the id of a router that has none (tests pass a fixed one). */
  generateRouterId?: (mode: RouterMode) => string;
}

type Rule = (e: EntityDraft, ctx: RuleContext) => void;

/** Default credit window per link when linkCapacity is not configured. */
export const DEFAULT_LINK_CAPACITY = 250;
const MIN_MAX_FRAME_SIZE = 512;
const FORBIDDEN_OPEN_PROPERTIES = new Set(['product', 'version', 'failover-server-list', 'network-host', 'port', 'scheme', 'hostname']);

export const entityRules: Record<EntityTypeName, Rule> = {
  router: routerRules,
  listener: (e) => connectionRules(e, true),
  connector: (e) => { connectionRules(e, false); failoverRules(e); },
  address: addressRules,
  linkRoute: linkRouteRules,
  autoLink: autoLinkRules,
  sslProfile: () => undefined,
  log: logRules,
  policy: () => undefined,
  vhost: () => undefined,
};

function routerRules(e: EntityDraft, ctx: RuleContext): void {
  const id = e.string('id');
  if (id === undefined || id === '') {
    const mode = (e.ok('mode') ? e.string('mode') : 'standalone') as RouterMode;
    e.attributes.id = (ctx.generateRouterId ?? generateRouterId)(mode);
    return;
  }
  const problem = routerIdProblem(id);
  if (problem !== undefined) e.error('id', problem);
}

function connectionRules(e: EntityDraft, listener: boolean): void {
  const port = e.string('port');
  if (port !== undefined && !e.bad.has('port')) {
    const n = parsePort(port);
    if (n === undefined) e.error('port', `expected an integer (0-65535) or a service name (amqp, amqps), got '${port}'`);
    else if (n === 0 && !listener) e.error('port', 'a connector needs a port other than 0');
  }
  const maxFrameSize = e.number('maxFrameSize');
  if (maxFrameSize !== undefined && maxFrameSize < MIN_MAX_FRAME_SIZE) e.attributes.maxFrameSize = MIN_MAX_FRAME_SIZE;
  if (e.attributes.linkCapacity === undefined) e.attributes.linkCapacity = DEFAULT_LINK_CAPACITY;

  const role = e.string('role');
  const routerRole = role === 'inter-router' || role === 'edge';
  if (routerRole) {
    // Router annotations must cross inter-router and edge connections.
    if (e.given.has('stripAnnotations') && e.attributes.stripAnnotations !== 'no') {
      e.warn('stripAnnotations', `is always 'no' for role ${role}`);
    }
    e.attributes.stripAnnotations = 'no';
  }
  const props = e.attributes.openProperties as Record<string, unknown> | undefined;
  if (props !== undefined && !e.bad.has('openProperties')) {
    if (routerRole && !e.bad.has('role')) e.error('openProperties', `is not allowed on ${role} connections`);
    for (const key of Object.keys(props)) {
      const problem = openPropertyKeyProblem(key);
      if (problem !== undefined) e.error(`openProperties.${key}`, problem);
    }
  }
  if (listener && e.string('saslPlugin') !== undefined) {
    e.error('saslPlugin', 'authServicePlugin is not supported by Weft');
  }
}

/** A connector's failoverUrls: readable, and its ActiveMQ options become attributes not given. */
function failoverRules(e: EntityDraft): void {
  const text = e.string('failoverUrls');
  if (text === undefined || e.bad.has('failoverUrls')) return;
  const parsed = parseFailoverUrls(text);
  if (!parsed.ok) return e.error('failoverUrls', parsed.message);
  for (const key of parsed.ignored) e.warn('failoverUrls', `option ${key} is ignored (no connector attribute for it)`);
  if (!e.given.has('host') && !e.given.has('port')) {
    e.attributes.host = parsed.urls[0].host;
    e.attributes.port = String(parsed.urls[0].port);
  }
  for (const [key, value] of Object.entries(parsed.options)) {
    if (!e.given.has(key)) e.attributes[key] = value;
    else if (e.attributes[key] !== value) e.warn(key, `differs from ${key}=${value} in failoverUrls; ${key} is used`);
  }
}

function openPropertyKeyProblem(key: string): string | undefined {
  if (FORBIDDEN_OPEN_PROPERTIES.has(key)) return 'is set by the router and cannot be configured';
  if (key.startsWith('qd.') || key.startsWith('x-opt-qd.')) return "keys starting with 'qd.' or 'x-opt-qd.' are reserved";
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(key)) return 'keys must be ASCII';
  return undefined;
}

/** Exactly one of prefix and pattern (address, linkRoute). */
function prefixOrPattern(e: EntityDraft): void {
  const hasPrefix = e.given.has('prefix');
  const hasPattern = e.given.has('pattern');
  if (hasPrefix && hasPattern) e.error('pattern', 'give either prefix or pattern, not both');
  else if (!hasPrefix && !hasPattern) e.error(undefined, 'one of prefix and pattern is required');
}

function oneContainer(e: EntityDraft): void {
  if (e.given.has('connection') && e.given.has('containerId')) {
    e.error('containerId', 'give either connection or containerId, not both');
  }
}

function addressRules(e: EntityDraft): void {
  prefixOrPattern(e);
  const waypoint = e.boolean('waypoint') === true;
  // With neither phase given, waypoint means ingress 0 / egress 1.
  e.attributes.ingressPhase ??= 0;
  e.attributes.egressPhase ??= !e.given.has('ingressPhase') && waypoint ? 1 : 0;
  if (e.boolean('enableFallback') && (waypoint || e.attributes.ingressPhase !== 0 || e.attributes.egressPhase !== 0)) {
    e.error('enableFallback', 'cannot be combined with waypoint or non-zero phases');
  }
}

function linkRouteRules(e: EntityDraft): void {
  prefixOrPattern(e);
  oneContainer(e);
}

function autoLinkRules(e: EntityDraft): void {
  oneContainer(e);
  if (e.attributes.phase === undefined) {
    e.attributes.phase = e.string('direction') === 'in' && e.boolean('fallback') !== true ? 1 : 0;
  }
}

function logRules(e: EntityDraft): void {
  if (e.string('module') !== 'DEFAULT') return;
  // The DEFAULT module is what every other module follows: it has concrete values.
  if (e.attributes.enable === 'default') e.attributes.enable = 'info+';
  e.attributes.includeTimestamp ??= true;
  e.attributes.includeSource ??= false;
  e.attributes.outputFile ??= 'stderr';
}
