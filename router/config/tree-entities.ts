// Turns a parsed JSON or YAML document into sections. Two shapes are accepted:
//  - qdrouterd's list of pairs: [["router", {"mode": "interior"}], ["listener", {...}], ...]
//    (a list item may also be a one-key map: `- listener: {...}`);
//  - a map of entity type to one map of attributes or a list of them (the YAML shape):
//    {router: {mode: interior}, listener: [{port: 5672}, ...]}.

import { camelCase } from './entity-names';
import { isPlainObject } from './convert-value';
import type { PositionMap } from './json-positions';
import type { ProblemLog } from './problems';
import type { RawEntity } from './raw-entity';

export function entitiesFromTree(root: unknown, positions: PositionMap, log: ProblemLog): RawEntity[] {
  const lineOf = (node: unknown, fallback: number): number =>
    typeof node === 'object' && node !== null ? positions.get(node)?.line ?? fallback : fallback;
  const entities: RawEntity[] = [];

  const add = (section: string, attributes: unknown, line: number): void => {
    if (attributes === null || attributes === undefined) attributes = {};
    if (!isPlainObject(attributes)) {
      log.error(line, section, 'expected a map of attributes');
      return;
    }
    entities.push(toRawEntity(section, attributes, line, positions, log));
  };

  if (root === null || root === undefined) return entities; // an empty document
  if (Array.isArray(root)) {
    for (const item of root) {
      const line = lineOf(item, lineOf(root, 1));
      if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string') add(item[0], item[1], line);
      else if (isPlainObject(item) && Object.keys(item).length === 1) {
        const [section, attributes] = Object.entries(item)[0];
        add(section, attributes, line);
      } else log.error(line, 'config', 'expected an [entityType, {attributes}] pair');
    }
  } else if (isPlainObject(root)) {
    const members = positions.get(root)?.members;
    for (const [section, value] of Object.entries(root)) {
      const line = members?.get(section)?.line ?? lineOf(root, 1);
      if (Array.isArray(value)) for (const item of value) add(section, item, lineOf(item, line));
      else add(section, value, line);
    }
  } else {
    log.error(1, 'config', 'expected a list of [entityType, {attributes}] pairs or a map of entity types');
  }
  return entities;
}

function toRawEntity(section: string, attributes: Record<string, unknown>, line: number, positions: PositionMap, log: ProblemLog): RawEntity {
  const members = positions.get(attributes)?.members;
  const entity: RawEntity = { section, file: log.file, line, attributes: new Map() };
  for (const [key, value] of Object.entries(attributes)) {
    // An empty YAML value (`saslMechanisms:`) or a JSON null means "not given".
    if (value === null) continue;
    const member = members?.get(key);
    const name = camelCase(key);
    const attrLine = member?.line ?? line;
    const previous = entity.attributes.get(name);
    if (previous !== undefined) log.warn(attrLine, `${section}.${name}`, `given again as '${key}' (first as '${previous.key}' at line ${previous.line}); the last value is used`);
    entity.attributes.set(name, { value, line: attrLine, key, text: member?.text });
  }
  return entity;
}
