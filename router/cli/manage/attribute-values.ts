// `ATTR=VALUE` arguments of `weft manage` as qdmanage reads them: `true`/`false` become booleans
// and the values of integer attributes become numbers. qdmanage knows the integer attributes from
// its copy of the schema; Weft uses its own (config/schema.json, the configuration entities:
// router, listener, connector, address, linkRoute, autoLink, sslProfile, log, policy, vhost).
// Values of other types' attributes stay strings.

import { UsageError } from '../args';
import { configSchema } from '../../config/schema';

/** The integer attributes of a long type name, from the configuration schema. */
function integerAttributes(longType: string | undefined): Set<string> {
  const entity = Object.values(configSchema.$defs).find((d) => (d as { 'x-long-name'?: string })['x-long-name'] === longType);
  return new Set(Object.entries(entity?.properties ?? {}).filter(([, p]) => p.type === 'integer').map(([n]) => n));
}

/** `name=value` → [name, typed value]; a bare `name` means null, as in qdmanage. */
export function attributeValues(args: readonly string[], longType: string | undefined): Record<string, unknown> {
  const integers = integerAttributes(longType);
  const attributes: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) { attributes[arg] = null; continue; }
    const name = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    if (text === 'true' || text === 'false') attributes[name] = text === 'true';
    else if (integers.has(name)) {
      if (!/^\s*[-+]?\d+\s*$/.test(text)) throw new UsageError(`${name} is an integer attribute, not '${text}'`);
      attributes[name] = Number(text);
    } else attributes[name] = text;
  }
  return attributes;
}

const BOOLEAN_WORDS: Record<string, boolean> = { yes: true, true: true, on: true, no: false, false: false, off: false };

/** UPDATE bodies also take yes/no/on/off for booleans (proton client's clean_attrs). */
export function withBooleanWords(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, typeof v === 'string' && v in BOOLEAN_WORDS ? BOOLEAN_WORDS[v] : v]));
}
