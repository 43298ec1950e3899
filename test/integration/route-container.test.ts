// A connector with role normal or route-container makes the router the AMQP client of a
// service or broker: that connection is served like a client's (its links are producers and
// consumers), only the router opened it. Link routes and auto-links build on it.

import { EventEmitter } from 'node:events';
import { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { create_container, Connection, EventContext } from 'rhea';
import { rheaConnect, openSender, nextEvent } from '../helpers/rhea-client';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';

/** A service that, once the router connects to it, attaches a receiver for `address` on that connection. */
async function startService(address: string) {
  const container = create_container({ id: 'test-service' });
  const received: string[] = [];
  const opened: Connection[] = [];
  container.on('connection_open', (ctx: EventContext) => {
    opened.push(ctx.connection);
    ctx.connection.open_receiver({ source: { address }, credit_window: 10 });
  });
  container.on('message', (ctx: EventContext) => { received.push(String(ctx.message!.body)); });
  container.on('error', () => { /* a dropped router connection is part of some tests */ });
  const server = container.listen({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  // close() stops listening; the router's connection ends when the router stops.
  return { port: (server.address() as AddressInfo).port, received, opened, close: () => { server.close(); } };
}

describe('route-container and normal connectors', function () {
  this.timeout(20000);
  let router: RouterProcess | undefined;
  afterEach(async () => { await router?.stop(); router = undefined; });

  for (const role of ['route-container', 'normal']) {
    it(`role ${role}: the router connects, and a link the service attaches is a destination like a client's`, async () => {
      const service = await startService('svc');
      router = await startRouter(`router {\n    mode: standalone\n    id: R\n}\nlistener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\nconnector {\n    name: service\n    host: 127.0.0.1\n    port: ${service.port}\n    role: ${role}\n    saslMechanisms: ANONYMOUS\n}\n`);
      await waitFor(() => service.opened.length === 1, 'the router to connect to the service');
      expect((service.opened[0] as unknown as { remote: { open: { container_id: string } } }).remote.open.container_id).to.equal('R');
      const client = await rheaConnect(router.ports.amqp);
      const sender = await openSender(client, 'svc');
      await waitFor(() => sender.sendable(), 'credit for svc (the service is a consumer)');
      sender.send({ body: 'hello' });
      await nextEvent(sender as unknown as EventEmitter, 'accepted', 'the service to accept');
      expect(service.received).to.deep.equal(['hello']);
      client.close();
      service.close();
    });
  }
});
