// Command-line options of `npm run bench` (pure: parsed from an argv array).
import { parseArgs } from 'node:util';
import { Mode, MODES } from './types';

export interface BenchOptions {
  scenarios: string[];
  modes: Mode[];
  /** Messages per throughput run. */
  count: number;
  /** Body bytes per message in throughput runs. */
  size: number;
  /** Runs per scenario and mode; the median run is reported. */
  runs: number;
  /** `weftd`, `qdrouterd`, or any command line that accepts `-c CONF`. */
  router: string;
  /** The receiver's credit window. */
  credit: number;
  /** How long the memory scenario's producer pushes. */
  seconds: number;
  /** Body bytes per message in the memory scenario. */
  memorySize: number;
  /** Longest a single run may take before its clients are stopped. */
  timeoutS: number;
  /** Longest a router may take to accept connections. */
  routerStartTimeoutS: number;
  /** Multi-router scenarios: longest the mesh may take to carry the receiver's address to
   *  the sender's router (the sender's first credit). */
  meshTimeoutS: number;
  /** Where results, configurations and router logs go. */
  outDir: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --scenario LIST     scenarios to run, comma-separated (default: all: SCENARIOS)
  --mode LIST         presettled,unsettled (default: both)
  --count N           messages per run (default 1000000)
  --size BYTES        message body size (default 100)
  --runs N            runs per scenario and mode; the median run is reported (default 3)
  --router CMD        router command, given -c CONF (default "weftd": node dist/router/cli/weftd.js)
  --credit N          receiver credit window (default 1000)
  --seconds S         memory scenario: how long to push large messages (default 30)
  --memory-size BYTES memory scenario: message size (default 10485760)
  --timeout S         longest one run may take (default 300)
  --router-timeout S  longest a router may take to accept connections (default 20)
  --mesh-timeout S    mesh, line, reconverge: longest the sender may wait for its first credit,
                      i.e. for the mesh to carry the receiver's address (default 30)
  --out DIR           results directory (default .bench)`;

export function parseBenchArgs(argv: readonly string[], knownScenarios: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      scenario: { type: 'string' },
      mode: { type: 'string' },
      count: { type: 'string' },
      size: { type: 'string' },
      runs: { type: 'string' },
      router: { type: 'string' },
      credit: { type: 'string' },
      seconds: { type: 'string' },
      'memory-size': { type: 'string' },
      timeout: { type: 'string' },
      'router-timeout': { type: 'string' },
      'mesh-timeout': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals[0]}`);
  const scenarios = list(values.scenario, knownScenarios, 'scenario');
  const modes = list(values.mode, MODES, 'mode') as Mode[];
  return {
    scenarios,
    modes,
    count: positiveInt(values.count, 1_000_000, 'count'),
    size: positiveInt(values.size, 100, 'size', 0),
    runs: positiveInt(values.runs, 3, 'runs'),
    router: values.router ?? 'weftd',
    credit: positiveInt(values.credit, 1000, 'credit'),
    seconds: positiveInt(values.seconds, 30, 'seconds'),
    memorySize: positiveInt(values['memory-size'], 10 * 1024 * 1024, 'memory-size'),
    timeoutS: positiveInt(values.timeout, 300, 'timeout'),
    routerStartTimeoutS: positiveInt(values['router-timeout'], 20, 'router-timeout'),
    meshTimeoutS: positiveInt(values['mesh-timeout'], 30, 'mesh-timeout'),
    outDir: values.out ?? '.bench',
    help: values.help ?? false,
  };
}

function list(value: string | undefined, known: readonly string[], name: string): string[] {
  if (value === undefined) return [...known];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new Error(`--${name}: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  if (items.length === 0) throw new Error(`--${name}: empty list`);
  return [...new Set(items)];
}

/** An integer ≥ min; accepts 1e6 and 1_000_000 spellings. */
function positiveInt(value: string | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got ${value}`);
  return n;
}
