// Deprecated names, unknown attributes, per-entity rules and every cross-entity rule
// (reference §1.2).

import { expect } from 'chai';
import { load, lines, problems } from './helpers';

describe('configuration rules', () => {
  describe('deprecated attribute names', () => {
    it('are mapped to the new name with a warning', () => {
      const c = load(lines('router {', '    helloInterval: 2', '    raIntervalFlux: 9', '}', 'log {', '    module: ROUTER', '    timestamp: no', '    output: /tmp/x.log', '}', 'linkRoute {', '    prefix: q', '    dir: in', '}'));
      expect(c.router).to.include({ helloIntervalSeconds: 2, raIntervalFluxSeconds: 9 });
      expect(c.logs[0]).to.include({ includeTimestamp: false, outputFile: '/tmp/x.log' });
      expect(c.linkRoutes[0].direction).to.equal('in');
      expect(c.warnings.map((w) => `${w.line}: ${w.path}: ${w.message}`)).to.deep.equal([
        "2: router.helloInterval: 'helloInterval' is deprecated; use 'helloIntervalSeconds'",
        "3: router.raIntervalFlux: 'raIntervalFlux' is deprecated; use 'raIntervalFluxSeconds'",
        "7: log.timestamp: 'timestamp' is deprecated; use 'includeTimestamp'",
        "8: log.output: 'output' is deprecated; use 'outputFile'",
        "12: linkRoute.dir: 'dir' is deprecated; use 'direction'",
      ]);
    });

    it('are per type: protocolFamily is old for a listener, current for a connector', () => {
      const c = load(lines('listener {', '    protocolFamily: IPv6', '}', 'connector {', '    protocolFamily: IPv4', '}'));
      expect(c.listeners[0].socketAddressFamily).to.equal('IPv6');
      expect(c.connectors[0].protocolFamily).to.equal('IPv4');
      expect(c.warnings).to.have.length(1);
    });

    it('are an error together with the new name', () => {
      expect(problems(lines('router {', '    helloInterval: 2', '    helloIntervalSeconds: 2', '}'))).to.deep.equal([
        "test.conf:2: router.helloInterval: both 'helloInterval' (deprecated) and 'helloIntervalSeconds' are given; remove 'helloInterval'",
      ]);
    });

    it('warn for attributes deprecated without a new name', () => {
      const c = load(lines('sslProfile {', '    name: a', '    passwordFile: /p', '}'));
      expect(c.warnings.map((w) => `${w.path}: ${w.message}`)).to.deep.equal(['sslProfile.passwordFile: is deprecated']);
    });
  });

  describe('unknown attributes', () => {
    it('are errors, with a hint for a different case', () => {
      expect(problems(lines('listener {', '    colour: blue', '    saslmechanisms: PLAIN', '}'))).to.deep.equal([
        'test.conf:2: listener.colour: unknown attribute',
        "test.conf:3: listener.saslmechanisms: unknown attribute (did you mean 'saslMechanisms'?)",
      ]);
    });

    it('are errors inside vhost groups too', () => {
      expect(problems('[["vhost", {"hostname": "h", "groups": {"g": {"maxSenders": 1, "bogus": 2}}}]]', 'json')).to.deep.equal([
        'test.json:1: vhost.groups.g.bogus: unknown attribute',
      ]);
    });
  });

  describe('names and singletons', () => {
    it('names must be unique across all entities', () => {
      expect(problems(lines('listener {', '    name: x', '    port: 1', '}', 'address {', '    name: x', '    prefix: a', '}'))).to.deep.equal([
        "test.conf:6: address.name: duplicate name 'x' (also the listener at test.conf:1)",
      ]);
    });

    it('generated names collide like given ones (two listeners on one host:port)', () => {
      expect(problems(lines('listener {', '    port: 0', '}', 'listener {', '    port: 0', '}'))).to.deep.equal([
        "test.conf:4: listener: duplicate name 'listener/:0' (also the listener at test.conf:1)",
      ]);
    });

    it('router and policy appear at most once', () => {
      expect(problems(lines('router {', '}', 'policy {', '}', 'router {', '}', 'policy {', '}'))).to.deep.equal([
        "test.conf:5: router: only one 'router' section is allowed (the first is at line 1)",
        "test.conf:7: policy: only one 'policy' section is allowed (the first is at line 3)",
      ]);
    });
  });

  describe('router mode and connection roles', () => {
    it('standalone forbids inter-router and edge listeners and connectors', () => {
      expect(problems(lines('listener {', '    role: inter-router', '}', 'connector {', '    role: edge', '}'))).to.deep.equal([
        "test.conf:2: listener.role: role 'inter-router' is not allowed in a standalone router (the default mode)",
        "test.conf:5: connector.role: role 'edge' is not allowed in a standalone router (the default mode)",
      ]);
    });

    it('inter-router is allowed only in interior mode', () => {
      expect(problems(lines('router {', '    mode: edge', '}', 'connector {', '    role: inter-router', '}'))).to.deep.equal([
        "test.conf:5: connector.role: role 'inter-router' is allowed only in an interior router (router mode at line 2)",
      ]);
      const ok = load(lines('router {', '    mode: interior', '}', 'listener {', '    role: inter-router', '}', 'listener {', '    role: edge', '    port: 45672', '}'));
      expect(ok.listeners.map((l) => l.role)).to.deep.equal(['inter-router', 'edge']);
    });

    it('an edge router has no edge listener, but connects up with an edge connector', () => {
      expect(problems(lines('router {', '    mode: edge', '}', 'listener {', '    role: edge', '}'))).to.deep.equal([
        'test.conf:5: listener.role: an edge router cannot accept edge connections (router mode at line 2)',
      ]);
      expect(load(lines('router {', '    mode: edge', '}', 'connector {', '    role: edge', '}')).connectors[0].role).to.equal('edge');
    });

    it('skips the rule when the mode itself is wrong', () => {
      expect(problems(lines('router {', '    mode: mesh', '}', 'listener {', '    role: inter-router', '}'))).to.have.length(1);
    });
  });

  describe('openProperties', () => {
    it('refuses keys the router sets and reserved prefixes', () => {
      const text = lines('listener {', '    openProperties: {', '        "product": "x", "version": "1", "failover-server-list": [], "network-host": "h",', '        "port": 1, "scheme": "s", "hostname": "h", "qd.x": 1, "x-opt-qd.y": 2, "ok": 3', '    }', '}');
      const err = problems(text);
      expect(err).to.have.length(9);
      expect(err[0]).to.equal('test.conf:2: listener.openProperties.product: is set by the router and cannot be configured');
      expect(err[8]).to.equal("test.conf:2: listener.openProperties.x-opt-qd.y: keys starting with 'qd.' or 'x-opt-qd.' are reserved");
    });

    it('refuses openProperties on inter-router and edge connections', () => {
      expect(problems(lines('router {', '    mode: interior', '}', 'connector {', '    role: inter-router', '    openProperties: {', '        "a": 1', '    }', '}'))).to.deep.equal([
        'test.conf:6: connector.openProperties: is not allowed on inter-router connections',
      ]);
    });
  });

  describe('ports', () => {
    it('keeps the port as written and checks it', () => {
      const c = load(lines('listener {', '    port: amqps', '}', 'listener {', '    port: 0', '}'));
      expect(c.listeners.map((l) => l.port)).to.deep.equal(['amqps', '0']);
      expect(problems(lines('listener {', '    port: 70000', '}', 'connector {', '    port: 0', '}', 'connector {', '    port: 5 6', '}'))).to.deep.equal([
        "test.conf:2: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got '70000'",
        'test.conf:5: connector.port: a connector needs a port other than 0',
        'test.conf:8: connector.port: expected an integer port or a service name (amqp, amqps)',
      ]);
    });
  });

  describe('references', () => {
    it('sslProfile must name an sslProfile (defined anywhere in the file)', () => {
      expect(load(lines('listener {', '    sslProfile: tls', '}', 'sslProfile {', '    name: tls', '}')).listeners[0].sslProfile).to.equal('tls');
      expect(problems(lines('connector {', '    sslProfile: nope', '}'))).to.deep.equal(["test.conf:2: connector.sslProfile: no sslProfile is named 'nope'"]);
    });

    it('saslPlugin is refused (no authServicePlugin in Weft)', () => {
      expect(problems(lines('listener {', '    saslPlugin: auth', '}'))).to.deep.equal(['test.conf:2: listener.saslPlugin: authServicePlugin is not supported by Weft']);
    });

    it('warns when a linkRoute or autoLink connection is not a route-container listener or connector', () => {
      const c = load(lines(
        'connector {', '    name: broker', '    role: route-container', '}',
        'listener {', '    name: clients', '}',
        'linkRoute {', '    prefix: q', '    direction: in', '    connection: broker', '}',
        'linkRoute {', '    prefix: q', '    direction: out', '    connection: clients', '}',
        'autoLink {', '    address: a', '    direction: in', '    connection: missing', '}',
      ));
      expect(c.warnings.map((w) => `${w.line}: ${w.message}`)).to.deep.equal([
        "16: 'clients' has role 'normal': only route-container connections activate it",
        "21: no listener or connector is named 'missing'",
      ]);
    });

    it('warns that vhosts need policy.enableVhostPolicy', () => {
      expect(load(lines('vhost {', '    hostname: h', '}')).warnings.map((w) => w.message)).to.deep.equal(['vhosts have no effect unless policy.enableVhostPolicy is true']);
      expect(load(lines('policy {', '    enableVhostPolicy: yes', '}', 'vhost {', '    hostname: h', '}')).warnings).to.deep.equal([]);
    });
  });

  describe('address', () => {
    it('needs exactly one of prefix and pattern', () => {
      expect(problems(lines('address {', '    distribution: closest', '}', 'address {', '    prefix: a', '    pattern: b', '}'))).to.deep.equal([
        'test.conf:1: address: one of prefix and pattern is required',
        'test.conf:6: address.pattern: give either prefix or pattern, not both',
      ]);
    });

    it('refuses two entries with the same normalised pattern', () => {
      expect(problems(lines(
        'address {', '    prefix: a.b', '}',
        'address {', '    pattern: a/b/#', '}',
        'address {', '    pattern: /x.#.#/', '}',
        'address {', '    pattern: x.#', '}',
        'address {', '    prefix: ab', '}',
      ))).to.deep.equal([
        'test.conf:5: address.pattern: matches the same addresses as the address at test.conf:1',
        'test.conf:11: address.pattern: matches the same addresses as the address at test.conf:7',
      ]);
    });

    it('refuses enableFallback with waypoint or non-zero phases', () => {
      expect(problems(lines('address {', '    prefix: a', '    enableFallback: yes', '    waypoint: yes', '}', 'address {', '    prefix: b', '    enableFallback: yes', '    ingressPhase: 2', '}'))).to.deep.equal([
        'test.conf:3: address.enableFallback: cannot be combined with waypoint or non-zero phases',
        'test.conf:8: address.enableFallback: cannot be combined with waypoint or non-zero phases',
      ]);
    });

    it('keeps phases within 0-9', () => {
      expect(problems(lines('address {', '    prefix: a', '    ingressPhase: 10', '}'))).to.deep.equal(['test.conf:3: address.ingressPhase: must be at most 9']);
    });
  });

  describe('linkRoute and autoLink', () => {
    it('need exactly one of prefix and pattern, and at most one of connection and containerId', () => {
      expect(problems(lines(
        'linkRoute {', '    direction: in', '}',
        'linkRoute {', '    prefix: a', '    direction: in', '    connection: c', '    containerId: d', '}',
        'autoLink {', '    address: a', '    direction: out', '    connection: c', '    containerId: d', '}',
      ))).to.deep.equal([
        'test.conf:1: linkRoute: one of prefix and pattern is required',
        'test.conf:8: linkRoute.containerId: give either connection or containerId, not both',
        'test.conf:14: autoLink.containerId: give either connection or containerId, not both',
      ]);
    });

    it('let several linkRoutes share a pattern', () => {
      const c = load(lines('linkRoute {', '    prefix: q', '    direction: in', '    containerId: a', '}', 'linkRoute {', '    prefix: q', '    direction: in', '    containerId: b', '}'));
      expect(c.linkRoutes).to.have.length(2);
    });
  });
});
