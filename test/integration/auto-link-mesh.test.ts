// A broker waypoint across a three-router line (reference §4.3, §6.2): a producer on router1
// sends to `orders` (phase 0, advertised as M0orders by router3, whose out auto-link feeds the
// broker); the broker's messages come back through router3's in auto-link at phase 1 and cross
// the mesh to a Proton Python consumer on router2 (M1orders), never back into the broker.
//
//   producer ── R1 ── R2 ── R3 ══ broker
//                     │
//                  consumer

import { expect } from 'chai';
import type { Connection } from 'rhea';
import { RheaBroker } from '../helpers/rhea-broker';
import { Mesh, meshOutput, startMesh, stopMesh } from '../helpers/mesh';
import { waitFor } from '../helpers/router-process';
import { closeConnection, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { ClientGroup } from '../helpers/spawn-client';
import { activeCount } from '../helpers/auto-link-conf';

const WAYPOINT = 'address {\n    prefix: orders\n    waypoint: yes\n}\n';

function brokerLinks(port: number): string {
  return `connector {\n    name: broker\n    host: 127.0.0.1\n    port: ${port}\n    role: route-container\n}\n`
    + 'autoLink {\n    address: orders\n    direction: out\n    connection: broker\n}\n'
    + 'autoLink {\n    address: orders\n    direction: in\n    connection: broker\n}\n';
}

describe('auto-links across a three-router mesh', function () {
  this.timeout(30000);
  let broker: RheaBroker;
  let mesh: Mesh;
  let clients: ClientGroup;
  let conn: Connection | undefined;

  beforeEach(async () => {
    clients = new ClientGroup();
    broker = await RheaBroker.start();
    mesh = await startMesh([
      { id: 'R1', extra: WAYPOINT },
      { id: 'R2', connectTo: ['R1'], extra: WAYPOINT },
      { id: 'R3', connectTo: ['R2'], extra: WAYPOINT + brokerLinks(broker.port) },
    ]);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`${clients.output()}\n${meshOutput(mesh)}`);
    if (conn) await closeConnection(conn).catch(() => undefined);
    conn = undefined;
    await clients.killAll();
    await stopMesh(mesh);
    await broker.close();
  });

  it('producer on router1 → broker on router3 → Python consumer on router2, each message once', async () => {
    const r3 = mesh.get('R3')!;
    // Unnamed auto-links get qdrouterd's generated names (autoLink/0, autoLink/1).
    await waitFor(() => (r3.output().match(/Auto-link \S+ \((in|out) orders\) active/g) ?? []).length === 2, 'both auto-links active on R3', 10000);
    expect(activeCount(r3, '\\S+')).to.equal(2);

    conn = await rheaConnect(mesh.get('R1')!.port);
    const sender = await openSender(conn, 'orders');
    await sendable(sender, 10000); // once R1 has learned M0orders from R3
    const outcomes: string[] = [];
    sender.on('accepted', () => outcomes.push('accepted'));
    sender.on('released', () => outcomes.push('released'));
    for (let i = 0; i < 20; i++) sender.send({ body: `order-${i}` });
    await waitFor(() => outcomes.length === 20, 'twenty outcomes', 10000);
    expect(outcomes).to.deep.equal(Array(20).fill('accepted'));
    expect(broker.received).to.have.length(20);

    const recv = clients.python('receiver.py', ['--url', `amqp://127.0.0.1:${mesh.get('R2')!.port}`, '--timeout', '15', '--address', 'orders', '--count', 20, '--credit', 10]);
    await recv.succeed(20000);
    expect(recv.eventsOf('message').map((e) => e.body)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `order-${i}`));
    await broker.waitFor(() => broker.consumerOutcomes.length === 20, 'the broker to hear twenty outcomes');
    expect(broker.consumerOutcomes.every((o) => o.outcome === 'accepted')).to.equal(true);
    // Phase 1 crossed the mesh as such: nothing went back into the broker.
    expect(broker.received).to.have.length(20);
  });
});
