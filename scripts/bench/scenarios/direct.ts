// `direct`: the load generator's sender straight into its receiver, no router. Its figures
// are the ceiling every router scenario is measured against: they prove the load generator is
// not what limits them.
import { receiverArgs, runClients, senderArgs, throughputRun } from '../throughput';
import type { Scenario } from './scenario';

export const direct: Scenario = {
  name: 'direct',
  description: 'sender → receiver, no router (the load generator\'s ceiling)',
  perMode: true,
  runs: (ctx) => ctx.options.runs,
  async run(ctx, mode, run) {
    const clients = await runClients(ctx, {
      receiver: ['--listen', '--url', '127.0.0.1:0', ...receiverArgs(ctx)],
      ready: /^listening (\d+)$/,
      sender: (ready) => ['--url', `127.0.0.1:${ready[1]}`, ...senderArgs(ctx, mode)],
    });
    return throughputRun('direct', mode, run, clients, null);
  },
};
