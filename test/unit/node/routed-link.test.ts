// A routed link between two engine connections with no sockets (reference §6.1 steps 3–5):
//
//   client ══ [near] router [far] ══ broker
//
// The router side of each connection hands every event of a routed link to the RoutedLink, as
// link-route-events.ts does in the router. Attach reply, credit, drain, tags, dispositions,
// detach with its answer held back, and the loss of either side.

import { expect } from 'chai';
import { Connection, ConnectionEvents } from '../../../router/amqp/connection';
import { OutDelivery, PayloadSource } from '../../../router/amqp/delivery';
import type { Link, ReceiverLink, SenderLink } from '../../../router/amqp/link';
import { Accepted, DeliveryState, Descriptor, rejected } from '../../../router/amqp/performatives';
import { forwardTerminus } from '../../../router/node/link-route-termini';
import { RoutedLink } from '../../../router/node/routed-link';
import { duplexPair, DuplexEnd } from '../../helpers/duplex-pair';
import { Recorder, message, settle, source, target, until } from '../amqp/engine-pair';

interface Setup {
  client: Connection; clientEvents: Recorder;
  broker: Connection; brokerEvents: Recorder; brokerEnd: DuplexEnd;
  routerNear: Connection; routerFar: Connection;
  routed: RoutedLink[]; finished: RoutedLink[];
}

function setup(maxFrameSize?: number): Setup {
  const routed: RoutedLink[] = [];
  const finished: RoutedLink[] = [];
  const far: { c?: Connection } = {}; // made after the events that use it
  const r = (l: Link): RoutedLink => l.context as RoutedLink;
  const routerEvents: ConnectionEvents = {
    onAttach(link) {
      if (link.context instanceof RoutedLink) return link.context.onAttach(link);
      const a = link.remoteAttach!;
      const session = far.c!.beginSession();
      routed.push(new RoutedLink(link, {
        session, dedicated: true, name: `${link.name}@client`,
        attach: { source: forwardTerminus(a.source), target: forwardTerminus(a.target), sndSettleMode: a.sndSettleMode, rcvSettleMode: a.rcvSettleMode },
      }, (x) => finished.push(x)));
    },
    onDetach: (link, error) => r(link).onDetach(link, error),
    onCredit: (link) => r(link).onCredit(),
    onReceiverFlow: (link) => r(link).onReceiverFlow(),
    onTransfer: (d) => r(d.link).onTransfer(d),
    onSent: (out) => r(out.link).onSent(out),
    onDisposition: (out) => r(out.link).onDisposition(out),
    onSenderSettled: (d, state, settled) => r(d.link).onSenderSettled(d, state as DeliveryState | undefined, settled),
  };
  const [clientEnd, nearEnd] = duplexPair();
  const [farEnd, brokerEnd] = duplexPair();
  const clientEvents = new Recorder();
  const brokerEvents = new Recorder();
  const routerNear = new Connection(nearEnd, { server: true, containerId: 'router', maxFrameSize }, routerEvents);
  const routerFar = new Connection(farEnd, { server: false, containerId: 'router', maxFrameSize }, routerEvents);
  far.c = routerFar;
  const client = new Connection(clientEnd, { server: false, containerId: 'client', maxFrameSize }, clientEvents);
  const broker = new Connection(brokerEnd, { server: true, containerId: 'broker', maxFrameSize }, brokerEvents);
  return { client, clientEvents, broker, brokerEvents, brokerEnd, routerNear, routerFar, routed, finished };
}

/** A client sender to `address`, attached through to the broker. */
async function clientSender(s: Setup, address = 'q'): Promise<{ sender: SenderLink; brokerReceiver: ReceiverLink }> {
  const sender = s.client.attachSender(s.client.beginSession(), 'snd', { source: source('client'), target: target(address) });
  await until(() => sender.remoteAttach, 'the attach answer through the router');
  const brokerReceiver = s.brokerEvents.attaches.find((l) => l.name === 'snd@client') as ReceiverLink;
  return { sender, brokerReceiver };
}

async function clientReceiver(s: Setup, address = 'q'): Promise<{ receiver: ReceiverLink; brokerSender: SenderLink }> {
  const receiver = s.client.attachReceiver(s.client.beginSession(), 'rcv', { source: source(address), target: target('client') });
  await until(() => receiver.remoteAttach, 'the attach answer through the router');
  const brokerSender = s.brokerEvents.attaches.find((l) => l.name === 'rcv@client') as SenderLink;
  return { receiver, brokerSender };
}

describe('routed link (link routes): two engine connections joined', () => {
  it('the broker\'s answer, its credit, the client\'s transfers with their tags and the broker\'s outcome pass through', async () => {
    const s = setup();
    const { sender, brokerReceiver } = await clientSender(s);
    expect(brokerReceiver.remoteAttach!.target).to.include({ address: 'q', expiryPolicy: 'session-end' });
    expect(sender.remoteAttach!.role).to.equal(true);
    brokerReceiver.setCredit(3);
    await until(() => sender.linkCredit === 3, 'credit 3 at the client');
    const outs = [0, 1].map((i) => new OutDelivery(sender, message(`m${i}`), Buffer.from(`tag-${i}`), false));
    for (const o of outs) sender.send(o);
    await until(() => s.brokerEvents.messages.length === 2, 'two at the broker');
    expect(s.brokerEvents.messages.map((m) => [m.delivery.tag.toString(), m.payload.toString()])).to.deep.equal([['tag-0', 'm0'], ['tag-1', 'm1']]);
    s.brokerEvents.messages[0].delivery.settle(Accepted);
    s.brokerEvents.messages[1].delivery.settle(rejected('b:no', 'not here'));
    await until(() => outs.every((o) => o.remoteSettled), 'both settled at the client');
    expect(outs[0].remoteState!.code).to.equal(Descriptor.accepted);
    expect(Buffer.from(outs[1].remoteState!.raw).equals(rejected('b:no', 'not here').raw)).to.equal(true);
    // The credit the client sees is what the broker gave, less what went.
    expect(sender.linkCredit).to.equal(1);
  });

  it('a message is streamed on frame by frame, and an abort from the client is passed on to the broker', async () => {
    const s = setup(512);
    const { sender, brokerReceiver } = await clientSender(s);
    brokerReceiver.setCredit(2);
    await until(() => sender.linkCredit === 2, 'credit');
    const src: PayloadSource = { chunks: [Buffer.alloc(1500, 0x61)], chunkBase: 0, complete: false, aborted: false };
    sender.send(new OutDelivery(sender, src, Buffer.from('big'), false));
    // Not complete at the client, yet its frames are already at the broker.
    await until(() => s.brokerEvents.transferCalls.length >= 3, 'the first frames at the broker');
    expect(s.brokerEvents.messages).to.have.length(0);
    src.aborted = true;
    s.client.wake(sender);
    await until(() => s.brokerEvents.aborted.length === 1, 'the abort at the broker');
    expect(s.brokerEvents.aborted[0].tag.toString()).to.equal('big');
    expect(s.routerNear.heldBytes + s.routerFar.heldBytes).to.equal(0);
    sender.send(new OutDelivery(sender, message('next'), Buffer.from('n'), false));
    await until(() => s.brokerEvents.messages.length === 1, 'the next message');
  });

  it('settle mode second: the broker\'s unsettled outcome, then the client\'s settlement, pass through', async () => {
    const s = setup();
    const { sender, brokerReceiver } = await clientSender(s);
    brokerReceiver.setCredit(1);
    await until(() => sender.linkCredit === 1, 'credit');
    const out = new OutDelivery(sender, message('second'), Buffer.from('s'), false);
    sender.send(out);
    await until(() => s.brokerEvents.messages.length === 1, 'the message');
    s.brokerEvents.messages[0].delivery.settle(Accepted, false); // outcome, not settled
    await until(() => out.remoteState !== undefined, 'the outcome at the client');
    expect(out.remoteSettled).to.equal(false);
    out.settle();
    await until(() => s.brokerEvents.senderSettled.length === 1, 'the client\'s settlement at the broker');
    expect(s.brokerEvents.senderSettled[0].settled).to.equal(true);
  });

  it('credit and drain go from the client receiver to the broker sender; the broker\'s drained answer comes back', async () => {
    const s = setup();
    const { receiver, brokerSender } = await clientReceiver(s);
    receiver.setCredit(5);
    await until(() => brokerSender.linkCredit === 5, 'credit 5 at the broker');
    brokerSender.send(new OutDelivery(brokerSender, message('one'), Buffer.from('b-1'), false));
    await until(() => s.clientEvents.messages.length === 1, 'one message at the client');
    expect(s.clientEvents.messages[0].delivery.tag.toString()).to.equal('b-1');
    receiver.setCredit(4, true);
    await until(() => receiver.linkCredit === 0 && receiver.deliveryCount === 5, 'the drained answer at the client');
    expect(brokerSender.deliveryCount).to.equal(5);
  });

  it('a client detach reaches the broker; the client\'s answer waits for the broker\'s', async () => {
    const s = setup();
    const { sender, brokerReceiver } = await clientSender(s);
    brokerReceiver.deferDetachReply = true; // the broker takes its time to answer
    sender.detach(undefined, true);
    await until(() => s.brokerEvents.detaches.some((d) => d.link === brokerReceiver), 'the detach at the broker');
    await settle(10);
    expect(s.clientEvents.detaches).to.have.length(0);
    brokerReceiver.detach(undefined, true);
    await until(() => s.clientEvents.detaches.length === 1, 'the answer at the client');
    expect(s.routed[0].near.localDetached).to.equal(true);
    await until(() => s.finished.length === 1, 'the routed link finished');
    expect(s.routed[0].far.session.localEnded).to.equal(true); // its own session, ended with it
  });

  it('the broker\'s detach with an error reaches the client with that error', async () => {
    const s = setup();
    const { sender, brokerReceiver } = await clientSender(s);
    brokerReceiver.detach({ condition: 'b:gone', description: 'queue deleted' });
    await until(() => s.clientEvents.detaches.length === 1, 'the detach at the client');
    expect(s.clientEvents.detaches[0].error).to.deep.include({ condition: 'b:gone' });
    expect(sender.remoteDetach!.closed).to.equal(true);
    await until(() => s.finished.length === 1, 'finished');
  });

  it('the broker lost: unsettled deliveries come back modified (delivery-failed), then qd:routed-link-lost', async () => {
    const s = setup();
    const { sender, brokerReceiver } = await clientSender(s);
    brokerReceiver.setCredit(5);
    await until(() => sender.linkCredit === 5, 'credit');
    const outs = [0, 1].map((i) => new OutDelivery(sender, message(`m${i}`), Buffer.from(`t${i}`), false));
    for (const o of outs) sender.send(o);
    await until(() => s.brokerEvents.messages.length === 2, 'two at the broker, unsettled');
    s.brokerEnd.destroy();
    await until(() => s.clientEvents.detaches.length === 1, 'the detach at the client');
    expect(s.clientEvents.detaches[0].error).to.deep.include({ condition: 'qd:routed-link-lost', description: 'Connectivity to the peer container was lost' });
    expect(outs.every((o) => o.remoteSettled && o.remoteState?.code === Descriptor.modified)).to.equal(true);
    await until(() => s.finished.length === 1, 'finished');
  });

  it('the client lost while the broker had not answered yet: the late answer is no new link, and all is cleaned up', async () => {
    const s = setup();
    s.brokerEvents.answerAttach = undefined;
    s.client.attachSender(s.client.beginSession(), 'early', { source: source('c'), target: target('q') });
    await until(() => s.brokerEvents.attaches.length === 1, 'the attach at the broker');
    s.client.abort();
    await until(() => s.brokerEvents.detaches.length === 1, 'the routed-link-lost detach at the broker');
    expect(s.brokerEvents.detaches[0].error?.condition).to.equal('qd:routed-link-lost');
    const theirs = s.brokerEvents.attaches[0];
    theirs.attach({ source: theirs.remoteAttach!.source, target: theirs.remoteAttach!.target });
    await until(() => s.finished.length === 1, 'finished');
    await settle(5);
    expect(s.routed).to.have.length(1); // the answer went to the routed link, not to a new one
    expect(s.routed[0].far.session.localEnded).to.equal(true);
  });
});
