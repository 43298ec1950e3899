// brokerHead: what an out auto-link sends a broker in place of a message's head: no
// delivery-annotations, no router annotations, everything else byte for byte.

import { expect } from 'chai';
import { sym } from '../../../router/amqp/codec/values';
import { brokerHead } from '../../../router/amqp/broker-head';
import { scanHead } from '../../../router/amqp/message-sections';
import { readAnnotations } from '../../../router/amqp/router-annotations';
import { data, deliveryAnnotations, header, messageAnnotations, properties } from './message-builders';

function sent(payload: Buffer): Buffer {
  const head = scanHead(payload);
  const { prefix, skip } = brokerHead(payload, head, readAnnotations(payload, head).user);
  return Buffer.concat([prefix, payload.subarray(skip)]);
}

describe('brokerHead (messages toward a broker)', () => {
  it('drops delivery-annotations and router annotations, keeps user annotations', () => {
    const parts = [header(), deliveryAnnotations(), messageAnnotations([[sym('user'), 'u'], [sym('x-opt-qd.to'), 'orders']]), properties('orders'), data('body')];
    const out = sent(Buffer.concat(parts));
    expect(out.equals(Buffer.concat([parts[0], messageAnnotations([[sym('user'), 'u']]), parts[3], parts[4]]))).to.equal(true);
  });

  it('drops the message-annotations section when only router keys were in it', () => {
    const parts = [deliveryAnnotations(), messageAnnotations([[sym('x-opt-qd.trace'), ['0/R1']]]), properties('q'), data('b')];
    expect(sent(Buffer.concat(parts)).equals(Buffer.concat([parts[2], parts[3]]))).to.equal(true);
  });

  it('with delivery-annotations alone: only they go', () => {
    const parts = [header(), deliveryAnnotations(), properties('q'), data('b')];
    expect(sent(Buffer.concat(parts)).equals(Buffer.concat([parts[0], parts[2], parts[3]]))).to.equal(true);
  });
});
