// The bench's report: a table for people on stdout, everything as JSON in a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryRun, ScenarioResult, ThroughputRun } from './types';

/** Targets from DESIGN.md §5 and the memory issue; shown beside the figures, never asserted. */
export const TARGETS = { rssAfterRunKb: 80 * 1024, memoryGrowthKb: 64 * 1024 };

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

export function throughputTable(results: readonly ScenarioResult[]): string {
  const rows = results
    .filter((r) => r.median?.kind === 'throughput' || (r.mode !== null && !r.median))
    .map((r) => {
      const m = r.median as ThroughputRun | null;
      const runs = r.runs.map((run) => formatCount((run as ThroughputRun).msgPerSec)).join(' ');
      return [
        r.scenario,
        r.mode ?? '',
        formatCount(m?.msgPerSec),
        formatUs(m?.router?.cpuUsPerMsg),
        formatMb(m?.router?.peakRssKb),
        formatMb(m?.router?.rssAfterKb) + overTarget(m?.router?.rssAfterKb, TARGETS.rssAfterRunKb),
        m ? formatCount(m.dropped) : '-',
        m ? `${formatUs(m.senderCpuUsPerMsg)} / ${formatUs(m.receiverCpuUsPerMsg)}` : '-',
        runs,
      ];
    });
  const headers = ['scenario', 'mode', 'msg/s', 'router µs/msg', 'peak RSS MB', 'RSS after MB', 'dropped', 'client µs/msg snd / rcv', 'runs (msg/s)'];
  return formatTable(headers, rows, new Set([2, 3, 4, 5, 6]));
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
  if (results.some((r) => r.mode !== null)) parts.push(throughputTable(results));
  const mem = memoryTable(results);
  if (mem) parts.push(mem);
  parts.push(
    `targets: RSS after a run ≤ ${formatMb(TARGETS.rssAfterRunKb)} MB, memory growth ≤ ${formatMb(TARGETS.memoryGrowthKb)} MB ` +
      `(* above target). Median run of each row; router µs/msg = router CPU (user+sys) / messages sent.`,
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
