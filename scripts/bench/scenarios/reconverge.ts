// `reconverge`: how long the mesh takes to route round a router that dies. Four routers, two
// paths from the sender's router A to the receiver's D: A–B–D (cost 2) and A–C–D (cost 6, the
// A–C link costs 5), so traffic takes B. The sender sends as fast as credit allows (there is no
// --rate: the receiver side is measured); once messages have flowed for a while B is killed
// (SIGKILL: its sockets close at once, no goodbye). Reported: the time from the kill to the
// first message after the silence it causes (weft-loadgen receive --timestamps prints every
// silence longer than 100 ms; target < 1 s), the receive rates before and after, which router
// carried the traffic before and after (CPU), the sender's outcomes (unsettled: how many came
// back released or modified), and whether any accepted message failed to arrive.
//
//        B
//      /   \
//     A     D
//      \   /
//        C   (A–C costs 5)
import { setTimeout as sleep } from 'node:timers/promises';
import { LoadgenProcess } from '../loadgen';
import { describeStep, MeshRouters, MeshTopology } from '../mesh';
import type { ProcessSample } from '../proc-stats';
import { busiestRouter, findFailover, lastArrival, parseTimestampLines, reconvergeFigures } from '../reconverge';
import { ADDRESS, meshFigures } from '../throughput';
import type { ReceiveResult, ReconvergeRun, SendResult } from '../types';
import { formatCount } from '../report';
import type { Scenario } from './scenario';

export const RECONVERGE_TOPOLOGY: MeshTopology = {
  scenario: 'reconverge',
  routers: [
    { id: 'A', connectTo: [{ id: 'B' }, { id: 'C', cost: 5 }] },
    { id: 'B', connectTo: [{ id: 'D' }] },
    { id: 'C', connectTo: [{ id: 'D' }] },
    { id: 'D' },
  ],
  senderAt: 'A',
  receiverAt: 'D',
};
const KILLED = 'B';
const DETOUR = 'C';
/** Silences shorter than this are not reported by the receiver. */
const GAP_MS = 100;
/** The kill waits until B has carried the traffic for a window this long (the sender may get
 *  credit while A knows D only by C), then for TRAFFIC_BEFORE_KILL_MS more. */
const SETTLE_WINDOW_MS = 500;
const SETTLE_TIMEOUT_MS = 15_000;
const TRAFFIC_BEFORE_KILL_MS = 2000;
/** A silence before the kill longer than this is reported as an error: traffic stalled. */
const STALL_MS = 500;
/** Longest the bench waits for messages to come round after the kill. */
const RECOVERY_TIMEOUT_MS = 10_000;
const TRAFFIC_AFTER_RECOVERY_MS = 2000;
const DRAIN_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

export const reconverge: Scenario = {
  name: 'reconverge',
  description: `A–B–D and A–C–D, traffic through B, B killed: time until messages arrive by C`,
  perMode: true,
  runs: (ctx) => ctx.options.runs,
  async run(ctx, mode, run) {
    const o = ctx.options;
    const base = { scenario: 'reconverge', mode, run, killed: KILLED, gapThresholdMs: GAP_MS };
    const result = (killMs: number | null, sender: SendResult | null, receiver: ReceiveResult | null, stdout: string, rest: Partial<ReconvergeRun>): ReconvergeRun => ({
      ...reconvergeFigures(base, killMs, sender, receiver, stdout),
      routers: [],
      pathBefore: null,
      pathAfter: null,
      settleMs: null,
      ...rest,
    });
    let mesh: MeshRouters;
    try {
      mesh = await MeshRouters.start(ctx, `reconverge-${mode}-${run}`, RECONVERGE_TOPOLOGY.routers);
    } catch (e) {
      return result(null, null, null, '', { error: (e as Error).message });
    }
    const meshTimeoutMs = o.meshTimeoutS * 1000;
    const fail = (what: string): Error => new Error(`${what}\n${mesh.stderrTails()}`);
    const receiver = new LoadgenProcess(ctx.loadgen, [
      'receive', '--url', mesh.url('D'), '--address', ADDRESS, '--credit', String(o.credit),
      '--timestamps', '--gap-ms', String(GAP_MS),
      // The bench ends the receiver itself once the sender has stopped and the count is still.
      '--idle-ms', String(RECOVERY_TIMEOUT_MS * 3), '--wait-ms', String(meshTimeoutMs + 15_000),
    ]);
    let sender: LoadgenProcess | null = null;
    let killMs: number | null = null;
    let settleMs: number | null = null;
    const samples: { first?: Map<string, ProcessSample>; beforeKill?: Map<string, ProcessSample>; end?: Map<string, ProcessSample> } = {};
    const errors: string[] = [];
    const step = async (name: Parameters<typeof describeStep>[0], wait: () => Promise<unknown>): Promise<void> => {
      try {
        await wait();
      } catch (e) {
        throw fail(`${describeStep(name, RECONVERGE_TOPOLOGY, o.meshTimeoutS)}: ${(e as Error).message}`);
      }
    };
    const timestamps = (): ReturnType<typeof parseTimestampLines> => parseTimestampLines(receiver.output);
    const clientsRunning = (): void => {
      if (receiver.ended) throw fail(`the receiver on D ended early${receiver.describeStderr()}`);
      if (sender?.ended) throw fail(`the sender on A ended early${sender.describeStderr()}`);
    };
    try {
      await step('receiver-attach', () => receiver.waitForLine(/^attached$/, 15_000));
      const s = (sender = new LoadgenProcess(ctx.loadgen, [
        'send', '--url', mesh.url('A'), '--address', ADDRESS, '--size', String(o.size), '--seconds', '3600',
        ...(mode === 'presettled' ? ['--presettled'] : []),
      ]));
      const deadline = Date.now() + meshTimeoutMs;
      await step('sender-attach', () => s.waitForLine(/^attached$/, meshTimeoutMs));
      await step('sender-credit', () => s.waitForLine(/^credited$/, Math.max(1, deadline - Date.now())));
      if (!(await until(() => (clientsRunning(), timestamps().progress.some((p) => p.received > 0)), 15_000))) {
        throw fail('the sender on A has credit, but no message reached the receiver on D within 15 s');
      }
      const firstAt = Date.now();
      samples.first = mesh.sample();
      // Wait for B to carry the traffic: A may have given credit while it knew D only by C.
      for (let window = samples.first; ; ) {
        await sleep(SETTLE_WINDOW_MS);
        clientsRunning();
        const next = mesh.sample();
        if (busiestRouter([KILLED, DETOUR], window, next, 0.01) === KILLED) {
          settleMs = Date.now() - firstAt;
          samples.first = next;
          break;
        }
        if (Date.now() - firstAt > SETTLE_TIMEOUT_MS) {
          throw fail(`the traffic did not go by ${KILLED} within ${SETTLE_TIMEOUT_MS / 1000} s of the first message (by router CPU; it should: A–B–D costs 2, A–C–D 6)`);
        }
        window = next;
      }
      await sleep(TRAFFIC_BEFORE_KILL_MS);
      clientsRunning();
      const deadBefore = mesh.dead();
      if (deadBefore.length > 0) throw fail(`router ${deadBefore.join(', ')} died before the kill`);
      samples.beforeKill = mesh.sample();
      mesh.get(KILLED).kill('SIGKILL');
      killMs = Date.now();
      const k = killMs;
      const recovered = await until(() => {
        clientsRunning();
        const t = timestamps();
        return findFailover(k, t.gaps, GAP_MS, lastArrival(t.gaps, t.progress)).recoveryMs !== null;
      }, RECOVERY_TIMEOUT_MS);
      if (recovered) await sleep(TRAFFIC_AFTER_RECOVERY_MS);
      else errors.push(fail(`no message reached the receiver on D within ${RECOVERY_TIMEOUT_MS / 1000} s of killing ${KILLED}`).message);
      samples.end = mesh.sample();
      const deadAfter = mesh.dead(new Set([KILLED]));
      if (deadAfter.length > 0) errors.push(fail(`router ${deadAfter.join(', ')} died after ${KILLED} was killed`).message);
    } catch (e) {
      errors.push((e as Error).message);
    }
    try {
      // The sender stops sending and waits for its outcomes (anything still unsettled after
      // that was never settled); then the routers hand over what they hold: the receiver's
      // count must stand still for a second before it is stopped.
      sender?.finish();
      const sent = sender ? await sender.done(15_000) : null;
      if (sent && sent.code !== 0) errors.push(`the sender exited (${sent.code ?? sent.signal})${sender!.describeStderr()}`);
      const stoppedAt = Date.now();
      await until(() => {
        const after = timestamps().progress.filter((p) => p.atMs >= stoppedAt);
        return after.length >= 2 && after[after.length - 1].received === after[after.length - 2].received;
      }, DRAIN_TIMEOUT_MS);
      receiver.terminate();
      const received = await receiver.done(5000);
      if (received.code !== 0) errors.push(`the receiver exited (${received.code ?? received.signal})${receiver.describeStderr()}`);
      const senderResult = sender?.result<SendResult>('send') ?? null;
      const receiverResult = receiver.result<ReceiveResult>('receive');
      const out = result(killMs, senderResult, receiverResult, receiver.output, { settleMs });
      if (out.silenceBeforeKillMs !== null && out.silenceBeforeKillMs > STALL_MS) {
        const stall = out.gaps.find((g) => killMs !== null && g.fromMs < killMs && Math.min(g.toMs, killMs) - g.fromMs === out.silenceBeforeKillMs);
        const when = stall && killMs !== null ? ` (from ${((stall.fromMs - killMs) / 1000).toFixed(3)} s to ${((stall.toMs - killMs) / 1000).toFixed(3)} s relative to the kill, after ${stall.receivedBefore} messages)` : '';
        errors.push(`the traffic stalled before the kill: no message for ${formatCount(out.silenceBeforeKillMs)} ms${when}`);
      }
      if (samples.first && samples.end) {
        // B's figures end at its last sample, before the kill.
        const last = new Map([...samples.end, ...(samples.beforeKill?.has(KILLED) ? [[KILLED, samples.beforeKill.get(KILLED)!] as const] : [])]);
        out.routers = meshFigures(mesh.ids(), samples.first, last, out.received).routers;
      }
      if (samples.first && samples.beforeKill) out.pathBefore = busiestRouter([KILLED, DETOUR], samples.first, samples.beforeKill);
      if (samples.beforeKill && samples.end) out.pathAfter = busiestRouter([KILLED, DETOUR], samples.beforeKill, samples.end);
      if (samples.beforeKill && out.pathBefore !== KILLED) {
        errors.push(`before the kill the traffic went by ${out.pathBefore ?? 'neither B nor C'} (router CPU), not by ${KILLED}: the kill tested nothing`);
      }
      if (out.lostAccepted > 0) errors.push(`${out.lostAccepted} accepted messages never reached the receiver`);
      if (out.unsettled > 0) errors.push(`${out.unsettled} deliveries were never settled (still unsettled 5 s after the sender stopped sending)`);
      if (errors.length > 0) out.error = errors.join('; ');
      return out;
    } finally {
      sender?.terminate();
      receiver.terminate();
      await Promise.all([sender?.done(5000), receiver.done(5000)]);
      await mesh.stop();
    }
  },
};

/** Polls `done` until it holds (true) or `timeoutMs` passes (false); `done` may throw. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}
