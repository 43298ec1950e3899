// Capture 4 replayed against Weft: a Weft router plays RA (configs/RA-linkroute.conf: a broker
// behind a route-container connector, linkRoute broker. in and out), and qdrouterd RB's own bytes
// of capture 4 are written to its inter-router listener: the join, then the link-routed session
// of the client on RB (begin ch 11, a receiver and a sender on broker.q1, credit 10, a message,
// its settlement, both detaches). What Weft answers RB is compared with what RA answered, and
// what reaches the broker with what RA sent broker.py.
//
//   RB's captured bytes ══ inter-router ══ weftd "RA" ══ route-container ══ peer (broker.py's part)

import { expect } from 'chai';
import { readFrame } from '../helpers/qdrouterd-script';
import { RawAmqpClient, WireFrame, framesOf } from '../helpers/raw-amqp-client';
import { RouteContainerPeer } from '../helpers/route-container-peer';
import { brokerConnector, linkRoutes } from '../helpers/link-route-line';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';
import { loadCapture } from '../helpers/wire-captures';

const capture = loadCapture('4-link-route');
/** RB → RA, the inter-router connection (only it carries that direction). */
const fromRb = capture.filter((f) => f.dir === 'B->A');
const toRb = capture.filter((f) => f.dir === 'A->B');
const JOIN = ['protocol-header', 'sasl-init', 'open', 'begin', 'attach', 'flow'];
const join = fromRb.filter((f) => f.ch !== 11 && JOIN.includes(f.perf) && (f.perf !== 'flow' || (f.ch ?? 0) > 0));
const routed = fromRb.filter((f) => f.ch === 11);
const bytes = (frames: typeof capture): Buffer => Buffer.concat(frames.map((f) => Buffer.from(f.hex, 'hex')));
const fieldsOf = (f: (typeof capture)[number]): Record<string, unknown> => readFrame(Buffer.from(f.hex, 'hex')).fields!;

const NAME = 'lr-client-on-B-broker.q1@lr-client-on-B';

describe('link routes: qdrouterd RB\'s link-routed frames of capture 4 against a Weft RA', function () {
  this.timeout(30000);
  let router: RouterProcess;
  let peer: RouteContainerPeer;
  let rb: RawAmqpClient;
  let mark = 0;
  /** Frames Weft sent RB since the last mark. */
  const since = (): WireFrame[] => framesOf(rb.received.slice(mark));

  before(async () => {
    peer = await RouteContainerPeer.start({ credit: 10 }); // broker.py gives the sender credit 10
    router = await startRouter(`router {\n    mode: interior\n    id: RA\n}\nlistener {\n    name: ir\n    host: 127.0.0.1\n    port: 0\n    role: inter-router\n    saslMechanisms: ANONYMOUS\n}\n${brokerConnector(peer.port)}${linkRoutes({ prefix: 'broker.' })}log {\n    module: SERVER\n    enable: trace+\n}\n`);
    // The routes are active once RA has the broker's open (its log says so; no management here yet).
    await waitFor(() => /Link route Dbroker activated/.test(router.output()), 'RA\'s link routes active');
    rb = await RawAmqpClient.connect(router.ports.ir);
    rb.write(bytes(join));
    await waitFor(() => framesOf(rb.received, 'attach').length === 22, 'RA\'s answers to the 22 inter-router attaches');
  });
  afterEach(function () { if (this.currentTest?.state === 'failed') console.log(`${router.output()}\n--- RB received: ${rb.describe()}`); });
  after(async () => {
    rb?.destroy();
    await router?.stop();
    await peer?.close();
  });

  it('the attaches and the receiver\'s credit: forwarded to the broker as RA did, answered to RB as RA did', async () => {
    mark = rb.received.length;
    rb.write(bytes(routed.slice(0, 4))); // begin, attach receiver, attach sender, flow credit 10
    await peer.waitFor(() => peer.attaches.length === 2, 'both attaches at the broker');
    const toBroker = capture.filter((f) => f.dir === 'A->broker' && f.perf === 'attach').map(fieldsOf);
    for (const [i, a] of peer.attaches.entries()) {
      const expected = toBroker[i];
      expect(a.name).to.equal(NAME);
      expect(a.role).to.equal(expected.role ? 'sender' : 'receiver'); // the broker's side is the opposite role
      expect(a.source?.address ?? null).to.equal((expected.source as { address?: string }).address ?? null);
      expect(a.target?.address ?? null).to.equal((expected.target as { address?: string }).address ?? null);
      expect(a.source?.expiry_policy).to.equal('session-end');
    }
    const brokerSender = peer.attaches.find((a) => a.role === 'sender')!;
    await peer.waitFor(() => peer.flows.some((f) => f.name === brokerSender.name && f.credit === 10), 'the client\'s credit 10 at the broker');

    await waitFor(() => since().filter((f) => f.name === 'attach').length === 2 && since().some((f) => f.name === 'flow'), 'RA\'s answers and credit on RB\'s ch 11');
    const begin = since().find((f) => f.name === 'begin')!;
    expect(begin.fields.remoteChannel).to.equal(11);
    const expected = toRb.filter((f) => f.ch === 11 && f.perf === 'attach').map(fieldsOf);
    const answers = since().filter((f) => f.name === 'attach');
    for (const [i, a] of answers.entries()) {
      expect(a.channel).to.equal(begin.channel);
      expect(a.fields).to.include({ name: NAME, handle: expected[i].handle, role: expected[i].role, sndSettleMode: expected[i].sndSettleMode, rcvSettleMode: expected[i].rcvSettleMode });
      expect((a.fields.source as { address?: string }).address).to.equal((expected[i].source as { address?: string }).address);
      expect((a.fields.target as { address?: string }).address).to.equal((expected[i].target as { address?: string }).address);
      expect((a.fields.source as { expiryPolicy?: string }).expiryPolicy).to.equal('session-end');
    }
    const flow = since().find((f) => f.name === 'flow')!;
    expect(flow.fields).to.include({ handle: 1, deliveryCount: 0, linkCredit: 10 });
  });

  it('RB\'s transfer reaches the broker with its tag and bytes; the broker\'s accepted comes back as RA sent it', async () => {
    mark = rb.received.length;
    rb.write(bytes(routed.slice(4, 5)));
    await peer.waitFor(() => peer.received.length === 1, 'the message at the broker');
    const m = peer.received[0];
    expect(m.tag).to.equal('1');
    expect(m.body).to.equal('hello via link route');
    expect(m.message.subject).to.equal('lr-test');
    expect(m.message.application_properties).to.deep.equal({ k: 'v' });
    await waitFor(() => since().some((f) => f.name === 'disposition'), 'the disposition on ch 11');
    const disposition = since().find((f) => f.name === 'disposition')!;
    const captured = fieldsOf(toRb.find((f) => f.ch === 11 && f.perf === 'disposition')!);
    expect(disposition.fields).to.include({ role: captured.role, first: captured.first, settled: true });
    expect((disposition.fields.state as { code: number }).code).to.equal(0x24);
  });

  it('the broker\'s message reaches RB on the receiver with its tag and bytes; RB\'s accepted reaches the broker', async () => {
    mark = rb.received.length;
    peer.send('broker.q1', { subject: 'lr-test', application_properties: { k: 'v' }, body: 'hello via link route' }, { tag: '1' });
    await waitFor(() => since().some((f) => f.name === 'transfer'), 'the transfer on ch 11');
    const t = since().find((f) => f.name === 'transfer')!;
    expect(t.fields).to.include({ handle: 0, deliveryId: 0 });
    expect((t.fields.deliveryTag as Buffer).toString('hex')).to.equal('31');
    rb.write(bytes(routed.slice(5, 6))); // RB's disposition: accepted, settled
    await peer.waitFor(() => peer.outcomes.some((o) => o.tag === '1' && o.outcome === 'accepted'), 'accepted at the broker');
  });

  it('RB\'s detaches reach the broker, and RA answers them (closed) once the broker has; the session stays', async () => {
    mark = rb.received.length;
    rb.write(bytes(routed.slice(6, 8)));
    await peer.waitFor(() => peer.detaches.length === 2, 'both detaches at the broker');
    await waitFor(() => since().filter((f) => f.name === 'detach').length === 2, 'RA\'s two detach answers');
    for (const d of since().filter((f) => f.name === 'detach')) expect(d.fields).to.deep.include({ closed: true, error: undefined });
    expect(since().filter((f) => f.name === 'end')).to.deep.equal([]);
    expect(rb.closed).to.equal(false);
  });
});
