// Where the brokerless lab lives and what it demonstrates: three routers from
// labs/brokerless/router{1,2,3}.conf, a receiver on router3 and a sender on router1 for one
// address, as in the lab this reproduces.

import * as path from 'node:path';

/** The repository: this file runs as dist/scripts/lab/lab-layout.js. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const LAB_DIR = path.join(REPO_ROOT, 'labs/brokerless');
export const WEFTD = path.join(REPO_ROOT, 'dist/router/cli/weftd.js');

/** The routers, by service name: the conf file's base name and, in docker-compose, the host name. */
export const ROUTER_NAMES = ['router1', 'router2', 'router3'] as const;
export type RouterName = (typeof ROUTER_NAMES)[number];

export const ADDRESS = 'myAddress';
export const SENDER_ROUTER: RouterName = 'router1';
export const RECEIVER_ROUTER: RouterName = 'router3';

/** start.sh and the client scripts keep their state here (gitignored). */
export const SCRIPTS_RUN_DIR = path.join(LAB_DIR, '.run');
/** `npm run lab` keeps its logs here, so that they can be read after a run. */
export const DEMO_RUN_DIR = path.join(SCRIPTS_RUN_DIR, 'lab');

/** Lines of `NAME_URL=amqp://host:port` for the client scripts (start.sh writes it). */
export const ENDPOINTS_FILE = 'endpoints';

export function confFile(name: string): string {
  return path.join(LAB_DIR, `${name}.conf`);
}

/** A failure of the lab that its message explains fully: printed without a stack. */
export class LabError extends Error {}
