// `topology`: what one topology change costs a router of a 100-router mesh (issue: the mesh).
// The link-state engine runs in this process on a simulated mesh (router/core/linkstate/
// bench-topology-change.ts): no sockets, only the CPU of the path computation and its upkeep.
import { benchTopologyChange } from '../../../router/core/linkstate/bench-topology-change';
import type { TopologyRun } from '../types';
import type { Scenario } from './scenario';

const cpuUs = (): number => { const u = process.cpuUsage(); return u.user + u.system; };

export const topology: Scenario = {
  name: 'topology',
  description: 'CPU per topology change on one router of a simulated 100-router mesh',
  perMode: false,
  runs: () => 1,
  async run(_ctx, _mode, run) {
    try {
      const r = benchTopologyChange({ clockUs: cpuUs, routers: 100, rounds: 30 });
      return { kind: 'topology', scenario: 'topology', run, ...r } satisfies TopologyRun;
    } catch (e) {
      return { kind: 'topology', scenario: 'topology', run, routers: 100, links: 0, radius: 0, microsecondsPerChange: 0, microsecondsPerComputation: 0, error: (e as Error).message };
    }
  },
};
