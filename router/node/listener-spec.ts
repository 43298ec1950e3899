// What the router needs of a `listener` entity (the config layer's entity, with defaults).

export type StripAnnotations = 'in' | 'out' | 'both' | 'no';

export interface ListenerSpec {
  name: string;
  host: string;
  port: number;
  role: 'normal' | 'inter-router' | 'route-container' | 'edge';
  saslMechanisms: string[] | undefined;
  authenticatePeer: boolean;
  maxFrameSize: number;
  maxSessions: number;
  maxSessionFrames: number | undefined;
  idleTimeoutSeconds: number;
  linkCapacity: number;
  stripAnnotations: StripAnnotations;
  /** Inter-router link cost (role inter-router). */
  cost?: number;
  /** HTTP instead of raw AMQP: /metrics, /healthz, /readyz, AMQP over WebSocket, static files. */
  http?: boolean;
  /** With http; absent means yes, as in qdrouterd. */
  metrics?: boolean;
  healthz?: boolean;
  websockets?: boolean;
  /** With http: files served for other paths. */
  httpRootDir?: string;
  /** Message fields logged for each message received (none, all or a comma list; message-log.ts). */
  messageLoggingComponents?: string;
}

/** How a client-side connection of a connector (normal, route-container) is served. */
export function connectorListenerSpec(c: { name: string; host: string; port: number; role: ListenerSpec['role']; saslMechanisms?: string[]; maxFrameSize: number; maxSessions: number; idleTimeoutSeconds: number; linkCapacity: number; messageLoggingComponents?: string }): ListenerSpec {
  return {
    name: c.name, host: c.host, port: c.port, role: c.role,
    saslMechanisms: c.saslMechanisms, authenticatePeer: false,
    maxFrameSize: c.maxFrameSize, maxSessions: c.maxSessions, maxSessionFrames: undefined,
    idleTimeoutSeconds: c.idleTimeoutSeconds, linkCapacity: c.linkCapacity,
    // A broker keeps what it is given: router annotations never leave toward it (qdrouterd's default: both).
    stripAnnotations: 'both',
    messageLoggingComponents: c.messageLoggingComponents,
  };
}
