// GET-SCHEMA and GET-JSON-SCHEMA (reference §7.3): the entity model as qdrouterd's schema map,
// keys whose value is empty or false left out, enum types as their list of tags.

import { AmqpMap, type AmqpValue } from '../amqp/codec/values';
import { configValue } from './amqp-values';
import { ENTITY_TYPE_LIST, PREFIX, type AttributeDef } from './entity-types';

export function schemaMap(): AmqpMap {
  const types = new AmqpMap();
  for (const t of ENTITY_TYPE_LIST) {
    const attributes = new AmqpMap();
    for (const [name, a] of Object.entries(t.attributes)) attributes.entries.push([name, attributeMap(a, name)]);
    types.entries.push([t.short, compact([
      ['attributes', attributes], ['operations', [...t.operations]], ['description', t.description],
      ['fullyQualifiedType', t.long], ['references', []], ['deprecated', false], ['singleton', t.singleton],
    ])]);
  }
  return new AmqpMap([['prefix', PREFIX], ['entityTypes', types]]);
}

function attributeMap(a: AttributeDef, name: string): AmqpMap {
  return compact([
    ['type', typeof a.type === 'string' ? a.type : [...a.type]], ['default', a.default === undefined ? null : configValue(a.default)],
    ['required', a.required === true], ['unique', name === 'name' || name === 'identity'], ['deprecated', a.deprecated === true],
    ['description', a.description ?? ''], ['graph', false],
  ]);
}

/** Drops entries whose value is empty or false (qdrouterd's schema dump does). */
function compact(entries: Array<[string, AmqpValue]>): AmqpMap {
  return new AmqpMap(entries.filter(([, v]) => v !== null && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0) && !(v instanceof AmqpMap && v.size === 0)));
}
