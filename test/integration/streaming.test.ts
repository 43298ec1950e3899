// A large message streams through the router: its first frames reach the consumer while the
// producer has not even sent the rest. Both ends are our own engine, so the test controls
// exactly when each part of the message leaves the producer.

import { expect } from 'chai';
import { OutDelivery, PayloadSource } from '../../router/amqp/delivery';
import { Descriptor } from '../../router/amqp/performatives';
import type { ReceiverLink } from '../../router/amqp/link';
import { bodySection, engineClient } from '../helpers/engine-client';
import { RouterProcess, startRouter, standaloneConf, waitFor } from '../helpers/router-process';

describe('streaming a large message through the router', function () {
  this.timeout(20000);
  let router: RouterProcess;
  before(async () => { router = await startRouter(standaloneConf()); });
  after(async () => { await router.stop(); });

  it('forwards the first frames before the producer has sent the last ones', async () => {
    const consumer = await engineClient(router.port, 'stream-consumer');
    const cs = consumer.conn.beginSession();
    const receiver = consumer.conn.attachReceiver(cs, 'rx', { source: { kind: Descriptor.source, address: 'stream.q' }, target: { kind: Descriptor.target } }) as ReceiverLink;
    await waitFor(() => consumer.events.attached.includes(receiver), 'the receiver attached');
    receiver.setCredit(1);

    const producer = await engineClient(router.port, 'stream-producer');
    const ps = producer.conn.beginSession();
    const sender = producer.conn.attachSender(ps, 'tx', { source: { kind: Descriptor.source }, target: { kind: Descriptor.target, address: 'stream.q' } });
    await waitFor(() => producer.events.credit > 0, 'credit from the router');

    const message = bodySection(2 * 1024 * 1024);
    const firstPart = message.subarray(0, 512 * 1024);
    const source: PayloadSource = { chunks: [firstPart], chunkBase: 0, complete: false, aborted: false };
    sender.send(new OutDelivery(sender, source, Buffer.from('t1'), false));

    // Only the first 512 KiB has left the producer: part of it must already be at the consumer.
    await waitFor(() => (consumer.events.transfers[0]?.size ?? 0) > 0, 'the first frames at the consumer');
    const d = consumer.events.transfers[0];
    expect(d.complete).to.equal(false);
    expect(d.size).to.be.at.most(firstPart.length);

    source.chunks.push(message.subarray(firstPart.length));
    source.complete = true;
    producer.conn.wake(sender);
    await waitFor(() => d.complete, 'the whole message at the consumer');
    expect(Buffer.compare(Buffer.concat(d.chunks), message)).to.equal(0);
    consumer.conn.close();
    producer.conn.close();
  });
});
