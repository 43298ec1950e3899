// The schema itself: loadable per entity type (management uses it), and in step with the
// TypeScript entity types (checked at compile time by `satisfies` and at run time here).

import { expect } from 'chai';
import { ENTITY_TYPES, type EntityBase, type EntityByType, type EntityTypeName } from '../../../router/config/entities';
import { ProblemLog } from '../../../router/config/problems';
import { configSchema, entitySchema, longTypeName, validatorFor } from '../../../router/config/schema';
import { validateEntity } from '../../../router/config/validate-entity';

type Own<T> = Exclude<keyof T, keyof EntityBase>;
type KeyList<T> = Record<Own<T>, true>;

/** Attribute names of each entity type; `satisfies` fails to compile when one is missing or extra. */
const typeKeys = {
  router: {
    id: true, mode: true, area: true, helloIntervalSeconds: true, helloMaxAgeSeconds: true, raIntervalSeconds: true,
    raIntervalFluxSeconds: true, remoteLsMaxAgeSeconds: true, workerThreads: true, defaultDistribution: true,
    allowResumableLinkRoute: true, allowUnsettledMulticast: true, saslConfigDir: true, saslConfigName: true,
    debugDumpFile: true, timestampsInUTC: true, timestampFormat: true, metadata: true,
    metricsAddressLimit: true,
  } satisfies KeyList<EntityByType['router']>,
  listener: {
    host: true, port: true, socketAddressFamily: true, role: true, cost: true, sslProfile: true, saslMechanisms: true,
    authenticatePeer: true, requireEncryption: true, requireSsl: true, saslPlugin: true, maxFrameSize: true,
    maxSessions: true, maxSessionFrames: true, idleTimeoutSeconds: true, initialHandshakeTimeoutSeconds: true,
    stripAnnotations: true, linkCapacity: true, multiTenant: true, failoverUrls: true, http: true, websockets: true,
    metrics: true, healthz: true, httpRootDir: true, messageLoggingComponents: true, policyVhost: true, openProperties: true,
  } satisfies KeyList<EntityByType['listener']>,
  connector: {
    host: true, port: true, protocolFamily: true, role: true, cost: true, sslProfile: true, saslMechanisms: true,
    saslUsername: true, saslPassword: true, verifyHostname: true, allowRedirect: true, initialReconnectDelay: true,
    maxReconnectDelay: true, failoverUrls: true, randomize: true, maxFrameSize: true,
    maxSessions: true, maxSessionFrames: true, idleTimeoutSeconds: true, stripAnnotations: true, linkCapacity: true,
    messageLoggingComponents: true, policyVhost: true, openProperties: true,
  } satisfies KeyList<EntityByType['connector']>,
  address: {
    prefix: true, pattern: true, distribution: true, waypoint: true, ingressPhase: true, egressPhase: true, priority: true, enableFallback: true,
  } satisfies KeyList<EntityByType['address']>,
  linkRoute: {
    prefix: true, pattern: true, direction: true, connection: true, containerId: true, distribution: true, addExternalPrefix: true, delExternalPrefix: true,
  } satisfies KeyList<EntityByType['linkRoute']>,
  autoLink: {
    address: true, direction: true, phase: true, connection: true, containerId: true, externalAddress: true, fallback: true,
  } satisfies KeyList<EntityByType['autoLink']>,
  sslProfile: {
    ciphers: true, protocols: true, caCertFile: true, certFile: true, privateKeyFile: true, password: true, passwordFile: true, uidFormat: true, uidNameMappingFile: true,
  } satisfies KeyList<EntityByType['sslProfile']>,
  log: { module: true, enable: true, includeTimestamp: true, includeSource: true, outputFile: true } satisfies KeyList<EntityByType['log']>,
  policy: {
    maxConnections: true, maxMessageSize: true, enableVhostPolicy: true, enableVhostNamePatterns: true, policyDir: true, defaultVhost: true,
  } satisfies KeyList<EntityByType['policy']>,
  vhost: {
    hostname: true, aliases: true, maxConnections: true, maxMessageSize: true, maxConnectionsPerUser: true, maxConnectionsPerHost: true, allowUnknownUser: true, groups: true,
  } satisfies KeyList<EntityByType['vhost']>,
} satisfies Record<EntityTypeName, object>;

describe('configuration schema', () => {
  it('has one definition per entity type, each with its long name and identity rule', () => {
    for (const type of ENTITY_TYPES) {
      const def = entitySchema(type);
      expect(def.type, type).to.equal('object');
      expect(def['x-identity'], type).to.be.a('string');
      expect(longTypeName(type)).to.match(/^org\.apache\.qpid\.dispatch\./);
    }
    expect(Object.keys(configSchema.$defs)).to.include.members([...ENTITY_TYPES, 'vhostUserGroupSettings']);
  });

  it('is in step with the TypeScript entity types', () => {
    for (const type of ENTITY_TYPES) {
      const schemaKeys = Object.keys(entitySchema(type).properties).filter((k) => k !== 'name').sort();
      expect(schemaKeys, type).to.deep.equal(Object.keys(typeKeys[type]).sort());
    }
  });

  it('names a new attribute for every deprecated name', () => {
    for (const type of ENTITY_TYPES) {
      for (const [oldName, newName] of Object.entries(entitySchema(type)['x-deprecated-names'] ?? {})) {
        expect(entitySchema(type).properties, `${type}.${oldName}`).to.have.property(newName);
        expect(entitySchema(type).properties, `${type}.${oldName}`).not.to.have.property(oldName);
      }
    }
  });

  it('validates typed entities per type and fills in defaults (for management CREATE)', () => {
    const validate = validatorFor('listener');
    const listener: Record<string, unknown> = { port: '5672', role: 'normal' };
    expect(validate(listener)).to.equal(true);
    expect(listener).to.include({ host: '', cost: 1, maxFrameSize: 16384, stripAnnotations: 'both' });
    expect(validate({ port: 5672 })).to.equal(false);
    expect(validate({ bogus: 1 })).to.equal(false);
    expect(validatorFor('vhostUserGroupSettings')({ maxSenders: 1 })).to.equal(true);
  });

  it('validates one entity from a management request with the same conversions and messages', () => {
    const log = new ProblemLog('management');
    const attributes = new Map([
      ['port', { value: 5673, line: 0, key: 'port' }],
      ['saslMechanisms', { value: 'PLAIN', line: 0, key: 'saslMechanisms' }],
      ['cost', { value: 'x', line: 0, key: 'cost' }],
    ]);
    const draft = validateEntity('listener', { section: 'listener', file: 'management', line: 0, attributes }, log, {});
    expect(draft.attributes).to.include({ port: '5673', saslMechanisms: 'PLAIN', host: '' });
    expect(log.errors).to.deep.equal([{ file: 'management', line: 0, path: 'listener.cost', message: "expected an integer, got 'x'" }]);
  });
});
