// FrameParser: frames however the bytes are chunked, and the framing errors of part 2 §2.3
// (size below 8, data offset below 2 or past the frame, size above max-frame-size), each a
// ProtocolError with condition amqp:connection:framing-error.

import { expect } from 'chai';
import { FrameParser, FrameType, Frame } from '../../../router/amqp/frame-parser';
import { FrameWriter } from '../../../router/amqp/frame-writer';
import { Descriptor } from '../../../router/amqp/performatives';
import { ProtocolError } from '../../../router/common/errors';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** A frame with the given header fields and body. */
function rawFrame(body: Buffer, channel = 0, type = 0, doff = 2, extended: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(8 + extended.length + body.length, 0);
  h[4] = doff; h[5] = type; h.writeUInt16BE(channel, 6);
  return Buffer.concat([h, extended, body]);
}

/** Every complete frame, copied (the parser hands out one reused frame object). */
function drain(p: FrameParser): Frame[] {
  const out: Frame[] = [];
  for (let f = p.next(); f; f = p.next()) out.push({ ...f, body: f.body } as Frame);
  return out;
}

function framingError(fn: () => unknown): ProtocolError {
  let caught: unknown;
  try { fn(); } catch (err) { caught = err; }
  expect(caught, 'no error raised').to.be.instanceOf(ProtocolError);
  expect((caught as ProtocolError).condition).to.equal('amqp:connection:framing-error');
  return caught as ProtocolError;
}

describe('frame parser', () => {
  const w = new FrameWriter();
  w.frame(3, Descriptor.begin, { nextOutgoingId: 0, incomingWindow: 10, outgoingWindow: 10 });
  w.heartbeat();
  w.frame(0, Descriptor.close, {}, FrameType.amqp);
  w.frame(0, Descriptor.saslOutcome, { code: 0 }, FrameType.sasl);
  const stream = w.take()!;

  it('reads a heartbeat, the smallest frame: 8 bytes, empty body', () => {
    const p = new FrameParser(512);
    p.push(hex('00000008 02 00 0000'));
    const [f] = drain(p);
    expect(f).to.deep.include({ type: 0, channel: 0, size: 8 });
    expect(f.body.length).to.equal(0);
  });

  it('reads several frames from one chunk, keeping channel and type', () => {
    const p = new FrameParser(512);
    p.push(stream);
    const frames = drain(p);
    expect(frames.map((f) => [f.channel, f.type, f.body.length > 0])).to.deep.equal([[3, 0, true], [0, 0, false], [0, 0, true], [0, 1, true]]);
    expect(p.buffered).to.equal(0);
  });

  it('reads the same frames whatever the chunking (every split point, and byte by byte)', () => {
    const first = new FrameParser(512);
    first.push(stream);
    const bodies = drain(first).map((f) => f.body.toString('hex'));
    expect(bodies).to.have.length(4);
    for (let cut = 1; cut < stream.length; cut++) {
      const p = new FrameParser(512);
      const got: Frame[] = [];
      p.push(stream.subarray(0, cut)); got.push(...drain(p));
      p.push(stream.subarray(cut)); got.push(...drain(p));
      expect(got.map((f) => f.body.toString('hex')), `split at ${cut}`).to.deep.equal(bodies);
    }
    const p = new FrameParser(512);
    const got: Frame[] = [];
    for (const byte of stream) { p.push(Buffer.from([byte])); got.push(...drain(p)); }
    expect(got.map((f) => f.body.toString('hex'))).to.deep.equal(bodies);
  });

  it('returns nothing until a split frame is whole, then the frame', () => {
    const f = rawFrame(hex('0053 1845'));
    const p = new FrameParser(512);
    p.push(f.subarray(0, 5));
    expect(p.next()).to.equal(undefined);
    p.push(f.subarray(5, 10));
    expect(p.next()).to.equal(undefined);
    p.push(f.subarray(10));
    expect(p.next()!.body.toString('hex')).to.equal('00531845');
  });

  it('skips the extended header named by a data offset above 2', () => {
    const p = new FrameParser(512);
    p.push(rawFrame(hex('00531845'), 7, 0, 3, hex('deadbeef')));
    const [f] = drain(p);
    expect(f.channel).to.equal(7);
    expect(f.body.toString('hex')).to.equal('00531845');
  });

  it('does not copy a frame that lies within one chunk', () => {
    const chunk = rawFrame(hex('00531845'));
    const p = new FrameParser(512);
    p.push(chunk);
    expect(p.next()!.body.buffer).to.equal(chunk.buffer);
  });

  it('accepts a frame of exactly max-frame-size', () => {
    const p = new FrameParser(512);
    p.push(rawFrame(Buffer.alloc(504, 0x40)));
    expect(p.next()!.size).to.equal(512);
  });

  it('refuses a frame size below 8 (framing-error)', () => {
    const p = new FrameParser(512);
    p.push(hex('00000007 02 00 0000'));
    framingError(() => p.next());
  });

  it('refuses a data offset below 2 (framing-error)', () => {
    for (const doff of [0, 1]) {
      const p = new FrameParser(512);
      p.push(rawFrame(hex('00531845'), 0, 0, doff));
      framingError(() => p.next());
    }
  });

  it('refuses a data offset that points past the frame (framing-error)', () => {
    const p = new FrameParser(512);
    p.push(rawFrame(hex('00531845'), 0, 0, 4)); // 16-byte header in a 12-byte frame
    framingError(() => p.next());
  });

  it('refuses a frame above max-frame-size as soon as its header is read (framing-error)', () => {
    const p = new FrameParser(512);
    const big = rawFrame(Buffer.alloc(600));
    p.push(big.subarray(0, 8)); // the header alone is enough to refuse it
    const err = framingError(() => p.next());
    expect(err.message).to.match(/608/);
  });

  it('follows a max-frame-size changed after construction', () => {
    const p = new FrameParser(100000);
    p.maxFrameSize = 512;
    p.push(rawFrame(Buffer.alloc(600)));
    framingError(() => p.next());
  });

  it('take() hands out protocol headers byte-exactly, across chunks', () => {
    const p = new FrameParser(512);
    p.push(hex('414d51')); expect(p.take(8)).to.equal(undefined);
    p.push(hex('5003010000')); p.push(rawFrame(hex('00531845')));
    expect(p.take(8)!.toString('hex')).to.equal('414d515003010000');
    expect(p.next()!.body.toString('hex')).to.equal('00531845');
  });
});
