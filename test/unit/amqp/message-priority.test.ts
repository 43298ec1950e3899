// header.priority is read for the choice of inter-router data link (reference §8.3).

import { expect } from 'chai';
import { Encoder } from '../../../router/amqp/codec/encoder';
import { ubyte } from '../../../router/amqp/codec/values';
import { scanHead } from '../../../router/amqp/message-sections';

function message(header: unknown[] | undefined): Buffer {
  const e = new Encoder(64);
  if (header) { e.descriptor(0x70); e.value(header as never); }
  e.descriptor(0x73); e.value([null, null, 'q']);
  e.descriptor(0x77); e.string('body');
  return e.take();
}

describe('message head: priority', () => {
  it('is read from the header, capped at 9, absent without a header or field', () => {
    expect(scanHead(message([false, ubyte(7)]), false).priority).to.equal(7);
    expect(scanHead(message([true, ubyte(200)]), true).priority).to.equal(9);
    expect(scanHead(message([true]), false).priority).to.equal(undefined);
    expect(scanHead(message(undefined), false).priority).to.equal(undefined);
    expect(scanHead(message([false, ubyte(2)]), true).to).to.equal('q');
  });
});
