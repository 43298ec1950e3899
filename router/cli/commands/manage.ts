// `weft manage OPERATION [ARGS]`: management operations like qdmanage 1.19 (reference §7.9).
// Output is qdmanage's pretty-printed JSON; a RELOAD report is shown readably unless --json.

import { OptionSpec, ParsedArgs, UsageError, parseArgs } from '../args';
import { ManagementClient } from '../management-client';
import { ManagementNode } from '../management-node';
import { CONNECTION_SPECS, TARGET_SPECS, TargetOptions, managementAddress, meshNodes, targetOptions, withManagement } from '../management-options';
import { ManageRequest, ManageResult, STANDARD_OPERATIONS, runOperation } from '../manage/operations';
import { longType } from '../manage/type-names';
import { pyJson } from '../py-json';
import { EXIT_FAILED, EXIT_OK } from './client';
import { Command, out, usageOf } from './command';

const SPECS: readonly OptionSpec[] = [
  { long: 'type', type: 'string', metavar: 'TYPE', help: 'entity type: a long name or a short one (address, linkRoute, link, listener...)' },
  { long: 'name', type: 'string', metavar: 'NAME', help: 'name of the entity' },
  { long: 'identity', type: 'string', metavar: 'ID', help: 'identity of the entity (wins over --name)' },
  { long: 'indent', type: 'string', metavar: 'N', help: 'JSON indent; -1 prints it on one line (default 2)' },
  { long: 'limit', type: 'count', metavar: 'N', help: 'at most N entities (query) or log entries (get-log)' },
  { long: 'body', type: 'string', metavar: 'JSON', help: 'body of a custom operation' },
  { long: 'properties', type: 'string', metavar: 'JSON', help: 'application properties of a custom operation (a JSON map)' },
  ...TARGET_SPECS,
  ...CONNECTION_SPECS,
];

export interface ManageOptions extends TargetOptions {
  request: ManageRequest;
  indent: number | null;
}

/** A JSON argument, or the text itself when it does not look like JSON (qdmanage's json_arg). */
function jsonArg(option: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!/["{}[\]]/.test(text)) return text;
    throw new UsageError(`--${option}: invalid JSON '${text}': ${(e as Error).message}`);
  }
}

function indentOf(a: ParsedArgs): number | null {
  const text = a.string('indent', '2');
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--indent takes a whole number, not '${text}'`);
  const n = Number(text);
  return n < 0 ? null : n;
}

export function manageOptions(argv: readonly string[]): ManageOptions | 'help' {
  const a = parseArgs(argv, SPECS);
  if (a.flag('help')) return 'help';
  const [operation, ...args] = a.positionals;
  if (operation === undefined) throw new UsageError('no operation given');
  const properties = a.has('properties') ? jsonArg('properties', a.string('properties')!) : undefined;
  if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties))) {
    throw new UsageError('--properties takes a JSON map');
  }
  return {
    ...targetOptions(a),
    indent: indentOf(a),
    request: {
      operation: operation.toUpperCase(),
      type: longType(a.string('type')),
      name: a.string('name'),
      identity: a.string('identity'),
      args,
      limit: a.number('limit'),
      body: a.has('body') ? jsonArg('body', a.string('body')!) : undefined,
      properties: properties as Record<string, unknown> | undefined,
    },
  };
}

export const manageCommand: Command = {
  name: 'manage',
  summary: 'manage router entities, like qdmanage',
  synopsis: `OPERATION [ATTR=VALUE...] [options]\n  OPERATION: ${STANDARD_OPERATIONS.map((o) => o.toLowerCase()).join(', ')}, or a custom one (reload)`,
  specs: SPECS,
  run: async (argv) => {
    const o = manageOptions(argv);
    if (o === 'help') { out(usageOf(manageCommand)); return EXIT_OK; }
    return withManagement('manage', o.client, (client) => manage(client, o));
  },
};

function printed(result: ManageResult, o: ManageOptions): string | undefined {
  if (result.text && !o.json) return result.text.join('\n');
  return result.value === undefined ? undefined : pyJson(result.value, o.indent);
}

async function manage(client: ManagementClient, o: ManageOptions): Promise<number> {
  const node = new ManagementNode(client, managementAddress(o.router));
  const mesh = o.allRouters ? meshNodes(client, await node.mgmtNodes()) : undefined;
  if (!mesh) {
    const result = await runOperation(node, o.request);
    const text = printed(result, o);
    if (text !== undefined) out(text);
    return result.failed ? EXIT_FAILED : EXIT_OK;
  }
  const results: { router: string; result: ManageResult }[] = [];
  for (const r of mesh) results.push({ router: r.id, result: await runOperation(r.node, o.request) });
  if (o.json) {
    out(pyJson({ routers: results.map((r) => ({ router: r.router, result: r.result.value ?? null })) }, o.indent));
  } else {
    out(results.map((r) => [`Router ${r.router}`, printed(r.result, o) ?? ''].join('\n')).join('\n\n'));
  }
  return results.some((r) => r.result.failed) ? EXIT_FAILED : EXIT_OK;
}
