// Link routes to a real RabbitMQ 3.10 (AMQP 1.0 plugin) two routers away:
//
//   client ── R1 ── R2 ── R3 ══ RabbitMQ   (connector `rabbit`, SASL PLAIN guest)
//
// Clients address queues as `rabbit.NAME`; the last hop strips `rabbit.` (delExternalPrefix),
// so RabbitMQ sees NAME (a queue it declares on attach), and puts the prefix back in its answer.
// `/amq/queue/NAME` is routed as is: RabbitMQ takes existing queues only there, and refuses an
// attach by ending the session, which reaches the client as a detach with RabbitMQ's error
// (each routed link has a session of its own toward a route-container for this reason).
// RabbitMQ has no drain and closes the connection on `modified`: neither is used here.

import { expect } from 'chai';
import type { Connection, EventContext, Sender } from 'rhea';
import { Mesh, meshOutput, stopMesh } from '../helpers/mesh';
import { RabbitMq } from '../helpers/rabbitmq';
import { RABBITMQ_START_TIMEOUT_MS, sharedRabbitMq } from '../helpers/rabbitmq-shared';
import { brokerConnector, startLine, waitForLinkRoute } from '../helpers/link-route-line';
import { closeConnection, collectMessages, nextEvent, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { waitFor } from '../helpers/router-process';

/** Queue names of this run: the shared node outlives this file. */
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const q = (name: string): string => `lr-${name}-${RUN}`;

const ROUTES = ['in', 'out'].map((dir) => `linkRoute {\n    prefix: rabbit.\n    direction: ${dir}\n    connection: rabbit\n    delExternalPrefix: rabbit.\n}\nlinkRoute {\n    prefix: /amq/queue\n    direction: ${dir}\n    connection: rabbit\n}\n`).join('');

describe('link routes: a real RabbitMQ 3.10 two routers away', function () {
  this.timeout(40000);
  let rabbit: RabbitMq;
  let mesh: Mesh;
  const conns: Connection[] = [];
  const viaRouter = async (): Promise<Connection> => {
    const c = await rheaConnect(mesh.get('R1')!.ports.amqp);
    conns.push(c);
    return c;
  };
  /** A connection straight to RabbitMQ, to look at its queues from outside the router. */
  const direct = async (): Promise<Connection> => {
    const c = await rheaConnect(rabbit.port);
    conns.push(c);
    return c;
  };
  const sendAll = async (s: Sender, count: number, body: (i: number) => string): Promise<string[]> => {
    const outcomes: string[] = [];
    for (const o of ['accepted', 'rejected', 'released', 'modified']) s.on(o, () => outcomes.push(o));
    for (let i = 0; i < count; i++) {
      await sendable(s, 10000);
      s.send({ body: body(i) });
    }
    await waitFor(() => outcomes.length === count, `${count} outcomes`, 10000);
    return outcomes;
  };

  before(async function () {
    this.timeout(RABBITMQ_START_TIMEOUT_MS + 30000);
    rabbit = await sharedRabbitMq();
    const sasl = '    saslMechanisms: PLAIN\n    saslUsername: guest\n    saslPassword: guest\n';
    mesh = await startLine({ r3: brokerConnector(rabbit.port, 'rabbit', sasl) + ROUTES });
    await waitForLinkRoute(mesh.get('R1')!.ports.amqp, `rabbit.${q('probe')}`);
  });
  afterEach(async function () {
    await Promise.all(conns.splice(0).map((c) => closeConnection(c).catch(() => undefined)));
    if (this.currentTest?.state === 'failed') console.log(`${meshOutput(mesh)}\n${rabbit.logTail()}`);
  });
  after(async () => { await stopMesh(mesh); });

  it('in: a client sender on R1 fills a RabbitMQ queue (accepted by RabbitMQ), which a direct consumer then reads', async () => {
    const name = q('in');
    const s = await openSender(await viaRouter(), `rabbit.${name}`);
    expect(s.target.address).to.equal(`rabbit.${name}`); // the prefix back in RabbitMQ's answer
    expect(await sendAll(s, 5, (i) => `in-${i}`)).to.deep.equal(Array(5).fill('accepted'));
    const r = await openReceiver(await direct(), { source: { address: name }, credit_window: 10 });
    const got = collectMessages(r);
    await waitFor(() => got.length === 5, 'five messages straight from RabbitMQ', 10000);
    expect(got.map((g) => g.message!.body)).to.deep.equal([0, 1, 2, 3, 4].map((i) => `in-${i}`));
  });

  it('out: a client receiver on R1 gets what was published straight to RabbitMQ, in order, with no router annotations', async () => {
    const name = q('out');
    await sendAll(await openSender(await direct(), { target: { address: name } }), 6, (i) => `out-${i}`);
    const r = await openReceiver(await viaRouter(), { source: { address: `rabbit.${name}` }, credit_window: 10 });
    const got = collectMessages(r);
    await waitFor(() => got.length === 6, 'six messages through the routers', 10000);
    expect(got.map((g) => g.message!.body)).to.deep.equal([0, 1, 2, 3, 4, 5].map((i) => `out-${i}`));
    expect(got.every((g) => g.message!.message_annotations === undefined)).to.equal(true);
  });

  it('credit passes through: a client granting 5 gets 5 of 10, then exactly the 3 more it grants; the rest stays in RabbitMQ', async () => {
    const name = q('credit');
    await sendAll(await openSender(await direct(), { target: { address: name } }), 10, (i) => `c-${i}`);
    const c = await viaRouter();
    const r = await openReceiver(c, { source: { address: `rabbit.${name}` }, credit_window: 0 });
    const got = collectMessages(r);
    r.add_credit(5);
    await waitFor(() => got.length >= 5, 'five messages', 10000);
    await openSender(c, `rabbit.${q('round-trip')}`); // one more round trip over the same path: nothing else came
    expect(got.length).to.equal(5);
    r.add_credit(3);
    await waitFor(() => got.length >= 8, 'three more', 10000);
    // Closing the routed receiver: RabbitMQ gets back nothing more than it was asked for.
    const closed = nextEvent(r as unknown as import('node:events').EventEmitter, 'receiver_close', 'the close', 5000);
    r.close();
    await closed;
    expect(got.length).to.equal(8);
    const rest = collectMessages(await openReceiver(await direct(), { source: { address: name }, credit_window: 10 }));
    await waitFor(() => rest.length === 2, 'the two left in RabbitMQ', 10000);
    expect(rest.map((g) => g.message!.body)).to.deep.equal(['c-8', 'c-9']);
  });

  it('RabbitMQ refusing an attach (it ends the session): the client gets a detach with RabbitMQ\'s error, and its other links carry on', async () => {
    const c = await viaRouter();
    const ok = await openSender(c, `rabbit.${q('beside')}`);
    const refused = c.open_receiver({ source: { address: `/amq/queue/${q('missing')}` } });
    refused.on('receiver_error', () => undefined);
    const ctx: EventContext = await nextEvent(refused as unknown as import('node:events').EventEmitter, 'receiver_close', 'the refusal', 10000);
    const error = (ctx.receiver as unknown as { error: { condition: string; description?: string } }).error;
    expect(error.condition).to.equal('amqp:not-found');
    expect(await sendAll(ok, 1, () => 'still here')).to.deep.equal(['accepted']);
  });
});
