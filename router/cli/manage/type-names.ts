// Entity type names as qdmanage expands them (reference §7.4): `link`/`node` are router.link and
// router.node, `address`/`linkRoute`/`autoLink` are router.config.*, any other short name gets the
// org.apache.qpid.dispatch. prefix. Unlike qdmanage, a dotted short name (`router.address`) is
// prefixed too, where qdmanage would send it unchanged; only names starting `org.` are kept.

import { LONG_NAME_PREFIX as ENTITY_PREFIX } from '../../config/entity-names';

const ROUTER_TYPES = new Set(['link', 'node']);
const CONFIG_TYPES = new Set(['address', 'linkRoute', 'autoLink']);

export function longType(type: string | undefined): string | undefined {
  if (type === undefined || type === '') return undefined;
  if (type.startsWith('org.')) return type; // a long name, or the node type org.amqp.management
  if (ROUTER_TYPES.has(type)) return `${ENTITY_PREFIX}router.${type}`;
  if (CONFIG_TYPES.has(type)) return `${ENTITY_PREFIX}router.config.${type}`;
  return ENTITY_PREFIX + type;
}
