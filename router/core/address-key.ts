// Address normalisation and internal hash keys (reference §4.1, §4.2, §4.4).
//
// Every address the router looks up is first stripped of scheme and host, loses one trailing
// separator, and is then classified into a key whose first character says how it is routed.
// Keys are sent between routers (MAU, link-route advertisements): do not change their format.

import { patternTokens, stripSeparators } from './address-pattern';

export type RouterMode = 'standalone' | 'interior' | 'edge';

/** Phase of a mobile address: 0–9, or 'F' for the fallback companion key. */
export type AddressPhase = number | 'F';

export interface AddressKeyContext {
  /** This router's id. */
  routerId: string;
  /** This router's area; always '0' in practice. */
  area?: string;
  /** Edge routers send every foreign topological address up to the interior (`L_edge`). */
  mode?: RouterMode;
  /** Phase of mobile addresses (default 0). */
  phase?: AddressPhase;
  /** Multi-tenant namespace (vhost) of the connection, put between phase and address. */
  tenant?: string;
}

/** Key classes by first character (reference §4.2). */
export const HASH_KEY_CLASSES = {
  L: 'local',
  T: 'topological',
  R: 'router',
  A: 'area',
  M: 'mobile',
  C: 'link-route-prefix-in',
  D: 'link-route-prefix-out',
  E: 'link-route-pattern-in',
  F: 'link-route-pattern-out',
  H: 'edge-summary',
} as const;

export type HashKeyClass = (typeof HASH_KEY_CLASSES)[keyof typeof HASH_KEY_CLASSES];

/** The key an edge router uses for every foreign topological address. */
export const EDGE_UPLINK_KEY = 'L_edge';

/**
 * Removes the scheme and host: `amqp:/x`, `amqp://host:port/x`, `/x` and `//host/x` all become
 * `x`. An address that never reaches the node part (no `scheme:/` or leading `/`, or a host
 * never followed by `/`) is used whole. This is qdrouterd's iterator state machine, quirks
 * included (`a::/x` is used whole, `a.b:/x` becomes `x`).
 */
export function stripSchemeAndHost(address: string): string {
  type State = 'start' | 'slash-left' | 'skip-host' | 'scanning' | 'colon' | 'colon-slash';
  let state: State = 'start';
  for (let i = 0; i < address.length; i++) {
    const c = address[i];
    switch (state) {
      case 'start':
        state = c === '/' ? 'slash-left' : 'scanning';
        break;
      case 'scanning':
        if (c === ':') state = 'colon';
        break;
      case 'colon':
        state = c === '/' ? 'colon-slash' : 'scanning';
        break;
      case 'slash-left':
      case 'colon-slash':
        // One '/' then the node; two '/' then a host to skip.
        if (c !== '/') return address.slice(i);
        state = 'skip-host';
        break;
      case 'skip-host':
        if (c === '/') return address.slice(i + 1);
        break;
      default: {
        const never: never = state;
        return never;
      }
    }
  }
  return address;
}

/** §4.1: scheme and host removed, then one trailing `.` or `/` removed. */
export function normalizeAddress(address: string): string {
  const stripped = stripSchemeAndHost(address);
  const last = stripped[stripped.length - 1];
  return last === '.' || last === '/' ? stripped.slice(0, -1) : stripped;
}

/** The phase character of a mobile key. */
export function phaseChar(phase: AddressPhase = 0): string {
  if (phase === 'F') return 'F';
  if (!Number.isInteger(phase) || phase < 0 || phase > 9) throw new RangeError(`address phase must be 0-9 or 'F', got ${phase}`);
  return String(phase);
}

/** `M<phase><tenant/><address>` for an already normalised address. */
export function mobileKey(address: string, phase: AddressPhase = 0, tenant?: string): string {
  return `M${phaseChar(phase)}${tenant ? `${tenant}/` : ''}${address}`;
}

/**
 * The hash key of an address as this router sees it (§4.2): `L…` local, `T…` all routers,
 * `R<id>` another router, `A<area>` another area, `H<edge-id>` an edge (interior only),
 * `M<phase>…` mobile. The address is normalised first.
 */
export function addressHashKey(address: string, ctx: AddressKeyContext): string {
  const addr = normalizeAddress(address);
  const edge = ctx.mode === 'edge';
  if (addr.startsWith('_local/')) return `L${addr.slice('_local/'.length)}`;
  if (addr.startsWith('_topo/')) return topologicalKey(addr.slice('_topo/'.length), ctx, edge);
  if (addr.startsWith('_edge/')) {
    const rest = addr.slice('_edge/'.length);
    const mine = `${ctx.routerId}/`;
    if (rest.startsWith(mine)) return `L${rest.slice(mine.length)}`;
    return edge ? EDGE_UPLINK_KEY : `H${upToSlash(rest)}`;
  }
  // Anything else, including other addresses starting with '_', is mobile.
  return mobileKey(addr, ctx.phase ?? 0, ctx.tenant);
}

/** `_topo/<area>/<router>/<rest>` with the `_topo/` already removed. */
function topologicalKey(rest: string, ctx: AddressKeyContext, edge: boolean): string {
  const myArea = `${ctx.area ?? '0'}/`;
  let afterArea: string;
  if (rest.startsWith('all/')) afterArea = rest.slice('all/'.length);
  else if (rest.startsWith(myArea)) afterArea = rest.slice(myArea.length);
  else return edge ? EDGE_UPLINK_KEY : `A${upToSlash(rest)}`;

  if (afterArea.startsWith('all/')) return `T${afterArea.slice('all/'.length)}`;
  const mine = `${ctx.routerId}/`;
  if (afterArea.startsWith(mine)) return `L${afterArea.slice(mine.length)}`;
  // Only the router id (up to the next '/') names the destination.
  return edge ? EDGE_UPLINK_KEY : `R${upToSlash(afterArea)}`;
}

function upToSlash(text: string): string {
  const slash = text.indexOf('/');
  return slash < 0 ? text : text.slice(0, slash);
}

/** The class of a key by its first character, or undefined for an unknown class. */
export function hashKeyClass(key: string): HashKeyClass | undefined {
  const c = key[0] as keyof typeof HASH_KEY_CLASSES | undefined;
  return c !== undefined && Object.prototype.hasOwnProperty.call(HASH_KEY_CLASSES, c) ? HASH_KEY_CLASSES[c] : undefined;
}

/** The address of a mobile key (`M0queue` → `queue`, tenant included), or undefined. */
export function mobileKeyAddress(key: string): string | undefined {
  return key.length >= 2 && key[0] === 'M' ? key.slice(2) : undefined;
}

/** The phase of a mobile key, or undefined. */
export function mobileKeyPhase(key: string): AddressPhase | undefined {
  if (key[0] !== 'M' || key.length < 2) return undefined;
  return key[1] === 'F' ? 'F' : /[0-9]/.test(key[1]) ? Number(key[1]) : undefined;
}

export type LinkRouteDirection = 'in' | 'out';

/** A link route's address as configured: exactly one of prefix and pattern. */
export interface LinkRouteAddress {
  prefix?: string;
  pattern?: string;
}

/**
 * The prefix text of a link route when it is advertised as a prefix: a configured prefix, or a
 * pattern whose only wildcard is one final `#` (`a.b/#` → `a.b`). Undefined otherwise.
 */
export function linkRoutePrefixText(route: LinkRouteAddress): string | undefined {
  if (route.prefix !== undefined) return stripSeparators(route.prefix);
  if (route.pattern === undefined) return undefined;
  const tokens = patternTokens(route.pattern);
  const wildcards = tokens.filter((t) => t === '*' || t === '#').length;
  if (wildcards !== 1 || tokens[tokens.length - 1] !== '#') return undefined;
  const text = stripSeparators(route.pattern);
  // Remove the '#' and the one separator before it, keeping the text as written.
  return text.length <= 1 ? '' : text.slice(0, -2);
}

/**
 * The key of a link route (§4.4, §6.1): `C`/`D` + prefix text for prefix-like routes, `E`/`F` +
 * pattern otherwise; `C`/`E` for direction `in`, `D`/`F` for `out`.
 */
export function linkRouteHashKey(route: LinkRouteAddress, direction: LinkRouteDirection): string {
  const prefix = linkRoutePrefixText(route);
  if (prefix !== undefined) return `${direction === 'in' ? 'C' : 'D'}${prefix}`;
  if (route.pattern === undefined) throw new RangeError('a link route needs a prefix or a pattern');
  return `${direction === 'in' ? 'E' : 'F'}${route.pattern}`;
}

/**
 * The pattern a router builds from a link-route key received from the mesh: `C`/`D` keys give
 * `<prefix>.#`, `E`/`F` keys give the pattern itself. Undefined for other keys.
 */
export function linkRouteKeyToPattern(key: string): { pattern: string; direction: LinkRouteDirection } | undefined {
  const text = key.slice(1);
  switch (key[0]) {
    case 'C':
      return { pattern: text === '' ? '#' : `${text}.#`, direction: 'in' };
    case 'D':
      return { pattern: text === '' ? '#' : `${text}.#`, direction: 'out' };
    case 'E':
      return { pattern: text, direction: 'in' };
    case 'F':
      return { pattern: text, direction: 'out' };
    default:
      return undefined;
  }
}
