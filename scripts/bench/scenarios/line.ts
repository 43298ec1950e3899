// `line`: three routers in a line, R1 connects to R2 and R2 to R3; sender on R1, receiver on
// R3, so every message crosses R2. The three routers are started fresh for each run; each
// one's CPU per message and peak RSS are reported.
//
//   R1 ──── R2 ──── R3
import { meshThroughputRun, MeshTopology } from '../mesh';
import type { Scenario } from './scenario';

export const LINE_TOPOLOGY: MeshTopology = {
  scenario: 'line',
  routers: [
    { id: 'R1', connectTo: [{ id: 'R2' }] },
    { id: 'R2', connectTo: [{ id: 'R3' }] },
    { id: 'R3' },
  ],
  senderAt: 'R1',
  receiverAt: 'R3',
};

export const line: Scenario = {
  name: 'line',
  description: 'sender → R1 → R2 → R3 → receiver, three routers in a line',
  perMode: true,
  runs: (ctx) => ctx.options.runs,
  run: (ctx, mode, run) => meshThroughputRun(ctx, LINE_TOPOLOGY, mode, run),
};
