// The reconverge scenario's arithmetic (pure, unit-tested): what the receiver's --timestamps
// lines say, which silence was the failover, and the figures of a run.
import type { ProcessSample } from './proc-stats';
import type { Mode, ReceiveGap, ReceiveResult, ReconvergeRun, SendResult } from './types';

/** A `progress RECEIVED LAST_MS NOW_MS` line of weft-loadgen receive --timestamps. */
export interface ReceiveProgress {
  received: number;
  /** Wall-clock epoch ms of the last message so far (0 before the first). */
  lastMs: number;
  /** When the line was printed. */
  atMs: number;
}

/** The gap and progress lines of a receiver's stdout, in the order printed. */
export function parseTimestampLines(stdout: string): { gaps: ReceiveGap[]; progress: ReceiveProgress[] } {
  const gaps: ReceiveGap[] = [];
  const progress: ReceiveProgress[] = [];
  for (const raw of stdout.split('\n')) {
    const f = raw.trim().split(/\s+/);
    const n = f.slice(1).map(Number);
    if (n.length !== 3 || n.some((x) => !Number.isFinite(x))) continue;
    if (f[0] === 'gap') gaps.push({ fromMs: n[0], toMs: n[1], receivedBefore: n[2] });
    else if (f[0] === 'progress') progress.push({ received: n[0], lastMs: n[1], atMs: n[2] });
  }
  return { gaps, progress };
}

/** How long after the kill the messages that were already past the killed router may still
 *  trickle in before the failover silence begins; a later silence is something else. */
export const FAILOVER_GAP_WINDOW_MS = 1000;

export interface Failover {
  recoveryMs: number | null;
  basis: ReconvergeRun['recoveryBasis'];
  gap: ReceiveGap | null;
}

/**
 * The failover after a kill at `killMs`: the first silence that ends after the kill and began
 * no later than FAILOVER_GAP_WINDOW_MS after it; recovery is from the kill to its end (the
 * first message that came round the other way). With no such silence but a message after
 * the kill, every silence around the kill was shorter than the threshold, which then bounds
 * the recovery. `lastMessageMs` is the latest arrival known (null: none yet).
 */
export function findFailover(killMs: number, gaps: readonly ReceiveGap[], thresholdMs: number, lastMessageMs: number | null): Failover {
  const gap = gaps.find((g) => g.toMs > killMs && g.fromMs <= killMs + FAILOVER_GAP_WINDOW_MS);
  if (gap) return { recoveryMs: gap.toMs - killMs, basis: 'gap', gap };
  // Messages may still trickle in before a silence: only past the window is "no silence" sure.
  if (lastMessageMs !== null && lastMessageMs > killMs + FAILOVER_GAP_WINDOW_MS) return { recoveryMs: thresholdMs, basis: 'under-threshold', gap: null };
  return { recoveryMs: null, basis: null, gap: null };
}

/** The longest the receiver went without a message between the first one and the kill
 *  (a silence that spans the kill counts up to the kill); 0 when none was reported. */
export function silenceBeforeKill(killMs: number, gaps: readonly ReceiveGap[]): number {
  return gaps.filter((g) => g.fromMs < killMs).reduce((most, g) => Math.max(most, Math.min(g.toMs, killMs) - g.fromMs), 0);
}

/** The latest arrival the receiver has reported, from its gap and progress lines. */
export function lastArrival(gaps: readonly ReceiveGap[], progress: readonly ReceiveProgress[]): number | null {
  const times = [...gaps.map((g) => g.toMs), ...progress.filter((p) => p.received > 0).map((p) => p.lastMs)];
  return times.length > 0 ? Math.max(...times) : null;
}

/**
 * Receive rates before the kill and after the recovery, msg/s. With a failover silence the
 * split is exact (its message count); otherwise the progress lines nearest the kill serve.
 */
export function ratesAround(killMs: number, failover: Failover, progress: readonly ReceiveProgress[], receiver: ReceiveResult | null): { before: number | null; after: number | null } {
  if (!receiver || receiver.received === 0) return { before: null, after: null };
  const rate = (n: number, fromMs: number, toMs: number): number | null => (n > 0 && toMs > fromMs ? (n * 1000) / (toMs - fromMs) : null);
  let splitCount: number;
  let beforeEnd: number;
  let afterStart: number;
  if (failover.gap) {
    splitCount = failover.gap.receivedBefore;
    beforeEnd = failover.gap.fromMs;
    afterStart = failover.gap.toMs;
  } else {
    const at = [...progress].reverse().find((p) => p.received > 0 && p.lastMs <= killMs);
    if (!at) return { before: null, after: null };
    splitCount = at.received;
    beforeEnd = afterStart = at.lastMs;
  }
  return {
    before: rate(splitCount - 1, receiver.first_ms, beforeEnd),
    after: rate(receiver.received - splitCount - 1, afterStart, receiver.last_ms),
  };
}

/** The router among `ids` whose CPU grew most between two samplings, if one grew by at
 *  least `minSeconds` (an idle router only answers hellos): where the messages went. */
export function busiestRouter(ids: readonly string[], from: ReadonlyMap<string, ProcessSample>, to: ReadonlyMap<string, ProcessSample>, minSeconds = 0.05): string | null {
  let best: string | null = null;
  let most = minSeconds;
  for (const id of ids) {
    const a = from.get(id);
    const b = to.get(id);
    if (!a || !b) continue;
    const grew = b.cpuSeconds - a.cpuSeconds;
    if (grew >= most) {
      best = id;
      most = grew;
    }
  }
  return best;
}

/** Everything a reconverge run reports but the routers and the path, from the clients' output. */
export function reconvergeFigures(
  base: { scenario: string; mode: Mode; run: number; killed: string; gapThresholdMs: number },
  killMs: number | null,
  sender: SendResult | null,
  receiver: ReceiveResult | null,
  receiverStdout: string,
): Omit<ReconvergeRun, 'routers' | 'pathBefore' | 'pathAfter' | 'settleMs'> {
  const { gaps, progress } = parseTimestampLines(receiverStdout);
  const last = receiver && receiver.received > 0 ? receiver.last_ms : lastArrival(gaps, progress);
  const failover = killMs === null ? { recoveryMs: null, basis: null, gap: null } : findFailover(killMs, gaps, base.gapThresholdMs, last);
  const rates = killMs === null ? { before: null, after: null } : ratesAround(killMs, failover, progress, receiver);
  const sent = sender?.sent ?? 0;
  const received = receiver?.received ?? 0;
  const accepted = sender?.accepted ?? 0;
  return {
    kind: 'reconverge',
    ...base,
    killAtMs: killMs,
    recoveryMs: failover.recoveryMs,
    recoveryBasis: failover.basis,
    failoverGap: failover.gap,
    silenceBeforeKillMs: killMs === null ? null : silenceBeforeKill(killMs, gaps),
    msgPerSecBefore: rates.before,
    msgPerSecAfter: rates.after,
    sent,
    received,
    accepted,
    released: sender?.released ?? 0,
    modified: sender?.modified ?? 0,
    rejected: sender?.rejected ?? 0,
    unsettled: sender?.unsettled ?? 0,
    lostAccepted: Math.max(0, accepted - received),
    // Unsettled: a delivery that came back released/modified/rejected went back to its sender,
    // which may resend it; only one with no outcome at all was lost by the mesh.
    dropped: base.mode === 'presettled' ? Math.max(0, sent - received)
      : Math.max(0, sent - Math.min(received, accepted) - (sender?.released ?? 0) - (sender?.modified ?? 0) - (sender?.rejected ?? 0)),
    gaps: gaps.slice(0, 100),
    sender,
    receiver,
  };
}
