// Qpid Proton Python clients (Debian's python3-qpid-proton 0.37, /usr/bin/python3) through link
// routes two routers away from their broker:
//
//   python ── R1 ── R2 ── R3 ══ rhea test broker   (prefix broker.)
//                          ╚═══ coordinator peer   (prefix txn. and $coordinator)
//
// Plain sending and receiving against the broker's queues, and a transaction: the coordinator
// link is routed by the `$coordinator` link route (as qdrouterd: the coordinator terminus is
// looked up as the address `$coordinator`), and the transactional state of each transfer
// reaches the resource.

import { expect } from 'chai';
import { Mesh, meshOutput, stopMesh } from '../helpers/mesh';
import { RheaBroker } from '../helpers/rhea-broker';
import { CoordinatorPeer } from '../helpers/coordinator-peer';
import { brokerConnector, linkRoutes, startLine, waitForLinkRoute } from '../helpers/link-route-line';
import { ClientGroup, ClientProcess } from '../helpers/spawn-client';

/** Seconds a Python client waits for its work before it gives up (exit 3): below the mocha timeout. */
const CLIENT_TIMEOUT_S = '15';

describe('link routes: Qpid Proton Python clients', function () {
  this.timeout(60000);
  let mesh: Mesh;
  let broker: RheaBroker;
  let txn: CoordinatorPeer;
  let clients: ClientGroup;
  let url: string;

  before(async () => {
    broker = await RheaBroker.start();
    txn = await CoordinatorPeer.start();
    const r3 = brokerConnector(broker.port) + brokerConnector(txn.port, 'txn')
      + linkRoutes({ prefix: 'broker.' })
      + linkRoutes({ prefix: 'txn.' }, 'connection: txn')
      + 'linkRoute {\n    prefix: $coordinator\n    direction: in\n    connection: txn\n}\n';
    mesh = await startLine({ r3 });
    url = `amqp://127.0.0.1:${mesh.get('R1')!.ports.amqp}`;
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'broker.probe');
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, 'txn.probe');
  });
  beforeEach(() => { clients = new ClientGroup(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`${clients.output()}\n${meshOutput(mesh)}`);
    await clients.killAll();
  });
  after(async () => {
    await stopMesh(mesh);
    await broker.close();
    await txn.close();
  });

  const python = (script: string, args: Array<string | number>): ClientProcess =>
    clients.python(script, ['--url', url, '--timeout', CLIENT_TIMEOUT_S, ...args]);

  it('a Python sender fills a broker queue through the link route, a Python receiver empties it', async () => {
    const send = python('sender.py', ['--address', 'broker.py', '--count', 10, '--subject', 'from-python']);
    await send.succeed(30000);
    expect(send.eventsOf('done')[0].outcomes).to.deep.equal({ accepted: 10 });
    expect(broker.depth('broker.py')).to.equal(10);
    const recv = python('receiver.py', ['--address', 'broker.py', '--count', 10, '--credit', 3]);
    await recv.succeed(30000);
    const messages = recv.eventsOf('message');
    expect(messages.map((m) => m.body)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `message-${i}`));
    expect(messages[0].subject).to.equal('from-python');
    expect(messages.every((m) => m.message_annotations === undefined)).to.equal(true);
    expect(broker.depth('broker.py')).to.equal(0);
  });

  it('a 1 MB message from Python arrives whole at the broker and back at a Python receiver', async () => {
    const send = python('sender.py', ['--address', 'broker.pybig', '--count', 1, '--body-size', 1024 * 1024]);
    await send.succeed(30000);
    const recv = python('receiver.py', ['--address', 'broker.pybig', '--count', 1, '--credit', 1]);
    await recv.succeed(30000);
    expect(recv.eventsOf('message')[0].body_sha256).to.equal(send.eventsOf('sent')[0].body_sha256);
  });

  it('a transaction through the $coordinator link route: declare, three transactional transfers, commit', async () => {
    const tx = python('tx_sender.py', ['--address', 'txn.orders', '--count', 3]);
    await tx.succeed(30000);
    const declared = tx.eventsOf('declared')[0];
    expect(declared.txn_id).to.equal(txn.declared[0]);
    expect(tx.eventsOf('committed')).to.have.length(1);
    expect(txn.coordinatorAttaches).to.have.length(1);
    const posted = txn.received.filter((m) => m.address === 'txn.orders');
    expect(posted.map((m) => m.body)).to.deep.equal(['txn-message-0', 'txn-message-1', 'txn-message-2']);
    expect(posted.every((m) => m.txnId === declared.txn_id)).to.equal(true);
    expect(txn.discharged).to.deep.equal([{ txnId: declared.txn_id, fail: false }]);
  });

  it('a rollback reaches the coordinator as a discharge with fail', async () => {
    const tx = python('tx_sender.py', ['--address', 'txn.orders', '--count', 1, '--rollback']);
    await tx.succeed(30000);
    const id = tx.eventsOf('declared')[0].txn_id;
    expect(tx.eventsOf('aborted')).to.have.length(1);
    expect(txn.discharged.at(-1)).to.deep.equal({ txnId: id, fail: true });
  });
});
