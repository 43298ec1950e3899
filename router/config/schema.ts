// The configuration schema (config/schema.json) and its compiled ajv validators, one per
// entity type, shared by the file loaders and management CREATE/UPDATE.

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import schemaJson from '../../config/schema.json';
import type { EntityTypeName } from './entities';

/** How the default identity of an entity is made (reference §1.2). */
export type IdentityRule = 'router-id' | 'host-port' | 'module' | 'hostname' | 'name' | 'counter';

export interface PropertySchema {
  type?: 'string' | 'integer' | 'boolean' | 'object' | 'array';
  enum?: readonly string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  description?: string;
  additionalProperties?: unknown;
  'x-deprecated'?: boolean;
  'x-pattern-message'?: string;
}

export interface ObjectSchema {
  type: 'object';
  description?: string;
  properties: Record<string, PropertySchema>;
  required?: readonly string[];
}

export interface EntitySchema extends ObjectSchema {
  'x-long-name': string;
  'x-identity': IdentityRule;
  'x-singleton'?: boolean;
  /** Old attribute name → new name. */
  'x-deprecated-names'?: Record<string, string>;
}

interface SchemaDocument {
  $id: string;
  $defs: Record<EntityTypeName, EntitySchema> & Record<string, ObjectSchema>;
}

/** The schema document as loaded (read-only; management GET-SCHEMA may serve it). */
export const configSchema = schemaJson as unknown as SchemaDocument;

/** Annotations of ours that ajv must accept and ignore. */
const ANNOTATIONS = ['x-long-name', 'x-identity', 'x-singleton', 'x-deprecated-names', 'x-deprecated', 'x-pattern-message'];

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function compiler(): Ajv2020 {
  if (ajv === undefined) {
    // useDefaults: validation fills in every schema default, nested group settings included.
    ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true });
    ajv.addVocabulary(ANNOTATIONS);
    ajv.addSchema(configSchema);
  }
  return ajv;
}

/** The compiled validator of one `$defs` entry (entity type or vhostUserGroupSettings). */
export function validatorFor(def: string): ValidateFunction {
  let validate = validators.get(def);
  if (validate === undefined) {
    validate = compiler().getSchema(`${configSchema.$id}#/$defs/${def}`);
    if (validate === undefined) throw new Error(`no schema definition '${def}'`);
    validators.set(def, validate);
  }
  return validate;
}

export function entitySchema(type: EntityTypeName): EntitySchema {
  return configSchema.$defs[type];
}

export function defSchema(def: string): ObjectSchema | undefined {
  return Object.prototype.hasOwnProperty.call(configSchema.$defs, def) ? configSchema.$defs[def] : undefined;
}

/** `org.apache.qpid.dispatch.listener` for `listener`. */
export function longTypeName(type: EntityTypeName): string {
  return entitySchema(type)['x-long-name'];
}

/** Turns one ajv error into an attribute path (below the entity) and a readable message. */
export function describeAjvError(error: ErrorObject, schema: ObjectSchema): { attribute?: string; message: string } {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const attribute = segments.length > 0 ? segments.join('.') : undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return { attribute: attribute === undefined ? missing : `${attribute}.${missing}`, message: 'required attribute is missing' };
    }
    case 'minimum':
      return { attribute, message: `must be at least ${String(params.limit)}` };
    case 'maximum':
      return { attribute, message: `must be at most ${String(params.limit)}` };
    case 'enum':
      return { attribute, message: `expected one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { attribute, message: `expected ${article(String(params.type))}` };
    case 'pattern': {
      const prop = segments.length === 1 ? schema.properties[segments[0]] : undefined;
      return { attribute, message: prop?.['x-pattern-message'] ?? `does not match ${String(params.pattern)}` };
    }
    case 'additionalProperties':
      return { attribute: attribute === undefined ? String(params.additionalProperty) : `${attribute}.${String(params.additionalProperty)}`, message: 'unknown attribute' };
    default:
      return { attribute, message: error.message ?? error.keyword };
  }
}

function article(type: string): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'object':
      return 'a map';
    case 'array':
      return 'a list';
    default:
      return `a ${type}`;
  }
}
