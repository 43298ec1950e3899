// Applies the schema to one entity: deprecated names, unknown attributes, type conversion,
// ajv validation with defaults, then the rules of its type. Shared with management
// CREATE/UPDATE, which builds a RawEntity from the request body.

import type { EntityTypeName } from './entities';
import { EntityDraft } from './entity-draft';
import { entityRules, type RuleContext } from './entity-rules';
import { convertValue, isPlainObject } from './convert-value';
import type { ProblemLog } from './problems';
import type { RawAttribute, RawEntity } from './raw-entity';
import { defSchema, describeAjvError, entitySchema, validatorFor, type PropertySchema } from './schema';

export type { RuleContext } from './entity-rules';

/** Validates one entity; problems go to `log`. The draft is returned even when it has errors. */
export function validateEntity(type: EntityTypeName, raw: RawEntity, log: ProblemLog, ctx: RuleContext): EntityDraft {
  const draft = new EntityDraft(type, raw.file, raw.line, log);
  const attributes = mapDeprecatedNames(type, raw, draft);
  const schema = entitySchema(type);

  for (const [name, attr] of attributes) {
    draft.attributeLines[name] = attr.line;
    draft.given.add(name);
    const prop = schema.properties[name];
    if (prop === undefined) {
      draft.error(name, unknownAttributeMessage(name, Object.keys(schema.properties)));
      continue;
    }
    const converted = convertAttribute(prop, attr, name, draft);
    if (converted === undefined) continue;
    draft.attributes[name] = converted;
    if (prop['x-deprecated']) draft.warn(name, 'is deprecated');
  }

  const validate = validatorFor(type);
  if (!validate(draft.attributes)) {
    for (const error of validate.errors ?? []) {
      const { attribute, message } = describeAjvError(error, schema);
      if (attribute !== undefined && draft.bad.has(attribute.split('.')[0])) continue;
      draft.error(attribute, message);
    }
  }

  entityRules[type](draft, ctx);
  return draft;
}

/** Old names become new ones with a warning; both given is an error (reference §1.2). */
function mapDeprecatedNames(type: EntityTypeName, raw: RawEntity, draft: EntityDraft): Map<string, RawAttribute> {
  const attributes = new Map(raw.attributes);
  for (const [oldName, newName] of Object.entries(entitySchema(type)['x-deprecated-names'] ?? {})) {
    const old = attributes.get(oldName);
    if (old === undefined) continue;
    attributes.delete(oldName);
    draft.attributeLines[oldName] = old.line;
    if (attributes.has(newName)) {
      draft.error(oldName, `both '${oldName}' (deprecated) and '${newName}' are given; remove '${oldName}'`);
    } else {
      draft.warn(oldName, `'${oldName}' is deprecated; use '${newName}'`);
      attributes.set(newName, old);
    }
  }
  return attributes;
}

function convertAttribute(prop: PropertySchema, attr: RawAttribute, name: string, draft: EntityDraft): unknown {
  const result = convertValue(prop, attr.value, attr.text);
  if (!result.ok) {
    draft.error(name, result.message);
    return undefined;
  }
  const nestedDef = nestedDefinition(prop);
  return nestedDef === undefined ? result.value : convertNested(nestedDef, result.value as Record<string, unknown>, name, draft);
}

/** `{"additionalProperties": {"$ref": "#/$defs/X"}}`: a map whose members are X (vhost groups). */
function nestedDefinition(prop: PropertySchema): string | undefined {
  const additional = prop.additionalProperties;
  if (!isPlainObject(additional) || typeof additional.$ref !== 'string') return undefined;
  return additional.$ref.split('/').pop();
}

/** Converts every member of a map of X with the rules of X; undefined when one fails. */
function convertNested(def: string, value: Record<string, unknown>, name: string, draft: EntityDraft): unknown {
  const schema = defSchema(def)!;
  const out: Record<string, unknown> = {};
  let ok = true;
  for (const [member, settings] of Object.entries(value)) {
    if (!isPlainObject(settings)) {
      draft.error(`${name}.${member}`, 'expected a map of settings');
      ok = false;
      continue;
    }
    const converted: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(settings)) {
      const prop = schema.properties[key];
      const result = prop === undefined ? { ok: false as const, message: unknownAttributeMessage(key, Object.keys(schema.properties)) } : convertValue(prop, v);
      if (result.ok) converted[key] = result.value;
      else {
        draft.error(`${name}.${member}.${key}`, result.message);
        ok = false;
      }
    }
    Object.defineProperty(out, member, { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return ok ? out : undefined;
}

function unknownAttributeMessage(name: string, known: string[]): string {
  const near = known.find((k) => k.toLowerCase() === name.toLowerCase());
  return near === undefined ? 'unknown attribute' : `unknown attribute (did you mean '${near}'?)`;
}
