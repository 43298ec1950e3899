// Broker features that need the link itself work through a link route, because the router
// passes the link on rather than the messages: a browsing receiver (source distribution-mode
// `copy`) sees the queue without taking from it, and a selector (source filter) reaches the
// broker unchanged. Client on R1, the rhea test broker behind R3, two hops away.

import { expect } from 'chai';
import type { Connection } from 'rhea';
import { filter } from 'rhea';
import { Mesh, meshOutput, stopMesh } from '../helpers/mesh';
import { RheaBroker } from '../helpers/rhea-broker';
import { RouteContainerPeer } from '../helpers/route-container-peer';
import { brokerConnector, linkRoutes, startLine, waitForLinkRoute } from '../helpers/link-route-line';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { waitFor } from '../helpers/router-process';

describe('link routes: browsing and selectors reach the broker', function () {
  this.timeout(40000);
  let mesh: Mesh;
  let broker: RheaBroker;
  let peer: RouteContainerPeer;
  const conns: Connection[] = [];
  const connect = async (): Promise<Connection> => { const c = await rheaConnect(mesh.get('R1')!.ports.amqp); conns.push(c); return c; };

  before(async () => {
    broker = await RheaBroker.start({ containerId: 'browse-broker' });
    peer = await RouteContainerPeer.start({});
    mesh = await startLine({ r3: brokerConnector(broker.port) + linkRoutes({ prefix: 'broker.' }) + brokerConnector(peer.port, 'peer') + linkRoutes({ prefix: 'peer.' }, 'connection: peer') });
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'broker.probe');
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'peer.probe');
  });
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c)));
    if (this.currentTest?.state === 'failed') console.log(meshOutput(mesh));
  });
  after(async () => {
    await stopMesh(mesh);
    await broker.close();
    await peer.close();
  });

  it('a browser (distribution-mode copy) sees the messages and leaves them in the queue', async () => {
    const c = await connect();
    const sender = await openSender(c, 'broker.browse');
    await sendable(sender);
    for (let i = 0; i < 3; i++) sender.send({ body: `m${i}` });
    await waitFor(() => broker.depth('broker.browse') === 3, 'three messages in the broker queue');

    const browser = await openReceiver(c, { source: { address: 'broker.browse', distribution_mode: 'copy' }, credit_window: 10 });
    const seen = collectMessages(browser);
    await waitFor(() => seen.length === 3, 'the browser to see all three');
    expect(seen.map((m) => m.message!.body)).to.deep.equal(['m0', 'm1', 'm2']);
    expect(broker.depth('broker.browse')).to.equal(3);

    const consumer = collectMessages(await openReceiver(c, { source: { address: 'broker.browse' }, credit_window: 10 }));
    await waitFor(() => consumer.length === 3 && broker.depth('broker.browse') === 0, 'a consumer to take them');
  });

  it('a selector (source filter) reaches the container unchanged, two hops away', async () => {
    const c = await connect();
    await openReceiver(c, { source: { address: 'peer.orders', filter: filter.selector("colour = 'red'") }, credit_window: 5 });
    const attach = await waitFor(() => peer.attaches.find((a) => a.source?.address === 'peer.orders'), 'the attach at the container');
    expect(JSON.stringify(attach!.source?.filter)).to.include("colour = 'red'");
  });
});
