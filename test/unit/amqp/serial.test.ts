// Serial-number arithmetic (RFC 1982 on 32 bits, part 2 §2.8.2), and an engine link whose
// delivery-ids, transfer-ids and delivery-count all wrap past 2^32 while deliveries flow and
// ranged dispositions across the wrap settle exactly the deliveries they name.

import { expect } from 'chai';
import { serialAdd, serialDiff, serialLe, serialLt } from '../../../router/amqp/serial';
import { Session } from '../../../router/amqp/session';
import { SenderLink } from '../../../router/amqp/link';
import { OutDelivery, payloadOf } from '../../../router/amqp/delivery';
import { Accepted } from '../../../router/amqp/performatives';
import type { ReceiverLink } from '../../../router/amqp/link';
import { enginePair, framesNamed, settle, source, target, until } from './engine-pair';

const TOP = 0xffffffff;

describe('serial numbers (RFC 1982, 32 bits)', () => {
  it('serialAdd wraps at 2^32 and stays unsigned', () => {
    expect(serialAdd(TOP, 1)).to.equal(0);
    expect(serialAdd(TOP - 1, 5)).to.equal(3);
    expect(serialAdd(0, 0)).to.equal(0);
    expect(serialAdd(0x7fffffff, 1)).to.equal(0x80000000);
    expect(serialAdd(5, TOP)).to.equal(4); // adding 2^32 − 1 is subtracting one
  });

  it('serialDiff is the signed distance across the wrap', () => {
    expect(serialDiff(0, TOP)).to.equal(1);
    expect(serialDiff(TOP, 0)).to.equal(-1);
    expect(serialDiff(3, TOP - 2)).to.equal(6);
    expect(serialDiff(TOP - 2, 3)).to.equal(-6);
    expect(serialDiff(100, 100)).to.equal(0);
    expect(serialDiff(0x7fffffff, 0)).to.equal(0x7fffffff);
  });

  it('serialLt and serialLe order numbers across the wrap', () => {
    expect(serialLt(TOP, 0)).to.equal(true);
    expect(serialLt(0, TOP)).to.equal(false);
    expect(serialLt(TOP - 10, 10)).to.equal(true);
    expect(serialLt(10, TOP - 10)).to.equal(false);
    expect(serialLt(7, 7)).to.equal(false);
    expect(serialLe(7, 7)).to.equal(true);
    expect(serialLe(TOP, 0)).to.equal(true);
    expect(serialLe(1, TOP)).to.equal(false);
  });

  it('serialAdd and serialDiff are inverse for every start near the wrap', () => {
    for (let a = TOP - 20; a !== 20; a = serialAdd(a, 1)) {
      for (const n of [0, 1, 7, 30, 1000]) {
        expect(serialDiff(serialAdd(a, n), a)).to.equal(n);
      }
    }
  });
});

describe('engine: delivery-ids and delivery-count wrapping past 2^32', () => {
  it('keeps deliveries flowing and settles ranges that span the wrap', async () => {
    const pair = enginePair();
    const { client, server, serverEvents, clientEvents } = pair;

    // A session whose next-outgoing-id (transfer-id) and delivery-ids start 8 below the top.
    const session = new Session(client, 0);
    session.nextOutgoingId = TOP - 7;
    session.nextDeliveryId = TOP - 7;
    client.sessions.set(0, session);
    session.begin();
    // A sender whose initial-delivery-count is 0xFFFFFFF0.
    const sender = new SenderLink(session, 'wrapping');
    sender.deliveryCount = 0xfffffff0;
    session.addLink(sender);
    sender.attach({ source: source('c'), target: target('wrap') });

    await until(() => sender.remoteAttach, 'the attach answer');
    const receiver = serverEvents.attaches[0] as ReceiverLink;
    expect(receiver.remoteAttach!.initialDeliveryCount).to.equal(0xfffffff0);
    expect(receiver.deliveryCount).to.equal(0xfffffff0);

    // Credit 40: the receiver's flow carries delivery-count 0xFFFFFFF0 and credit 40.
    receiver.setCredit(40);
    const total = 30;
    const outs: OutDelivery[] = [];
    for (let i = 0; i < total; i++) {
      const d = new OutDelivery(sender, payloadOf(Buffer.from(`m${i}`)), Buffer.from(`tag${i}`), false);
      outs.push(d);
      sender.send(d);
    }
    await until(() => serverEvents.messages.length === total, () => `${total} messages (got ${serverEvents.messages.length})`);

    // Ids run TOP−7 … TOP, 0 … 21, in order, payloads intact.
    const ids = serverEvents.messages.map((m) => m.delivery.id);
    expect(ids).to.deep.equal(Array.from({ length: total }, (_, i) => serialAdd(TOP - 7, i)));
    expect(serverEvents.messages.map((m) => m.payload.toString())).to.deep.equal(outs.map((_, i) => `m${i}`));
    expect(outs.map((d) => d.id)).to.deep.equal(ids);
    // The delivery-count wrapped on both sides: 0xFFFFFFF0 + 30 = 14.
    expect(sender.deliveryCount).to.equal(14);
    expect(receiver.deliveryCount).to.equal(14);
    expect(sender.linkCredit).to.equal(10);
    // Transfer-ids wrapped too: the receiving session expects TOP − 7 + 30 next.
    expect(server.sessions.get(0)!.nextIncomingId).to.equal(serialAdd(TOP - 7, total));

    // More credit after the wrap: the sender reads it against its wrapped delivery-count.
    receiver.addCredit(5);
    await until(() => sender.linkCredit === 15, () => `credit 15 at the sender (has ${sender.linkCredit})`);

    // The receiver settles the six deliveries TOP−2 … 2 in one turn: one disposition frame,
    // first=TOP−2, last=2, a range that spans the wrap.
    const before = framesNamed(pair.serverWrote(), 'disposition').length;
    const range = serverEvents.messages.slice(5, 11);
    expect(range.map((m) => m.delivery.id)).to.deep.equal([TOP - 2, TOP - 1, TOP, 0, 1, 2]);
    for (const m of range) m.delivery.settle(Accepted);
    await until(() => clientEvents.dispositions.length === 6, 'six dispositions at the sender');
    const disps = framesNamed(pair.serverWrote(), 'disposition').slice(before);
    expect(disps).to.have.length(1);
    expect(disps[0].fields).to.include({ role: true, first: TOP - 2, last: 2, settled: true });

    // Exactly the six named deliveries are settled at the sender, the others are not.
    const settledTags = clientEvents.dispositions.map((d) => d.tag.toString());
    expect(settledTags).to.deep.equal(['tag5', 'tag6', 'tag7', 'tag8', 'tag9', 'tag10']);
    for (const d of outs) expect(d.remoteSettled, d.tag.toString()).to.equal(settledTags.includes(d.tag.toString()));
    expect(session.unsettledOut.size).to.equal(total - 6);

    // The sender settles TOP−7 … TOP−3 and 4 … 8 in one turn: two ranged dispositions.
    for (const d of outs.slice(0, 5)) d.settle();
    for (const d of outs.slice(12, 17)) d.settle();
    await until(() => serverEvents.senderSettled.length === 10, 'ten sender settlements at the receiver');
    const fromSender = framesNamed(pair.clientWrote(), 'disposition');
    expect(fromSender.map((f) => [f.fields.first, f.fields.last])).to.deep.equal([[TOP - 7, TOP - 3], [4, 8]]);
    expect(serverEvents.senderSettled.map((s) => s.delivery.id)).to.deep.equal([TOP - 7, TOP - 6, TOP - 5, TOP - 4, TOP - 3, 4, 5, 6, 7, 8]);

    // Still flowing after all that: five more deliveries with the extra credit.
    for (let i = 0; i < 5; i++) sender.send(new OutDelivery(sender, payloadOf(Buffer.from(`late${i}`)), Buffer.from(`late${i}`), true));
    await until(() => serverEvents.messages.length === total + 5, 'five more messages');
    expect(serverEvents.messages.slice(total).map((m) => m.delivery.id)).to.deep.equal([22, 23, 24, 25, 26]);
    expect(receiver.deliveryCount).to.equal(19);
    await settle();
    expect(client.closed || server.closed).to.equal(false);
    client.close();
  });
});
