// Builds a RouterNode and its listener specs from a validated configuration.

import type { LoadedConfig, LogEntity } from '../config/entities';
import { timersFromRouterSettings } from '../core/linkstate';
import { RouterNode } from '../node/router-node';
import { Logging, LogSettings } from '../observe/logger';
import { loadPlainUsers, saslUsersFile } from '../node/sasl-users';
import { startManagement } from '../management/start';

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
  const node = new RouterNode({
    id: r.id,
    mode: r.mode,
    defaultDistribution: r.defaultDistribution,
    addresses: config.addresses.map((a) => ({ name: a.name, ...addressRule(a) })),
    logging,
    plainUsers: loadPlainUsers(saslUsersFile(r.saslConfigDir, r.saslConfigName)),
    linkStateTimers: timersFromRouterSettings(r),
    metricsAddressLimit: r.metricsAddressLimit,
    autoLinks: config.autoLinks.map(autoLinkConfig),
    linkRoutes: config.linkRoutes.map(linkRouteConfig),
    allowResumableLinkRoute: r.allowResumableLinkRoute,
  });
  startManagement(node, config); // AMQP management ($management): router/management
  return node;
}


// Moved to router/node/specs.ts (management CREATE needs them too; cli is above management).
export { addressRule, connectorSpec, listenerSpec } from '../node/specs';
import { addressRule, autoLinkConfig, linkRouteConfig } from '../node/specs';
