// Section and attribute names as qdrouterd reads them: camelCase conversion and the
// section-name aliases (reference §1.1 rules 6 and 7).

import { ENTITY_TYPES, type EntityTypeName } from './entities';

export const LONG_NAME_PREFIX = 'org.apache.qpid.dispatch.';

/**
 * qdrouterd's camelCase: split on space, `_`, `-` or `.`; keep the first word as written; lower-case
 * then capitalise each following word (`sasl-mechanisms` → `saslMechanisms`, `max_frame_size` →
 * `maxFrameSize`, `SSL-PROFILE` → `SSLProfile`). A name without separators is unchanged.
 */
export function camelCase(name: string): string {
  const [first, ...rest] = name.split(/[ _.-]/);
  return first + rest.map((w) => (w === '' ? '' : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}

/** Types qdrouterd knows that Weft refuses rather than ignore, since ignoring them changes behaviour. */
const UNSUPPORTED = new Set(['authServicePlugin', 'exchange', 'binding']);
/** Types qdrouterd 1.19 accepts but that have no effect. */
const IGNORED = new Set(['console']);

export type SectionKind =
  | { kind: 'entity'; type: EntityTypeName }
  | { kind: 'unsupported'; type: string }
  | { kind: 'ignored'; type: string }
  | { kind: 'unknown' };

/**
 * The entity type of a section name. qdrouterd converts the name to camelCase and then maps the
 * short aliases (`address` → `router.config.address`, ...). Long names
 * (`org.apache.qpid.dispatch.listener`, `router.config.address`) are also accepted where the
 * format can spell them (JSON, YAML).
 */
export function classifySection(section: string): SectionKind {
  let name = section.startsWith(LONG_NAME_PREFIX) ? section.slice(LONG_NAME_PREFIX.length) : section;
  if (name.startsWith('router.config.')) name = name.slice('router.config.'.length);
  name = camelCase(name);
  if ((ENTITY_TYPES as readonly string[]).includes(name)) return { kind: 'entity', type: name as EntityTypeName };
  if (UNSUPPORTED.has(name)) return { kind: 'unsupported', type: name };
  if (IGNORED.has(name)) return { kind: 'ignored', type: name };
  return { kind: 'unknown' };
}
