// CREATE (reference §7.2): the body (plus `name` from the properties) is validated exactly as a
// configuration file entity is (router/config/validate-entity.ts); every problem comes back in
// one 400. Listeners and connectors start, addresses apply to addresses used from now on,
// link routes and auto-links act at once; sslProfile is registered only.

import { AmqpMap } from '../../amqp/codec/values';
import { ManagementError } from '../../common/errors';
import type { AddressEntity, AutoLinkEntity, ConnectorEntity, EntityTypeName, LinkRouteEntity, ListenerEntity } from '../../config/entities';
import { assignIdentity } from '../../config/identity';
import { ProblemLog } from '../../config/problems';
import type { RawAttribute, RawEntity } from '../../config/raw-entity';
import { validateEntity } from '../../config/validate-entity';
import { canonicalPattern, prefixToPattern } from '../../core/address-pattern';
import { addressRule, autoLinkConfig, connectorSpec, linkRouteConfig, listenerSpec } from '../../node/specs';
import { plainValue } from '../amqp-values';
import type { EntityType } from '../entity-types';
import { bodyMap, stringProperty, text, type ManagementRequest } from '../request';
import { ROWS, type AgentContext } from '../rows';
import { entityMap } from './entity-ops';
import type { OperationResult } from './result';

export async function create(ctx: AgentContext, type: EntityType, req: ManagementRequest): Promise<OperationResult> {
  const config = type.config;
  if (!config || !type.operations.includes('CREATE')) throw new ManagementError(405, `CREATE is not allowed for ${type.long}`);
  const body = bodyMap(req);
  const attributes = new Map<string, RawAttribute>();
  let name = stringProperty(req, 'name');
  if (req.properties.has('identity') || body.get('identity') !== undefined) throw new ManagementError(400, 'identity cannot be set on CREATE');
  for (const [k, v] of body.entries) {
    const key = text(k);
    if (key === undefined) throw new ManagementError(400, 'attribute names must be strings');
    if (key === 'type') {
      const t = text(v);
      if (t !== type.long && t !== type.short && t !== config) throw new ManagementError(400, `type in the body (${String(t)}) conflicts with ${type.long}`);
      continue;
    }
    if (key === 'name') {
      const n = text(v);
      if (n === undefined || (name !== undefined && n !== name)) throw new ManagementError(400, `name in the body conflicts with the name property '${name}'`);
      name = n;
      continue;
    }
    // Management's names for attributes the configuration calls otherwise.
    const attribute = config === 'address' && key === 'fallback' ? 'enableFallback' : key;
    attributes.set(attribute, { value: plainValue(v), line: 0, key });
  }
  if (name !== undefined) attributes.set('name', { value: name, line: 0, key: 'name' });

  const problems = new ProblemLog('management');
  const draft = validateEntity(config, { section: config, file: 'management', line: 0, attributes } as RawEntity, problems, {});
  crossChecks(ctx, config, draft.attributes, name, problems);
  if (problems.errorCount > 0) {
    throw new ManagementError(400, problems.errors.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  const node = ctx.node;
  if (type.agent === 'c') {
    draft.identity = node.configEntities.newIdentity();
    draft.name = name ?? `${config}/${draft.identity}`;
  } else assignIdentity(draft, node.configEntities.list(config).length);
  const entity = { name: draft.name, identity: draft.identity, type: type.long, ...draft.attributes, source: { file: 'management', line: 0 } };

  switch (config) {
    case 'listener':
      try {
        await node.listen(listenerSpec(entity as unknown as ListenerEntity));
      } catch (err) {
        throw new ManagementError(400, `listener ${draft.name}: ${(err as Error).message}`);
      }
      break;
    case 'connector':
      try {
        node.connect(connectorSpec(entity as unknown as ConnectorEntity));
      } catch (err) {
        throw new ManagementError(400, `connector ${draft.name}: ${(err as Error).message}`);
      }
      break;
    case 'address':
      node.addAddressRule(draft.name, addressRule(entity as unknown as AddressEntity));
      break;
    case 'linkRoute':
      try {
        node.linkRoutes.add(linkRouteConfig(entity as unknown as LinkRouteEntity));
      } catch (err) {
        throw new ManagementError(400, `linkRoute ${draft.name}: ${(err as Error).message}`);
      }
      break;
    case 'autoLink':
      try {
        node.autoLinks.add(autoLinkConfig(entity as unknown as AutoLinkEntity));
      } catch (err) {
        throw new ManagementError(400, `autoLink ${draft.name}: ${(err as Error).message}`);
      }
      break;
    default: break; // registered only (sslProfile)
  }
  node.configEntities.add({ type: config, name: draft.name, identity: draft.identity, attributes: { ...draft.attributes } });
  node.log.router.info(`${type.short} ${draft.name} created by management`);
  const row = ROWS[type.short](ctx).find((r) => r.name === draft.name)!;
  return { status: 201, body: row ? entityMap(type, row) : new AmqpMap() };
}

/** What buildConfig checks across entities, against the running router. */
function crossChecks(ctx: AgentContext, config: EntityTypeName, attributes: Record<string, unknown>, name: string | undefined, problems: ProblemLog): void {
  const node = ctx.node;
  if (name !== undefined && (node.configEntities.named(name) || (config === 'listener' && node.listeners.has(name)) || (config === 'connector' && node.connectors.has(name)))) {
    problems.error(0, `${config}.name`, `duplicate name '${name}'`);
  }
  const role = attributes.role;
  if ((config === 'listener' || config === 'connector') && (role === 'inter-router' || role === 'edge') && ctx.router.mode === 'standalone') {
    problems.error(0, `${config}.role`, `role '${String(role)}' is not allowed in a standalone router`);
  }
  if ((config === 'listener' || config === 'connector') && typeof attributes.sslProfile === 'string' && !node.configEntities.get('sslProfile', attributes.sslProfile)) {
    problems.error(0, `${config}.sslProfile`, `no sslProfile is named '${attributes.sslProfile}'`);
  }
  if (config === 'address' && (typeof attributes.prefix === 'string') !== (typeof attributes.pattern === 'string')) {
    const key = canonicalPattern(typeof attributes.prefix === 'string' ? prefixToPattern(attributes.prefix) : attributes.pattern as string);
    for (const other of node.configEntities.list('address')) {
      const o = other.attributes;
      const otherKey = canonicalPattern(typeof o.prefix === 'string' ? prefixToPattern(o.prefix) : o.pattern as string);
      if (otherKey === key) problems.error(0, `address.${typeof attributes.prefix === 'string' ? 'prefix' : 'pattern'}`, `matches the same addresses as address '${other.name}'`);
    }
  }
}
