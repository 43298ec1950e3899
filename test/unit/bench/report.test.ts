import { expect } from 'chai';
import { formatCount, formatMb, formatReport, formatTable, formatUs, timestampName } from '../../../scripts/bench/report';
import type { ScenarioResult, ThroughputRun } from '../../../scripts/bench/types';

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
