// A message forwarded across routers before it is whole travels on a streaming link of its own
// (reference §2.4), so a small message sent after it on the same path is not held behind it.
// Without streaming links the small one would wait on the shared inter-router data link until
// the large one's last frame had crossed.

import { expect } from 'chai';
import { OutDelivery, PayloadSource } from '../../router/amqp/delivery';
import { Descriptor } from '../../router/amqp/performatives';
import type { ReceiverLink } from '../../router/amqp/link';
import { bodySection, engineClient } from '../helpers/engine-client';
import { Mesh, startMesh, stopMesh } from '../helpers/mesh';
import { waitFor } from '../helpers/router-process';

describe('streaming links between routers', function () {
  this.timeout(30000);
  let mesh: Mesh;
  before(async () => {
    mesh = await startMesh([{ id: 'A', extra: 'log {\n    module: ROUTER_CORE\n    enable: debug+\n}\n' }, { id: 'B', connectTo: ['A'] }]);
  });
  after(async () => { await stopMesh(mesh); });

  it('a message still arriving does not hold up the messages behind it on the same path', async () => {
    // Two consumers on B: the large message occupies one of them, the small one goes to the other.
    const consumer = await engineClient(mesh.get('B')!.ports.amqp, 'streaming-consumer');
    const cs = consumer.conn.beginSession();
    const receivers: ReceiverLink[] = [];
    for (const name of ['rx1', 'rx2']) {
      const r = consumer.conn.attachReceiver(cs, name, { source: { kind: Descriptor.source, address: 'stream.q' }, target: { kind: Descriptor.target } }) as ReceiverLink;
      receivers.push(r);
    }
    await waitFor(() => receivers.every((r) => consumer.events.attached.includes(r)), 'the receivers attached');
    for (const r of receivers) r.setCredit(5);

    const producer = await engineClient(mesh.get('A')!.ports.amqp, 'streaming-producer');
    const ps = producer.conn.beginSession();
    const big = producer.conn.attachSender(ps, 'big', { source: { kind: Descriptor.source }, target: { kind: Descriptor.target, address: 'stream.q' } });
    const small = producer.conn.attachSender(ps, 'small', { source: { kind: Descriptor.source }, target: { kind: Descriptor.target, address: 'stream.q' } });
    await waitFor(() => big.linkCredit > 0 && small.linkCredit > 0, 'credit from A once it knows B has consumers', 15000);

    const message = bodySection(2 * 1024 * 1024);
    const firstPart = message.subarray(0, 256 * 1024);
    const source: PayloadSource = { chunks: [firstPart], chunkBase: 0, complete: false, aborted: false };
    big.send(new OutDelivery(big, source, Buffer.from('big'), false));
    await waitFor(() => (consumer.events.transfers[0]?.size ?? 0) > 0, 'the first frames of the large message at B\'s consumer');
    const large = consumer.events.transfers[0];

    const smallBody = bodySection(100);
    small.send(new OutDelivery(small, { chunks: [smallBody], chunkBase: 0, complete: true, aborted: false }, Buffer.from('small'), false));
    await waitFor(() => consumer.events.transfers.some((d) => d !== large && d.complete), 'the small message, while the large one is still arriving');
    expect(large.complete).to.equal(false);
    expect(mesh.get('A')!.output()).to.match(/streaming link qdlink\.\S+ attached toward B/);

    source.chunks.push(message.subarray(firstPart.length));
    source.complete = true;
    producer.conn.wake(big);
    await waitFor(() => large.complete, 'the whole large message');
    expect(Buffer.compare(Buffer.concat(large.chunks), message)).to.equal(0);
    consumer.conn.close();
    producer.conn.close();
  });
});
