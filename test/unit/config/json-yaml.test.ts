// The JSON and YAML formats: shapes, native values, aliases, line numbers.

import { expect } from 'chai';
import { JsonSyntaxError, parseJsonWithPositions } from '../../../router/config/json-positions';
import { load, lines, problems } from './helpers';

describe('JSON format', () => {
  it('reads a list of [entityType, {attributes}] pairs with whole-line # comments', () => {
    const c = load(lines(
      '# comment',
      '[',
      '  ["router", {"mode": "interior", "id": "R1"}],',
      '    # indented comment',
      '  ["listener", {"port": 5672, "role": "inter-router", "authenticatePeer": true}]',
      ']',
    ), 'json');
    expect(c.router).to.include({ mode: 'interior', id: 'R1' });
    expect(c.listeners[0]).to.include({ port: '5672', role: 'inter-router', authenticatePeer: true });
    expect(c.listeners[0].source).to.deep.equal({ file: 'test.json', line: 5, attributeLines: { port: 5, role: 5, authenticatePeer: 5 } });
  });

  it('applies camelCase and the aliases; long names are accepted too', () => {
    const c = load(JSON.stringify([
      ['ssl-profile', { name: 'tls', 'ca-cert-file': '/ca.pem' }],
      ['router.config.address', { prefix: 'a' }],
      ['org.apache.qpid.dispatch.router.config.linkRoute', { prefix: 'b', dir: 'in' }],
      ['org.apache.qpid.dispatch.listener', { max_frame_size: '1024' }],
    ]), 'json');
    expect(c.sslProfiles[0].caCertFile).to.equal('/ca.pem');
    expect(c.addresses[0].prefix).to.equal('a');
    expect(c.linkRoutes[0].direction).to.equal('in');
    expect(c.listeners[0].maxFrameSize).to.equal(1024);
  });

  it('reports the line of every attribute when members are on their own lines', () => {
    expect(problems(lines(
      '[',
      '  ["listener", {',
      '    "host": "127.0.0.1",',
      '    "port": "x",',
      '    "cost": "y"',
      '  }],',
      '  ["address", {',
      '    "prefix": "a"',
      '  }],',
      '  ["address", {"prefix": "a"}]',
      ']',
    ), 'json')).to.deep.equal([
      "test.json:4: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got 'x'",
      "test.json:5: listener.cost: expected an integer, got 'y'",
      'test.json:10: address.prefix: matches the same addresses as the address at test.json:7',
    ]);
  });

  it('reports a syntax error at its line', () => {
    expect(problems(lines('[', '  ["router", {"mode": "interior",}]', ']'), 'json')).to.deep.equal([
      "test.json:2: config: invalid JSON: expected a quoted key but found '}'",
    ]);
  });

  it('reports items of the wrong shape and carries on', () => {
    expect(problems(lines('[', '  ["router"],', '  ["listener", 5],', '  ["listener", {"port": "z"}]', ']'), 'json')).to.deep.equal([
      'test.json:2: config: expected an [entityType, {attributes}] pair',
      'test.json:3: listener: expected a map of attributes',
      "test.json:4: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got 'z'",
    ]);
  });

  it('refuses a document that is neither a list nor a map', () => {
    expect(problems('"router"', 'json')).to.deep.equal(['test.json:1: config: expected a list of [entityType, {attributes}] pairs or a map of entity types']);
  });

  describe('position-tracking parser', () => {
    it('parses like JSON.parse', () => {
      const text = '{"a": [1, -2.5e3, true, false, null, "x\\u0041\\n"], "b": {}, "c": []}';
      expect(parseJsonWithPositions(text).value).to.deep.equal(JSON.parse(text));
    });

    it('records the line of maps, lists and members', () => {
      const { value, positions } = parseJsonWithPositions('[\n  {\n    "a": 1,\n\n    "b": 2\n  }\n]');
      const map = (value as object[])[0];
      expect(positions.get(value as object)?.line).to.equal(1);
      expect(positions.get(map)?.line).to.equal(2);
      expect([...positions.get(map)!.members!].map(([k, m]) => [k, m.line])).to.deep.equal([['a', 3], ['b', 5]]);
    });

    it('keeps __proto__ an ordinary key', () => {
      const { value } = parseJsonWithPositions('{"__proto__": {"x": 1}}');
      expect(Object.keys(value as object)).to.deep.equal(['__proto__']);
      expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
    });

    for (const bad of ['', '{', '[1,]', '{"a" 1}', '"abc', '"a\nb"', '01', 'tru', '{} x', "{'a': 1}", '"\\x"']) {
      it(`refuses ${JSON.stringify(bad)}`, () => {
        expect(() => parseJsonWithPositions(bad)).to.throw(JsonSyntaxError);
      });
    }
  });
});

describe('YAML format', () => {
  it('reads a map of entity type to a map (singletons) or a list of maps, with native values', () => {
    const c = load(lines(
      'router: {mode: interior, id: R1}',
      'listener:',
      '  - host: 127.0.0.1',
      '    port: 5672',
      '    authenticatePeer: yes',
      '  - {port: amqps, role: inter-router, cost: 3}',
      'address:',
      '  prefix: closest',
      '  distribution: closest',
      'policy:',
    ), 'yaml');
    expect(c.router).to.include({ mode: 'interior', id: 'R1' });
    expect(c.listeners.map((l) => [l.host, l.port, l.authenticatePeer, l.cost])).to.deep.equal([['127.0.0.1', '5672', true, 1], ['', 'amqps', false, 3]]);
    expect(c.addresses[0]).to.include({ prefix: 'closest', distribution: 'closest' });
    expect(c.policy.maxConnections).to.equal(65535);
  });

  it('keeps what was written for string attributes that YAML would type', () => {
    const c = load(lines('address:', '  - prefix: 1.10', 'connector:', '  - saslPassword: 0x1F', '    saslUsername: true', '    port: 05671'), 'yaml');
    expect(c.addresses[0].prefix).to.equal('1.10');
    expect(c.connectors[0]).to.include({ saslPassword: '0x1F', saslUsername: 'true', port: '05671' });
  });

  it('also reads qdrouterd-style pairs and one-key list items', () => {
    const c = load(lines('- [router, {mode: edge}]', '- listener: {port: 5673}', '- connector:', '    role: edge'), 'yaml');
    expect(c.router.mode).to.equal('edge');
    expect(c.listeners[0].port).to.equal('5673');
    expect(c.connectors[0].role).to.equal('edge');
  });

  it('records the line of every entity and attribute', () => {
    const c = load(lines('# comment', 'router:', '  mode: interior', '', 'listener:', '  - host: h', '    # comment', '    port: 1', '  -', '    port: 2'), 'yaml');
    expect(c.router.source).to.deep.equal({ file: 'test.yaml', line: 2, attributeLines: { mode: 3 } });
    expect(c.listeners.map((l) => l.source)).to.deep.equal([
      { file: 'test.yaml', line: 6, attributeLines: { host: 6, port: 8 } },
      { file: 'test.yaml', line: 10, attributeLines: { port: 10 } },
    ]);
  });

  it('reports every problem at its line', () => {
    expect(problems(lines(
      'router:',
      '  mode: mesh',
      'listener:',
      '  - port: 5672',
      '    cost: free',
      '    colour: blue',
      'linkRoute:',
      '  - {prefix: q}',
    ), 'yaml')).to.deep.equal([
      'test.yaml:2: router.mode: expected one of: standalone, interior, edge; got \'mesh\'',
      "test.yaml:5: listener.cost: expected an integer, got 'free'",
      'test.yaml:6: listener.colour: unknown attribute',
      'test.yaml:8: linkRoute.direction: required attribute is missing',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys at their line', () => {
    expect(problems(lines('router:', '  mode: interior', ' id: x'), 'yaml')[0]).to.match(/^test\.yaml:3: config: invalid YAML: /);
    expect(problems(lines('router:', '  mode: interior', '  mode: edge'), 'yaml')[0]).to.match(/^test\.yaml:3: config: invalid YAML: duplicated mapping key/);
  });

  it('treats an empty value as not given and an empty document as an empty configuration', () => {
    expect(load(lines('listener:', '  - saslMechanisms:', '    port: 1'), 'yaml').listeners[0].saslMechanisms).to.equal(undefined);
    expect(load('# nothing', 'yaml').router.mode).to.equal('standalone');
  });

  it('refuses a scalar where attributes are expected', () => {
    expect(problems(lines('router: interior'), 'yaml')).to.deep.equal(['test.yaml:1: router: expected a map of attributes']);
  });
});
