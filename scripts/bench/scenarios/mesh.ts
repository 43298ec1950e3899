// `mesh`: three routers, R1 connects to R2 and R3, R2 connects to R3; sender on R1, receiver
// on R3, so messages take the direct R1–R3 link (cost 1, against 2 by R2). The three routers
// are started fresh for each run; each one's CPU per message and peak RSS are reported.
//
//        R1 ──── R3
//          \    /
//           R2
import { meshThroughputRun, MeshTopology } from '../mesh';
import type { Scenario } from './scenario';

export const MESH_TOPOLOGY: MeshTopology = {
  scenario: 'mesh',
  routers: [
    { id: 'R1', connectTo: [{ id: 'R2' }, { id: 'R3' }] },
    { id: 'R2', connectTo: [{ id: 'R3' }] },
    { id: 'R3' },
  ],
  senderAt: 'R1',
  receiverAt: 'R3',
};

export const mesh: Scenario = {
  name: 'mesh',
  description: 'sender → R1 → R3 → receiver in a triangle of three routers (R2 idle beside them)',
  perMode: true,
  runs: (ctx) => ctx.options.runs,
  run: (ctx, mode, run) => meshThroughputRun(ctx, MESH_TOPOLOGY, mode, run),
};
