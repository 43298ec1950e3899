// What RabbitMQ 3.10's AMQP 1.0 plugin does not do, each measured with rhea so that a test fails
// (and a workaround in Weft or its tests can go) the day RabbitMQ changes. Link-route tests that
// need these features use the rhea test broker (test/helpers/rhea-broker.ts) instead.
//
// An attach RabbitMQ refuses gets no attach and no detach back: the whole session ends with the
// error, taking every other link of that session with it. Each test has a connection of its own.

import { expect } from 'chai';
import type { Connection, EventContext, Session } from 'rhea';
import { RabbitMq } from '../helpers/rabbitmq';
import { RABBITMQ_START_TIMEOUT_MS, sharedRabbitMq } from '../helpers/rabbitmq-shared';
import { closeConnection, nextEvent, openReceiver, openSender, recordFlows, refusal, rheaConnect, sendable } from '../helpers/rhea-client';
import { TxnController, TxnError } from '../helpers/rhea-txn-client';

const RUN = `${process.pid}.${Date.now().toString(36)}`;
const q = (name: string): string => `rmq.gap.${name}.${RUN}`;

/** The next end of `session`, with its error. */
function sessionEnd(session: Session, timeoutMs = 5000): Promise<{ condition?: string; description?: string }> {
  session.on('session_error', () => undefined);
  return nextEvent(session, 'session_close', 'session end', timeoutMs).then(() => (session.error ?? {}) as { condition?: string; description?: string });
}

describe('interop: RabbitMQ 3.10 gaps, measured', function () {
  this.timeout(20000);
  let rabbit: RabbitMq;
  let conn: Connection;

  before(async function () {
    this.timeout(RABBITMQ_START_TIMEOUT_MS);
    rabbit = await sharedRabbitMq();
  });

  beforeEach(async () => { conn = await rheaConnect(rabbit.port); });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(rabbit.logTail());
    await closeConnection(conn).catch(() => undefined);
  });

  /** One message on `address`, accepted. */
  const fill = async (address: string): Promise<void> => {
    const c = await rheaConnect(rabbit.port);
    const s = await openSender(c, { target: { address } });
    await sendable(s);
    s.send({ body: 'queued' });
    await nextEvent(s, 'accepted', 'accepted');
    await closeConnection(c);
  };

  it('drain=true: the flow comes back with the credit unused, then the session ends with amqp:internal-error', async () => {
    const r = await openReceiver(conn, { source: { address: q('drain') }, credit_window: 0 });
    const flows = recordFlows(r);
    const ended = sessionEnd(r.session);
    // rhea complains on the console about the very flow this test is after.
    const consoleError = console.error;
    console.error = (...args: unknown[]) => { if (!String(args[0]).includes('drain set, but non zero credit')) consoleError(...args); };
    let error;
    try {
      r.add_credit(5);
      r.drain_credit();
      error = await ended;
    } finally {
      console.error = consoleError;
    }
    expect(error.condition).to.equal('amqp:internal-error');
    expect(error.description).to.match(/send_drained/);
    // The spec wants delivery-count advanced by the credit and link-credit 0.
    expect(flows.map((f) => [f.delivery_count, f.link_credit, f.drain])).to.deep.include([0, 5, true]);
    expect(conn.is_open(), 'the connection itself stays').to.equal(true);
  });

  it('modified: the session ends with amqp:invalid-field and the message is redelivered', async () => {
    await fill(q('modified'));
    const r = await openReceiver(conn, { source: { address: q('modified') }, credit_window: 1, autoaccept: false });
    const ctx: EventContext = await nextEvent(r, 'message', 'the message');
    const ended = sessionEnd(r.session);
    ctx.delivery!.modified({ delivery_failed: true });
    const error = await ended;
    expect(error).to.include({ condition: 'amqp:invalid-field' });
    expect(error.description).to.match(/Unrecognised state: \{'v1_0.modified'/);
    const again = await openReceiver(await rheaConnectTracked(), { source: { address: q('modified') }, credit_window: 1 });
    const redelivered: EventContext = await nextEvent(again, 'message', 'the redelivery');
    expect(redelivered.message!.body).to.equal('queued');
    expect(redelivered.message!.first_acquirer, 'a redelivery').to.not.equal(true);
  });

  it('attach errors: no attach, no detach, the session ends (here amqp:not-found)', async () => {
    const bystander = await openSender(conn, { target: { address: q('bystander') } });
    const r = conn.open_receiver({ source: { address: `/amq/queue/${q('none')}` } });
    expect(r.session, 'one session').to.equal(bystander.session);
    expect(await refusal(r)).to.include({ by: 'end', opened: false, condition: 'amqp:not-found' });
    expect(bystander.is_open(), 'the other link of the session went with it').to.equal(false);
    expect(conn.is_open(), 'the connection stays').to.equal(true);
  });

  it('delivery-annotations: the session dies without an end frame and the connection is reset', async () => {
    const s = await openSender(conn, { target: { address: q('annotated') } });
    await sendable(s);
    const dropped = nextEvent(conn, 'disconnected', 'the reset', 10000);
    const ended = nextEvent(s.session, 'session_close', 'an end', 10000).then(() => true, () => false);
    s.send({ body: 'x', delivery_annotations: { 'x-opt-weft': 'hop' } });
    await dropped;
    expect(await Promise.race([ended, Promise.resolve(false)]), 'no end frame came first').to.equal(false);
  });

  it('no transactions: a coordinator attach ends the session with amqp:not-implemented', async () => {
    const error = await TxnController.open(conn).then(() => undefined, (e: TxnError) => e);
    expect(error?.message).to.match(/session ended/);
    expect(error).to.include({ condition: 'amqp:not-implemented', description: 'Transactions not supported' });
  });

  it('no dynamic sources: the session ends with amqp:not-implemented', async () => {
    const r = conn.open_receiver({ source: { dynamic: true } as never });
    expect(await refusal(r)).to.include({ by: 'end', condition: 'amqp:not-implemented', description: 'Dynamic sources not supported' });
  });

  it('no anonymous relay: not offered, and a null target ends the session with amqp:invalid-field', async () => {
    const offered = (conn as unknown as { remote: { open: { offered_capabilities?: unknown } } }).remote.open.offered_capabilities;
    expect([offered ?? []].flat()).to.not.include('ANONYMOUS-RELAY');
    const s = conn.open_sender({ target: {} });
    const refused = await refusal(s);
    expect(refused).to.include({ by: 'end', condition: 'amqp:invalid-field' });
    expect(refused.description).to.match(/address_not_utf8_string/);
  });

  const extra: Connection[] = [];
  const rheaConnectTracked = async (): Promise<Connection> => {
    const c = await rheaConnect(rabbit.port);
    extra.push(c);
    return c;
  };
  after(async () => { for (const c of extra) await closeConnection(c).catch(() => undefined); });
});
