// Every rule of qdrouterd's line-based format (reference §1.1), one test or more each.

import { expect } from 'chai';
import { ProblemLog } from '../../../router/config/problems';
import { parseQdrouterdConf } from '../../../router/config/qdrouterd-conf';
import type { RawEntity } from '../../../router/config/raw-entity';
import { load, lines, problems } from './helpers';

function parse(text: string): { entities: RawEntity[]; log: ProblemLog } {
  const log = new ProblemLog('t.conf');
  return { entities: parseQdrouterdConf(text, log), log };
}

function values(entity: RawEntity): Record<string, unknown> {
  return Object.fromEntries([...entity.attributes].map(([k, a]) => [k, a.value]));
}

describe('qdrouterd conf format (reference §1.1)', () => {
  describe('rule 1: trimming, empty lines and whole-line comments', () => {
    it('ignores blank lines, indented comments and surrounding whitespace', () => {
      const { entities, log } = parse(lines('', '   # a comment', '\trouter {   ', '      # indented comment', '   mode:   interior   ', '}', ''));
      expect(log.errors).to.deep.equal([]);
      expect(values(entities[0])).to.deep.equal({ mode: 'interior' });
    });

    it('accepts CRLF line ends and a byte-order mark', () => {
      const { entities, log } = parse('\uFEFFrouter {\r\n    mode: edge\r\n}\r\n');
      expect(log.errors).to.deep.equal([]);
      expect(values(entities[0])).to.deep.equal({ mode: 'edge' });
    });
  });

  describe('rule 2: snowflake keys pattern, bindingKey, hostname', () => {
    it('keeps # in a pattern and drops everything after the first run of non-whitespace', () => {
      const c = load(lines('address {', '    pattern: a.#.b # a trailing comment', '}', 'address {', '    pattern: x.* more words', '}'));
      expect(c.addresses.map((a) => a.pattern)).to.deep.equal(['a.#.b', 'x.*']);
    });

    it('keeps # in a vhost hostname', () => {
      const c = load(lines('vhost {', '    hostname: my#host extra', '}'));
      expect(c.vhosts[0].hostname).to.equal('my#host');
    });

    it('treats bindingKey the same way', () => {
      const { entities } = parse(lines('binding {', '    bindingKey: a.#  # comment', '}'));
      expect(values(entities[0])).to.deep.equal({ bindingKey: 'a.#' });
    });

    it('matches the key exactly: prefix and Pattern lose their # like any value', () => {
      const { entities } = parse(lines('address {', '    prefix: a#b', '    Pattern: c#d', '}'));
      expect(values(entities[0])).to.deep.equal({ prefix: 'a', Pattern: 'c' });
    });
  });

  describe('rule 3: # ends any other value, with no escaping', () => {
    it('truncates a password at #', () => {
      const c = load(lines('connector {', '    saslPassword: secret#part', '}'));
      expect(c.connectors[0].saslPassword).to.equal('secret');
    });

    it('has no escape: a backslash before # leaves a value qdrouterd cannot read', () => {
      expect(problems(lines('connector {', '    saslPassword: secret\\#part', '}'))).to.deep.equal([
        "test.conf:2: connector.saslPassword: the value contains a '\"', '\\' or control character that qdrouterd cannot read (this format has no escaping): secret\\",
      ]);
    });
  });

  describe('rule 4: sections', () => {
    it('reads NAME { with the brace on the same line, with or without a space', () => {
      const { entities, log } = parse(lines('router{', '}', 'listener   {  # comment', '}'));
      expect(log.errors).to.deep.equal([]);
      expect(entities.map((e) => e.section)).to.deep.equal(['router', 'listener']);
    });

    it('refuses a brace on the next line', () => {
      expect(problems(lines('router', '{', '    mode: interior', '}'))).to.deep.equal([
        'test.conf:1: config: invalid config file syntax: router',
        "test.conf:2: config: invalid config file syntax: {",
        "test.conf:3: mode: attribute 'mode' is outside of any section",
        "test.conf:4: config: '}' without an open section",
      ]);
    });

    it('refuses a one-line section', () => {
      expect(problems('router { mode: interior }')).to.deep.equal([
        "test.conf:1: config: a section's attributes must be on their own lines: '{' ends the first line and '}' stands alone",
      ]);
    });

    it('allows nothing but a comment after the brace', () => {
      expect(problems(lines('router { mode', '}'))).to.deep.equal([
        'test.conf:1: config: invalid config file syntax: router { mode',
        "test.conf:2: config: '}' without an open section",
      ]);
    });

    it('reports a section opened inside another, then reads on', () => {
      const err = problems(lines('router {', '    mode: interior', 'listener {', '    port: x', '}'));
      expect(err).to.deep.equal([
        "test.conf:3: listener: section 'listener' starts inside section 'router' (line 1): a '}' is missing",
        "test.conf:4: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got 'x'",
      ]);
    });

    it('reports a section that is never closed, and still validates it', () => {
      expect(problems(lines('listener {', '    port: x'))).to.deep.equal([
        "test.conf:1: listener: the section is not closed: '}' is missing",
        "test.conf:2: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got 'x'",
      ]);
    });
  });

  describe('rule 4: KEY: { nested maps', () => {
    it('reads a nested map of strings whose keys are not converted', () => {
      const { entities, log } = parse(lines('listener {', '    extra: {', '        max-x: 1', '        inner: {', '            a: b', '        }', '    }', '}'));
      expect(log.errors).to.deep.equal([]);
      expect(values(entities[0])).to.deep.equal({ extra: { 'max-x': '1', inner: { a: 'b' } } });
    });

    it('gives open-properties (not raw JSON: the raw check uses the key as written) string values', () => {
      const c = load(lines('listener {', '    open-properties: {', '        colour: blue', '    }', '}'));
      expect(c.listeners[0].openProperties).to.deep.equal({ colour: 'blue' });
    });

    it('reports a nested map outside any section', () => {
      expect(problems(lines('extra: {', '}'))).to.deep.equal([
        "test.conf:1: extra: 'extra: {' is outside of any section",
        "test.conf:2: config: '}' without an open section",
      ]);
    });
  });

  describe('rule 4: raw JSON for openProperties and groups', () => {
    it('copies JSON verbatim: quoted keys, native values, nested maps', () => {
      const c = load(lines(
        'listener {',
        '    openProperties: {',
        '        "colour": "blue",',
        '        "count": 3,',
        '        # a whole-line comment is dropped',
        '        "nested": {"deep": [1, true, null]},',
        '        "not-camel_cased": "kept"',
        '    }',
        '    port: 5673',
        '}',
      ));
      expect(c.listeners[0].openProperties).to.deep.equal({ colour: 'blue', count: 3, nested: { deep: [1, true, null] }, 'not-camel_cased': 'kept' });
      expect(c.listeners[0].port).to.equal('5673');
    });

    it('removes a trailing comma before the closing brace', () => {
      const c = load(lines('listener {', '    openProperties: {', '        "a": "b",', '    }', '}'));
      expect(c.listeners[0].openProperties).to.deep.equal({ a: 'b' });
    });

    it('refuses unquoted keys (the user-guide vhost example does not parse in 1.19)', () => {
      expect(problems(lines('vhost {', '    hostname: example.com', '    groups: {', '        admin: {', '            users: alice', '        }', '    }', '}'))).to.deep.equal([
        'test.conf:4: vhost.groups: invalid JSON (keys and strings need double quotes; a trailing comment is not allowed here): expected a quoted key but found \'a\'',
      ]);
    });

    it('does not remove a trailing comment on a JSON line', () => {
      const err = problems(lines('listener {', '    openProperties: {', '        "a": "b" # not a comment here', '    }', '}'));
      expect(err).to.have.length(1);
      expect(err[0]).to.match(/^test\.conf:3: listener\.openProperties: invalid JSON/);
    });

    it('reads groups of a vhost and converts their settings', () => {
      const c = load(lines(
        'vhost {',
        '    hostname: example.com',
        '    groups: {',
        '        "admin": {"users": "alice, bob", "maxSenders": "10", "allowDynamicSource": "yes"}',
        '    }',
        '}',
      ));
      expect(c.vhosts[0].groups.admin).to.include({ users: 'alice, bob', maxSenders: 10, allowDynamicSource: true, maxReceivers: 2147483647 });
    });

    it('reports a raw JSON block that is never closed', () => {
      // The first '}' closes the JSON map (braces are counted), so the section stays open too.
      expect(problems(lines('listener {', '    openProperties: {', '        "a": {"b": 1', '}'))).to.deep.equal([
        "test.conf:1: listener: the section is not closed: '}' is missing",
        "test.conf:2: listener.openProperties: the JSON map is not closed: '}' is missing",
      ]);
    });
  });

  describe('rule 4: KEY: VALUE', () => {
    it('keeps everything to the end of the line (spaces included) and trims it', () => {
      const c = load(lines('listener {', '    saslMechanisms:ANONYMOUS   PLAIN   ', '}'));
      expect(c.listeners[0].saslMechanisms).to.equal('ANONYMOUS   PLAIN');
    });

    it('keeps colons in values', () => {
      const c = load(lines('listener {', '    host: ::1', '}'));
      expect(c.listeners[0].host).to.equal('::1');
    });

    it('refuses an empty value', () => {
      expect(problems(lines('listener {', '    saslMechanisms:', '}'))).to.deep.equal(['test.conf:2: listener: invalid config file syntax: saslMechanisms:']);
    });

    it('refuses a key with characters other than letters, digits, _ and -', () => {
      expect(problems(lines('listener {', '    sasl.mechanisms: PLAIN', '}'))).to.deep.equal([
        'test.conf:2: listener: invalid config file syntax: sasl.mechanisms: PLAIN',
      ]);
    });

    it('reads the value as a JSON string written without escaping: \\t is a tab, \\u0041 is A', () => {
      const c = load(lines('listener {', '    saslMechanisms: A\\tB\\u0041', '}'));
      expect(c.listeners[0].saslMechanisms).to.equal('A\tBA');
    });

    it('refuses a value with a double quote', () => {
      expect(problems(lines('router {', '    id: say"hi', '}'))).to.have.length(1);
    });

    it('uses the last value of a key given twice, with a warning', () => {
      const c = load(lines('listener {', '    port: 1', '    port: 2', '}'));
      expect(c.listeners[0].port).to.equal('2');
      expect(c.warnings.map((w) => `${w.line}: ${w.path}: ${w.message}`)).to.deep.equal(['3: listener.port: given again (first at line 2); the last value is used']);
    });
  });

  describe('rule 4: } and lines that fit no rule', () => {
    it('reports a } without an open section', () => {
      expect(problems('}')).to.deep.equal(["test.conf:1: config: '}' without an open section"]);
    });

    it('reads a line that is a valid JSON member, as qdrouterd\'s JSON parser does, with a warning', () => {
      const c = load(lines('listener {', '    "port": "5673",', '}'));
      expect(c.listeners[0].port).to.equal('5673');
      expect(c.warnings[0]).to.include({ line: 2, path: 'listener' });
      expect(c.warnings[0].message).to.match(/^invalid config file syntax, read as JSON/);
    });

    it('reports any other line as invalid syntax', () => {
      expect(problems(lines('listener {', '    this is not valid', '}'))).to.deep.equal(['test.conf:2: listener: invalid config file syntax: this is not valid']);
    });
  });

  describe('rule 5: trailing commas before ] or } are removed everywhere', () => {
    it('even inside an ordinary value', () => {
      const c = load(lines('listener {', '    saslMechanisms: PLAIN, ]x', '}'));
      expect(c.listeners[0].saslMechanisms).to.equal('PLAIN ]x');
    });
  });

  describe('rule 6: camelCase of section names and keys', () => {
    it('converts keys with -, _ and . and lower-cases the following words', () => {
      const c = load(lines('listener {', '    sasl-mechanisms: PLAIN', '    max_frame_size: 1024', '    idle-TIMEOUT-seconds: 5', '}'));
      expect(c.listeners[0]).to.include({ saslMechanisms: 'PLAIN', maxFrameSize: 1024, idleTimeoutSeconds: 5 });
    });

    it('converts section names: ssl-profile is sslProfile, link_route is linkRoute', () => {
      const c = load(lines('ssl-profile {', '    name: tls', '}', 'link_route {', '    prefix: q', '    direction: in', '}'));
      expect(c.sslProfiles.map((s) => s.name)).to.deep.equal(['tls']);
      expect(c.linkRoutes.map((l) => l.prefix)).to.deep.equal(['q']);
    });

    it('keeps the first word as written, so Listener is not listener', () => {
      expect(problems(lines('Listener {', '}'))).to.deep.equal(["test.conf:1: Listener: unknown entity type 'Listener'"]);
    });
  });

  describe('rule 7: section aliases and long type names', () => {
    it('maps address, linkRoute and autoLink to router.config.*', () => {
      const c = load(lines('address {', '    prefix: a', '}', 'linkRoute {', '    prefix: b', '    direction: out', '}', 'autoLink {', '    address: c', '    direction: in', '}'));
      expect([c.addresses[0].type, c.linkRoutes[0].type, c.autoLinks[0].type]).to.deep.equal([
        'org.apache.qpid.dispatch.router.config.address',
        'org.apache.qpid.dispatch.router.config.linkRoute',
        'org.apache.qpid.dispatch.router.config.autoLink',
      ]);
      expect(c.router.type).to.equal('org.apache.qpid.dispatch.router');
    });

    it('refuses exchange, binding and authServicePlugin, which Weft does not implement', () => {
      expect(problems(lines('exchange {', '    address: x', '}', 'binding {', '}', 'authServicePlugin {', '}'))).to.deep.equal([
        "test.conf:1: exchange: entity type 'exchange' is not supported by Weft",
        "test.conf:4: binding: entity type 'binding' is not supported by Weft",
        "test.conf:6: authServicePlugin: entity type 'authServicePlugin' is not supported by Weft",
      ]);
    });

    it('ignores the deprecated console section with a warning', () => {
      const c = load(lines('console {', '    listener: x', '}'));
      expect(c.warnings.map((w) => w.message)).to.deep.equal(["'console' has no effect and is ignored"]);
    });
  });

  describe('line numbers', () => {
    it('keeps the line of every section and every attribute', () => {
      const c = load(lines('# header', '', 'listener {', '    host: 127.0.0.1', '', '    # comment', '    port: 5673', '    openProperties: {', '        "a": 1', '    }', '}'));
      expect(c.listeners[0].source).to.deep.equal({ file: 'test.conf', line: 3, attributeLines: { host: 4, port: 7, openProperties: 8 } });
    });
  });
});
