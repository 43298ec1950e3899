// Types of the validated configuration entities, defaults applied (config/schema.json is the
// source of truth for attributes and defaults; a unit test keeps the two in step).

import type { ConfigProblem } from '../common/errors';

export const ENTITY_TYPES = [
  'router',
  'listener',
  'connector',
  'address',
  'linkRoute',
  'autoLink',
  'sslProfile',
  'log',
  'policy',
  'vhost',
] as const;

/** Short entity type name, as in config/schema.json `$defs`. */
export type EntityTypeName = (typeof ENTITY_TYPES)[number];

/** Where an entity was defined. Line 0 means generated (a default entity). */
export interface SourceRef {
  file: string;
  line: number;
  /** Line of each attribute given in the file, by (new) attribute name. */
  attributeLines?: Readonly<Record<string, number>>;
}

export interface EntityBase {
  name: string;
  identity: string;
  /** Long type name, e.g. `org.apache.qpid.dispatch.listener`. */
  type: string;
  source: SourceRef;
}

export type RouterMode = 'standalone' | 'interior' | 'edge';
export type Distribution = 'multicast' | 'closest' | 'balanced' | 'unavailable';
export type ConnectionRole = 'normal' | 'inter-router' | 'route-container' | 'edge';
export type StripAnnotations = 'in' | 'out' | 'both' | 'no';
export type AddressFamily = 'IPv4' | 'IPv6';
export type LinkDirection = 'in' | 'out';
export type LogModule =
  | 'ROUTER' | 'ROUTER_CORE' | 'ROUTER_HELLO' | 'ROUTER_LS' | 'ROUTER_MA' | 'MESSAGE' | 'SERVER' | 'AGENT'
  | 'AUTHSERVICE' | 'CONTAINER' | 'ERROR' | 'POLICY' | 'HTTP' | 'CONN_MGR' | 'PYTHON' | 'PROTOCOL' | 'DEFAULT';

export interface RouterEntity extends EntityBase {
  id: string;
  mode: RouterMode;
  area: string;
  helloIntervalSeconds: number;
  helloMaxAgeSeconds: number;
  raIntervalSeconds: number;
  raIntervalFluxSeconds: number;
  remoteLsMaxAgeSeconds: number;
  workerThreads: number;
  defaultDistribution: Distribution;
  allowResumableLinkRoute: boolean;
  allowUnsettledMulticast: boolean;
  saslConfigDir?: string;
  saslConfigName: string;
  debugDumpFile?: string;
  timestampsInUTC: boolean;
  timestampFormat?: string;
  metadata?: string;
  /** Weft: addresses with their own series on /metrics; the rest are summed. */
  metricsAddressLimit: number;
}

/** Attributes shared by listeners and connectors. */
export interface ConnectionEntityBase extends EntityBase {
  host: string;
  /** As written: a number or a service name; see resolvePort(). */
  port: string;
  role: ConnectionRole;
  cost: number;
  sslProfile?: string;
  saslMechanisms?: string;
  /** At least 512. */
  maxFrameSize: number;
  maxSessions: number;
  maxSessionFrames?: number;
  idleTimeoutSeconds: number;
  /** Always 'no' for roles inter-router and edge. */
  stripAnnotations: StripAnnotations;
  /** 250 when not configured. */
  linkCapacity: number;
  messageLoggingComponents: string;
  policyVhost?: string;
  openProperties?: Record<string, unknown>;
}

export interface ListenerEntity extends ConnectionEntityBase {
  socketAddressFamily?: AddressFamily;
  authenticatePeer: boolean;
  requireEncryption: boolean;
  requireSsl: boolean;
  saslPlugin?: string;
  initialHandshakeTimeoutSeconds: number;
  multiTenant: boolean;
  failoverUrls?: string;
  http: boolean;
  websockets: boolean;
  metrics: boolean;
  healthz: boolean;
  httpRootDir?: string;
}

export interface ConnectorEntity extends ConnectionEntityBase {
  protocolFamily?: AddressFamily;
  saslUsername?: string;
  /** As written, prefixes (env:, file:, pass:) not resolved. */
  saslPassword?: string;
  verifyHostname: boolean;
  allowRedirect: boolean;
  /** Weft: ms before the first reconnect attempt (then doubling, with jitter). */
  initialReconnectDelay: number;
  /** Weft: the longest wait between reconnect attempts, ms. */
  maxReconnectDelay: number;
  /** Weft: URLs tried after host:port (see router/config/failover-urls.ts for the forms). */
  failoverUrls?: string;
  /** Weft: go through the URLs in random order. */
  randomize: boolean;
}

export interface AddressEntity extends EntityBase {
  /** Exactly one of prefix and pattern. */
  prefix?: string;
  pattern?: string;
  distribution: Distribution;
  waypoint: boolean;
  ingressPhase: number;
  egressPhase: number;
  priority?: number;
  enableFallback: boolean;
}

export interface LinkRouteEntity extends EntityBase {
  /** Exactly one of prefix and pattern. */
  prefix?: string;
  pattern?: string;
  direction: LinkDirection;
  /** At most one of connection and containerId. */
  connection?: string;
  containerId?: string;
  distribution: 'linkBalanced';
  addExternalPrefix?: string;
  delExternalPrefix?: string;
}

export interface AutoLinkEntity extends EntityBase {
  address: string;
  direction: LinkDirection;
  /** 0 for out, 1 for in (0 with fallback) unless configured. */
  phase: number;
  connection?: string;
  containerId?: string;
  externalAddress?: string;
  fallback: boolean;
}

export interface SslProfileEntity extends EntityBase {
  ciphers?: string;
  protocols?: string;
  caCertFile?: string;
  certFile?: string;
  privateKeyFile?: string;
  /** As written, prefixes (env:, file:, pass:, literal:) not resolved. */
  password?: string;
  passwordFile?: string;
  uidFormat?: string;
  uidNameMappingFile?: string;
}

export interface LogEntity extends EntityBase {
  module: LogModule;
  /** Levels such as `info+`, `none`, or `default` (follow DEFAULT). DEFAULT itself: `info+`. */
  enable: string;
  /** Undefined: follow DEFAULT. DEFAULT itself: true. */
  includeTimestamp?: boolean;
  /** Undefined: follow DEFAULT. DEFAULT itself: false. */
  includeSource?: boolean;
  /** Undefined: follow DEFAULT. DEFAULT itself: stderr. */
  outputFile?: string;
}

export interface PolicyEntity extends EntityBase {
  maxConnections: number;
  maxMessageSize: number;
  enableVhostPolicy: boolean;
  enableVhostNamePatterns: boolean;
  policyDir: string;
  defaultVhost: string;
}

export interface VhostUserGroupSettings {
  users?: string;
  remoteHosts?: string;
  maxConnectionsPerUser?: number;
  maxConnectionsPerHost?: number;
  maxMessageSize?: number;
  maxFrameSize?: number;
  maxSessionWindow?: number;
  maxSessions?: number;
  maxSenders: number;
  maxReceivers: number;
  allowDynamicSource: boolean;
  allowAnonymousSender: boolean;
  allowUserIdProxy: boolean;
  allowWaypointLinks: boolean;
  allowDynamicLinkRoutes: boolean;
  allowAdminStatusUpdate: boolean;
  allowFallbackLinks: boolean;
  sources?: string;
  targets?: string;
  sourcePattern?: string;
  targetPattern?: string;
}

export interface VhostEntity extends EntityBase {
  hostname: string;
  aliases?: string;
  maxConnections: number;
  maxMessageSize?: number;
  maxConnectionsPerUser: number;
  maxConnectionsPerHost: number;
  allowUnknownUser: boolean;
  groups: Record<string, VhostUserGroupSettings>;
}

export interface EntityByType {
  router: RouterEntity;
  listener: ListenerEntity;
  connector: ConnectorEntity;
  address: AddressEntity;
  linkRoute: LinkRouteEntity;
  autoLink: AutoLinkEntity;
  sslProfile: SslProfileEntity;
  log: LogEntity;
  policy: PolicyEntity;
  vhost: VhostEntity;
}

export type AnyEntity = EntityByType[EntityTypeName];

/** qdrouterd's load order (reference §1.2): apply entities of these types in this order. */
export const LOAD_ORDER: readonly EntityTypeName[] = ['log', 'router', 'policy', 'sslProfile', 'address', 'linkRoute', 'autoLink', 'vhost', 'connector', 'listener'];

/**
 * A validated configuration. Apply it in this order (qdrouterd's load order): logs, router,
 * policy, sslProfiles, addresses, linkRoutes, autoLinks, vhosts, connectors, listeners. Each
 * list keeps the order of the file.
 */
export interface LoadedConfig {
  router: RouterEntity;
  listeners: ListenerEntity[];
  connectors: ConnectorEntity[];
  addresses: AddressEntity[];
  linkRoutes: LinkRouteEntity[];
  autoLinks: AutoLinkEntity[];
  sslProfiles: SslProfileEntity[];
  /** One per module: those of the file plus a default one (line 0) for every other module. */
  logs: LogEntity[];
  policy: PolicyEntity;
  /** From the file, then from the .json files of policy.policyDir. */
  vhosts: VhostEntity[];
  /** Deprecated names, ignored sections, lines qdrouterd would only warn about. */
  warnings: ConfigProblem[];
  /** The main configuration file. */
  file: string;
}

export type ConfigFormat = 'conf' | 'json' | 'yaml';
