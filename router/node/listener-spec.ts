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
}
