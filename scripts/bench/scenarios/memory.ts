// `memory`: does the router bound its memory when a consumer stops reading? A receiver attaches
// with credit and then stops reading its socket (`weft-loadgen receive --stall`); a producer
// pushes large messages (10 MB by default) at the router for --seconds. Reported: the router's
// RSS before the producer starts, its peak, and the growth. Target: growth ≤ 64 MB.
import { LoadgenProcess } from '../loadgen';
import { startRouter } from '../context';
import { standaloneRouterConf } from '../router-conf';
import type { MemoryRun, SendResult } from '../types';
import type { Scenario } from './scenario';

export const MEMORY_GROWTH_TARGET_KB = 64 * 1024;
const SAMPLE_EVERY_MS = 200;

export const memory: Scenario = {
  name: 'memory',
  description: 'large messages to a consumer that stopped reading: router RSS growth',
  perMode: false,
  runs: () => 1, // one long run: it measures a bound, not a rate
  async run(ctx, _mode, run) {
    const o = ctx.options;
    const result: MemoryRun = {
      kind: 'memory', scenario: 'memory', run, messageSize: o.memorySize, seconds: o.seconds, sent: 0, accepted: 0,
      routerPid: null, rssBeforeKb: null, peakRssKb: null, growthKb: null, rssAfterKb: null, sender: null,
    };
    let started;
    try {
      started = await startRouter(ctx, `memory-${run}`, (port) => standaloneRouterConf('bench1', port));
    } catch (e) {
      return { ...result, error: `router did not start: ${(e as Error).message}` };
    }
    const { router, port } = started;
    const url = `127.0.0.1:${port}`;
    const address = 'bench-memory';
    result.routerPid = router.pid;
    const receiver = new LoadgenProcess(ctx.loadgen, ['receive', '--url', url, '--address', address, '--credit', String(o.credit), '--stall']);
    let sampler: NodeJS.Timeout | undefined;
    try {
      await receiver.waitForLine(/^stalled$/, 15_000);
      result.rssBeforeKb = router.sample().vmRssKb;
      let highestKb = result.rssBeforeKb;
      // VmHWM already records the peak; sampling also catches the time the router may die.
      sampler = setInterval(() => {
        try {
          highestKb = Math.max(highestKb, router.sample().vmRssKb);
        } catch {
          // the router has gone: reported once the producer ends
        }
      }, SAMPLE_EVERY_MS);
      const sender = new LoadgenProcess(ctx.loadgen, ['send', '--url', url, '--address', address, '--size', String(o.memorySize), '--seconds', String(o.seconds)]);
      const exit = await sender.done((o.seconds + 30) * 1000);
      clearInterval(sampler);
      result.sender = sender.result<SendResult>('send');
      result.sent = result.sender?.sent ?? 0;
      result.accepted = result.sender?.accepted ?? 0;
      if (!router.alive()) return { ...result, error: `router died under load; stderr:\n${router.stderrTail()}` };
      const after = router.sample();
      result.peakRssKb = Math.max(after.vmHwmKb, highestKb);
      result.growthKb = result.peakRssKb - result.rssBeforeKb;
      result.rssAfterKb = after.vmRssKb;
      if (exit.timedOut) result.error = `producer did not stop within ${o.seconds + 30} s${sender.describeStderr()}`;
      return result;
    } catch (e) {
      return { ...result, error: (e as Error).message };
    } finally {
      clearInterval(sampler);
      receiver.terminate();
      await receiver.done(5000);
      await router.stop();
    }
  },
};
