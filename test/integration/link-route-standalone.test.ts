// Link routes on one (standalone) router: the client and the route-containers on the same
// router, no mesh. Several containers behind one prefix take attaches in turn and the route
// stays active while any of them is connected; allowResumableLinkRoute: false refuses termini
// that outlive their link (a coordinator with no $coordinator route: bad-input.test.ts).
//
//   client ── R ══ peer A (connector a)
//               ══ peer B (connector b)

import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { Connection } from 'rhea';
import { RouteContainerPeer } from '../helpers/route-container-peer';
import { brokerConnector } from '../helpers/link-route-line';
import { closeConnection, nextEvent, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';

const conf = (a: number, b: number): string => `router {
    mode: standalone
    id: R
    allowResumableLinkRoute: false
}
listener {
    name: amqp
    host: 127.0.0.1
    port: 0
}
${brokerConnector(a, 'a')}${brokerConnector(b, 'b')}
linkRoute {
    prefix: shared
    direction: in
    connection: a
}
linkRoute {
    prefix: shared
    direction: in
    connection: b
}
linkRoute {
    prefix: shared
    direction: out
    connection: a
}
`;

describe('link routes on a standalone router', function () {
  this.timeout(30000);
  let router: RouterProcess;
  let a: RouteContainerPeer;
  let b: RouteContainerPeer;
  const conns: Connection[] = [];
  const connect = async (): Promise<Connection> => {
    const c = await rheaConnect(router.port);
    // Links detached when a container goes: their errors are expected here.
    for (const e of ['sender_error', 'receiver_error']) c.on(e, () => undefined);
    conns.push(c);
    return c;
  };
  const closeError = async (link: EventEmitter, event: string): Promise<{ condition: string; description?: string }> => {
    const ctx = await nextEvent(link, event, `the refusal (${event})`, 5000);
    return ((ctx.sender ?? ctx.receiver) as unknown as { error: { condition: string; description?: string } }).error;
  };

  beforeEach(async () => {
    a = await RouteContainerPeer.start();
    b = await RouteContainerPeer.start();
    router = await startRouter(conf(a.port, b.port));
    // Both containers take probes: the route is active on both connections.
    const c = await connect();
    await waitFor(async () => {
      const ok = await probe(c, 'shared.probe');
      return ok && [a, b].every((p) => p.attaches.some((x) => x.target?.address === 'shared.probe'));
    }, 'the route active on A and B', 10000);
  });

  /** Opens a sender; true if it gets credit (it was routed to a container). */
  async function probe(c: Connection, address: string): Promise<boolean> {
    const s = c.open_sender(address);
    const ok = await nextEvent(s as unknown as EventEmitter, 'sendable', 'probe', 500, ['sender_close']).then(() => true, () => false);
    s.close();
    return ok;
  }
  const attachedTo = (p: RouteContainerPeer, prefix: string): number => p.attaches.filter((x) => String(x.target?.address ?? x.source?.address).startsWith(prefix)).length;
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c).catch(() => undefined)));
    if (this.currentTest?.state === 'failed') console.log(router.output());
    await router.stop();
    await a.close();
    await b.close();
  });

  it('two containers behind one prefix take attaches in turn; with one gone the other takes them all; with both gone: no route', async () => {
    const c = await connect();
    for (let i = 0; i < 4; i++) await sendable(await openSender(c, `shared.q${i}`));
    expect(attachedTo(a, 'shared.q')).to.equal(2);
    expect(attachedTo(b, 'shared.q')).to.equal(2);

    // A stops accepting connections (the connector keeps trying): B takes everything.
    await a.close();
    await waitFor(async () => (await probe(c, 'shared.after-a')) && b.attaches.some((x) => x.target?.address === 'shared.after-a'), 'B alone', 10000);
    for (let i = 0; i < 3; i++) await sendable(await openSender(c, `shared.b${i}`));
    expect(attachedTo(b, 'shared.b')).to.equal(3);

    await b.close();
    await waitFor(async () => {
      const s = c.open_sender('shared.none');
      const err = await closeError(s as unknown as EventEmitter, 'sender_close').catch(() => undefined);
      return err?.condition === 'qd:no-route-to-dest';
    }, 'no route once both are gone', 10000);
    a = await RouteContainerPeer.start(); // afterEach closes them
    b = await RouteContainerPeer.start();
  });

  it('allowResumableLinkRoute: false refuses an expiry-policy never source and a timeout > 0 target with qd:link-expiration', async () => {
    const c = await connect();
    const durable = c.open_receiver({ source: { address: 'shared.durable', expiry_policy: 'never', durable: 2 } } as Parameters<Connection['open_receiver']>[0]);
    expect(await closeError(durable as unknown as EventEmitter, 'receiver_close')).to.deep.include({ condition: 'qd:link-expiration', description: 'Requested link expiration not allowed' });
    const timed = c.open_sender({ target: { address: 'shared.timed', timeout: 30 } } as Parameters<Connection['open_sender']>[0]);
    expect((await closeError(timed as unknown as EventEmitter, 'sender_close')).condition).to.equal('qd:link-expiration');
    // An ordinary link on the same route is fine, and the refused ones never reached a container.
    await sendable(await openSender(c, 'shared.plain'));
    expect(attachedTo(a, 'shared.durable') + attachedTo(b, 'shared.durable') + attachedTo(a, 'shared.timed') + attachedTo(b, 'shared.timed')).to.equal(0);
    expect(attachedTo(a, 'shared.plain') + attachedTo(b, 'shared.plain')).to.equal(1);
  });
});
