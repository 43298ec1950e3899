// Builds a RouterNode and its listener specs from a validated configuration.

import type { LoadedConfig, ListenerEntity, ConnectorEntity } from '../config/entities';
import type { ConnectorSpec } from '../node/connector';
import { timersFromRouterSettings } from '../core/linkstate';
import { resolvePort } from '../config/load-config';
import { RouterNode } from '../node/router-node';
import type { ListenerSpec } from '../node/listener-spec';
import { Logging, LogSettings } from '../observe/logger';
import { loadPlainUsers, saslUsersFile } from '../node/sasl-users';

export function loggingFromConfig(config: LoadedConfig): Logging {
  return new Logging(config.logs.map((l): LogSettings => ({
    module: l.module,
    enable: l.enable === 'default' ? undefined : l.enable,
    includeTimestamp: l.includeTimestamp,
    includeSource: l.includeSource,
    outputFile: l.outputFile,
  })));
}

export function nodeFromConfig(config: LoadedConfig, logging = loggingFromConfig(config)): RouterNode {
  const r = config.router;
  return new RouterNode({
    id: r.id,
    mode: r.mode,
    defaultDistribution: r.defaultDistribution,
    addresses: config.addresses.map((a) => ({
      prefix: a.prefix, pattern: a.pattern, distribution: a.distribution,
      ingressPhase: a.ingressPhase, egressPhase: a.egressPhase, waypoint: a.waypoint, priority: a.priority,
    })),
    logging,
    plainUsers: loadPlainUsers(saslUsersFile(r.saslConfigDir, r.saslConfigName)),
    linkStateTimers: timersFromRouterSettings(r),
    linkRoutes: config.linkRoutes.map((l) => ({
      name: l.name, prefix: l.prefix, pattern: l.pattern, direction: l.direction, connection: l.connection, containerId: l.containerId,
      addExternalPrefix: l.addExternalPrefix, delExternalPrefix: l.delExternalPrefix,
    })),
    allowResumableLinkRoute: r.allowResumableLinkRoute,
  });
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
    saslMechanisms: c.saslMechanisms ? c.saslMechanisms.split(/\s+/).filter(Boolean) : undefined,
    saslUsername: c.saslUsername,
    saslPassword: c.saslPassword,
    initialDelayMs: c.initialReconnectDelay,
    maxDelayMs: c.maxReconnectDelay,
  };
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
  };
}
