// Interop: Qpid Proton Python's SyncRequestResponse (what qdstat and qdmanage are built on,
// Debian's python3-qpid-proton 0.37 run by /usr/bin/python3) against a real weftd: GET-MGMT-NODES
// and QUERY answered, the correlation-id echoed as Proton sent it.

import { expect } from 'chai';
import { startRouter, standaloneConf, RouterProcess } from '../helpers/router-process';
import { ClientGroup } from '../helpers/spawn-client';

describe('interop: Proton Python SyncRequestResponse against the management agent', function () {
  this.timeout(20000);
  let router: RouterProcess;
  let clients: ClientGroup;

  beforeEach(async () => {
    clients = new ClientGroup();
    router = await startRouter(standaloneConf());
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`${clients.output()}\n--- weftd (${router.dir})\n${router.output()}`);
    await clients.killAll();
    await router.stop();
  });

  it('GET-MGMT-NODES, QUERY of the router (qdstat -g), then qdmanage-style READ and GET-TYPES', async () => {
    const extra = [
      { properties: { operation: 'READ', type: 'org.apache.qpid.dispatch.listener', name: 'amqp' } },
      { properties: { operation: 'GET-TYPES', type: 'org.amqp.management', name: 'self' } },
      { properties: { operation: 'QUERY', type: 'org.amqp.management', name: 'self', entityType: 'org.apache.qpid.dispatch.connection' }, body: { attributeNames: ['identity', 'container', 'role'] } },
    ];
    const py = clients.python('management_sync.py', ['--url', `amqp://127.0.0.1:${router.port}`, ...extra.flatMap((x) => ['--extra', JSON.stringify(x)])]);
    await py.succeed();
    const replies = py.eventsOf('reply');
    expect(replies.map((r) => r.statusCode)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(replies.map((r) => r.correlation_id)).to.deep.equal(['1', '2', '3', '4', '5']);
    expect(replies.every((r) => r.durable === false)).to.equal(true);
    expect(replies[0].body).to.deep.equal(['amqp:/_topo/0/TestRouter/$management']);
    const q = replies[1].body as { attributeNames: string[]; results: unknown[][] };
    const row = Object.fromEntries(q.attributeNames.map((n, i) => [n, q.results[0][i]]));
    expect(row).to.include({ id: 'TestRouter', mode: 'standalone', identity: '1', connectionCount: 1 });
    expect(row.acceptedDeliveries).to.equal(1); // the GET-MGMT-NODES before it
    expect(replies[2].body).to.include({ name: 'amqp', host: '127.0.0.1', role: 'normal' });
    expect(replies[3].body).to.have.property('org.apache.qpid.dispatch.router.link');
    const conns = replies[4].body as { results: string[][] };
    expect(conns.results).to.have.length(1);
    expect(conns.results[0][2]).to.equal('normal');
  });
});
