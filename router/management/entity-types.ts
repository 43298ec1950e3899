// The entity types management knows (reference §7.4-7.7): one model for GET-TYPES,
// GET-ATTRIBUTES, GET-OPERATIONS, GET-SCHEMA and QUERY. Configuration types take their
// attributes from config/schema.json (the file loaders' schema); operational types and the
// statistics of `router` are declared here.

import { configSchema, type PropertySchema } from '../config/schema';
import { ENTITY_TYPES, type EntityTypeName } from '../config/entities';

export const PREFIX = 'org.apache.qpid.dispatch';
export const NODE_TYPE = 'org.amqp.management';

export type AttrType = 'string' | 'integer' | 'boolean' | 'list' | 'map' | readonly string[];

export interface AttributeDef {
  type: AttrType;
  description?: string;
  default?: unknown;
  required?: boolean;
  deprecated?: boolean;
}

export interface EntityType {
  /** `router.link`; the long name is PREFIX + '.' + short. */
  short: string;
  long: string;
  base: 'configurationEntity' | 'operationalEntity';
  /** Whose rules a QUERY follows (reference §7.3): 'c' drops unknown names, 'python' answers 404. */
  agent: 'c' | 'python';
  operations: readonly string[];
  /** Attribute names in the order a QUERY for all of them returns (reference §7.6, capture 3). */
  columns: readonly string[];
  attributes: Record<string, AttributeDef>;
  description: string;
  singleton: boolean;
  /** The configuration entity type behind it (CREATE validates against it). */
  config?: EntityTypeName;
}

const CONNECTION_ROLES = ['normal', 'inter-router', 'route-container', 'edge'] as const;

/** Attribute defs from space-separated names per type. */
function typed(spec: Partial<Record<'string' | 'integer' | 'boolean' | 'list' | 'map', string>>, enums: Record<string, readonly string[]> = {}): Record<string, AttributeDef> {
  const out: Record<string, AttributeDef> = {};
  for (const [type, names] of Object.entries(spec)) for (const n of names!.split(/\s+/).filter(Boolean)) out[n] = { type: type as AttrType };
  for (const [n, values] of Object.entries(enums)) out[n] = { type: values };
  return out;
}

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const IDS = typed({ string: 'name identity type' });

// ---- operational statistics and types (columns as qdrouterd 1.19's C agent returns them) ----

const ROUTER_STATS = words(`addrCount linkCount nodeCount linkRouteCount autoLinkCount connectionCount presettledDeliveries
  droppedPresettledDeliveries acceptedDeliveries rejectedDeliveries releasedDeliveries modifiedDeliveries deliveriesDelayed1Sec
  deliveriesDelayed10Sec deliveriesStuck deliveriesIngress deliveriesEgress deliveriesTransit deliveriesIngressRouteContainer
  deliveriesEgressRouteContainer deliveriesRedirectedToFallback linksBlocked uptimeSeconds memoryUsage`);
const ROUTER_COLUMNS = words(`name identity id type mode area version metadata ${ROUTER_STATS.slice(0, -2).join(' ')} uptimeSeconds memoryUsage workerThreads`);

const CONNECTION_COLUMNS = words(`name identity host role protocol dir container sasl isAuthenticated user isEncrypted sslProto
  sslCipher properties sslSsf tenant type ssl opened active adminStatus operStatus uptimeSeconds lastDlvSeconds enableProtocolTrace`);
const LINK_COLUMNS = words(`name identity type linkName linkType linkDir owningAddr capacity peer undeliveredCount unsettledCount
  deliveryCount connectionId adminStatus operStatus presettledCount droppedPresettledCount acceptedCount rejectedCount
  releasedCount modifiedCount deliveriesDelayed1Sec deliveriesDelayed10Sec deliveriesStuck ingressHistogram priority settleRate
  creditAvailable zeroCreditSeconds`);
const ADDRESS_COLUMNS = words(`name identity type key distribution inProcess subscriberCount remoteCount containerCount
  remoteHostRouters deliveriesIngress deliveriesEgress deliveriesTransit deliveriesToContainer deliveriesFromContainer
  deliveriesEgressRouteContainer deliveriesIngressRouteContainer transitOutstanding trackedDeliveries priority
  deliveriesRedirectedToFallback`);
const NODE_COLUMNS = words('id protocolVersion instance linkState nextHop validOrigins address routerLink cost lastTopoChange index name identity type');
const CONFIG_ADDRESS_COLUMNS = words('name identity type prefix distribution waypoint ingressPhase egressPhase pattern priority fallback');
const CONFIG_LINK_ROUTE_COLUMNS = words('name identity type prefix distribution connection containerId direction dir operStatus pattern addExternalPrefix delExternalPrefix');
const CONFIG_AUTO_LINK_COLUMNS = words('name identity type address addr direction dir phase connection containerId externalAddress externalAddr linkRef operStatus lastError fallback');
const LOG_STATS = words('traceCount debugCount infoCount noticeCount warningCount errorCount criticalCount');
const ALLOCATOR = words('typeName typeSize transferBatchSize localFreeListMax globalFreeListMax totalAllocFromHeap totalFreeToHeap heldByThreads batchesRebalancedToThreads batchesRebalancedToGlobal');
const VHOST_STATS = words('hostname connectionsApproved connectionsDenied connectionsCurrent perUserState perHostState sessionDenied senderDenied receiverDenied maxMessageSizeDenied');
const POLICY_STATS = words('connectionsProcessed connectionsDenied connectionsCurrent linksDenied maxMessageSizeDenied totalDenials');

function operational(short: string, columns: string[], attributes: Record<string, AttributeDef>, operations: string[], description: string, agent: 'c' | 'python' = 'c'): EntityType {
  return { short, long: `${PREFIX}.${short}`, base: 'operationalEntity', agent, operations, columns, attributes: { ...IDS, ...attributes }, description, singleton: false };
}

// ---- configuration types, from config/schema.json ----

function schemaAttribute(p: PropertySchema, required: boolean): AttributeDef {
  const type: AttrType = p.enum ? p.enum : p.type === 'object' ? 'map' : p.type === 'array' ? 'list' : p.type ?? 'string';
  return { type, description: p.description, default: p.default, required: required || undefined, deprecated: p['x-deprecated'] || undefined };
}

/** Config attributes (schema order, then `extra`, then name/identity/type) unless `columns` are given. */
function configType(config: EntityTypeName, options: { short?: string; agent?: 'c' | 'python'; operations: string[]; columns?: string[]; extra?: Record<string, AttributeDef>; rename?: Record<string, string> }): EntityType {
  const schema = configSchema.$defs[config];
  const attributes: Record<string, AttributeDef> = {};
  for (const [name, p] of Object.entries(schema.properties)) attributes[options.rename?.[name] ?? name] = schemaAttribute(p, schema.required?.includes(name) ?? false);
  Object.assign(attributes, options.extra ?? {}, IDS);
  const own = Object.keys(attributes).filter((n) => !(n in IDS));
  const short = options.short ?? config;
  return {
    short, long: schema['x-long-name'], base: 'configurationEntity', agent: options.agent ?? 'python', operations: options.operations,
    columns: options.columns ?? [...own, 'name', 'identity', 'type'], attributes,
    description: schema.description ?? '', singleton: schema['x-singleton'] === true, config,
  };
}

const ROUTER_STAT_ATTRS = typed({ integer: ROUTER_STATS.join(' ') + ' workerThreads', string: 'version' });

export const ENTITY_TYPE_LIST: readonly EntityType[] = [
  {
    short: 'management', long: `${PREFIX}.management`, base: 'operationalEntity', agent: 'python', singleton: true,
    operations: ['QUERY', 'GET-TYPES', 'GET-ANNOTATIONS', 'GET-OPERATIONS', 'GET-ATTRIBUTES', 'GET-MGMT-NODES', 'GET-SCHEMA', 'GET-JSON-SCHEMA', 'GET-LOG', 'PROFILE'],
    columns: ['name', 'identity', 'type'], attributes: IDS, description: 'The management agent of this router.',
  },
  configType('router', { agent: 'c', operations: ['READ', 'RELOAD'], columns: ROUTER_COLUMNS, extra: ROUTER_STAT_ATTRS }),
  configType('listener', { operations: ['CREATE', 'READ', 'DELETE'] }),
  configType('connector', { operations: ['CREATE', 'READ', 'DELETE'], extra: typed({ string: 'connectionMsg' }, { connectionStatus: ['CONNECTING', 'SUCCESS', 'FAILED'] }) }),
  configType('sslProfile', { operations: ['CREATE', 'READ', 'DELETE'] }),
  configType('log', { operations: ['READ', 'UPDATE'] }),
  operational('logStats', [...LOG_STATS, 'name', 'identity', 'type'], typed({ integer: LOG_STATS.join(' ') }), ['READ'], 'Log lines written per level by a module.', 'python'),
  configType('address', { short: 'router.config.address', agent: 'c', operations: ['CREATE', 'READ', 'DELETE'], columns: CONFIG_ADDRESS_COLUMNS, rename: { enableFallback: 'fallback' } }),
  configType('linkRoute', { short: 'router.config.linkRoute', agent: 'c', operations: ['CREATE', 'READ', 'DELETE'], columns: CONFIG_LINK_ROUTE_COLUMNS, extra: typed({ string: 'dir' }, { operStatus: ['inactive', 'active'] }) }),
  configType('autoLink', { short: 'router.config.autoLink', agent: 'c', operations: ['CREATE', 'READ', 'DELETE'], columns: CONFIG_AUTO_LINK_COLUMNS, extra: typed({ string: 'addr dir externalAddr linkRef lastError' }, { operStatus: ['inactive', 'attaching', 'failed', 'active', 'quiescing', 'idle'] }) }),
  operational('router.link', LINK_COLUMNS, {
    ...typed({ string: 'linkName owningAddr connectionId peer', integer: 'capacity undeliveredCount unsettledCount deliveryCount presettledCount droppedPresettledCount acceptedCount rejectedCount releasedCount modifiedCount deliveriesDelayed1Sec deliveriesDelayed10Sec deliveriesStuck priority settleRate creditAvailable zeroCreditSeconds', list: 'ingressHistogram' },
      { linkType: ['endpoint', 'router-control', 'inter-router', 'edge-downlink'], linkDir: ['in', 'out'], adminStatus: ['enabled', 'disabled'], operStatus: ['up', 'down', 'quiescing', 'idle'] }),
  }, ['READ'], 'A link of one of the router\'s connections.'),
  operational('router.address', ADDRESS_COLUMNS, {
    ...typed({ string: 'key', boolean: 'inProcess', integer: 'subscriberCount remoteCount containerCount deliveriesIngress deliveriesEgress deliveriesTransit deliveriesToContainer deliveriesFromContainer deliveriesEgressRouteContainer deliveriesIngressRouteContainer trackedDeliveries priority deliveriesRedirectedToFallback', list: 'remoteHostRouters transitOutstanding' },
      { distribution: ['flood', 'multicast', 'closest', 'balanced', 'linkBalanced', 'unavailable'] }),
  }, ['READ'], 'An address known to the router, by its hash key.'),
  operational('router.node', NODE_COLUMNS, typed({ string: 'id nextHop address', integer: 'protocolVersion instance routerLink cost lastTopoChange index', list: 'linkState validOrigins' }), ['READ'], 'A router of the network, this one included.', 'python'),
  operational('connection', CONNECTION_COLUMNS, {
    ...typed({ string: 'host container sasl user sslProto sslCipher tenant', boolean: 'isAuthenticated isEncrypted ssl opened active enableProtocolTrace', integer: 'sslSsf uptimeSeconds lastDlvSeconds', map: 'properties' },
      { role: CONNECTION_ROLES, protocol: ['amqp', 'http1', 'http2', 'tcp'], dir: ['in', 'out'], adminStatus: ['enabled', 'deleted'], operStatus: ['up', 'closing'] }),
  }, ['READ', 'UPDATE'], 'A connection of the router.'),
  operational('allocator', [...ALLOCATOR, 'name', 'identity', 'type'], typed({ string: 'typeName', integer: ALLOCATOR.slice(1).join(' ') }), ['READ'], 'Memory pools (Weft has none: always empty).', 'python'),
  configType('policy', { operations: ['READ'], extra: typed({ integer: POLICY_STATS.join(' ') }) }),
  configType('vhost', { operations: ['READ'] }),
  operational('vhostStats', [...VHOST_STATS, 'name', 'identity', 'type'], typed({ string: 'hostname', integer: 'connectionsApproved connectionsDenied connectionsCurrent sessionDenied senderDenied receiverDenied maxMessageSizeDenied', map: 'perUserState perHostState' }), ['READ'], 'Policy statistics of a vhost (Weft: none yet).', 'python'),
  groupSettingsType(),
  ...['router.config.exchange', 'router.config.binding', 'router.connection.linkRoute', 'console', 'authServicePlugin'].map((short) =>
    ({ ...operational(short, ['name', 'identity', 'type'], {}, ['READ'], 'Not supported by Weft: always empty.', 'python'), base: 'configurationEntity' as const })),
];

/** The settings of a vhost's user groups: part of a vhost, listed as a type of its own (qdstat --vhostgroups). */
function groupSettingsType(): EntityType {
  const schema = configSchema.$defs.vhostUserGroupSettings;
  const attributes: Record<string, AttributeDef> = { ...IDS };
  for (const [name, p] of Object.entries(schema.properties)) attributes[name] = schemaAttribute(p, false);
  return {
    short: 'vhostUserGroupSettings', long: `${PREFIX}.vhostUserGroupSettings`, base: 'configurationEntity', agent: 'python', operations: ['READ'],
    columns: [...Object.keys(schema.properties), 'name', 'identity', 'type'], attributes, description: schema.description ?? 'Settings of a vhost user group.', singleton: false,
  };
}

const BY_LONG = new Map(ENTITY_TYPE_LIST.map((t) => [t.long, t]));

/** Short names qdmanage and people use beyond the suffix of the long name (reference §7.4). */
const ALIASES: Record<string, string> = {
  address: 'router.config.address', linkRoute: 'router.config.linkRoute', autoLink: 'router.config.autoLink',
  link: 'router.link', node: 'router.node', exchange: 'router.config.exchange', binding: 'router.config.binding',
};

/** The type a request names (long or short), or undefined. */
export function entityType(name: string): EntityType | undefined {
  const short = name.startsWith(`${PREFIX}.`) ? name.slice(PREFIX.length + 1) : name;
  return BY_LONG.get(`${PREFIX}.${ALIASES[short] ?? short}`);
}

/** The management type of a configuration entity type. */
export function typeOfConfig(config: EntityTypeName): EntityType {
  return ENTITY_TYPE_LIST.find((t) => t.config === config)!;
}

/** GET-TYPES: every type with its base types (long names), as qdrouterd lists them. */
export function typeHierarchy(): Array<[string, string[]]> {
  const entity = `${PREFIX}.entity`;
  const node = `${PREFIX}.${NODE_TYPE}`;
  return [
    [entity, []],
    [node, [`${PREFIX}.operationalEntity`, entity]],
    [`${PREFIX}.configurationEntity`, [entity]],
    [`${PREFIX}.operationalEntity`, [entity]],
    ...ENTITY_TYPE_LIST.map((t): [string, string[]] => [t.long, t.short === 'management' ? [node, `${PREFIX}.operationalEntity`, entity] : [`${PREFIX}.${t.base}`, entity]]),
  ];
}

/** Config types without a management type would be a model gap: checked once at load. */
for (const c of ENTITY_TYPES) if (!ENTITY_TYPE_LIST.some((t) => t.config === c)) throw new Error(`management has no type for config entity ${c}`);
