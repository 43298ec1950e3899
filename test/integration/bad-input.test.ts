// Bad input against a real weftd: each test plays a broken peer with raw frames (the engine's
// own FrameWriter over a plain socket) and checks that the offending connection or link ends
// with the AMQP condition qdrouterd would use, while a well-behaved rhea client, connected
// before and sending through the router all along, keeps sending and receiving.

import { expect } from 'chai';
// Named imports only: rhea exports a Container instance, whose methods live on its prototype.
import { Connection, EventContext, Sender, create_container } from 'rhea';
import { Descriptor, ErrorCondition } from '../../router/amqp/performatives';
import { encodeValue } from '../../router/amqp/codec/encoder';
import { described, sym } from '../../router/amqp/codec/values';
import { FrameType, SASL_HEADER } from '../../router/amqp/frame-parser';
import { RawAmqpClient, WireFrame, framesOf } from '../helpers/raw-amqp-client';
import { RouterProcess, standaloneConf, startRouter, waitFor } from '../helpers/router-process';

const MAX_FRAME_SIZE = 1024;
const SESSION_FRAMES = 4;
// Below the session window, so that credit + 1 transfers break the credit and not the window.
const LINK_CAPACITY = 2;
const AMQP_VALUE = Buffer.from('005377a10178', 'hex'); // amqp-value "x"

/** A rhea client sending to itself through the router every 10 ms, counting what comes back. */
class SteadyClient {
  readonly connection: Connection;
  received = 0;
  sent = 0;
  readonly errors: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sender: Sender | undefined;

  constructor(port: number) {
    const container = create_container({ id: 'steady-client' });
    this.connection = container.connect({ host: '127.0.0.1', port, reconnect: false });
    const note = (what: string) => (ctx: EventContext) => {
      const e = (ctx.error ?? ctx.connection?.error ?? ctx.sender?.error ?? ctx.receiver?.error) as { condition?: string; description?: string } | undefined;
      this.errors.push(`${what}: ${e?.condition ?? ''} ${e?.description ?? ''}`);
    };
    this.connection.on('connection_error', note('connection_error'));
    this.connection.on('connection_close', note('connection_close'));
    this.connection.on('disconnected', note('disconnected'));
    this.connection.on('sender_error', note('sender_error'));
    this.connection.on('receiver_error', note('receiver_error'));
    this.connection.on('sender_close', note('sender_close'));
    this.connection.on('receiver_close', note('receiver_close'));
    // Only its own messages count (raw peers in the tests send to the same address).
    this.connection.on('message', (ctx) => { if (/^m\d+$/.test(String(ctx.message?.body))) this.received++; });
  }

  async start(): Promise<void> {
    const receiver = this.connection.open_receiver('steady');
    await new Promise<void>((resolve) => receiver.once('receiver_open', () => resolve()));
    const sender = this.connection.open_sender('steady');
    this.sender = sender;
    await waitFor(() => sender.sendable(), 'credit for the steady sender');
    this.timer = setInterval(() => {
      if (this.sender!.sendable()) { this.sender!.send({ body: `m${this.sent}` }); this.sent++; }
    }, 10);
    await this.expectFlowing();
  }

  /** Messages still go round: `n` more arrive, and nothing has gone wrong. */
  async expectFlowing(n = 5, timeoutMs = 4000): Promise<void> {
    const start = this.received;
    await waitFor(() => this.received >= start + n || this.errors.length > 0, `${n} more messages on the steady client`, timeoutMs);
    expect(this.errors, 'steady client errors').to.deep.equal([]);
    expect(this.connection.is_open(), 'steady client connection open').to.equal(true);
  }

  /** Closes and waits for the router's answer, so that the router is not stopped mid-close. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (!this.connection.is_open()) return;
    // Let the last messages come back first: weft writes transfers after its close frame when
    // a delivery is in flight as the client closes (see the engine tests), and rhea throws.
    await waitFor(() => this.received >= this.sent, 'the last steady messages', 2000).catch(() => undefined);
    const closed = new Promise<void>((resolve) => {
      this.connection.once('connection_close', () => resolve());
      this.connection.once('disconnected', () => resolve());
    });
    this.connection.close();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
  }
}

/** Connects, opens (with or without SASL ANONYMOUS first) and begins channel 0. */
async function openRaw(port: number, sasl = false): Promise<RawAmqpClient> {
  const raw = await RawAmqpClient.connect(port);
  if (sasl) expect(await raw.sasl('ANONYMOUS', Buffer.from('anonymous'))).to.equal(0);
  await raw.open({ containerId: 'bad-peer' });
  await raw.begin(0);
  return raw;
}

function errorOf(f: WireFrame): ErrorCondition | undefined { return f.fields.error as ErrorCondition | undefined; }

/** The detach for the link the raw client attached as handle `handle`, with its error. */
async function refusedAttach(raw: RawAmqpClient): Promise<{ attach: WireFrame; detach: WireFrame }> {
  const attach = await raw.expectFrame('attach');
  const detach = await raw.expectFrame('detach');
  expect(detach.fields.handle).to.equal(attach.fields.handle);
  return { attach, detach };
}

describe('bad input against a real router', function () {
  this.timeout(20000);
  let router: RouterProcess;
  let steady: SteadyClient;
  let raw: RawAmqpClient | undefined;

  before(async () => {
    router = await startRouter(standaloneConf('', `    maxFrameSize: ${MAX_FRAME_SIZE}\n    maxSessionFrames: ${SESSION_FRAMES}\n    linkCapacity: ${LINK_CAPACITY}\n`));
    steady = new SteadyClient(router.port);
    await steady.start();
  });

  afterEach(async function () {
    raw?.destroy();
    raw = undefined;
    if (this.currentTest?.state === 'failed') {
      console.log(`--- weftd output (${router.dir}) ---\n${router.output()}\n--- steady client: sent ${steady.sent}, received ${steady.received}, errors ${JSON.stringify(steady.errors)}`);
    }
  });

  after(async () => {
    await steady?.stop();
    await router?.stop();
  });

  describe('connection level', () => {
    it('a frame with a garbage body: close with amqp:decode-error, socket closed', async () => {
      raw = await openRaw(router.port);
      const garbage = Buffer.from('deadbeef0102030405', 'hex');
      const frame = Buffer.alloc(8 + garbage.length);
      frame.writeUInt32BE(frame.length, 0);
      frame[4] = 2; frame[5] = FrameType.amqp;
      garbage.copy(frame, 8);
      raw.write(frame);
      expect((await raw.closeError())?.condition).to.equal('amqp:decode-error');
      await raw.waitClosed();
      await steady.expectFlowing();
    });

    it('a performative with a malformed field: close with amqp:decode-error', async () => {
      raw = await openRaw(router.port);
      // A flow whose list holds an unknown constructor (0x57) where next-incoming-id goes.
      const body = Buffer.from('005313c0020157', 'hex');
      const frame = Buffer.concat([Buffer.from([0, 0, 0, 8 + body.length, 2, 0, 0, 0]), body]);
      raw.write(frame);
      expect((await raw.closeError())?.condition).to.equal('amqp:decode-error');
      await raw.waitClosed();
      await steady.expectFlowing();
    });

    it(`a frame above the listener's maxFrameSize (${MAX_FRAME_SIZE}): close with amqp:connection:framing-error`, async () => {
      raw = await openRaw(router.port);
      const open = framesOf(raw.received, 'open')[0];
      expect(open.fields.maxFrameSize).to.equal(MAX_FRAME_SIZE);
      // A transfer-sized frame well above the limit: only its header matters.
      const size = MAX_FRAME_SIZE * 4;
      const frame = Buffer.alloc(size, 0x40);
      frame.writeUInt32BE(size, 0);
      frame[4] = 2; frame[5] = FrameType.amqp; frame.writeUInt16BE(0, 6);
      raw.write(frame);
      expect((await raw.closeError())?.condition).to.equal('amqp:connection:framing-error');
      await raw.waitClosed();
      await steady.expectFlowing();
    });

    it('a bad protocol header: the router answers with its own header and closes', async () => {
      raw = await RawAmqpClient.connect(router.port);
      raw.write(Buffer.from('AMQP\x09\x01\x00\x00', 'latin1'));
      const h = await raw.expectHeader();
      expect(h.subarray(0, 4).toString('latin1')).to.equal('AMQP');
      expect(h.equals(SASL_HEADER), `answered ${h.toString('hex')}`).to.equal(true);
      await raw.waitClosed();
      expect(framesOf(raw.received)).to.have.length(0);
      await steady.expectFlowing();
    });

    it('not AMQP at all (an HTTP request): a protocol header back, then closed', async () => {
      raw = await RawAmqpClient.connect(router.port);
      raw.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      const h = await raw.expectHeader();
      expect(h.subarray(0, 4).toString('latin1')).to.equal('AMQP');
      await raw.waitClosed();
      await steady.expectFlowing();
    });

    it('SASL PLAIN with a malformed response: outcome auth, socket closed', async () => {
      raw = await RawAmqpClient.connect(router.port);
      const code = await raw.sasl('PLAIN', Buffer.from('no separators here'));
      expect(code).to.equal(1);
      await raw.waitClosed();
      expect(framesOf(raw.received, 'open')).to.have.length(0);
      await steady.expectFlowing();
    });

    it('SASL with an unknown mechanism: outcome auth, socket closed', async () => {
      raw = await RawAmqpClient.connect(router.port);
      const code = await raw.sasl('CRAM-MD5', Buffer.from('user digest'));
      expect(code).to.equal(1);
      await raw.waitClosed();
      await steady.expectFlowing();
    });

    it('SASL then an AMQP frame before the AMQP header: closed', async () => {
      raw = await RawAmqpClient.connect(router.port);
      expect(await raw.sasl('ANONYMOUS')).to.equal(0);
      raw.frame(0, Descriptor.open, { containerId: 'too-early' });
      await raw.waitClosed();
      await steady.expectFlowing();
    });
    it('a client closing right after a message to itself: nothing follows the router\'s close', async () => {
      raw = await openRaw(router.port);
      raw.frame(0, Descriptor.attach, { name: 'self-in', handle: 0, role: true, source: { kind: Descriptor.source, address: 'echo' }, target: { kind: Descriptor.target } });
      await raw.expectFrame('attach');
      raw.frame(0, Descriptor.flow, { nextIncomingId: 0, incomingWindow: 100, nextOutgoingId: 0, outgoingWindow: 100, handle: 0, deliveryCount: 0, linkCredit: 10 });
      raw.frame(0, Descriptor.attach, { name: 'self-out', handle: 1, role: false, sndSettleMode: 1, initialDeliveryCount: 0, source: { kind: Descriptor.source }, target: { kind: Descriptor.target, address: 'echo' } });
      await raw.expect((i) => i.kind === 'frame' && i.name === 'flow' && i.fields.handle === 1 && (i.fields.linkCredit as number) > 0, 'credit');
      raw.write(Buffer.concat([
        raw.frameBytes(0, Descriptor.transfer, { handle: 1, deliveryId: 0, deliveryTag: Buffer.from('bye'), messageFormat: 0, settled: true }, { payload: AMQP_VALUE }),
        raw.frameBytes(0, Descriptor.close, {}),
      ]));
      await raw.expectFrame('close');
      await raw.waitClosed();
      const names = raw.received.map((i) => (i.kind === 'frame' ? i.name : i.kind));
      expect(names.slice(names.indexOf('close') + 1), 'frames after the router\'s close').to.deep.equal([]);
      await steady.expectFlowing();
    });
  });

  describe('link level (the connection stays open)', () => {
    async function stillOpen(r: RawAmqpClient): Promise<void> {
      // The raw connection still answers: a new session on another channel is begun.
      await r.begin(5);
      expect(r.closed).to.equal(false);
      expect(framesOf(r.received, 'close')).to.have.length(0);
    }

    it('an attach with capability qd.router on a normal listener: refused with qd:forbidden', async () => {
      raw = await openRaw(router.port, true);
      raw.frame(0, Descriptor.attach, {
        name: 'fake-control', handle: 0, role: true,
        source: { kind: Descriptor.source, capabilities: 'qd.router' }, target: { kind: Descriptor.target, capabilities: 'qd.router' },
      });
      const { attach, detach } = await refusedAttach(raw);
      expect(attach.fields.source).to.equal(undefined);
      expect(errorOf(detach)?.condition).to.equal('qd:forbidden');
      await stillOpen(raw);
      await steady.expectFlowing();
    });

    it('an attach with capability qd.router-data (as an array) on a normal listener: refused with qd:forbidden', async () => {
      raw = await openRaw(router.port);
      raw.frame(0, Descriptor.attach, {
        name: 'fake-data', handle: 0, role: false, initialDeliveryCount: 0,
        source: { kind: Descriptor.source }, target: { kind: Descriptor.target, capabilities: ['qd.router-data'] },
      });
      const { detach } = await refusedAttach(raw);
      expect(errorOf(detach)?.condition).to.equal('qd:forbidden');
      await stillOpen(raw);
      await steady.expectFlowing();
    });

    for (const address of ['_local/qdhello', '_topo/0/OtherRouter/x', 'amqp:/_local/qdrouter']) {
      it(`a receiver attaching to the router control address ${address}: refused with amqp:unauthorized-access`, async () => {
        raw = await openRaw(router.port);
        raw.frame(0, Descriptor.attach, { name: `spy-${address}`, handle: 0, role: true, source: { kind: Descriptor.source, address }, target: { kind: Descriptor.target } });
        const { detach } = await refusedAttach(raw);
        expect(errorOf(detach)?.condition).to.equal('amqp:unauthorized-access');
        await stillOpen(raw);
        await steady.expectFlowing();
      });
    }

    it('a coordinator attach: refused with amqp:precondition-failed', async () => {
      raw = await openRaw(router.port);
      raw.frame(0, Descriptor.attach, {
        name: 'txn', handle: 0, role: false, initialDeliveryCount: 0,
        source: { kind: Descriptor.source },
        // coordinator with capabilities amqp:local-transactions
        target: { kind: Descriptor.coordinator, raw: encodeValue(described(Descriptor.coordinator, [sym('amqp:local-transactions')])) },
      });
      const { detach } = await refusedAttach(raw);
      expect(errorOf(detach)?.condition).to.equal('amqp:precondition-failed');
      await stillOpen(raw);
      await steady.expectFlowing();
    });

    it('a transfer beyond credit: the link is detached with amqp:link:transfer-limit-exceeded', async () => {
      raw = await openRaw(router.port);
      raw.frame(0, Descriptor.attach, { name: 'greedy', handle: 0, role: false, sndSettleMode: 1, initialDeliveryCount: 0, source: { kind: Descriptor.source }, target: { kind: Descriptor.target, address: 'steady' } });
      await raw.expectFrame('attach');
      const flow = await raw.expect((i) => i.kind === 'frame' && i.name === 'flow' && i.fields.handle === 0 && (i.fields.linkCredit as number) > 0, 'credit') as WireFrame;
      const credit = flow.fields.linkCredit as number;
      // credit + 1 pre-settled transfers in one write, before any credit comes back.
      const frames: Buffer[] = [];
      for (let id = 0; id <= credit; id++) {
        frames.push(raw.frameBytes(0, Descriptor.transfer, { handle: 0, deliveryId: id, deliveryTag: Buffer.from(`g${id}`), messageFormat: 0, settled: true }, { payload: AMQP_VALUE }));
      }
      raw.write(Buffer.concat(frames));
      const detach = await raw.expectFrame('detach');
      expect(errorOf(detach)?.condition).to.equal('amqp:link:transfer-limit-exceeded');
      await stillOpen(raw);
      await steady.expectFlowing();
    });

    it(`more transfers than the session window (maxSessionFrames ${SESSION_FRAMES}): the session ends with amqp:session:window-violation`, async () => {
      raw = await openRaw(router.port);
      const begin = framesOf(raw.received, 'begin')[0];
      expect(begin.fields.incomingWindow).to.equal(SESSION_FRAMES);
      raw.frame(0, Descriptor.attach, { name: 'flood', handle: 0, role: false, sndSettleMode: 1, initialDeliveryCount: 0, source: { kind: Descriptor.source }, target: { kind: Descriptor.target, address: 'steady' } });
      await raw.expectFrame('attach');
      await raw.expect((i) => i.kind === 'frame' && i.name === 'flow' && i.fields.handle === 0, 'credit');
      // Twice the window in one write, ignoring the window entirely.
      const frames: Buffer[] = [];
      for (let id = 0; id < SESSION_FRAMES * 2; id++) {
        frames.push(raw.frameBytes(0, Descriptor.transfer, { handle: 0, deliveryId: id, deliveryTag: Buffer.from(`f${id}`), messageFormat: 0, settled: true }, { payload: AMQP_VALUE }));
      }
      raw.write(Buffer.concat(frames));
      const end = await raw.expectFrame('end');
      expect(errorOf(end)?.condition).to.equal('amqp:session:window-violation');
      await stillOpen(raw);
      await steady.expectFlowing();
    });
  });
});
