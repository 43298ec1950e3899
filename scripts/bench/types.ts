// The shapes the bench produces: what a load generator prints, and one result per run.
// They are written as-is to .bench/<timestamp>.json, so renaming a field changes the format.

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
  /** count | seconds | signal | remote-close | error */
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

/** The router's figures for one throughput run; null in the `direct` scenario. */
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

export type Run = ThroughputRun | MemoryRun;

/** All runs of one scenario in one mode, and the run reported for them. */
export interface ScenarioResult {
  scenario: string;
  mode: Mode | null;
  median: Run | null;
  runs: Run[];
  error?: string;
}
