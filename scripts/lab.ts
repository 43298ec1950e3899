// The brokerless lab without Docker (`npm run lab`): three routers from labs/brokerless on
// loopback, a receiver on router3 and a sender on router1 for `myAddress`; prints each message
// with the routers it crossed and the mesh, then stops everything. `start` and `status` serve
// labs/brokerless/start.sh and friends, which run the same lab one step at a time.

import * as path from 'node:path';
import { OptionSpec, ParsedArgs, UsageError, formatOptions, parseArgs } from '../router/cli/args';
import { BROKERLESS, LabError, confFile } from './lab/lab-layout';
import { LabMesh } from './lab/lab-mesh';
import { readText, routerFiles, runningWeftd } from './lab/lab-router';
import { readLabConf } from './lab/loopback-conf';
import { meshFormed, meshTable } from './lab/mesh-table';
import { runDemo } from './lab/run-demo';

const SPECS: readonly OptionSpec[] = [
  { long: 'run-dir', type: 'string', metavar: 'DIR', help: `conf copies, logs, pid and ports files (default ${rel(BROKERLESS.demoRunDir)}; start/status: ${rel(BROKERLESS.scriptsRunDir)})` },
  { long: 'count', short: 'c', type: 'count', metavar: 'N', help: 'messages to send (default 10)' },
  { long: 'timeout', type: 'seconds', metavar: 'S', help: 'how long the mesh may take to converge (run) or form (start); default 30' },
];

const USAGE = `usage: node dist/scripts/lab.js [run|start|status] [options]
  run     (default) start the three routers on loopback, wait for the mesh, send messages from
          router1 to a receiver on router3, print their paths and the mesh, stop everything
  start   start the three routers in the background, wait until the mesh has formed, and
          leave them running (start.sh)
  status  the mesh of the routers that \`start\` left running; exit 0 once it has formed

options:
${formatOptions(SPECS)}`;

const START_TIMEOUT_MS = 15_000;

const say = (line: string): void => { process.stdout.write(line + '\n'); };

/** Routers of an earlier run in the same folder would be shadowed by the new ones' files. */
function refuseIfRunning(runDir: string): void {
  for (const name of BROKERLESS.routers) {
    const files = routerFiles(runDir, name);
    const pid = runningWeftd(files.pid);
    if (pid !== undefined) throw new LabError(`${name} of an earlier run is still running (pid ${pid}, ${files.pid}): stop it first (labs/brokerless/stop.sh stops those of start.sh)`);
  }
}

async function startRouters(runDir: string, formedTimeoutMs: number): Promise<number> {
  refuseIfRunning(runDir);
  const mesh = new LabMesh({ lab: BROKERLESS, runDir, detached: true, startTimeoutMs: START_TIMEOUT_MS, say });
  // Interrupted half-way: no routers left behind (they are in their own sessions, out of Ctrl-C's reach).
  const onSignal = (): void => { say('interrupted: stopping the routers started so far'); void mesh.stop().then(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  try {
    await mesh.start();
  } catch (err) {
    await mesh.stop();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
  }
  const endpoints = mesh.writeEndpoints();
  say(`the routers run in the background; client URLs in ${endpoints}`);
  const since = Date.now();
  if (await mesh.waitFormed(formedTimeoutMs)) {
    say(`mesh formed after ${((Date.now() - since) / 1000).toFixed(1)} s: every router has learned of the other two`);
  } else {
    say(`the mesh has not formed within ${formedTimeoutMs / 1000} s as far as the logs tell (the routers keep running):\n${mesh.table()}`);
  }
  say('next: ./receiver_router3.sh, then ./sender_router1.sh in another terminal; ./stop.sh stops the routers');
  return 0;
}

function status(runDir: string): number {
  const rows = BROKERLESS.routers.map((name) => {
    const files = routerFiles(runDir, name);
    const pid = runningWeftd(files.pid);
    const ports = JSON.parse(readText(files.ports) || '{}') as Record<string, number>;
    return {
      name, id: readLabConf(confFile(BROKERLESS, name)).config.router.id, pid, up: pid !== undefined, log: readText(files.log),
      listeners: Object.fromEntries(Object.entries(ports).map(([l, p]) => [l, `127.0.0.1:${p}`])),
    };
  });
  const formed = meshFormed(rows);
  say(`mesh (from the routers' logs in ${runDir}):\n${meshTable(rows)}\n${formed ? 'formed: every router knows the other two' : 'not formed (yet)'}`);
  return formed ? 0 : 1;
}

function rel(p: string): string {
  return path.relative(process.cwd(), p) || '.';
}

async function main(argv: readonly string[]): Promise<number> {
  let a: ParsedArgs;
  try {
    a = parseArgs(argv, SPECS);
    if (a.positionals.length > 1) throw new UsageError(`unexpected argument '${a.positionals[1]}'`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`lab: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (a.flag('help')) { say(USAGE); return 0; }
  const command = a.positionals[0] ?? 'run';
  const runDir = (fallback: string): string => path.resolve(a.string('run-dir', fallback));
  try {
    switch (command) {
      case 'run': {
        const dir = runDir(BROKERLESS.demoRunDir);
        refuseIfRunning(dir);
        return await runDemo({ runDir: dir, count: a.number('count', 10), convergeMs: a.number('timeout', 30) * 1000, startTimeoutMs: START_TIMEOUT_MS, say });
      }
      case 'start': return await startRouters(runDir(BROKERLESS.scriptsRunDir), a.number('timeout', 30) * 1000);
      case 'status': return status(runDir(BROKERLESS.scriptsRunDir));
      default:
        process.stderr.write(`lab: unknown command '${command}'\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    if (!(err instanceof LabError)) throw err;
    process.stderr.write(`lab ${command}: ${err.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => { process.stderr.write(`lab: ${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); },
  );
}
