// The bench's report: a table for people on stdout, everything as JSON in a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryRun, ReconvergeRun, Run, ScenarioResult, ThroughputRun } from './types';

/** Targets from DESIGN.md §5, the memory issue and the mesh work; shown beside the figures,
 *  never asserted. reconvergeMs (added within weft-bench/1): kill to first message by the
 *  other path. */
export const TARGETS = { rssAfterRunKb: 80 * 1024, memoryGrowthKb: 64 * 1024, reconvergeMs: 1000 };

export interface BenchReport {
  /** Bumped when a field changes meaning. */
  format: 'weft-bench/1';
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryMb: number;
    kernel: string;
    node: string;
    /** 1, 5 and 15 minute load averages when the bench started: other work skews every figure. */
    loadAverage: number[];
    /** The same when it finished (added within weft-bench/1): the bench's own load shows here. */
    loadAverageAtEnd?: number[];
  };
  options: Record<string, unknown>;
  router: { spec: string; argv: readonly string[] };
  loadgen: string;
  targets: typeof TARGETS;
  results: ScenarioResult[];
}

/** Lays out rows under headers; columns listed in `right` are right-aligned (numbers). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const formatCount = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
export const formatMb = (kb: number | null | undefined): string => (kb === null || kb === undefined ? '-' : (kb / 1024).toFixed(1));
export const formatUs = (us: number | null | undefined): string => (us === null || us === undefined ? '-' : us.toFixed(2));
const overTarget = (kb: number | null | undefined, target: number): string => (kb !== null && kb !== undefined && kb > target ? ' *' : '');

/** What kind of runs a result holds, even one that has none (its scenario never ran). */
export function resultKind(r: ScenarioResult): Run['kind'] {
  return r.median?.kind ?? r.runs[0]?.kind ?? (r.scenario === 'reconverge' ? 'reconverge' : r.scenario === 'topology' ? 'topology' : r.mode !== null ? 'throughput' : 'memory');
}

const highest = (values: readonly number[]): number | null => (values.length > 0 ? Math.max(...values) : null);

/** The figures of the router columns: one router's, or across a mesh the CPU sum and the
 *  highest RSS of any router. */
export function routerColumns(m: ThroughputRun | null): { cpuUsPerMsg: number | null; peakRssKb: number | null; rssAfterKb: number | null } {
  if (m?.router) return m.router;
  if (m?.routers) {
    return { cpuUsPerMsg: m.routersCpuUsPerMsg ?? null, peakRssKb: highest(m.routers.map((r) => r.peakRssKb)), rssAfterKb: highest(m.routers.map((r) => r.rssAfterKb)) };
  }
  return { cpuUsPerMsg: null, peakRssKb: null, rssAfterKb: null };
}

export function throughputTable(results: readonly ScenarioResult[]): string {
  const rows = results
    .filter((r) => resultKind(r) === 'throughput')
    .map((r) => {
      const m = r.median as ThroughputRun | null;
      const runs = r.runs.map((run) => formatCount((run as ThroughputRun).msgPerSec)).join(' ');
      const router = routerColumns(m);
      return [
        r.scenario,
        r.mode ?? '',
        formatCount(m?.msgPerSec),
        formatUs(router.cpuUsPerMsg),
        formatMb(router.peakRssKb),
        formatMb(router.rssAfterKb) + overTarget(router.rssAfterKb, TARGETS.rssAfterRunKb),
        m ? formatCount(m.dropped) : '-',
        m ? `${formatUs(m.senderCpuUsPerMsg)} / ${formatUs(m.receiverCpuUsPerMsg)}` : '-',
        runs,
      ];
    });
  const headers = ['scenario', 'mode', 'msg/s', 'router µs/msg', 'peak RSS MB', 'RSS after MB', 'dropped', 'client µs/msg snd / rcv', 'runs (msg/s)'];
  return formatTable(headers, rows, new Set([2, 3, 4, 5, 6]));
}

/** Multi-router rows: each router of the median run on its own line. */
export function meshRoutersTable(results: readonly ScenarioResult[]): string {
  const rows = results
    .filter((r) => r.median?.kind === 'throughput' && r.median.routers)
    .flatMap((r) => {
      const m = r.median as ThroughputRun;
      return m.routers!.map((x) => [r.scenario, r.mode ?? '', x.id, formatUs(x.cpuUsPerMsg), formatMb(x.peakRssKb), formatMb(x.rssAfterKb) + overTarget(x.rssAfterKb, TARGETS.rssAfterRunKb), x.comm]);
    });
  if (rows.length === 0) return '';
  const headers = ['scenario', 'mode', 'router', 'µs/msg', 'peak RSS MB', 'RSS after MB', 'process'];
  return formatTable(headers, rows, new Set([3, 4, 5]));
}

/** A recovery time for people: `<100` when no silence above the threshold followed the kill. */
export function formatRecovery(run: ReconvergeRun): string {
  if (run.recoveryMs === null) return '-';
  return run.recoveryBasis === 'under-threshold' ? `<${run.gapThresholdMs}` : formatCount(run.recoveryMs);
}

export function reconvergeTable(results: readonly ScenarioResult[]): string {
  const rows = results
    .filter((r) => resultKind(r) === 'reconverge')
    .map((r) => {
      const m = r.median as ReconvergeRun | null;
      const runs = r.runs.map((run) => formatRecovery(run as ReconvergeRun)).join(' ');
      if (!m) return [r.scenario, r.mode ?? '', '-', '-', '-', '-', '-', '-', '-', '-', '-', runs];
      const unsettled = m.mode === 'unsettled';
      return [
        r.scenario,
        r.mode ?? '',
        formatRecovery(m) + (m.recoveryMs !== null && m.recoveryMs > TARGETS.reconvergeMs ? ' *' : ''),
        `${m.pathBefore ?? '?'} → ${m.pathAfter ?? '?'}`,
        `${formatCount(m.msgPerSecBefore)} / ${formatCount(m.msgPerSecAfter)}`,
        formatCount(m.sent),
        formatCount(m.received),
        unsettled ? formatCount(m.accepted) : '-',
        unsettled ? `${formatCount(m.released)} / ${formatCount(m.modified)} / ${formatCount(m.unsettled)}` : '-',
        unsettled ? formatCount(m.lostAccepted) : '-',
        formatCount(m.dropped),
        runs,
      ];
    });
  if (rows.length === 0) return '';
  const headers = ['scenario', 'mode', 'recovery ms', 'path', 'msg/s before / after', 'sent', 'received', 'accepted', 'released / modified / never settled', 'lost accepted', 'dropped', 'runs (recovery ms)'];
  return formatTable(headers, rows, new Set([2, 5, 6, 7, 9, 10]));
}

export function memoryTable(results: readonly ScenarioResult[]): string {
  const rows = results
    .filter((r) => r.median?.kind === 'memory')
    .map((r) => {
      const m = r.median as MemoryRun;
      return [
        r.scenario,
        formatMb(m.messageSize / 1024),
        String(m.seconds),
        formatCount(m.sent),
        formatMb(m.rssBeforeKb),
        formatMb(m.peakRssKb),
        formatMb(m.growthKb) + overTarget(m.growthKb, TARGETS.memoryGrowthKb),
        formatMb(m.rssAfterKb),
      ];
    });
  if (rows.length === 0) return '';
  const headers = ['scenario', 'msg MB', 'seconds', 'sent', 'RSS before MB', 'peak RSS MB', 'growth MB', 'RSS after MB'];
  return formatTable(headers, rows, new Set([1, 2, 3, 4, 5, 6, 7]));
}

/** Everything for stdout: tables, targets, and each error in full. */
export function formatReport(results: readonly ScenarioResult[]): string {
  const parts: string[] = [];
  if (results.some((r) => resultKind(r) === 'throughput')) parts.push(throughputTable(results));
  const perRouter = meshRoutersTable(results);
  if (perRouter) parts.push(perRouter);
  const reconv = reconvergeTable(results);
  if (reconv) parts.push(reconv);
  const mem = memoryTable(results);
  if (mem) parts.push(mem);
  for (const r of results) {
    const t = r.median?.kind === 'topology' ? r.median : undefined;
    if (t) parts.push(`topology: one change on one router of a ${t.routers}-router mesh (${t.links} links, radius ${t.radius}): ${formatUs(t.microsecondsPerChange)} µs CPU (path computation alone ${formatUs(t.microsecondsPerComputation)} µs)`);
  }
  parts.push(
    `targets: RSS after a run ≤ ${formatMb(TARGETS.rssAfterRunKb)} MB, memory growth ≤ ${formatMb(TARGETS.memoryGrowthKb)} MB, ` +
      `reconverge ≤ ${formatCount(TARGETS.reconvergeMs)} ms (* above target). Median run of each row; ` +
      `router µs/msg = router CPU (user+sys) / messages sent; for several routers their sum, and RSS the highest of them ` +
      `(each router in the second table).` +
      (reconv
        ? ` reconverge: recovery = SIGKILL of B to the first message after the silence it caused ` +
          `(<N: no silence over N ms); path = the router of B and C whose CPU grew most before the kill and after it.`
        : ''),
  );
  const errors = results.flatMap((r) => [
    ...(r.error ? [`${r.scenario}: ${r.error}`] : []),
    ...r.runs.filter((run) => run.error).map((run) => `${r.scenario}${r.mode ? ` ${r.mode}` : ''} run ${run.run}: ${run.error}`),
  ]);
  if (errors.length > 0) parts.push(['errors:', ...errors.map((e) => `  ${e.replace(/\n/g, '\n    ')}`)].join('\n'));
  return parts.join('\n\n') + '\n';
}

/** A file name from a time, safe on every file system: 2025-01-31T12-00-00.000Z. */
export function timestampName(date: Date): string {
  return date.toISOString().replace(/:/g, '-');
}

export function writeReport(dir: string, name: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
  return path;
}
