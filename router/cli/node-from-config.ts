// Builds a RouterNode and its listener specs from a validated configuration.

import type { LoadedConfig, ListenerEntity, ConnectorEntity, AddressEntity, LogEntity } from '../config/entities';
import type { AddressRule } from '../core/address-table';
import type { ConnectorSpec } from '../node/connector';
import { timersFromRouterSettings } from '../core/linkstate';
import { resolvePort } from '../config/load-config';
import { parseFailoverUrls } from '../config/failover-urls';
import { RouterNode } from '../node/router-node';
import type { ListenerSpec } from '../node/listener-spec';
import { Logging, LogSettings } from '../observe/logger';
import { loadPlainUsers, saslUsersFile } from '../node/sasl-users';

export function loggingFromConfig(config: LoadedConfig): Logging {
  return new Logging(config.logs.map(logSettings));
}

export function logSettings(l: LogEntity): LogSettings {
  return {
    module: l.module,
    enable: l.enable === 'default' ? undefined : l.enable,
    includeTimestamp: l.includeTimestamp,
    includeSource: l.includeSource,
    outputFile: l.outputFile,
  };
}

export function nodeFromConfig(config: LoadedConfig, logging = loggingFromConfig(config)): RouterNode {
  const r = config.router;
  return new RouterNode({
    id: r.id,
    mode: r.mode,
    defaultDistribution: r.defaultDistribution,
    addresses: config.addresses.map((a) => ({ name: a.name, ...addressRule(a) })),
    logging,
    plainUsers: loadPlainUsers(saslUsersFile(r.saslConfigDir, r.saslConfigName)),
    linkStateTimers: timersFromRouterSettings(r),
    metricsAddressLimit: r.metricsAddressLimit,
    autoLinks: config.autoLinks.map((a) => ({
      name: a.name, address: a.address, direction: a.direction, phase: a.phase, connection: a.connection,
      containerId: a.containerId, externalAddress: a.externalAddress, fallback: a.fallback,
    })),
  });
}

export function addressRule(a: AddressEntity): AddressRule {
  return {
    prefix: a.prefix, pattern: a.pattern, distribution: a.distribution,
    ingressPhase: a.ingressPhase, egressPhase: a.egressPhase, waypoint: a.waypoint, priority: a.priority,
  };
}

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
