// Starts management on a router built from a configuration: the agent, and the configuration
// entities it lists (listener, connector, address, ...) seeded from the file.

import type { AnyEntity, LoadedConfig } from '../config/entities';
import type { RouterNode } from '../node/router-node';
import { WEFT_VERSION } from '../node/router-node';
import { ManagementAgent } from './agent';
import { recordOf } from '../node/config-entities';

export function startManagement(node: RouterNode, config: LoadedConfig): ManagementAgent {
  const seed = (type: Parameters<RouterNode['configEntities']['add']>[0]['type'], entities: readonly AnyEntity[]): void => {
    for (const e of entities) node.configEntities.add(recordOf(type, e));
  };
  seed('listener', config.listeners);
  seed('connector', config.connectors);
  seed('address', config.addresses);
  seed('linkRoute', config.linkRoutes);
  seed('autoLink', config.autoLinks);
  seed('sslProfile', config.sslProfiles);
  seed('policy', [config.policy]);
  seed('vhost', config.vhosts);
  seed('log', config.logs.filter((l) => l.source.line > 0));
  const { name: _n, identity: _i, type: _t, source: _s, id: _id, mode, area, workerThreads, metadata, ...attributes } = config.router;
  return new ManagementAgent(node, { mode, area, workerThreads, metadata, version: WEFT_VERSION, attributes });
}
