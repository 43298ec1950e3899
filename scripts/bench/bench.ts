// `npm run bench`: runs the scenarios (DESIGN.md §5), prints a table to stdout and writes the
// full results to .bench/<timestamp>.json. Progress goes to stderr.
import { existsSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { RunContext } from './context';
import { ensureLoadgen } from './loadgen';
import { BenchOptions, parseBenchArgs, USAGE } from './options';
import { BenchReport, formatCount, formatRecovery, formatReport, formatUs, timestampName, TARGETS, writeReport } from './report';
import { routerArgv } from './router-command';
import { scenarioNamed, scenarios } from './scenarios';
import type { Scenario } from './scenarios/scenario';
import { medianBy } from './stats';
import type { Mode, Run, ScenarioResult } from './types';

const root = resolve(__dirname, '../../..');
const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

async function main(argv: readonly string[]): Promise<number> {
  const names = scenarios.map((s) => s.name);
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv, names);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE.replace('SCENARIOS', names.join(','))}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE.replace('SCENARIOS', names.join(',')) + '\n');
    return 0;
  }
  const started = new Date();
  const loadAverage = loadavg().map((l) => Math.round(l * 100) / 100);
  log(`load average ${loadAverage.join(' ')} (1, 5, 15 min) on ${cpus().length} CPUs`);
  if (loadAverage[0] > 0.5) log(`the machine is busy (load average ${loadAverage[0]}): figures will be low and noisy`);
  const name = timestampName(started);
  const outDir = resolve(root, options.outDir);
  const dir = join(outDir, name);
  const ctx: RunContext = {
    options,
    root,
    loadgen: ensureLoadgen(root),
    routerArgv: routerArgv(options.router, root, process.execPath),
    dir,
    log,
  };
  log(`router configurations and logs go to ${relative(process.cwd(), dir)}`);

  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios.map(scenarioNamed)) {
    const routerProblem = scenario.name !== 'direct' ? missingRouter(ctx) : null;
    const modes: (Mode | null)[] = scenario.perMode ? options.modes : [null];
    for (const mode of modes) {
      if (routerProblem) {
        results.push({ scenario: scenario.name, mode, median: null, runs: [], error: routerProblem });
        continue;
      }
      const result = await runScenario(ctx, scenario, mode);
      results.push(result);
      if (result.error) break; // the same problem would end the other modes too
    }
  }

  const loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  const report: BenchReport = {
    format: 'weft-bench/1',
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryMb: Math.round(totalmem() / 2 ** 20), kernel: release(), node: process.version, loadAverage, loadAverageAtEnd },
    options: { ...options },
    router: { spec: options.router, argv: ctx.routerArgv },
    loadgen: relative(root, ctx.loadgen),
    targets: TARGETS,
    results,
  };
  const path = writeReport(outDir, name, report);
  process.stdout.write(formatReport(results));
  process.stdout.write(`\nload average (1, 5, 15 min) on ${cpus().length} CPUs: ${loadAverage.join(' ')} at the start, ${loadAverageAtEnd.join(' ')} at the end\n`);
  process.stdout.write(`\nfull results: ${relative(process.cwd(), path)}\n`);
  const failed = results.some((r) => r.error || r.runs.some((run) => run.error));
  return failed ? 1 : 0;
}

async function runScenario(ctx: RunContext, scenario: Scenario, mode: Mode | null): Promise<ScenarioResult> {
  const runs: Run[] = [];
  const total = scenario.runs(ctx);
  const label = `${scenario.name}${mode ? ` ${mode}` : ''}`;
  for (let i = 1; i <= total; i++) {
    log(`${label} run ${i}/${total} ...`);
    const run = await scenario.run(ctx, mode ?? 'unsettled', i);
    runs.push(run);
    log(`${label} run ${i}/${total}: ${describe(run)}`);
    // A run that moved no message at all (router never started, say) would fail the same way again.
    if (run.error && moved(run) === 0) {
      return { scenario: scenario.name, mode, median: null, runs, error: `stopped after run ${i}, which moved no message` };
    }
  }
  const median = medianBy(runs, medianKey);
  return { scenario: scenario.name, mode, median, runs };
}

/** What the median run is chosen by, higher being better; null is worst. */
function medianKey(run: Run): number | null {
  switch (run.kind) {
    case 'throughput':
      return run.msgPerSec;
    case 'memory':
      return run.growthKb === null ? null : -run.growthKb;
    case 'reconverge':
      return run.recoveryMs === null ? null : -run.recoveryMs;
    case 'topology':
      return -run.microsecondsPerChange;
  }
}

function moved(run: Run): number {
  if (run.kind === 'topology') return 0;
  return run.kind === 'memory' ? run.sent : run.sent + run.received;
}

function describe(run: Run): string {
  const error = run.error ? ` (error: ${run.error.split('\n')[0]})` : '';
  if (run.kind === 'topology') return `${formatUs(run.microsecondsPerChange)} µs CPU per topology change (${run.routers} routers)${error}`;
  if (run.kind === 'memory') {
    return `sent ${run.sent}, growth ${run.growthKb === null ? '-' : (run.growthKb / 1024).toFixed(1)} MB${error}`;
  }
  if (run.kind === 'reconverge') {
    const outcomes = run.mode === 'unsettled' ? `, accepted ${run.accepted}, released ${run.released}, modified ${run.modified}, lost accepted ${run.lostAccepted}` : '';
    const settle = run.settleMs !== null ? `, B carried the traffic ${(run.settleMs / 1000).toFixed(1)} s after the first message` : '';
    return `recovery ${formatRecovery(run)} ms (path ${run.pathBefore ?? '?'} → ${run.pathAfter ?? '?'}), sent ${run.sent}, received ${run.received}${outcomes}${settle}${error}`;
  }
  if (run.routers) {
    const each = run.routers.map((r) => `${r.id} ${formatUs(r.cpuUsPerMsg)}`).join(', ');
    const credit = run.creditWaitMs !== undefined ? `, sender credited after ${(run.creditWaitMs / 1000).toFixed(1)} s` : '';
    return `${formatCount(run.msgPerSec)} msg/s, router µs/msg ${formatUs(run.routersCpuUsPerMsg)} (${each}), sent ${run.sent}, received ${run.received}, dropped ${run.dropped}${credit}${error}`;
  }
  return `${formatCount(run.msgPerSec)} msg/s, sent ${run.sent}, received ${run.received}, dropped ${run.dropped}${error}`;
}

/** The default router is this checkout's weftd: say so plainly when it is not built yet. */
function missingRouter(ctx: RunContext): string | null {
  if (ctx.options.router.trim() !== 'weftd') return null;
  const script = ctx.routerArgv[ctx.routerArgv.length - 1];
  return existsSync(script) ? null : `weftd is not built: ${relative(root, script)} is missing (npx tsc -p .), or pass --router "CMD"`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
