// `weft stat`: router statistics like qdstat 1.19 (reference §7.8). Like qdstat it first asks
// for the management nodes of the mesh (GET-MGMT-NODES), then runs the chosen view and asks the
// router entity for the id it prints above the report.

import { OptionSpec, UsageError, parseArgs } from '../args';
import { ManagementClient } from '../management-client';
import { ManagementNode, rowsOf } from '../management-node';
import { CONNECTION_SPECS, TARGET_SPECS, TargetOptions, managementAddress, meshNodes, targetOptions, withManagement } from '../management-options';
import { pyJson } from '../py-json';
import { utcNowLine } from '../stat/py-time';
import { ENTITY_PREFIX, StatView } from '../stat/view';
import { DISPLAY_OPTIONS } from '../stat/views';
import { Command, out, usageOf } from './command';
import { EXIT_OK } from './client';

const SPECS: readonly OptionSpec[] = [
  ...DISPLAY_OPTIONS.map((d): OptionSpec => ({ long: d.long, short: d.short, type: 'flag', help: `show ${d.help}` })),
  { long: 'verbose', short: 'v', type: 'flag', help: 'show more columns (-l, -a, -n)' },
  { long: 'limit', type: 'count', metavar: 'N', help: 'show at most N rows (-c, -l, -a, -n, --autolinks, --linkroutes, --log)' },
  ...TARGET_SPECS,
  ...CONNECTION_SPECS,
];

export interface StatOptions extends TargetOptions {
  /** The long name of the display option. */
  show: string;
  view: StatView;
  verbose: boolean;
  limit?: number;
}

export function statOptions(argv: readonly string[]): StatOptions | 'help' {
  const a = parseArgs(argv, SPECS);
  if (a.flag('help')) return 'help';
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const chosen = DISPLAY_OPTIONS.filter((d) => a.flag(d.long));
  if (chosen.length > 1) throw new UsageError(`${chosen.map((d) => (d.short ? `-${d.short}` : `--${d.long}`)).join(' and ')} cannot be combined: choose one`);
  const display = chosen[0] ?? DISPLAY_OPTIONS[0];
  return { ...targetOptions(a), show: display.long, view: display.view, verbose: a.flag('verbose'), limit: a.number('limit') };
}

export const statCommand: Command = {
  name: 'stat',
  summary: 'show router statistics, like qdstat',
  specs: SPECS,
  run: async (argv) => {
    const o = statOptions(argv);
    if (o === 'help') { out(usageOf(statCommand)); return EXIT_OK; }
    return withManagement('stat', o.client, (client) => stat(client, o));
  },
};

async function stat(client: ManagementClient, o: StatOptions): Promise<number> {
  const node = new ManagementNode(client, managementAddress(o.router));
  const addresses = await node.mgmtNodes(); // qdstat always asks, --all-routers or not
  const mesh = o.allRouters ? meshNodes(client, addresses) : undefined;
  if (mesh) {
    const reports = [];
    for (const r of mesh) reports.push({ router: r.id, ...(await o.view.run({ node: r.node, verbose: o.verbose, limit: o.limit })) });
    if (o.json) out(pyJson({ routers: reports.map((r) => ({ router: r.router, ...r.json })) }));
    else out([utcNowLine(new Date()), ...reports.flatMap((r) => [`Router ${r.router}`, '', ...r.lines, ''])].join('\n'));
    return EXIT_OK;
  }
  const report = await o.view.run({ node, verbose: o.verbose, limit: o.limit });
  const id = o.view.header || o.json ? await routerId(node) : undefined;
  if (o.json) out(pyJson({ router: id, ...report.json }));
  else {
    const lines = [...(o.view.header ? [utcNowLine(new Date()), id ?? '', ''] : []), ...report.lines];
    if (lines.length > 0) out(lines.join('\n'));
  }
  return EXIT_OK;
}

/** The id of the router a node belongs to, as qdstat prints it above each report. */
async function routerId(node: ManagementNode): Promise<string> {
  const router = rowsOf(await node.query(`${ENTITY_PREFIX}router`))[0];
  return typeof router?.id === 'string' ? router.id : '';
}
