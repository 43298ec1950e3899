// The rows of every entity type, by short type name.

import type { AgentContext, Row } from './row';
import { routerRows } from './router-row';
import { connectionRows } from './connection-rows';
import { linkRows } from './link-rows';
import { addressRows } from './address-rows';
import { nodeRows } from './node-rows';
import { configAddressRows, configAutoLinkRows, configLinkRouteRows, configRows, logRows, logStatsRows, managementRows, policyRows } from './config-rows';

export type { AgentContext, Row, RouterInfo } from './row';
export { managementNodes } from './node-rows';
export { allConnections } from './connection-rows';

const none = (): Row[] => [];

export const ROWS: Record<string, (ctx: AgentContext) => Row[]> = {
  management: managementRows,
  router: routerRows,
  listener: configRows('listener'),
  connector: configRows('connector'),
  sslProfile: configRows('sslProfile'),
  log: logRows,
  logStats: logStatsRows,
  'router.config.address': configAddressRows,
  'router.config.linkRoute': configLinkRouteRows,
  'router.config.autoLink': configAutoLinkRows,
  'router.link': linkRows,
  'router.address': addressRows,
  'router.node': nodeRows,
  connection: connectionRows,
  allocator: none,
  policy: policyRows,
  vhost: configRows('vhost'),
  vhostStats: none,
  vhostUserGroupSettings: none,
  'router.config.exchange': none,
  'router.config.binding': none,
  'router.connection.linkRoute': none,
  console: none,
  authServicePlugin: none,
};
