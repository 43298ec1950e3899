// The qdrouterd peer script (test/fixtures/qdrouterd-peer/join.json) against the capture it was
// taken from: its sends are RB's bytes, and RA's real frames, replayed through the script's
// steps and matcher, satisfy every expectation with nothing left over but tolerated frames.

import { expect } from 'chai';
import { decodeControlMessage } from '../../../router/mesh/control-message';
import { CapturedFrame, loadCapture } from '../../helpers/wire-captures';
import {
  like, loadQdrouterdScript, matches, readFrame, ScriptSendTransfer, ScriptSessions, tolerated, transferFrame,
} from '../../helpers/qdrouterd-script';
import { capturedTransfers } from './captured-transfers';

describe('qdrouterd peer script (join.json)', () => {
  const script = loadQdrouterdScript('join');
  const capture = loadCapture(script.capture);
  const at = (i: number): CapturedFrame => capture[i];

  it('has the steps of a full join, each named once', () => {
    const names = script.steps.map((s) => s.name);
    expect(names).to.deep.equal(['sasl-header', 'sasl-init', 'open', 'links', 'credit', 'two-way', 'link-state', 'mobile-addresses', 'settled', 'new-receiver']);
  });

  it('sends RB\'s captured bytes, in capture order; transfers numbered as RB numbered them', () => {
    const sends = script.steps.flatMap((s) => s.send);
    expect(sends.map((s) => s.capture)).to.deep.equal([...sends.map((s) => s.capture)].sort((a, b) => a - b));
    let counter = 0;
    for (const s of sends) {
      const f = at(s.capture);
      expect([f.tag, f.dir], `#${s.capture}`).to.deep.equal(['IR', 'B->A']);
      const bytes = 'bytes' in s ? s.bytes : transferFrame((s as ScriptSendTransfer).transfer, counter++).toString('hex');
      expect(bytes, `#${s.capture} ${s.what}`).to.equal(f.hex);
    }
  });

  it('sends every frame RB sent up to its last link-state update, except the credit it returns per transfer', () => {
    const last = Math.max(...script.steps.flatMap((s) => s.send.map((x) => x.capture)));
    const sent = new Set(script.steps.flatMap((s) => s.send.map((x) => x.capture)));
    const missing = capture.filter((f, i) => f.tag === 'IR' && f.dir === 'B->A' && i <= last && !sent.has(i));
    expect(missing.every((f) => f.perf === 'flow' && f.ch === 0), missing.map((f) => `#${f.index} ${f.perf}`).join(', ')).to.equal(true);
  });

  it('keeps RB\'s HELLO as the periodic one', () => {
    const hello = decodeControlMessage(Buffer.from(script.behaviour.hello, 'hex'));
    expect(hello.ok && hello.envelope.message).to.deep.equal({ opcode: 'HELLO', id: 'RB', pv: 1, area: '0', instance: script.peer.instance, seen: [script.router.id] });
    const captured = capturedTransfers(script.capture).find((t) => t.frame.index === 113)!;
    expect(captured.payload.toString('hex')).to.equal(script.behaviour.hello);
  });

  it('real qdrouterd (RA\'s frames, in order) passes every step with only tolerated frames in between', () => {
    const fromRouter = capture.filter((f) => f.tag === 'IR' && f.dir === 'A->B');
    const sessions = new ScriptSessions();
    let next = 0;
    for (const step of script.steps) {
      const pending = [...step.expect];
      while (pending.length > 0) {
        const f = fromRouter[next++];
        expect(f, `step ${step.name}: the capture ran out with ${pending.map((e) => `#${e.capture}`).join(', ')} pending`).to.not.equal(undefined);
        const frame = readFrame(Buffer.from(f.hex, 'hex'));
        sessions.track(frame);
        const i = pending.findIndex((e) => matches(e, frame, sessions));
        if (i >= 0) {
          expect(pending[i].capture, `step ${step.name}: #${f.index} matched the expectation of another frame`).to.equal(f.index);
          pending.splice(i, 1);
        } else {
          expect(tolerated(step, frame), `step ${step.name}: #${f.index} ${f.perf} is neither expected nor tolerated`).to.equal(true);
        }
      }
    }
  });

  it('an expectation refuses what qdrouterd would not accept (a control message on the wrong link or with another body)', () => {
    const step = script.steps.find((s) => s.name === 'two-way')!;
    const sessions = new ScriptSessions();
    for (const f of capture.filter((c) => c.tag === 'IR' && c.dir === 'A->B' && c.index <= 98)) sessions.track(readFrame(Buffer.from(f.hex, 'hex')));
    const hello = readFrame(Buffer.from(at(115).hex, 'hex'));
    expect(matches(step.expect[0], hello, sessions)).to.equal(true);
    expect(matches({ ...step.expect[0], link: 'qdlink.7lju73w96doYwYF' }, hello, sessions)).to.equal(false);
    expect(matches(step.expect[0], readFrame(Buffer.from(at(111).hex, 'hex')), sessions)).to.equal(false); // seen [] is not seen [RB]
  });

  it('like() matches partially: objects by the keys given, arrays element by element, a value inside an array', () => {
    expect(like({ a: 1 }, { a: 1, b: 2 })).to.equal(true);
    expect(like({ a: [1, 2] }, { a: [1, 2, 3] })).to.equal(false);
    expect(like('qd.streaming-links', ['ANONYMOUS-RELAY', 'qd.streaming-links'])).to.equal(true);
    expect(like({ peers: { RB: 1 } }, { peers: new Map([['RB', 1]]) })).to.equal(true);
    expect(like({ peers: { RB: 1 } }, { peers: new Map([['RB', 2]]) })).to.equal(false);
  });
});
