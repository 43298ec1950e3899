import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Link } from '../../../router/amqp/link';
import { encodeValue } from '../../../router/amqp/codec/encoder';
import { AmqpMap, Typed, described, int, sym, timestamp, ulong } from '../../../router/amqp/codec/values';
import { Logging } from '../../../router/observe/logger';
import { MESSAGE_LOG_COMPONENTS, describeMessage, logReceivedMessage, parseMessageLogging } from '../../../router/observe/message-log';

/** properties (part 3 §3.2.4) in list order, trailing fields left out as a sender would. */
const PROPERTIES = described(0x73, [
  ulong(42), Buffer.from('alice'), 'orders', 'new order', 'replies', 'corr-1', sym('text/plain'), null,
  null, timestamp(0), 'g1', new Typed('uint', 7),
]);
const APP_PROPERTIES = described(0x74, new AmqpMap([['region', 'eu'], ['count', int(3)], ['urgent', true]]));
const HEADER = described(0x70, [true, new Typed('ubyte', 9)]);
const BODY = described(0x77, 'the body, which is never read');

function message(...sections: Parameters<typeof encodeValue>[0][]): Buffer {
  return Buffer.concat(sections.map((s) => encodeValue(s)));
}

const all = parseMessageLogging('all')!;

describe('observe/message-log', () => {
  describe('parseMessageLogging', () => {
    it('reads none, all and comma lists; none and an empty list are undefined (nothing to log)', () => {
      expect(parseMessageLogging(undefined)).to.equal(undefined);
      expect(parseMessageLogging('none')).to.equal(undefined);
      expect(parseMessageLogging(' ')).to.equal(undefined);
      expect([...parseMessageLogging('all')!]).to.deep.equal([...MESSAGE_LOG_COMPONENTS]);
      expect([...parseMessageLogging('to, reply-to,app-properties')!]).to.deep.equal(['to', 'reply-to', 'app-properties']);
    });
  });

  describe('describeMessage', () => {
    it('shows every field the message has, in qdrouterd\'s order and notation, skipping header and body', () => {
      const text = describeMessage(message(HEADER, PROPERTIES, APP_PROPERTIES, BODY), all);
      // Timestamps are local time, as qdrouterd prints them: only their shape is fixed here.
      const created = /creation-time="(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000 [+-]\d{4})", /;
      expect(text).to.match(created);
      expect(text.replace(created, '')).to.equal(
        'Message{message-id=42, user-id=b"alice", to="orders", subject="new order", reply-to="replies", correlation-id="corr-1", '
        + 'content-type=:"text/plain", group-id="g1", group-sequence=7, '
        + 'app-properties={"region"="eu", "count"=3, "urgent"=T}}');
    });

    it('shows only the chosen fields', () => {
      expect(describeMessage(message(PROPERTIES, APP_PROPERTIES, BODY), parseMessageLogging('to,correlation-id')!))
        .to.equal('Message{to="orders", correlation-id="corr-1"}');
      expect(describeMessage(message(PROPERTIES, APP_PROPERTIES, BODY), parseMessageLogging('app-properties')!))
        .to.equal('Message{app-properties={"region"="eu", "count"=3, "urgent"=T}}');
    });

    it('a message without properties, and one with a uuid message-id (which qdrouterd leaves blank)', () => {
      expect(describeMessage(message(BODY), all)).to.equal('Message{}');
      const uuid = new Typed('uuid', Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
      expect(describeMessage(message(described(0x73, [uuid, null, 'q'])), all)).to.equal('Message{message-id=00112233-4455-6677-8899-aabbccddeeff, to="q"}');
    });

    it('a head cut short (a message still arriving) shows what is whole', () => {
      const whole = message(PROPERTIES, APP_PROPERTIES, BODY);
      const cut = whole.subarray(0, encodeValue(PROPERTIES).length + 5);
      expect(describeMessage(cut, parseMessageLogging('to,app-properties')!)).to.equal('Message{to="orders"}');
      expect(describeMessage(Buffer.from([0x00, 0x53]), all)).to.equal('Message{}');
    });

    it('control characters stay on the line', () => {
      expect(describeMessage(message(described(0x73, [null, null, 'a\nb'])), all)).to.equal('Message{to="a\\x0ab"}');
    });
  });

  describe('logReceivedMessage', () => {
    it('writes at trace of MESSAGE only', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weft-message-log-')), 'out.log');
      const logging = new Logging([{ module: 'DEFAULT', includeTimestamp: false, outputFile: file }, { module: 'MESSAGE', enable: 'info+' }]);
      const link = { name: 'sender-1', remoteAttach: { target: { address: 'orders' } } } as unknown as Link;
      logReceivedMessage(logging.module('MESSAGE'), 3, link, message(PROPERTIES), parseMessageLogging('to')!);
      logging.update({ module: 'MESSAGE', enable: 'trace+' });
      logReceivedMessage(logging.module('MESSAGE'), 3, link, message(PROPERTIES), parseMessageLogging('to')!);
      logging.close();
      expect(fs.readFileSync(file, 'utf8')).to.equal('MESSAGE (trace) [C3]: Received Message{to="orders"} on link \'sender-1\' ( -> orders)\n');
    });
  });
});
