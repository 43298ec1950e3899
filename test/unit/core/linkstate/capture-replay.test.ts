// Replays wire capture 1 against our engine playing RA: RB's control messages go in at their
// recorded times, RA's engine ticks when the real RA sent its HELLOs, and what our engine sends
// must equal what the real RA sent (address, opcode, body keys in order, values), response by
// response. Timeline of the capture: wire-captures/README.md §C.

import { expect } from 'chai';
import { LinkStateEngine } from '../../../../router/core/linkstate/engine';
import { TREATMENT_HINTS } from '../../../../router/core/linkstate/messages';
import type { Action } from '../../../../router/core/linkstate/actions';
import { capturedControlMessages, wireBody, type CapturedControl } from './captured-control';

type Event = { t: number; kind: 'tick' } | { t: number; kind: 'receive'; batch: CapturedControl[] } | { t: number; kind: 'address'; key: string };

const ms = (seconds: number) => Math.round(seconds * 1e6) / 1e3;
const line = (to: string, msg: CapturedControl['message']) => `${to} ${msg.opcode} ${wireBody(msg)}`;

describe('linkstate: replay of qdrouterd capture 1 (RA side)', () => {
  const captured = capturedControlMessages();
  const fromA = captured.filter((c) => c.dir === 'A->B');
  const fromB = captured.filter((c) => c.dir === 'B->A');

  it('decodes every control message of the capture into the plain model', () => {
    expect(new Set(captured.map((c) => c.message.opcode))).to.deep.equal(new Set(['HELLO', 'RA', 'LSR', 'LSU', 'MAR', 'MAU']));
    const lsu = captured.find((c) => c.message.opcode === 'LSU' && c.dir === 'A->B')!;
    expect(lsu.to).to.equal('amqp:/_topo/0/RB/qdrouter');
    expect(lsu.message).to.deep.equal({
      opcode: 'LSU', id: 'RA', pv: 1, area: '0', instance: 1795339600, ls_seq: 1, ls: { id: 'RA', area: '0', ls_seq: 1, peers: { RB: 1 } },
    });
  });

  it("RA's engine answers every input as the real RA did", () => {
    const engine = new LinkStateEngine({ id: 'RA', instance: 1795339600 });
    // Before RB starts, RA runs alone with a receiver for preAddress: mobile_seq is already 1.
    engine.addLocalAddress('M0preAddress', TREATMENT_HINTS.balanced);
    engine.tick(ms(0.802574));
    engine.tick(ms(1.802574));
    engine.connectionUp('IR', 1);

    const events: Event[] = fromA.filter((c) => c.message.opcode === 'HELLO').map((c) => ({ t: c.t, kind: 'tick' as const }));
    for (const c of fromB) {
      const last = events[events.length - 1];
      if (last?.kind === 'receive' && last.t === c.t) last.batch.push(c);
      else events.push({ t: c.t, kind: 'receive', batch: [c] });
    }
    // The receiver for myAddress attaches to RA (capture: 8.624819).
    events.push({ t: 8.624819, kind: 'address', key: 'M0myAddress' });
    events.sort((a, b) => a.t - b.t);

    const ours = new Map<Event, string[]>();
    for (const event of events) {
      const actions: Action[] = [];
      if (event.kind === 'tick') actions.push(...engine.tick(ms(event.t)));
      else if (event.kind === 'address') engine.addLocalAddress(event.key, TREATMENT_HINTS.balanced);
      else for (const c of event.batch) actions.push(...engine.receive(c.message, 'IR', ms(event.t)));
      ours.set(event, actions.flatMap((a) => (a.type === 'send' ? [line(a.address, a.message)] : [])));
    }

    // Each frame RA sent answers the latest input before it.
    const theirs = new Map<Event, string[]>(events.map((e) => [e, []]));
    for (const c of fromA) {
      const cause = events.filter((e) => e.t <= c.t).pop()!;
      theirs.get(cause)!.push(line(c.to, c.message));
    }

    for (const event of events) {
      const label = `${event.kind} at t=${event.t}`;
      // Ticks come from one thread in a fixed order (HELLO, LSR, MAU, RA); replies to a batch
      // come from qdrouterd's Python and C threads in either order.
      if (event.kind === 'tick') expect(ours.get(event), label).to.deep.equal(theirs.get(event));
      else expect([...ours.get(event)!].sort(), label).to.deep.equal([...theirs.get(event)!].sort());
    }
    expect(engine.routingTable.routes.get('RB')).to.deep.equal({ nextHop: 'RB', cost: 1, hops: 1, validOrigins: [] });
    expect([...engine.remoteAddresses('RB')]).to.deep.equal([]);
  });
});
