// From validated configuration entities to what the router runs: listener and connector specs
// and the rules of address, linkRoute and autoLink entities (weftd at start, management CREATE,
// configuration reload).

import type { AddressEntity, AutoLinkEntity, ConnectorEntity, LinkRouteEntity, ListenerEntity } from '../config/entities';
import type { AddressRule } from '../core/address-table';
import type { AutoLinkConfig } from '../core/auto-link-config';
import type { LinkRouteConfig } from '../core/link-route-table';
import { resolvePort } from '../config/port';
import { parseFailoverUrls } from '../config/failover-urls';
import type { ConnectorSpec } from './connector';
import type { ListenerSpec } from './listener-spec';

export function connectorSpec(c: ConnectorEntity): ConnectorSpec {
  return {
    name: c.name,
    host: c.host,
    port: resolvePort(c.port),
    role: c.role,
    cost: c.cost,
    linkCapacity: c.linkCapacity,
    maxFrameSize: c.maxFrameSize,
    maxSessions: c.maxSessions,
    idleTimeoutSeconds: c.idleTimeoutSeconds,
    messageLoggingComponents: c.messageLoggingComponents,
    saslMechanisms: c.saslMechanisms ? c.saslMechanisms.split(/\s+/).filter(Boolean) : undefined,
    saslUsername: c.saslUsername,
    saslPassword: c.saslPassword,
    initialDelayMs: c.initialReconnectDelay,
    maxDelayMs: c.maxReconnectDelay,
    failoverUrls: failoverUrlsOf(c),
    randomize: c.randomize,
  };
}

/** The URLs after host:port (validation has read the text already). */
function failoverUrlsOf(c: ConnectorEntity): ConnectorSpec['failoverUrls'] {
  if (c.failoverUrls === undefined) return undefined;
  const parsed = parseFailoverUrls(c.failoverUrls);
  return parsed.ok ? parsed.urls : undefined;
}

export function listenerSpec(l: ListenerEntity): ListenerSpec {
  return {
    name: l.name,
    host: l.host,
    port: resolvePort(l.port),
    role: l.role,
    saslMechanisms: l.saslMechanisms ? l.saslMechanisms.split(/\s+/).filter(Boolean) : undefined,
    authenticatePeer: l.authenticatePeer,
    maxFrameSize: l.maxFrameSize,
    maxSessions: l.maxSessions,
    maxSessionFrames: l.maxSessionFrames,
    idleTimeoutSeconds: l.idleTimeoutSeconds,
    linkCapacity: l.linkCapacity,
    stripAnnotations: l.stripAnnotations,
    cost: l.cost,
    http: l.http,
    metrics: l.metrics,
    healthz: l.healthz,
    websockets: l.websockets,
    httpRootDir: l.httpRootDir,
    messageLoggingComponents: l.messageLoggingComponents,
  };
}

export function linkRouteConfig(l: LinkRouteEntity): LinkRouteConfig {
  return {
    name: l.name, prefix: l.prefix, pattern: l.pattern, direction: l.direction, connection: l.connection, containerId: l.containerId,
    addExternalPrefix: l.addExternalPrefix, delExternalPrefix: l.delExternalPrefix,
  };
}

export function autoLinkConfig(a: AutoLinkEntity): AutoLinkConfig {
  return {
    name: a.name, address: a.address, direction: a.direction, phase: a.phase, connection: a.connection,
    containerId: a.containerId, externalAddress: a.externalAddress, fallback: a.fallback,
  };
}

export function addressRule(a: AddressEntity): AddressRule {
  return {
    prefix: a.prefix, pattern: a.pattern, distribution: a.distribution,
    ingressPhase: a.ingressPhase, egressPhase: a.egressPhase, waypoint: a.waypoint, priority: a.priority,
  };
}
