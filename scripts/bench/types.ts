// The shapes the bench produces: what a load generator prints, and one result per run.
// They are written as-is to .bench/<timestamp>.json, so renaming a field changes the format.
//
// Added within weft-bench/1 (readers of older files find them absent):
//   ThroughputRun.routers, .routersCpuUsPerMsg, .creditWaitMs: the mesh and line scenarios
//     (several routers; `router` is null there);
//   ReconvergeRun (kind 'reconverge'): the reconverge scenario;
//   BenchReport.targets.reconvergeMs (report.ts);
//   options.meshTimeoutS (options.ts); machine.loadAverageAtEnd (report.ts).

export type Mode = 'presettled' | 'unsettled';
export const MODES: readonly Mode[] = ['presettled', 'unsettled'];

/** The JSON line `weft-loadgen send` prints last. */
export interface SendResult {
  role: 'send';
  sent: number;
  accepted: number;
  rejected: number;
  released: number;
  modified: number;
  /** Settled by the peer with no outcome we know. */
  other: number;
  /** Still unsettled when the sender ended (time limit, signal, peer closed). */
  unsettled: number;
  presettled: boolean;
  /** First transfer to last outcome (unsettled) or to the connection's close (presettled). */
  seconds: number;
  cpu_seconds: number;
  /** count | seconds | finish (SIGUSR1: stopped sending, waited for outcomes) | signal |
   *  remote-close | error */
  ended: string;
}

/** The JSON line `weft-loadgen receive` prints last. */
export interface ReceiveResult {
  role: 'receive';
  received: number;
  /** First message to last message. */
  seconds: number;
  /** Wall-clock epoch milliseconds of the first and last message. */
  first_ms: number;
  last_ms: number;
  aborted: number;
  cpu_seconds: number;
  /** count | idle | signal | remote-close | error */
  ended: string;
}

/** The router's figures for one throughput run; null in the `direct` scenario and in the
 *  multi-router scenarios, which report `routers` instead. */
export interface RouterFigures {
  pid: number;
  /** The measured process's name (comm). */
  comm: string;
  /** utime + stime across the run divided by messages sent. */
  cpuUsPerMsg: number;
  /** VmHWM: the process's peak resident set. */
  peakRssKb: number;
  /** VmRSS once both clients have finished. */
  rssAfterKb: number;
}

/** One router of a multi-router scenario: its figures under the id it has in the mesh. */
export interface MeshRouterFigures extends RouterFigures {
  /** The router's id (R1, R2, ...): `router { id }` in its configuration. */
  id: string;
}

export interface ThroughputRun {
  kind: 'throughput';
  scenario: string;
  mode: Mode;
  run: number;
  sent: number;
  received: number;
  /** Messages that did not arrive: sent − received (presettled); sent − accepted (unsettled). */
  dropped: number;
  /** received / the receiver's first-to-last seconds; null when fewer than two arrived. */
  msgPerSec: number | null;
  seconds: number;
  router: RouterFigures | null;
  /** mesh and line: every router's figures, in the order of their ids (R1 first: the
   *  sender's router); absent in the single-router scenarios. */
  routers?: MeshRouterFigures[];
  /** mesh and line: the sum of routers[].cpuUsPerMsg, the mesh's CPU per message. */
  routersCpuUsPerMsg?: number;
  /** mesh and line: from starting the sender to its first credit, i.e. until its router had
   *  learned the receiver's address (routers are sampled before: their CPU includes this). */
  creditWaitMs?: number;
  /** Load generator CPU per message: shows whether the clients were near their limit. */
  senderCpuUsPerMsg: number | null;
  receiverCpuUsPerMsg: number | null;
  sender: SendResult | null;
  receiver: ReceiveResult | null;
  error?: string;
}

export interface MemoryRun {
  kind: 'memory';
  scenario: string;
  run: number;
  messageSize: number;
  seconds: number;
  /** Messages the producer handed to Proton; the last ones may never have left its buffers. */
  sent: number;
  /** Outcomes the producer got back: the only consumer never reads, so these came from the router. */
  accepted: number;
  routerPid: number | null;
  rssBeforeKb: number | null;
  /** max(VmHWM at the end, highest VmRSS sampled during the run). */
  peakRssKb: number | null;
  growthKb: number | null;
  rssAfterKb: number | null;
  sender: SendResult | null;
  error?: string;
}

/** A silence at the receiver longer than the gap threshold (weft-loadgen receive --timestamps). */
export interface ReceiveGap {
  /** Wall-clock epoch ms of the last message before the gap and of the first one after it. */
  fromMs: number;
  toMs: number;
  /** Messages received before the gap. */
  receivedBefore: number;
}

/**
 * reconverge: four routers, A–B–D (cheaper) and A–C–D; sender on A, receiver on D; B is
 * killed (SIGKILL) while messages flow. The recovery time is from the kill to the first
 * message after the silence it causes: the first one that came round by C.
 */
export interface ReconvergeRun {
  kind: 'reconverge';
  scenario: string;
  mode: Mode;
  run: number;
  /** The router killed (B). */
  killed: string;
  /** Wall-clock epoch ms at which SIGKILL was sent; null if the run ended before. */
  killAtMs: number | null;
  /** The receiver's silence threshold: shorter silences are not seen. */
  gapThresholdMs: number;
  /** From the kill to the first message after the failover silence; null when none came. */
  recoveryMs: number | null;
  /** 'gap': measured from the silence the receiver reported; 'under-threshold': no silence
   *  longer than gapThresholdMs followed the kill, recoveryMs is then that bound. */
  recoveryBasis: 'gap' | 'under-threshold' | null;
  /** The silence taken as the failover, if any. */
  failoverGap: ReceiveGap | null;
  /** The longest silence between the first message and the kill (up to the kill): traffic
   *  that stalled before B was killed. Above 500 ms the run reports an error. */
  silenceBeforeKillMs: number | null;
  /** From the first message to the first half second in which B (not C) carried the traffic:
   *  the kill waits for it, so that it tests the failover of a settled mesh. */
  settleMs: number | null;
  /** Receive rate before the kill and after the recovery, msg/s: traffic really resumed. */
  msgPerSecBefore: number | null;
  msgPerSecAfter: number | null;
  /** Whose CPU grew most between the first message and the kill (B expected), and from the
   *  recovery to the end (C expected): shows which path the messages took. */
  pathBefore: string | null;
  pathAfter: string | null;
  sent: number;
  received: number;
  /** The sender's outcomes (unsettled mode; zero when presettled). */
  accepted: number;
  released: number;
  modified: number;
  rejected: number;
  /** Never settled: still unsettled 5 s after the sender stopped sending (should be 0). */
  unsettled: number;
  /** Accepted messages the receiver never got: max(0, accepted − received); must be 0. */
  lostAccepted: number;
  /** Lost by the mesh: sent − received (presettled); sent − accepted − released − modified −
   *  rejected (unsettled: what came back to the sender with an outcome was not dropped). */
  dropped: number;
  /** Every silence the receiver reported (the first 100). */
  gaps: ReceiveGap[];
  routers: MeshRouterFigures[];
  sender: SendResult | null;
  receiver: ReceiveResult | null;
  error?: string;
}

/** topology: the CPU one router spends on one topology change of a simulated 100-router mesh. */
export interface TopologyRun {
  kind: 'topology';
  scenario: string;
  run: number;
  routers: number;
  links: number;
  radius: number;
  /** CPU (user+sys) µs per change through the link-state engine: two LSUs and the tick. */
  microsecondsPerChange: number;
  /** The path computation alone. */
  microsecondsPerComputation: number;
  error?: string;
}

export type Run = ThroughputRun | MemoryRun | ReconvergeRun | TopologyRun;

/** All runs of one scenario in one mode, and the run reported for them. */
export interface ScenarioResult {
  scenario: string;
  mode: Mode | null;
  median: Run | null;
  runs: Run[];
  error?: string;
}
