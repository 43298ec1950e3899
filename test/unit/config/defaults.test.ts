// Defaults, generated ids and the default name/identity of every entity (reference §1.2, §1.3).

import { expect } from 'chai';
import { generateRouterId, loadConfigText, routerIdProblem } from '../../../router/config';
import { load, lines, problems } from './helpers';

describe('defaults and identities', () => {
  describe('an empty file', () => {
    const c = load('');

    it('gets a router and a policy with every default', () => {
      expect(c.router).to.include({
        id: 'Generated_standalone',
        mode: 'standalone',
        area: '0',
        helloIntervalSeconds: 1,
        helloMaxAgeSeconds: 3,
        raIntervalSeconds: 30,
        raIntervalFluxSeconds: 4,
        remoteLsMaxAgeSeconds: 60,
        workerThreads: 4,
        defaultDistribution: 'balanced',
        allowResumableLinkRoute: true,
        saslConfigName: 'qdrouterd',
        metricsAddressLimit: 100,
      });
      expect(c.router.source).to.deep.equal({ file: 'test.conf', line: 0, attributeLines: {} });
      expect(c.policy).to.include({
        maxConnections: 65535,
        maxMessageSize: 0,
        enableVhostPolicy: false,
        enableVhostNamePatterns: false,
        policyDir: '',
        defaultVhost: '$default',
        identity: 'policy/0',
        name: 'policy/0',
      });
    });

    it('gets one log entity per module, DEFAULT with concrete values', () => {
      expect(c.logs).to.have.length(17);
      expect(c.logs.find((l) => l.module === 'DEFAULT')).to.include({
        enable: 'info+', includeTimestamp: true, includeSource: false, outputFile: 'stderr', identity: 'log/DEFAULT', name: 'log/DEFAULT',
      });
      expect(c.logs.find((l) => l.module === 'ROUTER_LS')).to.deep.include({ enable: 'default', source: { file: 'test.conf', line: 0 } });
    });

    it('has no other entities and no warnings', () => {
      expect([c.listeners, c.connectors, c.addresses, c.linkRoutes, c.autoLinks, c.sslProfiles, c.vhosts, c.warnings]).to.deep.equal([[], [], [], [], [], [], [], []]);
    });
  });

  describe('router id', () => {
    it('is generated from the mode when absent', () => {
      expect(generateRouterId('interior')).to.match(/^Interior_[A-Za-z0-9+_]{15}$/);
      expect(generateRouterId('edge')).to.match(/^Edge_[A-Za-z0-9+_]{15}$/);
      expect(loadConfigText('', 'x.conf').router.id).to.match(/^Standalone_[A-Za-z0-9+_]{15}$/);
      expect(load(lines('router {', '    mode: interior', '}')).router.id).to.equal('Generated_interior');
    });

    it('is at most 127 characters with no whitespace or control characters', () => {
      expect(routerIdProblem('R'.repeat(127))).to.equal(undefined);
      expect(routerIdProblem('R'.repeat(128))).to.equal('must be at most 127 characters (it has 128)');
      expect(routerIdProblem('a\u0001b')).to.equal('must not contain whitespace or control characters');
      expect(routerIdProblem('a\u00a0b')).to.equal('must not contain whitespace or control characters');
      expect(problems(lines('router {', `    id: ${'x'.repeat(128)}`, '}'))).to.deep.equal(['test.conf:2: router.id: must be at most 127 characters (it has 128)']);
      expect(problems('[["router", {"id": "two words"}]]', 'json')).to.deep.equal(['test.json:1: router.id: must not contain whitespace or control characters']);
    });
  });

  describe('listener and connector', () => {
    const c = load(lines('listener {', '}', 'connector {', '}'));

    it('take the defaults of §1.3', () => {
      expect(c.listeners[0]).to.include({
        host: '', port: 'amqp', role: 'normal', cost: 1, authenticatePeer: false, requireEncryption: false, requireSsl: false,
        maxFrameSize: 16384, maxSessions: 32768, idleTimeoutSeconds: 16, initialHandshakeTimeoutSeconds: 0,
        stripAnnotations: 'both', linkCapacity: 250, multiTenant: false, http: false, websockets: true, metrics: true,
        healthz: true, messageLoggingComponents: 'none',
      });
      expect(c.listeners[0].maxSessionFrames).to.equal(undefined);
      expect(c.connectors[0]).to.include({
        host: '127.0.0.1', port: 'amqp', role: 'normal', cost: 1, verifyHostname: true, allowRedirect: true,
        maxFrameSize: 16384, maxSessions: 32768, idleTimeoutSeconds: 16, stripAnnotations: 'both', linkCapacity: 250,
      });
    });

    it('are named listener/host:port, with :name appended to the identity when named', () => {
      expect([c.listeners[0].identity, c.listeners[0].name]).to.deep.equal(['listener/:amqp', 'listener/:amqp']);
      expect([c.connectors[0].identity, c.connectors[0].name]).to.deep.equal(['connector/127.0.0.1:amqp', 'connector/127.0.0.1:amqp']);
      const named = load(lines('listener {', '    name: public', '    port: 5673', '}'));
      expect([named.listeners[0].identity, named.listeners[0].name]).to.deep.equal(['listener/:5673:public', 'public']);
    });

    it('raise maxFrameSize below 512 to 512', () => {
      expect(load(lines('listener {', '    maxFrameSize: 100', '}')).listeners[0].maxFrameSize).to.equal(512);
    });

    it('force stripAnnotations to no for inter-router and edge roles, warning when it was set', () => {
      const r = load(lines('router {', '    mode: interior', '}', 'listener {', '    role: inter-router', '    stripAnnotations: in', '}', 'connector {', '    role: edge', '}'));
      expect(r.listeners[0].stripAnnotations).to.equal('no');
      expect(r.connectors[0].stripAnnotations).to.equal('no');
      expect(r.warnings.map((w) => `${w.line}: ${w.path}: ${w.message}`)).to.deep.equal(["6: listener.stripAnnotations: is always 'no' for role inter-router"]);
    });
  });

  describe('address', () => {
    it('defaults to balanced, phases 0/0, or 0/1 with waypoint', () => {
      const c = load(lines('address {', '    prefix: a', '}', 'address {', '    prefix: b', '    waypoint: yes', '}', 'address {', '    prefix: c', '    waypoint: yes', '    egressPhase: 5', '}'));
      expect(c.addresses.map((a) => [a.distribution, a.ingressPhase, a.egressPhase, a.enableFallback])).to.deep.equal([
        ['balanced', 0, 0, false],
        ['balanced', 0, 1, false],
        ['balanced', 0, 5, false],
      ]);
    });

    it('is identified by a per-type counter', () => {
      const c = load(lines('address {', '    prefix: a', '}', 'address {', '    name: mine', '    prefix: b', '}'));
      expect(c.addresses.map((a) => [a.identity, a.name])).to.deep.equal([['address/0', 'address/0'], ['address/1', 'mine']]);
    });
  });

  describe('autoLink', () => {
    it('defaults its phase to 0 for out, 1 for in, 0 for in with fallback', () => {
      const c = load(lines(
        'autoLink {', '    address: q', '    direction: out', '}',
        'autoLink {', '    address: q', '    direction: in', '}',
        'autoLink {', '    address: q', '    direction: in', '    fallback: yes', '}',
        'autoLink {', '    address: q', '    direction: in', '    phase: 7', '}',
      ));
      expect(c.autoLinks.map((a) => a.phase)).to.deep.equal([0, 1, 0, 7]);
    });
  });

  describe('other entities', () => {
    it('linkRoute is linkBalanced; log follows DEFAULT; vhost and sslProfile are named after hostname and name', () => {
      const c = load(lines(
        'linkRoute {', '    prefix: q', '    direction: in', '}',
        'log {', '    module: ROUTER', '}',
        'log {', '    module: DEFAULT', '    enable: debug+', '}',
        'vhost {', '    hostname: example.com', '}',
        'sslProfile {', '    name: tls', '}',
        'sslProfile {', '}',
      ));
      expect(c.linkRoutes[0]).to.include({ distribution: 'linkBalanced', identity: 'linkRoute/0' });
      expect(c.logs[0]).to.include({ module: 'ROUTER', enable: 'default', identity: 'log/ROUTER' });
      expect(c.logs[0].includeTimestamp).to.equal(undefined);
      expect(c.logs[1]).to.include({ module: 'DEFAULT', enable: 'debug+', includeTimestamp: true, outputFile: 'stderr' });
      expect(c.logs).to.have.length(17);
      expect(c.vhosts[0]).to.deep.include({ identity: 'vhost/example.com', maxConnections: 65535, maxConnectionsPerUser: 65535, allowUnknownUser: false, groups: {} });
      expect(c.sslProfiles.map((s) => [s.identity, s.name])).to.deep.equal([['sslProfile/tls', 'tls'], ['sslProfile/1', 'sslProfile/1']]);
    });

    it('requires log.module, vhost.hostname, linkRoute.direction, autoLink address and direction', () => {
      expect(problems(lines('log {', '}', 'vhost {', '}', 'linkRoute {', '    prefix: a', '}', 'autoLink {', '}'))).to.deep.equal([
        'test.conf:1: log.module: required attribute is missing',
        'test.conf:3: vhost.hostname: required attribute is missing',
        'test.conf:5: linkRoute.direction: required attribute is missing',
        'test.conf:8: autoLink.address: required attribute is missing',
        'test.conf:8: autoLink.direction: required attribute is missing',
      ]);
    });
  });
});
