// From parsed sections to a validated LoadedConfig: every section validated, singletons,
// vhosts of policy.policyDir, identities, cross-entity rules, default log entities. Every
// problem is collected; one ConfigError lists them all.

import { ConfigError } from '../common/errors';
import { ENTITY_TYPES, type EntityByType, type EntityTypeName, type LoadedConfig, type LogEntity } from './entities';
import type { EntityDraft } from './entity-draft';
import { classifySection } from './entity-names';
import { crossCheck, type DraftsByType } from './cross-checks';
import { formatProblem } from './format';
import { assignIdentity } from './identity';
import type { ProblemLog } from './problems';
import type { RawEntity } from './raw-entity';
import { entitySchema, longTypeName } from './schema';
import { validateEntity, type RuleContext } from './validate-entity';

export interface BuildOptions extends RuleContext {
  /** Reads the vhost entities of policy.policyDir (file loading only). */
  loadPolicyVhosts?: (policyDir: string, policy: EntityDraft, log: ProblemLog) => RawEntity[];
}

const SINGLETONS: readonly EntityTypeName[] = ['router', 'policy'];

export function buildConfig(sections: readonly RawEntity[], log: ProblemLog, options: BuildOptions = {}): LoadedConfig {
  const drafts = Object.fromEntries(ENTITY_TYPES.map((t) => [t, [] as EntityDraft[]])) as DraftsByType;
  let all: EntityDraft[] = [];
  const add = (type: EntityTypeName, raw: RawEntity): void => {
    const draft = validateEntity(type, raw, log, options);
    all.push(draft);
    drafts[type].push(draft);
  };

  for (const raw of sections) {
    const kind = classifySection(raw.section);
    if (kind.kind === 'entity') add(kind.type, raw);
    else if (kind.kind === 'ignored') log.warn(raw.line, raw.section, `'${kind.type}' has no effect and is ignored`, raw.file);
    else if (kind.kind === 'unsupported') log.error(raw.line, raw.section, `entity type '${kind.type}' is not supported by Weft`, raw.file);
    else log.error(raw.line, raw.section, `unknown entity type '${raw.section}'`, raw.file);
  }

  for (const type of SINGLETONS) {
    const [first, ...extra] = drafts[type];
    for (const d of extra) d.error(undefined, `only one '${type}' section is allowed (the first is at line ${first.line})`);
    drafts[type].splice(1);
    all = all.filter((d) => !extra.includes(d));
    // A missing singleton is created empty so that all its defaults apply.
    if (first === undefined) add(type, { section: type, file: log.file, line: 0, attributes: new Map() });
  }

  const policy = drafts.policy[0];
  const policyDir = policy.string('policyDir');
  if (policyDir && options.loadPolicyVhosts !== undefined) {
    for (const raw of options.loadPolicyVhosts(policyDir, policy, log)) add('vhost', raw);
  }

  for (const type of ENTITY_TYPES) drafts[type].forEach((d, i) => assignIdentity(d, i));
  crossCheck(drafts, all);
  if (log.errorCount > 0) {
    const problems = sortProblems(log.errors);
    throw new ConfigError(`${log.file}: invalid configuration\n${problems.map(formatProblem).join('\n')}`, problems);
  }

  return {
    router: toEntity('router', drafts.router[0]),
    listeners: drafts.listener.map((d) => toEntity('listener', d)),
    connectors: drafts.connector.map((d) => toEntity('connector', d)),
    addresses: drafts.address.map((d) => toEntity('address', d)),
    linkRoutes: drafts.linkRoute.map((d) => toEntity('linkRoute', d)),
    autoLinks: drafts.autoLink.map((d) => toEntity('autoLink', d)),
    sslProfiles: drafts.sslProfile.map((d) => toEntity('sslProfile', d)),
    logs: withDefaultLogs(drafts.log.map((d) => toEntity('log', d)), log.file),
    policy: toEntity('policy', policy),
    vhosts: drafts.vhost.map((d) => toEntity('vhost', d)),
    warnings: sortProblems(log.warnings),
    file: log.file,
  };
}

/**
 * A draft without errors has the shape of its entity type: the schema typed and defaulted
 * every attribute and the rules filled the rest (a unit test compares both with the schema).
 */
function toEntity<T extends EntityTypeName>(type: T, d: EntityDraft): EntityByType[T] {
  const entity = {
    name: d.name,
    identity: d.identity,
    type: longTypeName(type),
    ...d.attributes,
    source: { file: d.file, line: d.line, attributeLines: { ...d.attributeLines } },
  };
  return entity as unknown as EntityByType[T];
}

/** Every log module without a log entity gets a default one (reference §1.2, load order). */
function withDefaultLogs(logs: LogEntity[], file: string): LogEntity[] {
  const modules = entitySchema('log').properties.module.enum ?? [];
  const present = new Set(logs.map((l) => l.module));
  const defaults = modules
    .filter((m) => !present.has(m as LogEntity['module']))
    .map((module): LogEntity => {
      const base = { name: `log/${module}`, identity: `log/${module}`, type: longTypeName('log'), source: { file, line: 0 } };
      return module === 'DEFAULT'
        ? { ...base, module, enable: 'info+', includeTimestamp: true, includeSource: false, outputFile: 'stderr' }
        : { ...base, module: module as LogEntity['module'], enable: 'default' };
    });
  return [...logs, ...defaults];
}

/** By file (in the order files were read), then line; stable within a line. */
function sortProblems<P extends { file: string; line: number }>(problems: readonly P[]): P[] {
  const fileOrder = new Map<string, number>();
  for (const p of problems) if (!fileOrder.has(p.file)) fileOrder.set(p.file, fileOrder.size);
  return [...problems].sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line);
}
