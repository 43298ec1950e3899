// `single`: sender → one router → receiver, on one standalone router started fresh for each
// run, so that its peak RSS belongs to that run.
import { startRouter } from '../context';
import type { ProcessSample } from '../proc-stats';
import { standaloneRouterConf } from '../router-conf';
import { receiverArgs, routerFigures, runClients, senderArgs, throughputRun } from '../throughput';
import type { RouterFigures, ThroughputRun } from '../types';
import type { Scenario } from './scenario';

export const single: Scenario = {
  name: 'single',
  description: 'sender → router → receiver, one standalone router',
  perMode: true,
  runs: (ctx) => ctx.options.runs,
  async run(ctx, mode, run) {
    let started;
    try {
      started = await startRouter(ctx, `single-${mode}-${run}`, (port) => standaloneRouterConf('bench1', port));
    } catch (e) {
      return failed(mode, run, `router did not start: ${(e as Error).message}`);
    }
    const { router, port } = started;
    try {
      const samples: { before?: ProcessSample } = {};
      const url = `127.0.0.1:${port}`;
      const clients = await runClients(ctx, {
        receiver: ['--url', url, ...receiverArgs(ctx)],
        ready: /^attached$/,
        sender: () => ['--url', url, ...senderArgs(ctx, mode)],
        beforeSend: () => (samples.before = router.sample()),
      });
      let figures: RouterFigures | null = null;
      if (!router.alive()) {
        clients.error = [clients.error, `router died during the run; stderr:\n${router.stderrTail()}`].filter(Boolean).join('; ');
      } else if (samples.before) {
        figures = routerFigures(samples.before, router.sample(), clients.sender?.sent ?? 0);
      }
      return throughputRun('single', mode, run, clients, figures);
    } finally {
      await router.stop();
    }
  },
};

function failed(mode: ThroughputRun['mode'], run: number, error: string): ThroughputRun {
  return throughputRun('single', mode, run, { sender: null, receiver: null, error }, null);
}
