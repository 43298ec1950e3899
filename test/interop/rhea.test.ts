// Interop with rhea (npm) client features against a real weftd: plain sender/receiver, the
// anonymous relay (null target, per-message `to`), dynamic receivers, drain, and message sections
// that must pass through unchanged.

import { expect } from 'chai';
import type { Connection, Message, Receiver, Sender, Source } from 'rhea';
import { startRouter, standaloneConf, RouterProcess, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, recordFlows, rheaConnect, sendable } from '../helpers/rhea-client';

type Outcome = 'accepted' | 'rejected' | 'released' | 'modified';

/** Outcomes of a sender's deliveries, in the order they come back. */
function trackOutcomes(s: Sender): Outcome[] {
  const got: Outcome[] = [];
  for (const o of ['accepted', 'rejected', 'released', 'modified'] as const) s.on(o, () => { got.push(o); });
  return got;
}

/** The router answers a drain at once; waiting longer only slows a failing run. */
const DRAIN_TIMEOUT_MS = 3000;

/** A dynamic source: rhea's Source type wants an address, which a dynamic source has none of. */
const DYNAMIC_SOURCE = { dynamic: true } as unknown as Source;

/** The drain flow's fields as rhea stored them on the receiver. */
function creditState(r: Receiver): { credit: number; deliveryCount: number } {
  const link = r as unknown as { credit: number; delivery_count: number };
  return { credit: link.credit, deliveryCount: link.delivery_count };
}

describe('interop: rhea client features', function () {
  this.timeout(15000);
  let router: RouterProcess;
  let conns: Connection[];

  beforeEach(async () => {
    conns = [];
    router = await startRouter(standaloneConf());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`--- weftd (${router.dir})\n${router.output()}`);
    for (const c of conns) await closeConnection(c).catch(() => undefined);
    await router.stop();
  });

  const connect = async (): Promise<Connection> => {
    const c = await rheaConnect(router.port);
    conns.push(c);
    return c;
  };

  it('sender and receiver: every message arrives in order and is accepted', async () => {
    const rc = await connect();
    const r = await openReceiver(rc, { source: { address: 'rhea.basic' }, credit_window: 10 });
    const got = collectMessages(r);
    const sc = await connect();
    const s = await openSender(sc, { target: { address: 'rhea.basic' } });
    const outcomes = trackOutcomes(s);
    for (let i = 0; i < 30; i++) {
      await sendable(s);
      s.send({ body: `m${i}` });
    }
    await waitFor(() => outcomes.length === 30 && got.length >= 30, '30 messages and 30 outcomes');
    expect(got.map((c) => c.message!.body)).to.deep.equal(Array.from({ length: 30 }, (_, i) => `m${i}`));
    expect(outcomes).to.deep.equal(Array(30).fill('accepted'));
  });

  it('anonymous relay: a sender with a null target routes each message by its `to`', async () => {
    const rc = await connect();
    const a = collectMessages(await openReceiver(rc, { source: { address: 'anon.a' } }));
    const b = collectMessages(await openReceiver(rc, { source: { address: 'anon.b' } }));
    const sc = await connect();
    const offered = (sc as unknown as { remote: { open?: { offered_capabilities?: string | string[] } } }).remote.open?.offered_capabilities;
    expect([offered ?? []].flat(), 'the router offers ANONYMOUS-RELAY').to.include('ANONYMOUS-RELAY');
    const s = await openSender(sc, { target: {} });
    expect(s.target?.address ?? null, 'the router answered with a null target address').to.equal(null);
    const outcomes = trackOutcomes(s);
    await sendable(s);
    s.send({ to: 'anon.a', body: 'for a 1' });
    s.send({ to: 'anon.b', body: 'for b 1' });
    s.send({ to: 'anon.a', body: 'for a 2' });
    await waitFor(() => outcomes.length === 3, '3 outcomes');
    expect(outcomes).to.deep.equal(['accepted', 'accepted', 'accepted']);
    expect(a.map((c) => c.message!.body)).to.deep.equal(['for a 1', 'for a 2']);
    expect(b.map((c) => c.message!.body)).to.deep.equal(['for b 1']);
    // No consumer for this `to`: the router releases it back to the sender.
    s.send({ to: 'anon.nobody', body: 'lost' });
    await waitFor(() => outcomes.length === 4, 'the outcome of a message to an address without consumers');
    expect(outcomes[3]).to.equal('released');
  });

  it('dynamic receiver: the router assigns an address, and messages sent to it arrive', async () => {
    const rc = await connect();
    const r = await openReceiver(rc, { source: DYNAMIC_SOURCE });
    const address = r.source?.address as string;
    expect(address).to.match(/^amqp:\/_topo\/0\/TestRouter\/temp\.\S+$/);
    const got = collectMessages(r);
    const sc = await connect();
    const s = await openSender(sc, { target: { address } });
    const outcomes = trackOutcomes(s);
    await sendable(s);
    for (let i = 0; i < 3; i++) s.send({ body: `to-dynamic-${i}` });
    await waitFor(() => outcomes.length === 3 && got.length >= 3, '3 messages at the dynamic receiver');
    expect(got.map((c) => c.message!.body)).to.deep.equal(['to-dynamic-0', 'to-dynamic-1', 'to-dynamic-2']);
    expect(outcomes).to.deep.equal(['accepted', 'accepted', 'accepted']);
    // A second dynamic receiver gets a different address.
    const r2 = await openReceiver(rc, { source: DYNAMIC_SOURCE });
    expect(r2.source?.address).to.not.equal(address);
  });

  it('drain with no messages: the credit comes back consumed, in a flow with drain set', async () => {
    const rc = await connect();
    const r = await openReceiver(rc, { source: { address: 'drain.empty' }, credit_window: 0 });
    const messages = collectMessages(r);
    const flows = recordFlows(r);
    let drained = false;
    r.on('receiver_drained', () => { drained = true; });
    r.add_credit(5);
    r.drain_credit();
    const answer = (await waitFor(() => flows.find((f) => f.link_credit === 0), 'the flow giving back the credit', DRAIN_TIMEOUT_MS))!;
    expect({ delivery_count: answer.delivery_count, link_credit: answer.link_credit, drain: answer.drain })
      .to.deep.equal({ delivery_count: 5, link_credit: 0, drain: true });
    await waitFor(() => drained, 'rhea to report receiver_drained', DRAIN_TIMEOUT_MS);
    expect(creditState(r)).to.deep.equal({ credit: 0, deliveryCount: 5 });
    expect(messages).to.have.length(0);
  });

  it('drain with fewer messages than credit: the messages, then the rest of the credit consumed', async () => {
    const conn = await connect();
    const r = await openReceiver(conn, { source: { address: 'drain.some' }, credit_window: 0 });
    const got = collectMessages(r);
    const flows = recordFlows(r);
    const s = await openSender(conn, { target: { address: 'drain.some' } });
    await sendable(s);
    // Same connection and session: rhea writes these transfers before the flow below, so the
    // router holds the three messages (the receiver has no credit) when the drain arrives.
    for (let i = 0; i < 3; i++) s.send({ body: `waiting-${i}` });
    let countAtDrain = -1;
    let drained = false;
    r.on('receiver_drained', () => { drained = true; countAtDrain = got.length; });
    r.add_credit(10);
    r.drain_credit();
    const answer = (await waitFor(() => flows.find((f) => f.link_credit === 0), 'the flow giving back the credit', DRAIN_TIMEOUT_MS))!;
    expect(got.map((c) => c.message!.body)).to.deep.equal(['waiting-0', 'waiting-1', 'waiting-2']);
    expect({ delivery_count: answer.delivery_count, link_credit: answer.link_credit, drain: answer.drain })
      .to.deep.equal({ delivery_count: 10, link_credit: 0, drain: true });
    await waitFor(() => drained, 'rhea to report receiver_drained', DRAIN_TIMEOUT_MS);
    expect(countAtDrain, 'the messages came before the drained flow').to.equal(3);
    expect(creditState(r)).to.deep.equal({ credit: 0, deliveryCount: 10 });
  });

  it('application-properties, message-annotations, subject and other properties arrive unchanged', async () => {
    const rc = await connect();
    const r = await openReceiver(rc, { source: { address: 'rhea.sections' } });
    const got = collectMessages(r);
    const sc = await connect();
    const s = await openSender(sc, { target: { address: 'rhea.sections' } });
    await sendable(s);
    const sent: Message = {
      subject: 'the subject',
      message_id: 'id-42',
      correlation_id: 'corr-42',
      reply_to: 'replies.here',
      content_type: 'text/plain',
      application_properties: { s: 'text', i: 42, neg: -7, big: 5000000000, d: 2.5, b: true, f: false, nul: null },
      message_annotations: { 'x-opt-weft-test': 'annotation', 'x-opt-number': 7 },
      body: 'with sections',
    };
    s.send(sent);
    await waitFor(() => got.length === 1, 'the message');
    const m = got[0].message!;
    expect({
      subject: m.subject, message_id: m.message_id, correlation_id: m.correlation_id, reply_to: m.reply_to,
      content_type: m.content_type, application_properties: m.application_properties, body: m.body,
    }).to.deep.equal({
      subject: sent.subject, message_id: sent.message_id, correlation_id: sent.correlation_id, reply_to: sent.reply_to,
      content_type: sent.content_type, application_properties: sent.application_properties, body: sent.body,
    });
    // Exactly the client's annotations: the router's own (x-opt-qd.*) are stripped on a normal listener.
    expect(m.message_annotations).to.deep.equal(sent.message_annotations);
  });
});
