// What the engine offers a router that proxies links (link routes): a sender and a receiver of
// the same name in one session, a peer's detach answered when the router says, a drain that
// waits for the far sender, and a sender's state carried on the transfer and in dispositions.

import { expect } from 'chai';
import { OutDelivery } from '../../../router/amqp/delivery';
import { Descriptor, DeliveryState } from '../../../router/amqp/performatives';
import { Encoder } from '../../../router/amqp/codec/encoder';
import { Described, Typed } from '../../../router/amqp/codec/values';
import type { ReceiverLink, SenderLink } from '../../../router/amqp/link';
import { framesOf } from '../../helpers/raw-amqp-client';
import { enginePair, message, senderToServer, settle, source, tag, target, until } from './engine-pair';

/** transactional-state(txn-id, outcome accepted), as a coordinator client sends it. */
function transactionalState(txnId: string): DeliveryState {
  const e = new Encoder(64);
  e.value(new Described(new Typed('ulong', Descriptor.transactionalState), [Buffer.from(txnId), new Described(new Typed('ulong', Descriptor.accepted), [])]));
  return { code: Descriptor.transactionalState, raw: e.take() };
}

describe('connection: what link routes need of the engine', () => {
  it('a sender and a receiver with the same name in one session are two links; each answer finds its own', async () => {
    const pair = enginePair();
    const session = pair.client.beginSession();
    const r = pair.client.attachReceiver(session, 'same-name', { source: source('q'), target: target('me') });
    const s = pair.client.attachSender(session, 'same-name', { source: source('me'), target: target('q') });
    await until(() => r.remoteAttach && s.remoteAttach, 'both answers');
    expect(r.remoteAttach!.role).to.equal(false);
    expect(s.remoteAttach!.role).to.equal(true);
    // Only the server saw new links: both answers reached the client's own links.
    expect(pair.clientEvents.attaches).to.deep.equal([r, s]);
    expect(pair.serverEvents.attaches).to.have.length(2);
  });

  it('a link detached before the peer answered: the late answer and detach find it (not a new link)', async () => {
    const pair = enginePair();
    pair.serverEvents.answerAttach = undefined; // the server answers later
    const session = pair.client.beginSession();
    const s = pair.client.attachSender(session, 'early', { source: source('me'), target: target('q') });
    await until(() => pair.serverEvents.attaches.length === 1, 'the attach at the server');
    s.detach({ condition: 'x:changed-my-mind' });
    await settle(5);
    const theirs = pair.serverEvents.attaches[0];
    theirs.attach({ source: theirs.remoteAttach!.source, target: theirs.remoteAttach!.target });
    await until(() => pair.clientEvents.detaches.length === 1, 'the detach answer at the client');
    expect(pair.clientEvents.attaches).to.deep.equal([s]); // the answer reached our link
    expect(pair.clientEvents.detaches[0].link).to.equal(s);
    expect(framesOf(pair.clientWrote(), 'attach')).to.have.length(1); // nothing answered as new
    expect(session.findLink('early', true)).to.equal(undefined);
  });

  it('deferDetachReply: the peer\'s detach is recorded and answered only when the router detaches', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    receiver.deferDetachReply = true;
    sender.detach({ condition: 'x:gone', description: 'why' });
    await until(() => pair.serverEvents.detaches.length === 1, 'the detach at the server');
    await settle(10);
    expect(framesOf(pair.serverWrote(), 'detach')).to.have.length(0);
    expect(receiver.remoteDetach).to.deep.include({ closed: true });
    expect(receiver.remoteDetach!.error).to.deep.include({ condition: 'x:gone' });
    receiver.detach(undefined, true);
    await until(() => pair.clientEvents.detaches.length === 1, 'the answer at the client');
    expect(framesOf(pair.serverWrote(), 'detach')[0].fields).to.include({ closed: true });
  });

  it('relayDrain: a drain completes only after releaseDrain, with what was queued sent first', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    sender.relayDrain = true;
    receiver.setCredit(5, true);
    await until(() => sender.drain && sender.linkCredit === 5, 'the drain request');
    await settle(10);
    expect(framesOf(pair.clientWrote(), 'flow')).to.have.length(0); // not completed on its own

    sender.send(new OutDelivery(sender, message('one'), tag(), true));
    sender.releaseDrain();
    await until(() => framesOf(pair.clientWrote(), 'flow').length === 1, 'the drained flow');
    expect(pair.serverEvents.messages).to.have.length(1);
    expect(framesOf(pair.clientWrote(), 'flow')[0].fields).to.include({ drain: true, linkCredit: 0, deliveryCount: 5 });
    expect(names(pair.clientWrote())).to.deep.equal(['transfer', 'flow']);
  });

  it('relayDrain: a new drain request waits for its own release', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    sender.relayDrain = true;
    receiver.setCredit(2, true);
    await until(() => sender.drain, 'the first request');
    sender.releaseDrain();
    await until(() => framesOf(pair.clientWrote(), 'flow').length === 1, 'the first drained flow');
    receiver.setCredit(3, true);
    await until(() => sender.drain && sender.linkCredit === 3, 'the second request');
    await settle(10);
    expect(framesOf(pair.clientWrote(), 'flow')).to.have.length(1);
  });

  it('a state on the first transfer (transactional-state) reaches the receiver; updateState sends it unsettled', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(10);
    await until(() => sender.linkCredit === 10, 'credit');
    const txn = transactionalState('txn-1');
    const big = Buffer.alloc(40000, 7); // several frames: the state rides on the first one only
    const out = new OutDelivery(sender, message(big.toString('latin1')), tag(), false);
    out.state = txn;
    sender.send(out);
    await until(() => pair.serverEvents.messages.length === 1, 'the message');
    const d = pair.serverEvents.messages[0].delivery;
    expect(d.state?.code).to.equal(Descriptor.transactionalState);
    expect(Buffer.from(d.state!.raw).equals(txn.raw)).to.equal(true);
    const transfers = framesOf(pair.clientWrote(), 'transfer');
    expect(transfers.length).to.be.greaterThan(1);
    expect(transfers.filter((t) => t.fields.state !== undefined)).to.have.length(1);

    out.updateState(transactionalState('txn-2'));
    await until(() => pair.serverEvents.senderSettled.length === 1, 'the state update');
    expect(pair.serverEvents.senderSettled[0].settled).to.equal(false);
  });

  it('a receiver flow records the sender\'s drained state (delivery-count advanced, no credit left)', async () => {
    const pair = enginePair();
    const { sender, receiver } = await senderToServer(pair);
    receiver.setCredit(4, true);
    await until(() => (receiver as ReceiverLink).linkCredit === 0 && receiver.deliveryCount === 4, 'the drain answer');
    expect((sender as SenderLink).deliveryCount).to.equal(4);
    expect(pair.serverEvents.receiverFlows.at(-1)).to.include({ drain: true, deliveryCount: 4 });
  });
});

function names(items: ReturnType<ReturnType<typeof enginePair>['clientWrote']>): string[] {
  return items.filter((i) => i.kind === 'frame' && ['transfer', 'flow', 'disposition'].includes(i.name)).map((i) => (i.kind === 'frame' ? i.name : ''));
}
