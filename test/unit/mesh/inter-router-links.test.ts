// The inter-router link set (reference §2.1, §2.4) against 1-inter-router: RB's 11 begins and
// 22 attaches, RA's answering attaches and both opens, encoded through the engine's
// encodeComposite (FrameWriter), equal the captured frames byte for byte once the random link
// names are taken from the capture. The one encoding we do not copy (Proton's array32<sym32>
// capability arrays in the open) is pinned down exactly.

import { expect } from 'chai';
import { Decoder } from '../../../router/amqp/codec/decoder';
import { Encoder } from '../../../router/amqp/codec/encoder';
import { TypeCode as T } from '../../../router/amqp/codec/type-codes';
import { AmqpArray, AmqpValue, Described, sym } from '../../../router/amqp/codec/values';
import { FrameWriter } from '../../../router/amqp/frame-writer';
import { Attach, decodeFields, Descriptor, readDescriptor, Terminus } from '../../../router/amqp/performatives';
import {
  classifyInterRouterAttach, CONTROL_PRIORITY, interRouterAttachAnswer, interRouterBegins, interRouterLinkName, interRouterLinks,
} from '../../../router/mesh/inter-router-links';
import { interRouterOpen, interRouterOpenProperties } from '../../../router/mesh/inter-router-open';
import { CapturedFrame, loadCapture } from '../../helpers/wire-captures';
import { frameBody } from './captured-transfers';

const frames = loadCapture('1-inter-router').filter((f) => f.tag === 'IR');
const sent = (dir: string, perf: string): CapturedFrame[] => frames.filter((f) => f.dir === dir && f.perf === perf);

function frame(channel: number, code: number, value: object): string {
  const w = new FrameWriter();
  w.frame(channel, code, value);
  return w.take()!.toString('hex');
}

function decodedAttach(f: CapturedFrame): Attach {
  const d = new Decoder(frameBody(f.hex).body);
  readDescriptor(d);
  return decodeFields(d, Descriptor.attach) as unknown as Attach;
}

/** A seeded generator (mulberry32), so the test is repeatable. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('inter-router links: what the connector sends (1-inter-router, RB → RA)', () => {
  const links = interRouterLinks(seeded(42));
  const capturedAttaches = sent('B->A', 'attach');

  it('begins 11 sessions on channels 0..10, each equal to the captured begin', () => {
    const begins = interRouterBegins();
    const captured = sent('B->A', 'begin');
    expect(begins).to.have.length(11);
    expect(begins.map((b, channel) => frame(channel, Descriptor.begin, b))).to.deep.equal(captured.map((f) => f.hex));
  });

  it('attaches 22 links: control pair on channel 0, priority n on channel n+1, receiver (h0) before sender (h1)', () => {
    expect(links.map((l) => [l.channel, l.attach.handle, l.attach.role, l.kind, l.priority])).to.deep.equal(
      Array.from({ length: 22 }, (_, i) => {
        const channel = i >> 1;
        return [channel, i & 1, (i & 1) === 0, channel === 0 ? 'control' : 'data', channel === 0 ? CONTROL_PRIORITY : channel - 1];
      }),
    );
    expect(capturedAttaches.map((f) => f.ch)).to.deep.equal(links.map((l) => l.channel));
  });

  it('names every link qdlink. and 15 random characters of [A-Za-z0-9+_], all different', () => {
    for (const l of links) expect(l.attach.name).to.match(/^qdlink\.[A-Za-z0-9+_]{15}$/);
    expect(new Set(links.map((l) => l.attach.name)).size).to.equal(22);
    expect(interRouterLinkName(() => 0.999)).to.equal('qdlink.' + '_'.repeat(15));
    for (const f of capturedAttaches) expect(decodedAttach(f).name).to.match(/^qdlink\.[A-Za-z0-9+_]{15}$/);
  });

  it('every attach equals the captured frame byte for byte once the link name is the captured one', () => {
    links.forEach((l, i) => {
      const name = decodedAttach(capturedAttaches[i]).name;
      expect(frame(l.channel, Descriptor.attach, { ...l.attach, name }), `attach #${i}`).to.equal(capturedAttaches[i].hex);
    });
  });

  it('carries the capability as one bare sym8 on source and target (a3 09 qd.router), never an array', () => {
    const hex = frame(0, Descriptor.attach, links[0].attach);
    const bare = 'a309' + Buffer.from('qd.router').toString('hex');
    expect(hex.split(bare)).to.have.length(3);
    expect(hex).not.to.match(/e0..01a309/);
  });
});

describe('inter-router links: what the listener answers (1-inter-router, RA → RB)', () => {
  it('answers each attach with the opposite role, same name and capability, expiry-policy session-end', () => {
    const asked = sent('B->A', 'attach');
    const answered = sent('A->B', 'attach');
    expect(answered).to.have.length(22);
    asked.forEach((f, i) => {
      const peer = decodedAttach(f);
      expect(frame(f.ch!, Descriptor.attach, interRouterAttachAnswer(peer, peer.handle)), `answer #${i}`).to.equal(answered[i].hex);
    });
  });

  it('refuses to answer an attach that is not an inter-router link', () => {
    const a = decodedAttach(sent('B->A', 'attach')[0]);
    expect(() => interRouterAttachAnswer({ ...a, source: { kind: Descriptor.source }, target: undefined }, 0)).to.throw(TypeError);
  });
});

/** The captured open with Proton's array32<sym32> capability arrays replaced by the compact array8<sym8>. */
function withCompactCapabilities(f: CapturedFrame): { hex: string; capabilities: AmqpValue[] } {
  const { channel, body } = frameBody(f.hex);
  const open = new Decoder(body).value() as Described;
  const fields = open.value as AmqpValue[];
  const capabilities = [fields[7], fields[8]];
  for (const i of [7, 8]) fields[i] = new AmqpArray(T.sym8, (fields[i] as AmqpArray).values);
  const e = new Encoder();
  e.value(open);
  const performative = e.take();
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + performative.length, 0);
  header[4] = 2;
  header.writeUInt16BE(channel, 6);
  return { hex: Buffer.concat([header, performative]).toString('hex'), capabilities };
}

describe('inter-router open (reference §2.1)', () => {
  const common = { product: 'qpid-dispatch-router', version: '1.19.0', maxFrameSize: 16384, channelMax: 32767, idleTimeOutMs: 8000, cost: 1 };
  const cases: [string, CapturedFrame, Parameters<typeof interRouterOpen>[0]][] = [
    ['connector (RB, conn-id 1, hostname)', sent('B->A', 'open')[0], { ...common, containerId: 'RB', hostname: '127.0.0.1', connectionId: 1 }],
    ['listener (RA, conn-id 2, no hostname)', sent('A->B', 'open')[0], { ...common, containerId: 'RA', connectionId: 2 }],
  ];
  for (const [name, captured, params] of cases) {
    it(`${name}: equals the captured open except for the capability arrays' encoding`, () => {
      const expected = withCompactCapabilities(captured);
      expect(frame(0, Descriptor.open, interRouterOpen(params))).to.equal(expected.hex);
      // The only difference: Proton writes array32 with a sym32 constructor, same two symbols.
      for (const caps of expected.capabilities) {
        expect(caps).to.be.instanceOf(AmqpArray);
        expect([(caps as AmqpArray).code, (caps as AmqpArray).elementCode]).to.deep.equal([T.array32, T.sym32]);
        expect((caps as AmqpArray).values).to.deep.equal([sym('ANONYMOUS-RELAY'), sym('qd.streaming-links')]);
      }
    });
  }

  it('writes qd.inter-router-cost (an int) between qd.conn-id and qd.annotations-version only when the cost is above 1', () => {
    const keys = (cost: number) => interRouterOpenProperties({ product: 'p', version: 'v', connectionId: 7, cost }).entries.map(([k]) => String(k));
    expect(keys(1)).to.deep.equal(['product', 'version', 'qd.conn-id', 'qd.annotations-version']);
    expect(keys(3)).to.deep.equal(['product', 'version', 'qd.conn-id', 'qd.inter-router-cost', 'qd.annotations-version']);
    const e = new Encoder();
    e.value(interRouterOpenProperties({ product: 'p', version: 'v', connectionId: 7, cost: 300 }));
    const hex = e.take().toString('hex');
    expect(hex.slice(0, 2)).to.equal('d1');
    expect(hex).to.contain(Buffer.from('qd.inter-router-cost').toString('hex') + '710000012c');
  });
});

describe('classifyInterRouterAttach (reference §2.4)', () => {
  const captured = sent('B->A', 'attach').map(decodedAttach);
  const terminus = (kind: number, capabilities?: string | string[]): Terminus => ({ kind, capabilities });
  const attach = (role: boolean, source?: Terminus, target?: Terminus): Attach => ({ name: 'x', handle: 0, role, source, target });

  it('classifies the captured attaches (bare symbols): 2 control, 20 data', () => {
    expect(captured.map(classifyInterRouterAttach)).to.deep.equal(['control', 'control', ...Array(20).fill('data')]);
    expect(captured[0].target!.capabilities).to.equal('qd.router');
  });

  it('accepts an array and looks at its first value only', () => {
    expect(classifyInterRouterAttach(attach(false, undefined, terminus(Descriptor.target, ['qd.router'])))).to.equal('control');
    expect(classifyInterRouterAttach(attach(false, undefined, terminus(Descriptor.target, ['qd.router-data', 'qd.router'])))).to.equal('data');
    expect(classifyInterRouterAttach(attach(false, undefined, terminus(Descriptor.target, ['other', 'qd.router'])))).to.equal('none');
  });

  it('reads our local terminus: the target when the peer sends, the source when it receives', () => {
    expect(classifyInterRouterAttach(attach(false, terminus(Descriptor.source, 'qd.router'), terminus(Descriptor.target)))).to.equal('none');
    expect(classifyInterRouterAttach(attach(true, terminus(Descriptor.source, 'qd.router-data'), undefined))).to.equal('data');
    expect(classifyInterRouterAttach(attach(true, undefined, terminus(Descriptor.target, 'qd.router')))).to.equal('none');
  });

  it('ordinary and coordinator attaches are none', () => {
    expect(classifyInterRouterAttach(attach(false, terminus(Descriptor.source), terminus(Descriptor.target)))).to.equal('none');
    expect(classifyInterRouterAttach(attach(false, undefined, { kind: Descriptor.coordinator, capabilities: 'qd.router' }))).to.equal('none');
  });
});
