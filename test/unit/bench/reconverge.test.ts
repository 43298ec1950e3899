import { expect } from 'chai';
import { describeStep } from '../../../scripts/bench/mesh';
import {
  busiestRouter, FAILOVER_GAP_WINDOW_MS, findFailover, lastArrival, parseTimestampLines, ratesAround, reconvergeFigures, silenceBeforeKill,
} from '../../../scripts/bench/reconverge';
import type { ReceiveGap, ReceiveResult, SendResult } from '../../../scripts/bench/types';

const KILL = 1_000_000;
const gap = (fromMs: number, toMs: number, receivedBefore: number): ReceiveGap => ({ fromMs, toMs, receivedBefore });
const receive = (o: Partial<ReceiveResult>): ReceiveResult => ({
  role: 'receive', received: 0, seconds: 0, first_ms: 0, last_ms: 0, aborted: 0, cpu_seconds: 0, ended: 'signal', ...o,
});
const send = (o: Partial<SendResult>): SendResult => ({
  role: 'send', sent: 0, accepted: 0, rejected: 0, released: 0, modified: 0, other: 0, unsettled: 0,
  presettled: false, seconds: 1, cpu_seconds: 0, ended: 'finish', ...o,
});
const sample = (pid: number, cpuSeconds: number) => ({ pid, comm: 'node', cpuSeconds, vmRssKb: 0, vmHwmKb: 0 });

describe('bench reconverge figures', () => {
  it('reads the receiver\'s gap and progress lines among the others', () => {
    const out = 'attached\nprogress 0 0.000 999000.5\ngap 999500.250 1000800.750 4000\nprogress 9000 1001000.000 1001000.1\n{"role":"receive"}\ngap x y z\n';
    expect(parseTimestampLines(out)).to.deep.equal({
      gaps: [gap(999500.25, 1000800.75, 4000)],
      progress: [{ received: 0, lastMs: 0, atMs: 999000.5 }, { received: 9000, lastMs: 1001000, atMs: 1001000.1 }],
    });
  });

  it('times the recovery from the kill to the end of the silence that spans it', () => {
    const gaps = [gap(KILL - 5000, KILL - 4800, 10), gap(KILL - 20, KILL + 1300, 5000), gap(KILL + 4000, KILL + 4200, 9000)];
    const f = findFailover(KILL, gaps, 100, KILL + 5000);
    expect(f).to.deep.equal({ recoveryMs: 1300, basis: 'gap', gap: gaps[1] });
  });

  it('lets messages already past the dead router arrive before the silence', () => {
    const gaps = [gap(KILL + 30, KILL + 700, 5000)];
    expect(findFailover(KILL, gaps, 100, KILL + 2000).recoveryMs).to.equal(700);
  });

  it('does not take a later hiccup for the failover', () => {
    const gaps = [gap(KILL + FAILOVER_GAP_WINDOW_MS + 500, KILL + FAILOVER_GAP_WINDOW_MS + 700, 9000)];
    expect(findFailover(KILL, gaps, 100, KILL + 5000)).to.deep.equal({ recoveryMs: 100, basis: 'under-threshold', gap: null });
  });

  it('bounds the recovery by the threshold when traffic never paused, but only once past the window', () => {
    expect(findFailover(KILL, [], 100, KILL + FAILOVER_GAP_WINDOW_MS + 1)).to.deep.equal({ recoveryMs: 100, basis: 'under-threshold', gap: null });
    // Messages still trickling in right after the kill prove nothing yet.
    expect(findFailover(KILL, [], 100, KILL + 50)).to.deep.equal({ recoveryMs: null, basis: null, gap: null });
    expect(findFailover(KILL, [], 100, null).recoveryMs).to.equal(null);
  });

  it('finds the longest silence before the kill, counting one that spans it up to the kill', () => {
    expect(silenceBeforeKill(KILL, [gap(KILL - 5000, KILL - 4700, 10), gap(KILL - 1650, KILL + 1360, 7707), gap(KILL + 3000, KILL + 6000, 9000)])).to.equal(1650);
    expect(silenceBeforeKill(KILL, [gap(KILL - 2, KILL + 1300, 7707)])).to.equal(2);
    expect(silenceBeforeKill(KILL, [])).to.equal(0);
  });

  it('knows the latest arrival from gaps and progress lines', () => {
    expect(lastArrival([gap(1, 50, 3)], [{ received: 0, lastMs: 0, atMs: 10 }, { received: 9, lastMs: 40, atMs: 60 }])).to.equal(50);
    expect(lastArrival([], [{ received: 0, lastMs: 0, atMs: 10 }])).to.equal(null);
  });

  it('splits the receive rate at the failover silence', () => {
    const g = gap(KILL, KILL + 1000, 20_001);
    const r = receive({ received: 40_002, first_ms: KILL - 2000, last_ms: KILL + 3000 });
    expect(ratesAround(KILL, { recoveryMs: 1000, basis: 'gap', gap: g }, [], r)).to.deep.equal({ before: 10_000, after: 10_000 });
  });

  it('splits it at the progress line before the kill when there was no silence', () => {
    const progress = [{ received: 10_001, lastMs: KILL - 1000, atMs: KILL - 1000 }, { received: 20_001, lastMs: KILL + 10, atMs: KILL + 10 }];
    const r = receive({ received: 30_002, first_ms: KILL - 2000, last_ms: KILL + 1000 });
    expect(ratesAround(KILL, { recoveryMs: 100, basis: 'under-threshold', gap: null }, progress, r)).to.deep.equal({ before: 10_000, after: 10_000 });
    expect(ratesAround(KILL, { recoveryMs: null, basis: null, gap: null }, progress, null)).to.deep.equal({ before: null, after: null });
  });

  it('names the router whose CPU grew most, if any did', () => {
    const from = new Map([['B', sample(1, 10)], ['C', sample(2, 10)]]);
    expect(busiestRouter(['B', 'C'], from, new Map([['B', sample(1, 11.5)], ['C', sample(2, 10.01)]]))).to.equal('B');
    expect(busiestRouter(['B', 'C'], from, new Map([['C', sample(2, 10.8)]]))).to.equal('C'); // B gone
    expect(busiestRouter(['B', 'C'], from, new Map([['B', sample(1, 10.01)], ['C', sample(2, 10.02)]]))).to.equal(null);
  });

  it('counts outcomes, accepted messages lost and drops', () => {
    const stdout = `gap ${KILL - 10} ${KILL + 900} 5000\n`;
    const base = { scenario: 'reconverge', run: 1, killed: 'B', gapThresholdMs: 100 };
    const unsettled = reconvergeFigures({ ...base, mode: 'unsettled' }, KILL, send({ sent: 10_000, accepted: 9_500, modified: 480, released: 20 }), receive({ received: 9_700, first_ms: KILL - 2000, last_ms: KILL + 3000 }), stdout);
    expect(unsettled).to.include({ kind: 'reconverge', recoveryMs: 900, recoveryBasis: 'gap', sent: 10_000, received: 9_700, accepted: 9_500, modified: 480, released: 20, lostAccepted: 0, dropped: 0 });
    const silent = reconvergeFigures({ ...base, mode: 'unsettled' }, KILL, send({ sent: 10_000, accepted: 9_500, modified: 300 }), receive({ received: 9_700 }), stdout);
    expect(silent.dropped).to.equal(200); // no outcome for 200
    const lost = reconvergeFigures({ ...base, mode: 'unsettled' }, KILL, send({ sent: 10_000, accepted: 9_500 }), receive({ received: 9_400 }), stdout);
    expect(lost.lostAccepted).to.equal(100);
    const presettled = reconvergeFigures({ ...base, mode: 'presettled' }, KILL, send({ sent: 10_000, presettled: true }), receive({ received: 9_750, first_ms: 1, last_ms: KILL + 2000 }), stdout);
    expect([presettled.dropped, presettled.lostAccepted]).to.deep.equal([250, 0]);
    const never = reconvergeFigures({ ...base, mode: 'presettled' }, null, null, null, '');
    expect([never.recoveryMs, never.killAtMs, never.sent, never.gaps]).to.deep.equal([null, null, 0, []]);
  });

  it('says which router and step a mesh run failed at', () => {
    const t = { senderAt: 'R1', receiverAt: 'R3' };
    expect(describeStep('receiver-attach', t, 30)).to.equal('the receiver did not attach to R3');
    expect(describeStep('sender-attach', t, 30)).to.equal('the sender did not attach to R1');
    expect(describeStep('sender-credit', t, 30)).to.match(/did not converge within 30 s: the sender attached to R1 but got no credit, so R1 never learned the address of the receiver on R3/);
  });
});
