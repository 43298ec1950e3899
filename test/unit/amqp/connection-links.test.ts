// Two engine Connections over a duplex pair: the life of a connection in both directions
// (open, begin, attach, flow, transfer, disposition, detach, end, close), link credit and
// drain, the settle modes, ranged dispositions, multi-frame and aborted deliveries. The
// frames each side wrote are read back and checked, not just the events.

import { expect } from 'chai';
import { OutDelivery, PayloadSource } from '../../../router/amqp/delivery';
import { Accepted, Descriptor, Released, rejected } from '../../../router/amqp/performatives';
import type { ReceiverLink, SenderLink } from '../../../router/amqp/link';
import { WireItem, framesOf } from '../../helpers/raw-amqp-client';
import { enginePair, message, rawPeer, senderToServer, settle, source, tag, target, until } from './engine-pair';

const names = (items: WireItem[]): string[] => items.map((i) => (i.kind === 'frame' ? i.name : i.kind));

describe('connection: life cycle in both directions', () => {
  it('client → server: open, begin, attach, flow, transfer, disposition, detach, end, close', async () => {
    const pair = enginePair();
    const { client, server, serverEvents, clientEvents } = pair;
    const { sender, receiver } = await senderToServer(pair, 'q');
    expect(receiver.isSender).to.equal(false);
    expect(receiver.remoteAttach!.target!.address).to.equal('q');

    receiver.setCredit(10);
    await until(() => sender.linkCredit === 10, 'credit at the sender');
    expect(clientEvents.credits).to.include(sender);
    const out = new OutDelivery(sender, message('hello'), Buffer.from('tag-1'), false);
    sender.send(out);
    await until(() => serverEvents.messages.length === 1, 'the message');
    const { delivery, payload } = serverEvents.messages[0];
    expect(payload.toString()).to.equal('hello');
    expect(delivery.tag.toString()).to.equal('tag-1');
    expect(delivery.remoteSettled).to.equal(false);

    delivery.settle(Accepted);
    await until(() => clientEvents.dispositions.length === 1, 'the disposition');
    expect(out.remoteSettled).to.equal(true);
    expect(out.remoteState!.code).to.equal(Descriptor.accepted);

    sender.detach();
    await until(() => serverEvents.detaches.length === 1 && clientEvents.detaches.length === 1, 'detach on both sides');
    expect(serverEvents.detaches[0]).to.deep.include({ link: receiver, error: undefined, byPeer: true });
    expect(clientEvents.detaches[0]).to.deep.include({ link: sender, error: undefined, byPeer: true });

    const session = sender.session;
    session.end();
    await until(() => server.sessions.size === 0, 'the server to forget the session');
    await until(() => framesOf(pair.serverWrote(), 'end').length === 1, 'the end answer');

    client.close();
    await until(() => serverEvents.closed && clientEvents.closed, 'both closed');
    expect(serverEvents.closed!.error).to.equal(undefined);
    expect(clientEvents.closed!.error).to.equal(undefined);

    expect(names(pair.clientWrote())).to.deep.equal(['header', 'open', 'begin', 'attach', 'transfer', 'detach', 'end', 'close']);
    expect(names(pair.serverWrote())).to.deep.equal(['header', 'open', 'begin', 'attach', 'flow', 'disposition', 'detach', 'end', 'close']);
    const detach = framesOf(pair.clientWrote(), 'detach')[0];
    expect(detach.fields).to.include({ handle: sender.handle, closed: true });
  });

  it('server → client: the server begins, attaches a sender, sends; then detaches, ends and closes with errors', async () => {
    const pair = enginePair();
    const { client, server, serverEvents, clientEvents } = pair;
    await until(() => serverEvents.opened && clientEvents.opened, 'open');
    clientEvents.answerAttach = (link) => {
      link.attach({ source: link.remoteAttach!.source, target: target('client-in') });
      (link as ReceiverLink).setCredit(3);
    };
    const session = server.beginSession();
    const sender = server.attachSender(session, 'to-client', { source: source('events'), target: target('client-in') });
    await until(() => sender.linkCredit === 3, 'credit from the client');
    expect(client.sessions.size).to.equal(1);

    const out = new OutDelivery(sender, message('from the server'), tag(), false);
    sender.send(out);
    await until(() => clientEvents.messages.length === 1, 'the message at the client');
    expect(clientEvents.messages[0].payload.toString()).to.equal('from the server');
    clientEvents.messages[0].delivery.settle(Released);
    await until(() => out.remoteSettled, 'the disposition');
    expect(out.remoteState!.code).to.equal(Descriptor.released);

    sender.detach({ condition: 'amqp:resource-deleted', description: 'gone' });
    await until(() => clientEvents.detaches.length === 1, 'the detach at the client');
    expect(clientEvents.detaches[0].error).to.deep.include({ condition: 'amqp:resource-deleted', description: 'gone' });
    expect(clientEvents.detaches[0].byPeer).to.equal(true);

    session.end({ condition: 'amqp:internal-error', description: 'session over' });
    await until(() => client.sessions.size === 0, 'the client to forget the session');

    server.close({ condition: 'amqp:connection:forced', description: 'shutting down' });
    await until(() => clientEvents.closed && serverEvents.closed, 'both closed');
    expect(clientEvents.closed!.error).to.deep.include({ condition: 'amqp:connection:forced', description: 'shutting down' });
    const clientSaw = names(pair.serverWrote());
    expect(clientSaw).to.deep.equal(['header', 'open', 'begin', 'attach', 'transfer', 'detach', 'end', 'close']);
    expect(names(pair.clientWrote())).to.deep.equal(['header', 'open', 'begin', 'attach', 'flow', 'disposition', 'detach', 'end', 'close']);
  });

  it('writes no transfer after its own close, even when the peer grants credit before answering', async () => {
    const { peer, server, events } = rawPeer();
    await peer.open();
    await peer.begin(0);
    peer.frame(0, Descriptor.attach, { name: 'rx', handle: 0, role: true, source: source('q'), target: target('me') });
    await peer.expectFrame('attach');
    const link = events.attaches[0] as SenderLink;
    for (let i = 0; i < 3; i++) link.send(new OutDelivery(link, message(`m${i}`), tag(), true));
    server.close({ condition: 'amqp:connection:forced', description: 'shutting down' });
    await peer.expectFrame('close');
    // The peer's flow was on its way before it saw our close.
    peer.frame(0, Descriptor.flow, { nextIncomingId: 0, incomingWindow: 100, nextOutgoingId: 0, outgoingWindow: 100, handle: 0, deliveryCount: 0, linkCredit: 10 });
    await settle(20);
    const names = peer.received.map((i) => (i.kind === 'frame' ? i.name : i.kind));
    expect(names.slice(names.indexOf('close') + 1), 'frames after our close').to.deep.equal([]);
  });

  it('writes no transfer after answering the peer\'s close, even for a message that came in just before it', async () => {
    // The application relays every message from link "in" to link "out", both on this connection.
    const { peer, events } = rawPeer();
    events.answerAttach = (link) => {
      link.attach({ source: link.remoteAttach!.source, target: link.remoteAttach!.target });
      if (!link.isSender) (link as ReceiverLink).setCredit(10);
    };
    events.onMessage = (d, payload) => {
      const out = events.attaches.find((l) => l.name === 'out') as SenderLink;
      out.send(new OutDelivery(out, message(payload.toString()), tag(), true));
      d.settle(Accepted);
    };
    await peer.open();
    await peer.begin(0);
    peer.frame(0, Descriptor.attach, { name: 'out', handle: 0, role: true, source: source('q'), target: target('me') });
    peer.frame(0, Descriptor.flow, { nextIncomingId: 0, incomingWindow: 100, nextOutgoingId: 0, outgoingWindow: 100, handle: 0, deliveryCount: 0, linkCredit: 10 });
    peer.frame(0, Descriptor.attach, { name: 'in', handle: 1, role: false, sndSettleMode: 1, target: target('q'), initialDeliveryCount: 0 });
    await peer.expect((i) => i.kind === 'frame' && i.name === 'flow' && i.fields.handle === 1, 'credit on "in"');
    // A message and the close in one write: the relayed copy must not follow our close.
    peer.write(Buffer.concat([
      peer.frameBytes(0, Descriptor.transfer, { handle: 1, deliveryId: 0, deliveryTag: Buffer.from('x'), messageFormat: 0, settled: true }, { payload: Buffer.from('last words') }),
      peer.frameBytes(0, Descriptor.close, {}),
    ]));
    await peer.expectFrame('close');
    await settle(20);
    const names = peer.received.map((i) => (i.kind === 'frame' ? i.name : i.kind));
    expect(names.slice(names.indexOf('close') + 1), 'frames after our close').to.deep.equal([]);
  });

  it('a session ended locally is forgotten once the peer answers, and its channel is reused', async () => {
    const pair = enginePair();
    const s1 = pair.client.beginSession();
    expect(s1.channel).to.equal(0);
    await until(() => s1.remoteChannel >= 0, 'the begin answer');
    s1.end();
    await until(() => framesOf(pair.serverWrote(), 'end').length === 1, "the server's end");
    await settle(10);
    expect(s1.remoteEnded, "the client took in the server's end").to.equal(true);
    expect([...pair.client.sessions.keys()], 'sessions still held by the client').to.deep.equal([]);
    const s2 = pair.client.beginSession();
    expect(s2.channel).to.equal(0);
  });
});

describe('connection: link credit and drain', () => {
  it('sends no transfer without credit, then exactly as many as the credit allows', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    for (let i = 0; i < 3; i++) sender.send(new OutDelivery(sender, message(`m${i}`), tag(), true));
    await settle(10);
    expect(framesOf(pair.clientWrote(), 'transfer')).to.have.length(0);
    expect(sender.queue).to.have.length(3);

    receiver.setCredit(1);
    await until(() => pair.serverEvents.messages.length === 1, 'one message');
    await settle(10);
    expect(framesOf(pair.clientWrote(), 'transfer')).to.have.length(1);
    expect(sender.queue).to.have.length(2);
    expect(sender.linkCredit).to.equal(0);

    receiver.addCredit(2);
    await until(() => pair.serverEvents.messages.length === 3, 'three messages');
    expect(pair.serverEvents.messages.map((m) => m.payload.toString())).to.deep.equal(['m0', 'm1', 'm2']);
    expect(receiver.deliveryCount).to.equal(3);
    expect(receiver.linkCredit).to.equal(0);
  });

  it('a transfer beyond credit detaches the link with amqp:link:transfer-limit-exceeded; the connection stays open', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(1);
    await until(() => sender.linkCredit === 1, 'credit 1');
    sender.linkCredit = 3; // a sender that ignores its credit
    sender.send(new OutDelivery(sender, message('allowed'), tag(), true));
    sender.send(new OutDelivery(sender, message('beyond'), tag(), true));
    await until(() => pair.clientEvents.detaches.length === 1, 'the detach');
    const d = pair.clientEvents.detaches[0];
    expect(d.link).to.equal(sender);
    expect(d.error?.condition).to.equal('amqp:link:transfer-limit-exceeded');
    expect(pair.serverEvents.messages.map((m) => m.payload.toString())).to.deep.equal(['allowed']);
    const detach = framesOf(pair.serverWrote(), 'detach')[0];
    expect((detach.fields.error as { condition: string }).condition).to.equal('amqp:link:transfer-limit-exceeded');

    // The connection and the session go on: a new link works.
    expect(pair.client.closed || pair.server.closed).to.equal(false);
    const again = pair.client.attachSender(sender.session, 'second', { source: source('c'), target: target('q2') });
    await until(() => again.remoteAttach, 'the second attach');
    const r2 = pair.serverEvents.attaches.find((l) => l.name === 'second') as ReceiverLink;
    r2.setCredit(1);
    again.send(new OutDelivery(again, message('after'), tag(), true));
    await until(() => pair.serverEvents.messages.length === 2, 'the message on the new link');
    expect(pair.serverEvents.messages[1].payload.toString()).to.equal('after');
    expect(pair.serverEvents.closed).to.equal(undefined);
  });

  it('drain with nothing to send: the sender uses up its credit and reports it in a flow', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(5, true);
    await until(() => pair.serverEvents.receiverFlows.length === 1, "the sender's flow");
    const flow = pair.serverEvents.receiverFlows[0];
    expect(flow).to.include({ deliveryCount: 5, linkCredit: 0 });
    expect(receiver.linkCredit).to.equal(0);
    expect(receiver.deliveryCount).to.equal(5);
    expect(sender.linkCredit).to.equal(0);
    expect(sender.deliveryCount).to.equal(5);
    const serverFlow = framesOf(pair.serverWrote(), 'flow')[0];
    expect(serverFlow.fields).to.include({ linkCredit: 5, drain: true, deliveryCount: 0 });
  });

  it('drain with two queued: two transfers, then the rest of the credit is used up', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    sender.send(new OutDelivery(sender, message('a'), tag(), true));
    sender.send(new OutDelivery(sender, message('b'), tag(), true));
    receiver.setCredit(5, true);
    await until(() => pair.serverEvents.receiverFlows.length === 1, "the sender's flow");
    expect(pair.serverEvents.messages.map((m) => m.payload.toString())).to.deep.equal(['a', 'b']);
    expect(pair.serverEvents.receiverFlows[0]).to.include({ deliveryCount: 5, linkCredit: 0 });
    expect(receiver.linkCredit).to.equal(0);
    expect(names(pair.clientWrote()).slice(-3)).to.deep.equal(['transfer', 'transfer', 'flow']);
  });

  it('a sender blocked by the peer\'s session window resumes when a session flow opens it', async () => {
    // The server grants 4 transfers of session window at a time; the client must wait for the
    // server's session flow after each batch and then go on.
    const pair = enginePair({ sessionWindow: 4 });
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(20);
    for (let i = 0; i < 12; i++) sender.send(new OutDelivery(sender, message(`m${i}`), tag(), true));
    await until(() => pair.serverEvents.messages.length === 12, () => `12 messages (got ${pair.serverEvents.messages.length})`);
    expect(pair.serverEvents.closed).to.equal(undefined);
    expect(framesOf(pair.serverWrote(), 'end')).to.have.length(0);
  });
});

describe('connection: settle modes', () => {
  it('pre-settled: no disposition either way, nothing left unsettled', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair, 'q', { sndSettleMode: 1 });
    expect(receiver.remoteAttach!.sndSettleMode).to.equal(1);
    receiver.setCredit(5);
    const out = new OutDelivery(sender, message('fire and forget'), tag(), true);
    sender.send(out);
    await until(() => pair.serverEvents.messages.length === 1, 'the message');
    const d = pair.serverEvents.messages[0].delivery;
    expect(d.remoteSettled).to.equal(true);
    d.settle(Accepted); // nothing to tell a sender that settled first
    await settle(10);
    expect(framesOf(pair.clientWrote(), 'transfer')[0].fields.settled).to.equal(true);
    expect(framesOf(pair.serverWrote(), 'disposition')).to.have.length(0);
    expect(pair.clientEvents.sent).to.include(out);
    expect(out.localSettled).to.equal(true);
    expect(sender.session.unsettledOut.size).to.equal(0);
    expect(receiver.session.unsettledIn.size).to.equal(0);
  });

  it('unsettled, receiver settles first: one settled disposition, the sender settles silently', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair, 'q', { sndSettleMode: 0, rcvSettleMode: 0 });
    receiver.setCredit(5);
    const out = new OutDelivery(sender, message('m'), tag(), false);
    sender.send(out);
    await until(() => pair.serverEvents.messages.length === 1, 'the message');
    expect(receiver.session.unsettledIn.size).to.equal(1);
    pair.serverEvents.messages[0].delivery.settle(rejected('amqp:not-allowed', 'no'));
    await until(() => out.remoteSettled, 'the disposition');
    expect(out.remoteState!.code).to.equal(Descriptor.rejected);
    expect(receiver.session.unsettledIn.size).to.equal(0);
    expect(sender.session.unsettledOut.size).to.equal(0);
    out.settle();
    await settle(10);
    expect(framesOf(pair.clientWrote(), 'disposition')).to.have.length(0);
    const disp = framesOf(pair.serverWrote(), 'disposition');
    expect(disp).to.have.length(1);
    expect(disp[0].fields).to.include({ role: true, first: out.id, settled: true });
  });

  it('unsettled, receiver settles second: state first, the sender settles, then the receiver', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair, 'q', { sndSettleMode: 0, rcvSettleMode: 1 });
    expect(receiver.remoteAttach!.rcvSettleMode).to.equal(1);
    expect(sender.remoteAttach!.rcvSettleMode).to.equal(1);
    receiver.setCredit(5);
    const out = new OutDelivery(sender, message('m'), tag(), false);
    sender.send(out);
    await until(() => pair.serverEvents.messages.length === 1, 'the message');
    const d = pair.serverEvents.messages[0].delivery;

    d.settle(Accepted, false); // the outcome, not settled yet
    await until(() => pair.clientEvents.dispositions.length === 1, 'the outcome at the sender');
    expect(out.remoteState!.code).to.equal(Descriptor.accepted);
    expect(out.remoteSettled).to.equal(false);
    expect(framesOf(pair.serverWrote(), 'disposition')[0].fields).to.include({ role: true, first: out.id, settled: false });

    out.settle();
    await until(() => pair.serverEvents.senderSettled.length === 1, 'the sender settlement at the receiver');
    expect(pair.serverEvents.senderSettled[0]).to.deep.include({ delivery: d, settled: true });
    expect(framesOf(pair.clientWrote(), 'disposition')[0].fields).to.include({ role: false, first: out.id, settled: true });
    expect(receiver.session.unsettledIn.size).to.equal(0);
    expect(sender.session.unsettledOut.size).to.equal(0);
  });
});

describe('connection: ranged dispositions', () => {
  async function deliver(n: number) {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(n);
    const outs: OutDelivery[] = [];
    for (let i = 0; i < n; i++) { const o = new OutDelivery(sender, message(`m${i}`), tag(), false); outs.push(o); sender.send(o); }
    await until(() => pair.serverEvents.messages.length === n, `${n} messages`);
    return { pair, sender, receiver, outs, ins: pair.serverEvents.messages.map((m) => m.delivery) };
  }

  it('five consecutive settles in one turn become one disposition frame first=0 last=4', async () => {
    const { pair, outs, ins } = await deliver(5);
    for (const d of ins) d.settle(Accepted);
    await until(() => outs.every((o) => o.remoteSettled), 'all settled');
    const disps = framesOf(pair.serverWrote(), 'disposition');
    expect(disps).to.have.length(1);
    expect(disps[0].fields).to.include({ role: true, first: 0, last: 4, settled: true });
    expect(outs.every((o) => o.remoteState!.code === Descriptor.accepted)).to.equal(true);
  });

  it('settles out of order coalesce; a different outcome or a gap starts a new range', async () => {
    const { pair, outs, ins } = await deliver(7);
    const bad = rejected('amqp:invalid-field', 'bad');
    for (const i of [1, 0, 4, 3]) ins[i].settle(Accepted);
    ins[2].settle(Released);
    ins[6].settle(bad);
    // ins[5] stays unsettled
    await until(() => pair.clientEvents.dispositions.length === 6, 'six dispositions');
    const ranges = framesOf(pair.serverWrote(), 'disposition').map((f) => [f.fields.first, f.fields.last ?? f.fields.first, (f.fields.state as { code: number }).code]);
    expect(ranges).to.deep.equal([[0, 1, Descriptor.accepted], [2, 2, Descriptor.released], [3, 4, Descriptor.accepted], [6, 6, Descriptor.rejected]]);
    expect(outs.map((o) => o.remoteSettled)).to.deep.equal([true, true, true, true, true, false, true]);
    expect(outs[2].remoteState!.code).to.equal(Descriptor.released);
    expect(outs[6].remoteState!.raw.equals(bad.raw)).to.equal(true);
  });

  it('a ranged disposition from the peer settles every delivery in the range, and only those', async () => {
    const { pair, sender, outs } = await deliver(6);
    const rawServer = pair.server;
    // The server's receiver session answers with a hand-made range 1..4.
    const session = [...rawServer.sessions.values()][0];
    session.sendFrame(Descriptor.disposition, { role: true, first: 1, last: 4, settled: true, state: Accepted });
    await until(() => pair.clientEvents.dispositions.length === 4, 'four dispositions');
    expect(outs.map((o) => o.remoteSettled)).to.deep.equal([false, true, true, true, true, false]);
    expect([...sender.session.unsettledOut.keys()].sort()).to.deep.equal([0, 5]);
  });
});

describe('connection: multi-frame and aborted deliveries', () => {
  it('splits a message larger than the peer\'s max-frame-size into frames no larger, and it arrives whole', async () => {
    const pair = enginePair({ maxFrameSize: 512 });
    const { sender, receiver } = await senderToServer(pair);
    expect(pair.client.outgoingFrameSize).to.equal(512);
    receiver.setCredit(1);
    const body = Buffer.alloc(5000);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    sender.send(new OutDelivery(sender, { chunks: [body], chunkBase: 0, complete: true, aborted: false }, tag(), false));
    await until(() => pair.serverEvents.messages.length === 1, 'the message');
    expect(pair.serverEvents.messages[0].payload.equals(body)).to.equal(true);
    const transfers = framesOf(pair.clientWrote(), 'transfer');
    expect(transfers.length).to.be.greaterThan(9);
    for (const t of transfers) expect(t.size).to.be.at.most(512);
    expect(transfers.map((t) => t.fields.more === true)).to.deep.equal(transfers.map((_, i) => i < transfers.length - 1));
    expect(transfers.reduce((n, t) => n + t.payload.length, 0)).to.equal(5000);
    // The receiver saw it frame by frame but only one complete message.
    expect(pair.serverEvents.transferCalls.filter((c) => c.complete)).to.have.length(1);
  });

  it('an aborted delivery never reaches the receiver as a message; the next one does', async () => {
    const pair = enginePair({ maxFrameSize: 512 });
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(5);
    const src: PayloadSource = { chunks: [Buffer.alloc(1500, 0x61)], chunkBase: 0, complete: false, aborted: false };
    const out = new OutDelivery(sender, src, tag(), false);
    sender.send(out);
    await until(() => pair.serverEvents.transferCalls.length >= 3, 'the first frames');
    expect(pair.server.heldBytes).to.be.greaterThan(1000);
    src.aborted = true;
    pair.client.wake(sender);
    await until(() => pair.serverEvents.aborted.length === 1, 'the abort');
    const d = pair.serverEvents.aborted[0];
    expect(d.aborted).to.equal(true);
    expect(d.chunks).to.have.length(0);
    expect(pair.serverEvents.messages).to.have.length(0);
    expect(receiver.session.unsettledIn.size).to.equal(0);
    expect(pair.server.heldBytes).to.equal(0);
    const last = framesOf(pair.clientWrote(), 'transfer').pop()!;
    expect(last.fields).to.include({ aborted: true });
    expect(last.payload.length).to.equal(0);

    sender.send(new OutDelivery(sender, message('whole'), tag(), false));
    await until(() => pair.serverEvents.messages.length === 1, 'the next message');
    expect(pair.serverEvents.messages[0].payload.toString()).to.equal('whole');
    expect(pair.serverEvents.messages[0].delivery.id).to.equal(out.id + 1);
    expect(receiver.deliveryCount).to.equal(2);
  });
});

