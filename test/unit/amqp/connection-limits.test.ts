// The limits a connection negotiates and enforces: max-frame-size (each side's frames capped
// by the peer's; a frame above ours closes the connection with framing-error), channel-max,
// the session incoming window (window-violation ends that session only), and idle timeout
// (heartbeats within the peer's idle-time-out; a silent peer closed with resource-limit-exceeded).

import { expect } from 'chai';
import { OutDelivery } from '../../../router/amqp/delivery';
import { Descriptor, ErrorCondition } from '../../../router/amqp/performatives';
import { Session } from '../../../router/amqp/session';
import type { ReceiverLink } from '../../../router/amqp/link';
import { RawAmqpClient, framesOf } from '../../helpers/raw-amqp-client';
import { enginePair, message, rawPeer, senderToServer, settle, tag, target, until } from './engine-pair';

const AMQP_VALUE = Buffer.from('005377a10178', 'hex'); // amqp-value "x"
/** Timers fire late under load: a gap may pass the idle-time-out by this much without being a fault. */
const TIMER_SLACK_MS = 100;

/** Raw peer: open, begin on `channel`, attach a sender (handle 0) to `address`. */
async function rawSender(peer: RawAmqpClient, channel = 0, address = 'q'): Promise<void> {
  peer.frame(channel, Descriptor.attach, { name: `raw-${channel}-${address}`, handle: 0, role: false, sndSettleMode: 1, target: target(address), initialDeliveryCount: 0 });
  await peer.expectFrame('attach');
}

function transferBytes(peer: RawAmqpClient, channel: number, ids: number[]): Buffer {
  return Buffer.concat(ids.map((id) => peer.frameBytes(channel, Descriptor.transfer, { handle: 0, deliveryId: id, deliveryTag: Buffer.from(`t${id}`), messageFormat: 0, settled: true }, { payload: AMQP_VALUE })));
}

describe('connection: max-frame-size', () => {
  it('each side caps its frames at the max-frame-size the other announced', async () => {
    const pair = enginePair({ maxFrameSize: 1024 }, { maxFrameSize: 600 });
    const { sender, receiver } = await senderToServer(pair);
    expect(framesOf(pair.serverWrote(), 'open')[0].fields.maxFrameSize).to.equal(1024);
    expect(framesOf(pair.clientWrote(), 'open')[0].fields.maxFrameSize).to.equal(600);
    expect(pair.client.outgoingFrameSize).to.equal(600);
    receiver.setCredit(1);
    sender.send(new OutDelivery(sender, { chunks: [Buffer.alloc(4000, 7)], chunkBase: 0, complete: true, aborted: false }, tag(), true));
    await until(() => pair.serverEvents.messages.length === 1, 'the message');
    expect(pair.serverEvents.messages[0].payload.length).to.equal(4000);
    for (const t of framesOf(pair.clientWrote(), 'transfer')) expect(t.size).to.be.at.most(600);

    // And the other way: the server's frames to the client stay within the client's 600.
    pair.clientEvents.answerAttach = (link) => { link.attach({ source: link.remoteAttach!.source, target: link.remoteAttach!.target }); (link as ReceiverLink).setCredit(1); };
    const s = pair.server.beginSession();
    const back = pair.server.attachSender(s, 'back', { target: target('c') });
    await until(() => back.linkCredit === 1, 'credit from the client');
    back.send(new OutDelivery(back, { chunks: [Buffer.alloc(4000, 9)], chunkBase: 0, complete: true, aborted: false }, tag(), true));
    await until(() => pair.clientEvents.messages.length === 1, 'the message at the client');
    const serverTransfers = framesOf(pair.serverWrote(), 'transfer');
    expect(serverTransfers.length).to.be.greaterThan(6);
    for (const t of serverTransfers) expect(t.size).to.be.at.most(600);
  });

  it('an incoming frame above our max-frame-size closes the connection with amqp:connection:framing-error', async () => {
    const pair = enginePair({ maxFrameSize: 1024 });
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(1);
    await until(() => sender.linkCredit === 1, 'credit');
    pair.client.outgoingFrameSize = 16384; // a peer that ignores our max-frame-size
    sender.send(new OutDelivery(sender, { chunks: [Buffer.alloc(4000)], chunkBase: 0, complete: true, aborted: false }, tag(), true));
    await until(() => pair.clientEvents.closed && pair.serverEvents.closed, 'both closed');
    expect(pair.clientEvents.closed!.error?.condition).to.equal('amqp:connection:framing-error');
    expect(pair.serverEvents.closed!.error?.condition).to.equal('amqp:connection:framing-error');
    const close = framesOf(pair.serverWrote(), 'close')[0];
    expect((close.fields.error as ErrorCondition).condition).to.equal('amqp:connection:framing-error');
    expect(pair.serverEvents.messages).to.have.length(0);
  });
});

describe('connection: channel-max', () => {
  it('announces channel-max and accepts a begin on it', async () => {
    const pair = enginePair({ channelMax: 3 });
    await until(() => pair.clientEvents.opened, 'open');
    expect(pair.client.remoteOpen!.channelMax).to.equal(3);
    const s = new Session(pair.client, 3);
    pair.client.sessions.set(3, s);
    s.begin();
    await until(() => s.remoteChannel >= 0, 'the begin answer');
    expect(pair.serverEvents.closed).to.equal(undefined);
  });

  it('a begin on a channel above channel-max closes the connection with amqp:connection:framing-error', async () => {
    const pair = enginePair({ channelMax: 3 });
    await until(() => pair.clientEvents.opened, 'open');
    const s = new Session(pair.client, 4);
    pair.client.sessions.set(4, s);
    s.begin();
    await until(() => pair.clientEvents.closed && pair.serverEvents.closed, 'both closed');
    expect(pair.clientEvents.closed!.error?.condition).to.equal('amqp:connection:framing-error');
    expect(framesOf(pair.serverWrote(), 'begin')).to.have.length(0);
  });
});

describe('connection: session incoming window', () => {
  it('announces sessionWindow as its incoming-window', async () => {
    const pair = enginePair({ sessionWindow: 4 });
    pair.client.beginSession();
    await until(() => framesOf(pair.serverWrote(), 'begin').length === 1, 'the begin');
    expect(framesOf(pair.serverWrote(), 'begin')[0].fields.incomingWindow).to.equal(4);
  });

  it('more transfers than the window ends that session with amqp:session:window-violation; the connection survives', async () => {
    const { peer, events } = rawPeer({ sessionWindow: 4 });
    events.answerAttach = (link) => { link.attach({ target: link.remoteAttach!.target }); (link as ReceiverLink).setCredit(100); };
    await peer.open();
    const begin = await peer.begin(0);
    expect(begin.fields.incomingWindow).to.equal(4);
    await rawSender(peer);
    await peer.expectFrame('flow');
    // Eight transfers in one write, without waiting for the window to reopen.
    peer.write(transferBytes(peer, 0, [0, 1, 2, 3, 4, 5, 6, 7]));
    const end = await peer.expectFrame('end', undefined, 1000);
    expect((end.fields.error as ErrorCondition | undefined)?.condition).to.equal('amqp:session:window-violation');
    expect(events.detaches.map((d) => d.error?.condition)).to.deep.equal(['amqp:session:window-violation']);
    await settle(10);
    expect(peer.closed).to.equal(false);
    expect(framesOf(peer.received, 'close')).to.have.length(0);

    // The peer answers the end and goes on with a new session on another channel.
    peer.frame(0, Descriptor.end, {});
    await peer.begin(1);
    peer.frame(1, Descriptor.attach, { name: 'after', handle: 0, role: false, sndSettleMode: 1, target: target('q'), initialDeliveryCount: 0 });
    await peer.expectFrame('attach');
    await peer.expectFrame('flow');
    peer.write(transferBytes(peer, 1, [0]));
    await until(() => events.messages.length >= 1 && events.messages[events.messages.length - 1].delivery.link.name === 'after', 'a message on the new session');
  });

  it('a peer keeping to the window is never cut off, whatever the number of transfers', async () => {
    const pair = enginePair({ sessionWindow: 4 });
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(3);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) sender.send(new OutDelivery(sender, message(`r${round}m${i}`), tag(), true));
      await until(() => pair.serverEvents.messages.length === 3 * (round + 1), `round ${round}`);
      receiver.addCredit(3);
    }
    expect(framesOf(pair.serverWrote(), 'end')).to.have.length(0);
  });

  it('after the engine ends a session, the peer may reuse that channel once it has answered the end', async () => {
    const { peer, server, events } = rawPeer();
    await peer.open();
    await peer.begin(0);
    const local = [...server.sessions.values()][0];
    local.end({ condition: 'amqp:internal-error', description: 'ended by us' });
    await peer.expectFrame('end');
    peer.frame(0, Descriptor.end, {});
    // Proton and rhea hand out the lowest free channel again: 0.
    const again = await peer.begin(0);
    expect(again.fields.remoteChannel).to.equal(0);
    expect(events.closed).to.equal(undefined);
  });
});

describe('connection: idle timeout', () => {
  it('announces half its idle timeout as idle-time-out', async () => {
    const { peer } = rawPeer({ idleTimeoutMs: 1000 });
    const open = await peer.open();
    expect(open.fields.idleTimeOut).to.equal(500);
    peer.destroy();
  });

  it('a silent peer gets the connection closed with amqp:resource-limit-exceeded', async function () {
    this.timeout(3000);
    const { peer, events } = rawPeer({ idleTimeoutMs: 500 });
    const openedAt = Date.now();
    await peer.open();
    const error = await peer.closeError(1500);
    const after = Date.now() - openedAt;
    expect(error?.condition).to.equal('amqp:resource-limit-exceeded');
    expect(after).to.be.within(450, 1200);
    await peer.waitClosed(1500);
    expect(events.closed!.error?.condition).to.equal('amqp:resource-limit-exceeded');
  });

  it('a peer sending heartbeats within the timeout is kept', async function () {
    this.timeout(3000);
    const { peer, events } = rawPeer({ idleTimeoutMs: 500 });
    await peer.open();
    const timer = setInterval(() => peer.heartbeat(), 150);
    await new Promise((r) => setTimeout(r, 1200));
    clearInterval(timer);
    expect(events.closed).to.equal(undefined);
    expect(framesOf(peer.received, 'close')).to.have.length(0);
    peer.destroy();
  });

  it('the server sends heartbeats often enough for the idle-time-out its peer announced', async function () {
    this.timeout(3000);
    const { peer } = rawPeer({ idleTimeoutMs: 1000 });
    await peer.open({ idleTimeOut: 600 });
    const keepAlive = setInterval(() => peer.heartbeat(), 200); // so that the server keeps us
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 1400));
    clearInterval(keepAlive);
    const times = [start, ...peer.received.filter((i) => i.kind === 'heartbeat').map((i) => i.at)];
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps.length, 'heartbeats received').to.be.at.least(2);
    expect(Math.max(...gaps), `gaps ${gaps.join(', ')} ms`).to.be.at.most(600 + TIMER_SLACK_MS);
    peer.destroy();
  });

  for (const clientIdleMs of [1200, undefined]) {
    it(`the client sends something at least once per the 600 ms idle-time-out the server announced (client idle timeout ${clientIdleMs ?? 'unset'})`, async function () {
      this.timeout(3000);
      const pair = enginePair({ idleTimeoutMs: 1200 }, { idleTimeoutMs: clientIdleMs });
      const arrivals: number[] = [];
      pair.serverEnd.on('data', () => arrivals.push(Date.now()));
      await until(() => pair.clientEvents.opened, 'open');
      expect(pair.client.remoteOpen!.idleTimeOut).to.equal(600);
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 1500));
      const times = [start, ...arrivals.filter((t) => t >= start)];
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect(pair.serverEvents.closed, 'the server closed the connection').to.equal(undefined);
      expect(Math.max(...gaps, Date.now() - times[times.length - 1]), `gaps ${gaps.join(', ')} ms`).to.be.at.most(600 + TIMER_SLACK_MS);
      pair.client.close();
    });
  }
});
