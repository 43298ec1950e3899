// The configuration layer: schema, loaders (qdrouterd conf, JSON, YAML) and validated entities.

export * from './entities';
export { loadConfigFile, loadConfigText, formatOf, parseConfigText, type LoadOptions } from './load-config';
export { formatConfigError, formatProblem, CONFIG_ERROR_EXIT_CODE } from './format';
export { resolvePort, parsePort, SERVICE_PORTS } from './port';
export { generateRouterId, routerIdProblem } from './router-id';
export { DEFAULT_LINK_CAPACITY } from './entity-rules';
export { validateEntity, type RuleContext } from './validate-entity';
export { configSchema, entitySchema, longTypeName, validatorFor } from './schema';
export { camelCase, classifySection, LONG_NAME_PREFIX } from './entity-names';
export { ProblemLog } from './problems';
export type { RawEntity, RawAttribute } from './raw-entity';
export { ConfigError, type ConfigProblem } from '../common/errors';
