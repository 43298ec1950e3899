// The options `weft stat` and `weft manage` share with qdstat/qdmanage (connection, SASL, the
// router to ask), and how a command runs against a management node: connect, run, close, and
// turn a ManagementClientError into one line on stderr and exit status 1.

import { OptionSpec, ParsedArgs, UsageError } from './args';
import { parseBrokerUrl } from './commands/broker-url';
import { ManagementClient, ManagementClientOptions } from './management-client';
import { ManagementClientError } from './management-errors';
import { ManagementNode } from './management-node';

export const DEFAULT_BUS = '127.0.0.1:5672';
export const DEFAULT_TIMEOUT_S = 5;

export const CONNECTION_SPECS: readonly OptionSpec[] = [
  { long: 'bus', short: 'b', type: 'string', metavar: 'URL', help: `router to connect to, host:port or amqp://... (default ${DEFAULT_BUS})` },
  { long: 'timeout', short: 't', type: 'seconds', metavar: 'SECS', help: `wait this long to connect and for each reply (default ${DEFAULT_TIMEOUT_S})` },
  { long: 'sasl-username', type: 'string', metavar: 'USER', help: 'SASL user name (PLAIN with --sasl-password, else ANONYMOUS)' },
  { long: 'sasl-password', type: 'string', metavar: 'PASSWORD', help: 'SASL password' },
];

export const TARGET_SPECS: readonly OptionSpec[] = [
  { long: 'router', short: 'r', type: 'string', metavar: 'ROUTER-ID', help: 'ask this router of the mesh (through the one connected to)' },
  { long: 'all-routers', type: 'flag', help: 'ask every router of the mesh (GET-MGMT-NODES), one after the other' },
  { long: 'json', type: 'flag', help: 'print JSON for machines' },
];

export interface TargetOptions {
  client: ManagementClientOptions;
  router?: string;
  allRouters: boolean;
  json: boolean;
}

export function targetOptions(a: ParsedArgs): TargetOptions {
  if (a.has('router') && a.flag('all-routers')) throw new UsageError('-r and --all-routers cannot be combined');
  if (a.has('sasl-password') && !a.has('sasl-username')) throw new UsageError('--sasl-password needs --sasl-username');
  return {
    client: {
      url: parseBrokerUrl(a.string('bus', DEFAULT_BUS)),
      timeoutS: a.number('timeout', DEFAULT_TIMEOUT_S),
      saslUsername: a.string('sasl-username'),
      saslPassword: a.string('sasl-password'),
    },
    router: a.string('router'),
    allRouters: a.flag('all-routers'),
    json: a.flag('json'),
  };
}

/** `$management` of the router connected to, or `_topo/0/<id>/$management` of another (reference §7.1). */
export function managementAddress(router?: string): string {
  return router === undefined ? '$management' : `_topo/0/${router}/$management`;
}

/** The router id in `_topo/0/<id>/$management`, or the address itself. */
export function routerIdOf(address: string): string {
  const m = /^_topo\/[^/]+\/([^/]+)\//.exec(address);
  return m ? m[1] : address;
}

export interface RouterNode { id: string; node: ManagementNode }

/** Every router GET-MGMT-NODES lists, or undefined when it lists fewer than two (qdstat then asks just one). */
export function meshNodes(client: ManagementClient, addresses: readonly string[]): RouterNode[] | undefined {
  if (addresses.length < 2) return undefined;
  return addresses.map((a) => ({ id: routerIdOf(a), node: new ManagementNode(client, a) }));
}

/** Connects, runs `body`, closes; a management failure is printed as `weft <command>: ...` and exits 1. */
export async function withManagement(command: string, options: ManagementClientOptions, body: (client: ManagementClient) => Promise<number>): Promise<number> {
  let client: ManagementClient | undefined;
  try {
    client = await ManagementClient.connect(options);
    return await body(client);
  } catch (e) {
    if (!(e instanceof ManagementClientError)) throw e;
    process.stderr.write(`weft ${command}: ${e.message}\n`);
    return 1;
  } finally {
    await client?.close();
  }
}
