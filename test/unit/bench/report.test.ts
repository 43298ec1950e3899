import { expect } from 'chai';
import { formatCount, formatMb, formatRecovery, formatReport, formatTable, formatUs, resultKind, routerColumns, timestampName } from '../../../scripts/bench/report';
import type { ReconvergeRun, ScenarioResult, ThroughputRun } from '../../../scripts/bench/types';

function run(msgPerSec: number, extra: Partial<ThroughputRun> = {}): ThroughputRun {
  return {
    kind: 'throughput', scenario: 'single', mode: 'unsettled', run: 1, sent: 1000, received: 1000, dropped: 0,
    msgPerSec, seconds: 1, router: { pid: 1, comm: 'node', cpuUsPerMsg: 4.25, peakRssKb: 51200, rssAfterKb: 90 * 1024 },
    senderCpuUsPerMsg: 1, receiverCpuUsPerMsg: 1.5, sender: null, receiver: null, ...extra,
  };
}

describe('bench report', () => {
  it('aligns columns, numbers to the right', () => {
    const table = formatTable(['name', 'n'], [['a', '1'], ['long', '1,000']], new Set([1]));
    expect(table.split('\n')).to.deep.equal(['name      n', '----  -----', 'a         1', 'long  1,000']);
  });

  it('formats figures, with a dash when there is none', () => {
    expect(formatCount(643210.6)).to.equal('643,211');
    expect(formatMb(81920)).to.equal('80.0');
    expect(formatUs(4.256)).to.equal('4.26');
    expect([formatCount(null), formatMb(undefined), formatUs(null)]).to.deep.equal(['-', '-', '-']);
  });

  it('reports the median run, marks figures above target, lists every run and error', () => {
    const median = run(200_000);
    const result: ScenarioResult = {
      scenario: 'single', mode: 'unsettled', median,
      runs: [run(150_000), median, run(210_000, { error: 'receiver timed out' })],
    };
    const text = formatReport([result]);
    const row = text.split('\n').find((l) => l.startsWith('single'))!;
    expect(row).to.match(/single\s+unsettled\s+200,000\s+4\.25\s+50\.0\s+90\.0 \*\s+0\s+1\.00 \/ 1\.50\s+150,000 200,000 210,000/);
    expect(text).to.contain('single unsettled run 1: receiver timed out');
  });

  it('names result files by time without colons', () => {
    expect(timestampName(new Date(Date.UTC(2025, 0, 31, 12, 5, 9, 42)))).to.equal('2025-01-31T12-05-09.042Z');
  });
});

describe('bench report of several routers', () => {
  const figures = (id: string, cpuUsPerMsg: number, peakRssKb: number) => ({ id, pid: 1, comm: 'node', cpuUsPerMsg, peakRssKb, rssAfterKb: peakRssKb - 1024 });
  const meshRun = (): ThroughputRun => ({
    ...run(30_000, { scenario: 'mesh' }),
    router: null,
    routers: [figures('R1', 3, 60 * 1024), figures('R2', 0.25, 50 * 1024), figures('R3', 3.5, 70 * 1024)],
    routersCpuUsPerMsg: 6.75,
  });

  it('shows the CPU sum and the highest RSS in the main table, each router in its own', () => {
    const m = meshRun();
    const text = formatReport([{ scenario: 'mesh', mode: 'presettled', median: m, runs: [m] }]);
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('mesh') && l.includes('30,000'))).to.match(/mesh\s+presettled\s+30,000\s+6\.75\s+70\.0\s+69\.0\s+0/);
    expect(lines.filter((l) => /^mesh\s+presettled\s+R\d/.test(l)).map((l) => l.split(/\s+/).slice(2, 5))).to.deep.equal([
      ['R1', '3.00', '60.0'], ['R2', '0.25', '50.0'], ['R3', '3.50', '70.0'],
    ]);
    expect(routerColumns(m)).to.deep.equal({ cpuUsPerMsg: 6.75, peakRssKb: 70 * 1024, rssAfterKb: 69 * 1024 });
  });

  it('keeps a scenario that never ran in the table of its kind', () => {
    expect(resultKind({ scenario: 'reconverge', mode: 'unsettled', median: null, runs: [], error: 'weftd is not built' })).to.equal('reconverge');
    expect(resultKind({ scenario: 'line', mode: 'unsettled', median: null, runs: [] })).to.equal('throughput');
    expect(resultKind({ scenario: 'memory', mode: null, median: null, runs: [] })).to.equal('memory');
  });

  it('reports the reconverge recovery, path, outcomes and losses', () => {
    const r = (recoveryMs: number | null, basis: ReconvergeRun['recoveryBasis'] = 'gap'): ReconvergeRun => ({
      kind: 'reconverge', scenario: 'reconverge', mode: 'unsettled', run: 1, killed: 'B', killAtMs: 1, gapThresholdMs: 100,
      recoveryMs, recoveryBasis: basis, failoverGap: null, silenceBeforeKillMs: 0, settleMs: 500, msgPerSecBefore: 20_000, msgPerSecAfter: 18_000, pathBefore: 'B', pathAfter: 'C',
      sent: 100_000, received: 99_700, accepted: 99_500, released: 0, modified: 500, rejected: 0, unsettled: 0, lostAccepted: 0, dropped: 500,
      gaps: [], routers: [], sender: null, receiver: null,
    });
    const median = r(1_400);
    const text = formatReport([{ scenario: 'reconverge', mode: 'unsettled', median, runs: [r(1_300), median, r(100, 'under-threshold')] }]);
    const row = text.split('\n').find((l) => l.startsWith('reconverge'))!;
    expect(row).to.match(/reconverge\s+unsettled\s+1,400 \*\s+B → C\s+20,000 \/ 18,000\s+100,000\s+99,700\s+99,500\s+0 \/ 500 \/ 0\s+0\s+500\s+1,300 1,400 <100/);
    expect(formatRecovery(r(null))).to.equal('-');
  });
});
