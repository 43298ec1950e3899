// A real weftd, configured as qdrouterd's RA of the wire captures, joined by a fake qdrouterd
// 1.19 router (RB, test/helpers/fake-qdrouterd.ts) that speaks the inter-router protocol as the
// captures show it: the join script of test/fixtures/qdrouterd-peer/join.json, then data both
// ways on the priority-4 data links, then input a bad peer might send. Every frame Weft sends
// RB is checked against what qdrouterd 1.19 needs and writes (test/helpers/qdrouterd-rules.ts).
//
//     rhea clients ── amqp listener ── weftd "RA" ── inter-router listener ── fake qdrouterd "RB"

import { expect } from 'chai';
import type { Connection, EventContext, Receiver, Sender } from 'rhea';
import { encodeValue } from '../../router/amqp/codec/encoder';
import { AmqpArray, AmqpMap, AmqpValue, described, int, long, sym } from '../../router/amqp/codec/values';
import { TypeCode } from '../../router/amqp/codec/type-codes';
import { Descriptor, ErrorCondition } from '../../router/amqp/performatives';
import { Section } from '../../router/amqp/message-sections';
import { interRouterAttach, WireAttach } from '../../router/mesh/inter-router-links';
import { FakeQdrouterd, describeFrame } from '../helpers/fake-qdrouterd';
import { loadQdrouterdScript, readFrame } from '../helpers/qdrouterd-script';
import { attachAnswerProblems, controlMessageProblems, dataAnnotationProblems, messageSections } from '../helpers/qdrouterd-rules';
import { RawAmqpClient, WireFrame } from '../helpers/raw-amqp-client';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { loadCapture } from '../helpers/wire-captures';

const script = loadQdrouterdScript('join');
const RA = script.router.id;
const RB = script.peer.id;

/** RA of the captures (configs/RA.conf), with frame tracing for the failure output. */
const RA_CONF = `router {
    mode: interior
    id: ${RA}
}
listener {
    name: amqp
    host: 127.0.0.1
    port: 0
    authenticatePeer: no
    saslMechanisms: ANONYMOUS
}
listener {
    name: ir
    host: 127.0.0.1
    port: 0
    role: inter-router
    authenticatePeer: no
    saslMechanisms: ANONYMOUS
}
log {
    module: SERVER
    enable: trace+
}
`;

const ACCEPTED = Descriptor.accepted;
const RELEASED = Descriptor.released;

/** RB's data messages of capture 2 (client on RB → RA), payloads as captured. */
function capturedDataPayloads(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of loadCapture('2-data-over-mesh')) {
    if (f.perf !== 'transfer' || f.dir !== 'B->A' || f.ch !== 5) continue;
    const body = /amqp-value "([^"]*)"/.exec(f.decoded ?? '')?.[1];
    if (body) out.set(body, readFrame(Buffer.from(f.hex, 'hex')).payload!);
  }
  return out;
}

/** A Weft router playing RA, with the rhea clients the tests opened on its normal listener. */
class WeftRa {
  readonly clients: Connection[] = [];
  /** Messages received by the receivers the join attached, by address. */
  readonly received = new Map<string, EventContext[]>();
  peer!: FakeQdrouterd;
  private client: Connection | undefined;

  private constructor(readonly router: RouterProcess) {}

  static async start(): Promise<WeftRa> { return new WeftRa(await startRouter(RA_CONF)); }

  async connect(): Promise<Connection> {
    const c = await rheaConnect(this.router.ports.amqp);
    this.clients.push(c);
    return c;
  }

  async receiver(address: string): Promise<Receiver> {
    this.client ??= await this.connect();
    const r = await openReceiver(this.client, address);
    this.received.set(address, collectMessages(r));
    return r;
  }

  async sender(address: string): Promise<Sender> {
    this.client ??= await this.connect();
    return openSender(this.client, address);
  }

  /**
   * The join of the script. The router must already advertise its local addresses (mobile_seq
   * 1) when RB connects, as RA did in the capture: the receivers are attached, then a first
   * connector (a probe that goes away) waits until Weft's mobile sync has run.
   */
  async join(): Promise<FakeQdrouterd> {
    for (const a of script.router.localAddresses) await this.receiver(a);
    const probe = await FakeQdrouterd.connect(this.router.ports.ir, script);
    try {
      await probe.runSteps(undefined, 'credit', { tolerate: ['MAU'] });
      await probe.waitControl((m) => (m.opcode === 'RA' || m.opcode === 'MAU') && m.mobile_seq >= 1, 'mobile_seq 1 (the local addresses advertised)');
    } finally {
      await probe.close();
    }
    this.peer = await FakeQdrouterd.connect(this.router.ports.ir, script);
    await this.peer.runSteps(undefined, undefined, { onAction: async (a) => { await this.receiver(a.attachReceiver); } });
    return this.peer;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => closeConnection(c)));
    this.peer?.destroy();
    await this.router.stop();
  }

  /** Printed when a test fails: the router's log (with its frame trace) and what RB received. */
  report(): string {
    const frames = this.peer ? this.peer.frames.map(describeFrame).join('\n') : '(no peer)';
    return `--- weftd ${RA} output\n${this.router.output()}\n--- frames RB received\n${frames}\n--- problems\n${this.peer?.problems.join('\n') ?? ''}`;
  }
}

describe('a fake qdrouterd 1.19 peer (RB) and a real Weft router (RA)', function () {
  this.timeout(30000);

  describe('the checks, on qdrouterd\'s own frames (no router needed)', () => {
    const capture = loadCapture(script.capture);
    const fromRa = capture.filter((f) => f.tag === 'IR' && f.dir === 'A->B');

    it('pass every control message, attach answer and forwarded annotation real qdrouterd sent', () => {
      const controls = fromRa.filter((f) => f.perf === 'transfer' && f.ch === 0);
      expect(controls.length).to.be.greaterThan(20);
      for (const f of controls) {
        expect(controlMessageProblems(readFrame(Buffer.from(f.hex, 'hex')).payload!, { routerId: RA, peerId: RB }).problems, `capture #${f.index}`).to.deep.equal([]);
      }
      const ours = new Map(capture.filter((f) => f.tag === 'IR' && f.dir === 'B->A' && f.perf === 'attach').map((f) => {
        const a = readFrame(Buffer.from(f.hex, 'hex')).fields!;
        return [a.name as string, { name: a.name as string, role: a.role as boolean, capability: f.ch === 0 ? 'qd.router' as const : 'qd.router-data' as const }];
      }));
      const answers = fromRa.filter((f) => f.perf === 'attach');
      expect(answers).to.have.length(22);
      for (const f of answers) {
        const a = readFrame(Buffer.from(f.hex, 'hex')).fields!;
        expect(attachAnswerProblems(a, ours.get(a.name as string)!), `capture #${f.index}`).to.deep.equal([]);
      }
      const forwarded = loadCapture('3-management').find((f) => f.perf === 'transfer' && f.dir === 'A->B' && f.ch === 5)!;
      expect(dataAnnotationProblems(readFrame(Buffer.from(forwarded.hex, 'hex')).payload!, { to: '_topo/0/RB/$management', ingress: '0/RA', trace: ['0/RA'] })).to.deep.equal([]);
    });

    it('find what qdrouterd would refuse: seen as an array, a capability array, a misplaced control address, symbol keys on a HELLO', () => {
      const check = (payload: Buffer) => controlMessageProblems(payload, { routerId: RA, peerId: RB }).problems.join('; ');
      const hello = (over: Record<string, AmqpValue>) => pyBody({ id: RA, pv: int(1), area: '0', instance: int(1), seen: [RB], ...over });
      expect(check(controlPayload({ from: RA, opcode: 'HELLO', body: hello({}) }))).to.equal('');
      expect(check(controlPayload({ from: RA, opcode: 'HELLO', body: hello({ seen: new AmqpArray(TypeCode.str8, [RB]) }) }))).to.match(/seen is an AMQP array/);
      expect(check(controlPayload({ from: RA, opcode: 'HELLO', body: hello({}), to: 'amqp:/_topo/0/all/qdrouter' }))).to.match(/HELLO sent to amqp:\/_topo\/0\/all\/qdrouter/);
      expect(check(controlPayload({ from: RA, opcode: 'HELLO', body: cBody({ id: RA, pv: int(1), area: '0', instance: int(1), seen: [RB] }) }))).to.match(/are not strings/);
      expect(check(controlPayload({ from: RA, opcode: 'HELLO', body: hello({ pv: true }) }))).to.match(/pv is not an integer/);
      const answer = readFrame(Buffer.from(fromRa.find((f) => f.perf === 'attach')!.hex, 'hex')).fields!;
      const own = { name: answer.name as string, role: !(answer.role as boolean), capability: 'qd.router' as const };
      const arrayCaps = { ...answer, source: { ...(answer.source as object), capabilities: ['qd.router'] } };
      expect(attachAnswerProblems(arrayCaps, own).join('; ')).to.match(/not one bare symbol/);
      const traceArray = dataPayload('x', ['0/RA'], 'x', { traceAsArray: true });
      expect(dataAnnotationProblems(traceArray, { to: 'x', ingress: '0/RA', trace: ['0/RA'] }).join('; ')).to.match(/trace is an AMQP array/);
    });
  });

  describe('the join', () => {
    let weft: WeftRa;
    before(async () => { weft = await WeftRa.start(); });
    afterEach(function () { if (this.currentTest?.state === 'failed' && weft) console.log(weft.report()); });
    after(async () => { await weft?.stop(); });

    it('goes as with qdrouterd: SASL, open, 11 begins and 22 attaches answered, credit, HELLO, RA, LSR/LSU, MAR/MAU, a differential MAU for a new receiver', async () => {
      const peer = await weft.join();
      expect(peer.problems, 'frames qdrouterd would not take or write').to.deep.equal([]);

      // Every control message was a pre-settled transfer on the control link: nothing for RB to
      // settle, and nothing was settled by the router either (RB's are pre-settled too).
      const control = peer.linkName('control', 'receiver');
      const transfers = peer.frames.filter((f) => f.perf === 'transfer');
      expect(transfers.filter((f) => f.link !== control).map(describeFrame), 'transfers off the control link').to.deep.equal([]);
      expect(transfers.every((f) => f.control !== undefined && f.fields!.settled === true)).to.equal(true);
      expect(peer.frames.filter((f) => f.perf === 'disposition').map(describeFrame)).to.deep.equal([]);

      // §2.4: credit 250 on every link RB sends on, one credit back per delivery received.
      const controlSender = peer.linkName('control', 'sender');
      await waitFor(() => peer.creditOf(controlSender) === 250, `credit 250 on the control link (has ${peer.creditOf(controlSender)} after ${peer.deliveryCountOf(controlSender)} deliveries)`, 3000);
      for (let p = 0; p < 10; p++) expect(peer.creditOf(peer.linkName(p, 'sender')), `credit of data link priority ${p}`).to.equal(250);

      // The HELLOs name RB in `seen` (a list), and keep doing so.
      const from = peer.mark();
      const hello = await peer.waitControl((m) => m.opcode === 'HELLO', 'a periodic HELLO', { from, timeoutMs: 3000 });
      expect(hello.control!.message).to.include({ id: RA, pv: 1, area: '0' });
      expect((hello.control!.message as { seen: string[] }).seen).to.deep.equal([RB]);
      expect(peer.endings()).to.deep.equal([]);
    });

    it('gives credit to a sender for peerAddress once RB\'s MAU advertises M0peerAddress', async () => {
      const peer = weft.peer;
      peer.autoAnswer = true;
      const s = await weft.sender('peerAddress');
      expect(s.sendable(), 'credit before any router advertised peerAddress').to.equal(false);
      const from = peer.mark();
      peer.advertise(['M0peerAddress']);
      await sendable(s, 5000);
      // A contiguous mobile_seq: no MAR needed.
      expect(peer.frames.slice(from).filter((f) => f.control?.message.opcode === 'MAR').map(describeFrame)).to.deep.equal([]);
      expect(peer.problems).to.deep.equal([]);
    });
  });

  describe('after the join', () => {
    let weft: WeftRa;
    let peer: FakeQdrouterd;
    let steadyOut: Sender;
    let steadyIn: EventContext[];
    let steadyCount = 0;

    /** A normal client still sends and receives through the router. */
    const assertServing = async () => {
      const body = `steady-${++steadyCount}`;
      await sendable(steadyOut, 3000);
      steadyOut.send({ body });
      await waitFor(() => steadyIn.some((m) => m.message!.body === body), `${body} through the router`, 3000);
      expect(weft.router.child.exitCode, 'weftd exit code').to.equal(null);
    };

    /** The inter-router connection is up: nothing ended, RB still a two-way neighbour, its LSR answered. */
    const assertInterRouterUp = async (from: number) => {
      expect(peer.closed, 'inter-router connection closed').to.equal(false);
      expect(peer.endings(from).map(describeFrame), 'detach/end/close from the router').to.deep.equal([]);
      const mark = peer.mark();
      peer.sendControl({ opcode: 'LSR', id: RB, pv: 1, area: '0' });
      const lsu = await peer.waitControl((m) => m.opcode === 'LSU', 'an LSU answering RB\'s LSR', { from: mark, timeoutMs: 3000 });
      expect((lsu.control!.message as { ls: { peers: Record<string, number> } }).ls.peers).to.deep.equal({ [RB]: 1 });
      const hello = await peer.waitControl((m) => m.opcode === 'HELLO', 'a HELLO after the bad input', { from: mark, timeoutMs: 3000 });
      expect((hello.control!.message as { seen: string[] }).seen).to.deep.equal([RB]);
      expect(peer.problems, 'frames qdrouterd would not take or write').to.deep.equal([]);
    };

    before(async () => {
      weft = await WeftRa.start();
      peer = await weft.join();
      peer.autoAnswer = true;
      const c = await weft.connect();
      steadyIn = collectMessages(await openReceiver(c, 'steady'));
      steadyOut = await openSender(c, 'steady');
    });
    afterEach(function () { if (this.currentTest?.state === 'failed' && weft) console.log(weft.report()); });
    after(async () => { await weft?.stop(); });

    describe('data', () => {
      it('a message from RB on the priority-4 data link (x-opt-qd.to myAddress, ingress 0/RB, trace [0/RB]) reaches a Weft receiver on myAddress; accepted goes back settled; credit returns on receipt', async () => {
        const payloads = capturedDataPayloads();
        const got = weft.received.get('myAddress')!;
        const before = got.length;
        const p4 = peer.linkName(4, 'sender');
        const sentBefore = peer.deliveryCountOf(p4);
        const from = peer.mark();
        const presettled = peer.sendData(4, payloads.get('msg1 presettled')!, true);
        const unsettled = peer.sendData(4, payloads.get('msg2 unsettled')!, false);
        await waitFor(() => got.length >= before + 2, 'two messages at the myAddress receiver', 5000);
        expect(got.slice(before).map((m) => m.message!.body)).to.deep.equal(['msg1 presettled', 'msg2 unsettled']);
        for (const m of got.slice(before)) {
          const ma = (m.message!.message_annotations ?? {}) as Record<string, unknown>;
          expect(Object.keys(ma).filter((k) => k.startsWith('x-opt-qd.')), 'router annotations toward a normal client').to.deep.equal([]);
        }

        const disposition = await peer.waitFrame((f) => f.perf === 'disposition' && f.session === 5, 'a disposition on the priority-4 session', { from });
        expect(disposition.fields).to.include({ role: true, first: unsettled, settled: true });
        expect((disposition.fields!.state as { code: number }).code, 'outcome').to.equal(ACCEPTED);
        expect([undefined, unsettled]).to.include(disposition.fields!.last as number | undefined);
        expect(peer.frames.slice(from).filter((f) => f.perf === 'disposition' && f.fields!.first === presettled && f.session === 5), 'disposition for the pre-settled one').to.deep.equal([]);

        await waitFor(() => peer.creditOf(p4) === 250, `credit 250 again on the priority-4 link (has ${peer.creditOf(p4)})`, 3000);
        expect(peer.deliveryCountOf(p4)).to.equal(sentBefore + 2);
        expect(peer.problems).to.deep.equal([]);
      });

      it('a message from a Weft client to peerAddress leaves toward RB on the priority-4 data link with x-opt-qd.to, ingress 0/RA, trace [0/RA]; RB\'s accepted reaches the client', async () => {
        if (!peer.addresses.has('M0peerAddress')) peer.advertise(['M0peerAddress']);
        const s = await weft.sender('peerAddress');
        await sendable(s, 5000);
        const outcome = new Promise<string>((resolve) => {
          for (const o of ['accepted', 'released', 'rejected', 'modified']) s.once(o, () => resolve(o));
        });
        const from = peer.mark();
        s.send({ body: 'from a Weft client to RB' });
        const f = await peer.waitFrame((x) => x.perf === 'transfer' && x.delivery !== undefined && x.link === peer.linkName(4, 'receiver'), 'the message on RB\'s priority-4 receiver', { from });
        expect(f.session).to.equal(5);
        expect(f.fields!.settled, 'settled flag of an unsettled client delivery').to.not.equal(true);
        expect(dataAnnotationProblems(f.delivery!, { to: 'peerAddress', ingress: `0/${RA}`, trace: [`0/${RA}`] })).to.deep.equal([]);
        const sections = messageSections(f.delivery!);
        const body = sections.find((x) => x.code === Section.amqpValue);
        expect(body?.value).to.equal('from a Weft client to RB');
        expect(sections.filter((x) => x.code === Section.messageAnnotations)).to.have.length(1);

        peer.settle(f);
        expect(await outcome).to.equal('accepted');
        expect(peer.problems).to.deep.equal([]);
      });
    });

    describe('bad input from the peer (reference §3)', () => {
      it('malformed control messages are logged and ignored; the connection and the router keep working', async () => {
        const from = peer.mark();
        const outputBefore = weft.router.output().length;
        const hello = Buffer.from(script.behaviour.hello, 'hex');
        const bad: Array<[string, Buffer]> = [
          ['not AMQP at all', Buffer.from('00deadbeef', 'hex')],
          ['a HELLO cut in half', hello.subarray(0, Math.floor(hello.length / 2))],
          ['a body that is a string', controlPayload({ opcode: 'HELLO', body: 'hello' })],
          ['no opcode', controlPayload({ opcode: undefined, body: helloBody({}) })],
          ['a HELLO whose seen is an AMQP array', controlPayload({ opcode: 'HELLO', body: helloBody({ seen: new AmqpArray(TypeCode.str8, [RA]) }) })],
          ['a HELLO whose id is binary', controlPayload({ opcode: 'HELLO', body: helloBody({ id: Buffer.from(RB) }) })],
          ['an RA whose ls_seq is a boolean', controlPayload({ opcode: 'RA', to: 'amqp:/_topo/0/all/qdrouter', body: pyBody({ id: RB, pv: int(1), area: '0', instance: int(script.peer.instance), ls_seq: true, mobile_seq: int(peer.mobileSeq) }) })],
          ['an LSU whose peers is a list', controlPayload({ opcode: 'LSU', to: `amqp:/_topo/0/${RA}/qdrouter`, body: pyBody({ id: RB, pv: int(1), area: '0', instance: int(script.peer.instance), ls_seq: int(1), ls: pyBody({ id: RB, area: '0', ls_seq: int(1), peers: [RA] }) }) })],
          ['a MAU with add and no del', controlPayload({ opcode: 'MAU', symbolKeys: true, to: '_topo/0/all/qdrouter.ma', body: cBody({ id: RB, pv: 1, area: '0', mobile_seq: peer.mobileSeq + 1, hints: [int(3)], add: ['M0halfAddress'] }) })],
          ['a MAU with exist and add', controlPayload({ opcode: 'MAU', symbolKeys: true, to: `amqp:/_topo/0/${RA}/qdrouter.ma`, body: cBody({ id: RB, pv: 1, area: '0', mobile_seq: peer.mobileSeq + 1, exist: ['M0halfAddress'], hints: [int(3)], add: ['M0halfAddress'] }) })],
          ['a data section instead of amqp-value', controlPayload({ opcode: 'HELLO', body: Buffer.from('hello'), bodySection: Section.data })],
        ];
        for (const [, payload] of bad) peer.sendControlPayload(payload);
        await assertServing();
        await assertInterRouterUp(from);
        // Logged: a line per bad message at least (they are warnings in qdrouterd too).
        const log = weft.router.output().slice(outputBefore).split('\n').filter((l) => /ROUTER_LS|ROUTER_HELLO|ROUTER_MA/.test(l) && /warning|error/i.test(l));
        expect(log.length, `log lines about the ${bad.length} bad messages:\n${log.join('\n')}`).to.be.at.least(bad.length);
        // None of them changed the peer's addresses: the next differential MAU is still contiguous.
        const s = await weft.sender('afterBadInput');
        peer.advertise(['M0afterBadInput']);
        await sendable(s, 5000);
      });

      it('an unknown opcode, and a control message of a future protocol version, are ignored', async () => {
        const from = peer.mark();
        peer.sendControlPayload(controlPayload({ opcode: 'FOO', to: `amqp:/_topo/0/${RA}/qdrouter`, body: pyBody({ id: RB, pv: int(1), area: '0' }) }));
        peer.sendControlPayload(controlPayload({ opcode: 'FOO', symbolKeys: true, to: `amqp:/_topo/0/${RA}/qdrouter.ma`, body: cBody({ id: RB, pv: 1, area: '0' }) }));
        // pv 2 is ignored by qdrouterd: had this MAU been applied, the real one below (same
        // mobile_seq) would be a duplicate and futureAddress2 would never get a destination.
        peer.sendControl({ opcode: 'MAU', id: RB, pv: 2, area: '0', mobile_seq: peer.mobileSeq + 1, hints: [3], add: ['M0futureAddress'], del: [] });
        const s = await weft.sender('futureAddress2');
        peer.advertise(['M0futureAddress2']);
        await sendable(s, 5000);
        await assertServing();
        await assertInterRouterUp(from);
      });

      it('a neighbour on a future protocol version is logged once, not for every message (reference §3.1)', async () => {
        // qdrouterd ignores pv > 1 and logs it once per sender; a newer neighbour sends a HELLO a second.
        const pv2 = /HELLO.*protocol version 2/;
        for (let i = 0; i < 3; i++) peer.sendControl({ opcode: 'HELLO', id: RB, pv: 2, area: '0', instance: script.peer.instance, seen: [RA] });
        // Control messages are handled in order: once the marker is logged, the three were too.
        peer.sendControlPayload(controlPayload({ opcode: 'MARKER', to: `amqp:/_topo/0/${RA}/qdrouter`, body: pyBody({ id: RB, pv: int(1), area: '0' }) }));
        await waitFor(() => /MARKER/.test(weft.router.output()), 'the marker in the log', 3000);
        const lines = weft.router.output().split('\n').filter((l) => pv2.test(l) && l.includes(RB));
        expect(lines, 'log lines about the protocol version of RB\'s HELLOs').to.have.length(1);
      });

      it('a trace loop: a data message whose trace is longer than the radius allows is released, never delivered', async () => {
        const from = peer.mark();
        const got = weft.received.get('myAddress')!;
        const before = got.length;
        const looped = peer.sendData(4, dataPayload('myAddress', [`0/${RB}`, `0/${RA}`, `0/${RB}`], 'looped'), false);
        const disposition = await peer.waitFrame((f) => f.perf === 'disposition' && f.session === 5 && f.fields!.first === looped, 'the looped delivery settled', { from });
        expect(disposition.fields).to.include({ role: true, settled: true });
        expect((disposition.fields!.state as { code: number }).code, 'outcome of a looped delivery').to.equal(RELEASED);
        // A loop of control messages: an RA that already passed through RA comes back.
        peer.sendControl({ opcode: 'RA', id: RB, pv: 1, area: '0', instance: script.peer.instance, ls_seq: peer.lsSeq, mobile_seq: peer.mobileSeq }, { trace: [`0/${RB}`, `0/${RA}`, `0/${RB}`] });
        // The next good message arrives, and is the only one since.
        peer.sendData(4, dataPayload('myAddress', [`0/${RB}`], 'after the loop'), true);
        await waitFor(() => got.length > before, 'the message after the loop', 3000);
        expect(got.slice(before).map((m) => m.message!.body)).to.deep.equal(['after the loop']);
        await assertServing();
        await assertInterRouterUp(from);
      });

      it('a mobile_seq gap: the differential MAU is dropped, a MAR asks for what was missed, the absolute MAU that answers it is applied', async () => {
        const from = peer.mark();
        const have = peer.mobileSeq;
        const s = await weft.sender('gapAddress');
        peer.advertise(['M0gapAddress'], { mobileSeq: have + 5 });
        const mar = await peer.waitControl((m) => m.opcode === 'MAR', 'a MAR', { from });
        expect(mar.control!.to).to.equal(`amqp:/_topo/0/${RB}/qdrouter.ma`);
        expect(mar.control!.message).to.include({ id: RA, have_seq: have });
        // fake-qdrouterd answers with an absolute MAU that lists gapAddress.
        await sendable(s, 5000);
        await assertServing();
        await assertInterRouterUp(from);
      });

      it('an inter-router attach (qd.router, qd.router-data) on the NORMAL listener is refused with qd:forbidden', async () => {
        const raw = await RawAmqpClient.connect(weft.router.ports.amqp);
        try {
          await raw.open({ containerId: 'not-a-router' });
          await raw.begin(0);
          // qdrouterd's own attaches (inter-router-links.ts), and one with the capability in an array.
          const attaches: WireAttach[] = [
            interRouterAttach('qdlink.controlReceiver', 0, true, 'control'),
            interRouterAttach('qdlink.controlSender01', 1, false, 'control'),
            interRouterAttach('qdlink.dataReceiver000', 2, true, 'data'),
            interRouterAttach('qdlink.dataSender00000', 3, false, 'data'),
          ];
          const arrayForm = interRouterAttach('qdlink.arrayCapability', 4, true, 'control');
          attaches.push({ ...arrayForm, source: { ...arrayForm.source!, capabilities: ['qd.router'] }, target: { ...arrayForm.target!, capabilities: ['qd.router'] } });
          for (const attach of attaches) {
            const name = attach.name;
            raw.frame(0, Descriptor.attach, attach);
            const answer = await raw.expect((x) => x.kind === 'frame' && x.name === 'attach' && x.fields.name === name, `the answer to ${name}`) as WireFrame;
            const handle = answer.fields.handle;
            const detach = await raw.expect((x) => x.kind === 'frame' && x.name === 'detach' && x.fields.handle === handle, `the detach of ${name}`) as WireFrame;
            expect((detach.fields.error as ErrorCondition | undefined)?.condition, name).to.equal('qd:forbidden');
            expect(detach.fields.closed, `${name} detached closed`).to.equal(true);
            raw.frame(0, Descriptor.detach, { handle: attach.handle, closed: true });
          }
          expect(raw.closed, 'connection of the refused client').to.equal(false);
        } finally {
          raw.destroy();
        }
        await assertServing();
      });

      it('a HELLO with this router\'s own id from another instance is logged as a duplicate id and ignored', async () => {
        const from = peer.mark();
        const ours = peer.frames.find((f) => f.control?.message.opcode === 'HELLO')!.control!.message as { instance: number };
        const other = ours.instance + 7;
        peer.sendControl({ opcode: 'HELLO', id: RA, pv: 1, area: '0', instance: other, seen: [RA, RB] });
        await waitFor(() => new RegExp(`(duplicate|our id).*${RA}.*${other}|${other}.*(duplicate|our id)`, 'i').test(weft.router.output()), `a log line about the duplicate id ${RA} (instance ${other})`, 3000);
        await assertServing();
        await assertInterRouterUp(from);
      });

      it('a HELLO with a neighbour\'s id (RB) from a second connection and another instance is logged as a duplicate id; the first connection stays up', async () => {
        const from = peer.mark();
        const other = script.peer.instance + 11;
        const twin = await FakeQdrouterd.connect(weft.router.ports.ir, script);
        try {
          await twin.runSteps(undefined, 'credit', { tolerate: ['MAU'] });
          twin.sendControl({ opcode: 'HELLO', id: RB, pv: 1, area: '0', instance: other, seen: [RA] });
          await waitFor(() => weft.router.output().split('\n').some((l) => l.includes(RB) && l.includes(String(other)) && /duplicate|uses our id/i.test(l)), `a log line about a second ${RB} (instance ${other})`, 3000);
          await assertServing();
          expect(twin.problems).to.deep.equal([]);
        } finally {
          await twin.close();
        }
        await assertInterRouterUp(from);
      });
    });
  });
});

// ---- bad control payloads, built section by section (router/mesh's encoder would not write them) ----

function controlPayload(m: { opcode: string | undefined; body: AmqpValue; to?: string; symbolKeys?: boolean; bodySection?: number; from?: string }): Buffer {
  const from = `0/${m.from ?? RB}`;
  const sections: AmqpValue[] = [
    described(Section.header, [false]),
    described(Section.messageAnnotations, new AmqpMap([[sym('x-opt-qd.ingress'), from], [sym('x-opt-qd.trace'), [from]]])),
    described(Section.properties, [null, null, m.to ?? 'amqp:/_local/qdhello']),
    described(Section.applicationProperties, new AmqpMap(m.opcode === undefined ? [['other', 'x']] : [[m.symbolKeys ? sym('opcode') : 'opcode', m.opcode]])),
    described(m.bodySection ?? Section.amqpValue, m.body),
  ];
  return Buffer.concat(sections.map(encodeValue));
}

/** A body map with string keys (qdrouterd's Python engine). */
function pyBody(fields: Record<string, AmqpValue>): AmqpMap {
  return new AmqpMap(Object.entries(fields).map(([k, v]) => [k, v]));
}

/** A body map with symbol keys, integers as long unless typed (qdrouterd's C mobile sync). */
function cBody(fields: Record<string, AmqpValue>): AmqpMap {
  return new AmqpMap(Object.entries(fields).map(([k, v]) => [sym(k), typeof v === 'number' ? long(v) : v]));
}

function helloBody(over: Record<string, AmqpValue>): AmqpMap {
  return pyBody({ id: RB, pv: int(1), area: '0', instance: int(script.peer.instance), seen: [RA], ...over });
}

/** A data message as a qdrouterd neighbour forwards it (to-override, ingress, trace). */
function dataPayload(to: string, trace: string[], body: string, options: { traceAsArray?: boolean } = {}): Buffer {
  const traceValue = options.traceAsArray ? new AmqpArray(TypeCode.str8, trace) : trace;
  return Buffer.concat([
    described(Section.header, []),
    described(Section.messageAnnotations, new AmqpMap([[sym('x-opt-qd.to'), to], [sym('x-opt-qd.ingress'), trace[0]], [sym('x-opt-qd.trace'), traceValue]])),
    described(Section.properties, []),
    described(Section.amqpValue, body),
  ].map(encodeValue));
}

