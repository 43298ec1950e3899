// Reader of qdrouterd's JSON configuration format: a list of [entityType, {attributes}] pairs;
// lines whose first non-blank character is `#` are removed first (reference §1.1).

import { JsonSyntaxError, parseJsonWithPositions } from './json-positions';
import type { ProblemLog } from './problems';
import type { RawEntity } from './raw-entity';
import { entitiesFromTree } from './tree-entities';

export function parseJsonConf(text: string, log: ProblemLog): RawEntity[] {
  // Blank the comment lines rather than delete them so that line numbers stay right.
  const uncommented = text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((line) => (line.trim().startsWith('#') ? '' : line))
    .join('\n');
  try {
    const { value, positions } = parseJsonWithPositions(uncommented);
    // Unlike an empty YAML document, `null` is no configuration at all.
    if (value === null) {
      log.error(1, 'config', 'expected a list of [entityType, {attributes}] pairs');
      return [];
    }
    return entitiesFromTree(value, positions, log);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    log.error(err.line, 'config', `invalid JSON: ${err.message}`);
    return [];
  }
}
