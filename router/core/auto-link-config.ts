// An auto-link as configured (reference §6.2) and the rules about it that need no I/O: which
// connection activates it, the phase it binds to, the termini of its attach, and when a failed
// one is tried again. The router's glue (router/node/auto-links.ts) attaches and times it.

import type { AddressPhase } from './address-key';

export type AutoLinkDirection = 'in' | 'out';

/** qdrouterd's operStatus values that Weft reaches (quiescing and idle belong to admin states it has not). */
export type AutoLinkOperStatus = 'inactive' | 'attaching' | 'active' | 'failed';

export interface AutoLinkConfig {
  name: string;
  /** The router-internal address. */
  address: string;
  /** `out`: the router sends to the container; `in`: the router receives from it. */
  direction: AutoLinkDirection;
  /** Absent: 0 for out, 1 for in (0 with fallback). */
  phase?: number;
  /** The listener or connector name of the route-container connection. */
  connection?: string;
  /** Or the container-id the route-container peer gives in its open. */
  containerId?: string;
  /** The node's address on the container when it differs from `address`. */
  externalAddress?: string;
  fallback?: boolean;
}

/** What an auto-link needs to know of a connection to decide whether it belongs on it. */
export interface ContainerConnection {
  role: string;
  /** The listener's or connector's name. */
  name: string;
  containerId: string | undefined;
}

/** Only route-container connections activate auto-links (reference §6.1). */
export function autoLinkMatches(config: AutoLinkConfig, conn: ContainerConnection): boolean {
  if (conn.role !== 'route-container') return false;
  if (config.connection !== undefined) return config.connection === conn.name;
  if (config.containerId !== undefined) return config.containerId === conn.containerId;
  return false;
}

/** The phase of the internal key: `out` fallback links serve the fallback key (`MF…`). */
export function autoLinkPhase(config: AutoLinkConfig): AddressPhase {
  if (config.fallback && config.direction === 'out') return 'F';
  return config.phase ?? (config.direction === 'in' && !config.fallback ? 1 : 0);
}

/** The address on the container: the terminus the router attaches to. */
export function autoLinkExternalAddress(config: AutoLinkConfig): string {
  return config.externalAddress || config.address;
}

/** qdrouterd's timers (reference §6.2): the first retry after a failure comes in 2 s, the next ones every 5 s. */
export const AUTO_LINK_FIRST_RETRY_MS = 2000;
export const AUTO_LINK_RETRY_MS = 5000;

/** How long to wait before attaching again after the `failures`-th failure in a row (1-based). */
export function autoLinkRetryDelayMs(failures: number): number {
  return failures <= 1 ? AUTO_LINK_FIRST_RETRY_MS : AUTO_LINK_RETRY_MS;
}
