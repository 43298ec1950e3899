// The live API of RouterNode that reloads and the management agent use, in process: a closed
// listener keeps its connections, names are checked, and a reload step that fails (a port in
// use) is reported while the other steps still apply.

import { expect } from 'chai';
import * as net from 'node:net';
import { loadConfigText, type LoadedConfig } from '../../router/config';
import { planReload, runningAfter } from '../../router/config/reload-plan';
import { addressRule, connectorSpec, listenerSpec, logSettings, nodeFromConfig } from '../../router/cli/node-from-config';
import { applyReload } from '../../router/node/apply-reload';
import type { RouterNode } from '../../router/node/router-node';
import { Logging } from '../../router/observe/logger';
import { canConnect } from '../../scripts/bench/ports';
import { waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';

const SPECS = { listener: listenerSpec, connector: connectorSpec, address: addressRule, log: logSettings };

function conf(extra: string): LoadedConfig {
  const text = `router {\n    mode: standalone\n    id: Live\n}\nlistener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\n${extra}`;
  return loadConfigText(text, 'live.conf');
}

describe('RouterNode live reconfiguration (in process)', function () {
  this.timeout(15000);
  let node: RouterNode;
  let config: LoadedConfig;

  beforeEach(async () => {
    config = conf('');
    node = nodeFromConfig(config, new Logging([{ module: 'DEFAULT', enable: 'none' }]));
    await node.listen(listenerSpec(config.listeners[0]));
  });
  afterEach(async () => { await node.stop(); });

  it('closeListener: stops accepting, the connections it accepted carry on; names are checked', async () => {
    const port = node.listeners.get('amqp')!.port;
    const c = await rheaConnect(port);
    const got = collectMessages(await openReceiver(c, 'q'));
    const s = await openSender(c, 'q');
    await node.closeListener('amqp');
    expect(await canConnect(port)).to.equal(false);
    await sendable(s);
    s.send({ body: 'after close' });
    await waitFor(() => got.length === 1, 'a message on the connection of the closed listener');
    await closeConnection(c);
    await node.closeListener('amqp').then(() => expect.fail('closed twice'), (err: Error) => expect(err.message).to.match(/no listener is named 'amqp'/));
    expect(() => node.removeConnector('nope')).to.throw(/no connector is named 'nope'/);
    expect(node.removeAddressRule('nope')).to.equal(false);
  });

  it('listen refuses a name that is open already', async () => {
    await node.listen({ ...listenerSpec(config.listeners[0]) }).then(() => expect.fail('listened twice'), (err: Error) => expect(err.message).to.match(/open already/));
  });

  it('a step that fails (port in use) is a problem; the other steps apply and the next reload tries it again', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const busyPort = (busy.address() as net.AddressInfo).port;
    try {
      const next = conf(`listener {\n    name: busy\n    host: 127.0.0.1\n    port: ${busyPort}\n}\naddress {\n    prefix: news\n    distribution: multicast\n}\nlog {\n    module: ROUTER\n    enable: debug+\n}\n`);
      const plan = planReload(config, next);
      const { report, done } = await applyReload(node, plan, SPECS);
      expect(report.applied).to.deep.equal(['log ROUTER changed (enable default → debug+)', 'address address/0 added (prefix news, multicast)']);
      expect(report.problems).to.have.length(1);
      expect(report.problems[0]).to.match(/^listener busy: could not listen: .*EADDRINUSE/);
      expect(node.log.router.enabled('debug')).to.equal(true);
      expect(node.addresses.obtain(node.addresses.keyOf('news.x')).distribution).to.equal('multicast');
      const running = runningAfter(config, done);
      expect(planReload(running, next).steps.map((s) => s.action)).to.deep.equal(['listen']);
    } finally {
      busy.close();
    }
  });
});
