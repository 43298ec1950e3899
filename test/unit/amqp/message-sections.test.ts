// scanHead: finds the message-annotations section, where one would go, and properties.to /
// reply-to, by size prefixes only; says "incomplete" (never throws) while the head is cut.

import { expect } from 'chai';
import { encodeValue } from '../../../router/amqp/codec/encoder';
import { DecodeError } from '../../../router/amqp/codec/decode-error';
import { AmqpMap, Described, described, sym } from '../../../router/amqp/codec/values';
import { scanHead } from '../../../router/amqp/message-sections';
import { data, deliveryAnnotations, header, messageAnnotations, properties, section, applicationProperties } from './message-builders';

describe('message sections: scanHead', () => {
  it('finds every part of a full message: annotations, to and reply-to', () => {
    const parts = [header(), deliveryAnnotations(), messageAnnotations([[sym('user'), 'u']]), properties('queue/a', 'reply/b'), applicationProperties(), data('body')];
    const msg = Buffer.concat(parts);
    const head = scanHead(msg);
    const maStart = parts[0].length + parts[1].length;
    expect(head).to.deep.equal({
      annotationsStart: maStart, annotationsEnd: maStart + parts[2].length, insertAt: maStart,
      to: 'queue/a', replyTo: 'reply/b', complete: true, deliveryAnnotations: [parts[0].length, maStart],
    });
  });

  it('without message-annotations: insertAt follows header and delivery-annotations', () => {
    const parts = [header(), deliveryAnnotations(), properties('queue/a'), data('x')];
    const head = scanHead(Buffer.concat(parts));
    expect(head.annotationsStart).to.equal(-1);
    expect(head.insertAt).to.equal(parts[0].length + parts[1].length);
    expect(head.to).to.equal('queue/a');
    expect(head.replyTo).to.equal(undefined);
    expect(head.complete).to.equal(true);
  });

  it('a bare body (no header, no properties): insertAt 0, no to, complete', () => {
    const head = scanHead(data('just data'));
    expect(head).to.include({ annotationsStart: -1, insertAt: 0, to: undefined, complete: true });
  });

  it('properties with only a message-id: no to', () => {
    const head = scanHead(Buffer.concat([section(0x73, ['id']), data('x')]));
    expect(head.to).to.equal(undefined);
    expect(head.complete).to.equal(true);
  });

  it('reads a to sent as a symbol, and properties sent as list32', () => {
    const wide = Buffer.from(encodeValue(described(0x73, ['id', null, 'to/x'])));
    // Rewrite the list8 as a list32 by hand: 00 53 73 c0 size count … → 00 53 73 d0 size32 count32 …
    const body = wide.subarray(6);
    const list32 = Buffer.concat([Buffer.from([0x00, 0x53, 0x73, 0xd0]), u32(body.length + 4), u32(3), body]);
    expect(scanHead(Buffer.concat([list32, data('x')])).to).to.equal('to/x');
    const symbolTo = encodeValue(described(0x73, ['id', null, sym('to/sym')]));
    expect(scanHead(symbolTo).to).to.equal('to/sym');
  });

  it('recognises sections with symbolic descriptors', () => {
    const ma = encodeValue(new Described(sym('amqp:message-annotations:map'), new AmqpMap([[sym('k'), 'v']])));
    const props = encodeValue(new Described(sym('amqp:properties:list'), ['id', null, 'sym/to']));
    const head = scanHead(Buffer.concat([ma, props]));
    expect(head).to.include({ annotationsStart: 0, annotationsEnd: ma.length, to: 'sym/to', complete: true });
  });

  it('is incomplete (and never throws) for every cut before the end of properties, complete after', () => {
    const parts = [header(), messageAnnotations([[sym('k'), 'v']]), properties('queue/cut'), data('0123456789')];
    const msg = Buffer.concat(parts);
    const propsEnd = parts[0].length + parts[1].length + parts[2].length;
    for (let cut = 0; cut <= msg.length; cut++) {
      const head = scanHead(msg.subarray(0, cut));
      if (cut < propsEnd) expect(head.complete, `cut at ${cut}`).to.equal(false);
      else expect(head, `cut at ${cut}`).to.include({ complete: true, to: 'queue/cut' });
    }
  });

  it('refuses a section that is not a described type', () => {
    expect(() => scanHead(Buffer.from('a10161', 'hex'))).to.throw(DecodeError);
  });
});

function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; }
