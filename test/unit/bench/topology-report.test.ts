import { expect } from 'chai';
import { formatReport } from '../../../scripts/bench/report';
import type { ScenarioResult, TopologyRun } from '../../../scripts/bench/types';

describe('bench topology scenario report', () => {
  it('prints the CPU of one topology change of the simulated mesh', () => {
    const run: TopologyRun = { kind: 'topology', scenario: 'topology', run: 1, routers: 100, links: 200, radius: 5, microsecondsPerChange: 2012.5, microsecondsPerComputation: 1800 };
    const result: ScenarioResult = { scenario: 'topology', mode: null, median: run, runs: [run] };
    expect(formatReport([result])).to.include('topology: one change on one router of a 100-router mesh (200 links, radius 5): 2012.50 µs CPU (path computation alone 1800.00 µs)');
  });
});
