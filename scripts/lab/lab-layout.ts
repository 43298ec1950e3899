// Where a lab lives: its folder under labs/, the routers it runs (each from <name>.conf there)
// and its run folders. The brokerless lab and the link-route lab share everything else.

import * as path from 'node:path';

/** The repository: this file runs as dist/scripts/lab/lab-layout.js. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const WEFTD = path.join(REPO_ROOT, 'dist/router/cli/weftd.js');

export interface LabLayout {
  /** The folder under labs/, also the lab's name in messages. */
  name: string;
  dir: string;
  /** The routers, by service name: the conf file's base name and, in docker-compose, the host name. */
  routers: readonly string[];
  /** start.sh and the client scripts keep their state here (gitignored). */
  scriptsRunDir: string;
  /** The npm script keeps its logs here, so that they can be read after a run. */
  demoRunDir: string;
}

export function labLayout(name: string, routers: readonly string[] = ['router1', 'router2', 'router3']): LabLayout {
  const dir = path.join(REPO_ROOT, 'labs', name);
  const scriptsRunDir = path.join(dir, '.run');
  return { name, dir, routers, scriptsRunDir, demoRunDir: path.join(scriptsRunDir, 'lab') };
}

/** Three routers, a receiver on router3 and a sender on router1 for one address. */
export const BROKERLESS = labLayout('brokerless');
/** The same three routers, router3 with a RabbitMQ behind it (link routes, a waypoint). */
export const LINKROUTE = labLayout('linkroute');

/** Lines of `NAME_URL=amqp://host:port` for the client scripts (start.sh writes it). */
export const ENDPOINTS_FILE = 'endpoints';

export function confFile(lab: LabLayout, name: string): string {
  return path.join(lab.dir, `${name}.conf`);
}

/** A failure of the lab that its message explains fully: printed without a stack. */
export class LabError extends Error {}
