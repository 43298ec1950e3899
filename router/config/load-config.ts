// Entry points: load a configuration file (format by extension) or text, validate everything,
// and either return a LoadedConfig or throw one ConfigError listing every problem.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../common/errors';
import { buildConfig } from './build-config';
import type { ConfigFormat, LoadedConfig } from './entities';
import { classifySection } from './entity-names';
import type { EntityDraft } from './entity-draft';
import { parseJsonConf } from './json-conf';
import { ProblemLog } from './problems';
import { parseQdrouterdConf } from './qdrouterd-conf';
import type { RawEntity } from './raw-entity';
import type { RuleContext } from './validate-entity';
import { parseYamlConf } from './yaml-conf';

export type LoadOptions = RuleContext;

// What the daemon needs, from one module.
export { formatConfigError, CONFIG_ERROR_EXIT_CODE } from './format';
export { resolvePort } from './port';

/** `.json` → json, `.yaml`/`.yml` → yaml, anything else → qdrouterd's format. */
export function formatOf(fileName: string): ConfigFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return 'conf';
}

/** Parses text into sections without validating them; problems go to `log`. */
export function parseConfigText(text: string, format: ConfigFormat, log: ProblemLog): RawEntity[] {
  switch (format) {
    case 'conf':
      return parseQdrouterdConf(text, log);
    case 'json':
      return parseJsonConf(text, log);
    case 'yaml':
      return parseYamlConf(text, log);
  }
}

/**
 * Loads configuration text. `fileName` is used in problems and picks the format when `format`
 * is not given. policy.policyDir is not read (no file access).
 */
export function loadConfigText(text: string, fileName: string, format: ConfigFormat = formatOf(fileName), options: LoadOptions = {}): LoadedConfig {
  const log = new ProblemLog(fileName);
  return buildConfig(parseConfigText(text, format, log), log, options);
}

/** Loads a configuration file, and the vhost files of policy.policyDir. Throws ConfigError. */
export function loadConfigFile(path: string, options: LoadOptions = {}): LoadedConfig {
  const log = new ProblemLog(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const problem = { file: path, line: 0, path: '', message: `cannot read the configuration file: ${(err as Error).message}` };
    throw new ConfigError(`${path}: ${problem.message}`, [problem]);
  }
  const sections = parseConfigText(text, formatOf(path), log);
  return buildConfig(sections, log, { ...options, loadPolicyVhosts: (dir, policy, l) => readPolicyDir(resolve(dirname(path), dir), policy, l) });
}

/** The vhost entities of every .json file of the directory, in name order. */
function readPolicyDir(dir: string, policy: EntityDraft, log: ProblemLog): RawEntity[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    policy.error('policyDir', `cannot read the directory: ${(err as Error).message}`);
    return [];
  }
  const vhosts: RawEntity[] = [];
  for (const f of files) {
    const file = join(dir, f);
    const fileLog = new ProblemLog(file);
    try {
      for (const raw of parseJsonConf(readFileSync(file, 'utf8'), fileLog)) {
        const kind = classifySection(raw.section);
        if (kind.kind === 'entity' && kind.type === 'vhost') vhosts.push(raw);
        else fileLog.warn(raw.line, raw.section, 'ignored: only vhost entries are read from policyDir');
      }
    } catch (err) {
      fileLog.error(0, '', `cannot read the file: ${(err as Error).message}`);
    }
    log.merge(fileLog);
  }
  return vhosts;
}
