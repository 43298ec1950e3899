// The link-route lab without Docker (`npm run lab:linkroute`): RabbitMQ and the three routers
// of labs/linkroute on loopback, a link route and a waypoint shown with clients on router1 and
// router2, then everything stopped (scripts/lab/linkroute-demo.ts).

import * as path from 'node:path';
import { OptionSpec, ParsedArgs, UsageError, formatOptions, parseArgs } from '../router/cli/args';
import { LINKROUTE, LabError } from './lab/lab-layout';
import { runLinkRouteDemo } from './lab/linkroute-demo';

const SPECS: readonly OptionSpec[] = [
  { long: 'run-dir', type: 'string', metavar: 'DIR', help: `conf copies, logs, pid and ports files (default ${path.relative(process.cwd(), LINKROUTE.demoRunDir) || '.'})` },
  { long: 'count', short: 'c', type: 'count', metavar: 'N', help: 'messages to send in each part (default 10)' },
  { long: 'timeout', type: 'seconds', metavar: 'S', help: 'how long the mesh and the broker routes may take; default 30' },
];

const USAGE = `usage: node dist/scripts/lab-linkroute.js [options]
  starts RabbitMQ and the three routers on loopback, shows a link route (a queue used through
  router1) and a waypoint (messages stored in RabbitMQ until a consumer attaches on router2),
  and stops everything

options:
${formatOptions(SPECS)}`;

const START_TIMEOUT_MS = 15_000;

async function main(argv: readonly string[]): Promise<number> {
  let a: ParsedArgs;
  try {
    a = parseArgs(argv, SPECS);
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`lab:linkroute: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  const say = (line: string): void => { process.stdout.write(line + '\n'); };
  if (a.flag('help')) { say(USAGE); return 0; }
  try {
    return await runLinkRouteDemo({
      runDir: path.resolve(a.string('run-dir', LINKROUTE.demoRunDir)), count: a.number('count', 10),
      convergeMs: a.number('timeout', 30) * 1000, startTimeoutMs: START_TIMEOUT_MS, say,
    });
  } catch (err) {
    if (!(err instanceof LabError)) throw err;
    process.stderr.write(`lab:linkroute: ${err.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => { process.stderr.write(`lab:linkroute: ${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); },
  );
}
