// router.config.autoLink rows: the configured attributes with the live operStatus, lastError
// and linkRef of the auto-link of that name (node.autoLinks), not a fixed 'inactive'.

import { expect } from 'chai';
import { configAutoLinkRows } from '../../../router/management/rows/config-rows';
import type { AgentContext } from '../../../router/management/rows/row';
import { RouterNode } from '../../../router/node/router-node';
import { Logging } from '../../../router/observe/logger';

describe('management rows: router.config.autoLink', () => {
  let node: RouterNode;
  const ctx = (): AgentContext => ({ node, router: { mode: 'standalone', area: '0', workerThreads: 1, version: 'test' } });
  const record = (name: string, direction: string) => ({ type: 'autoLink' as const, name, identity: name, attributes: { address: 'orders', direction, connection: 'broker' } });

  beforeEach(() => {
    node = new RouterNode({
      id: 'R', mode: 'standalone', logging: new Logging([{ module: 'DEFAULT', enable: 'none' }]),
      autoLinks: [{ name: 'orders-out', address: 'orders', direction: 'out', connection: 'broker' }],
    });
  });
  afterEach(async () => { await node.stop(); });

  it("shows the auto-link's operStatus and lastError as they change", () => {
    node.configEntities.add(record('orders-out', 'out'));
    const a = node.autoLinks.get('orders-out')!;
    expect(configAutoLinkRows(ctx())[0]).to.deep.include({ name: 'orders-out', operStatus: 'inactive', lastError: null, linkRef: null });
    a.operStatus = 'failed';
    a.lastError = 'amqp:not-found: no queue';
    expect(configAutoLinkRows(ctx())[0]).to.deep.include({ operStatus: 'failed', lastError: 'amqp:not-found: no queue' });
    a.operStatus = 'active';
    a.lastError = '';
    expect(configAutoLinkRows(ctx())[0]).to.deep.include({ operStatus: 'active', lastError: null });
  });

  it('an entity with no running auto-link of its name is inactive', () => {
    node.configEntities.add(record('created', 'in'));
    expect(configAutoLinkRows(ctx())[0]).to.deep.include({ name: 'created', operStatus: 'inactive', lastError: null, linkRef: null });
  });
});
