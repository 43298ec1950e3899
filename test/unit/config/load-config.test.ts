// Loading files: every problem at once with file:line in all three formats, ConfigError and
// nothing else for broken input, policyDir vhosts, formatting for the daemon.

import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ConfigError } from '../../../router/common/errors';
import { CONFIG_ERROR_EXIT_CODE, formatConfigError, formatOf, loadConfigFile, loadConfigText, resolvePort } from '../../../router/config/load-config';
import { configError, fixture } from './helpers';

/** The problems of a file, with the directory left out. */
function fileProblems(path: string): string[] {
  return formatConfigError(configError(() => loadConfigFile(path))).split('\n').map((l) => l.replace(fixture() + '/', ''));
}

describe('loading configuration files', () => {
  it('picks the format by extension', () => {
    expect(['a.json', 'A.JSON', 'a.yaml', 'a.yml', 'a.conf', 'qdrouterd.conf.bak', 'noext'].map(formatOf)).to.deep.equal(['json', 'json', 'yaml', 'yaml', 'conf', 'conf', 'conf']);
  });

  describe('reports every problem of a file at once, with file:line', () => {
    it('qdrouterd format', () => {
      expect(fileProblems(fixture('broken/router1.conf'))).to.deep.equal([
        'broken/router1.conf:4: router.id: must not contain whitespace or control characters',
        "broken/router1.conf:5: router.helloInterval: both 'helloInterval' (deprecated) and 'helloIntervalSeconds' are given; remove 'helloInterval'",
        "broken/router1.conf:11: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got 'five'",
        "broken/router1.conf:12: listener.role: role 'inter-router' is not allowed in a standalone router (router mode at line 3)",
        "broken/router1.conf:17: connector.sslProfile: no sslProfile is named 'missing'",
        'broken/router1.conf:18: connector.colour: unknown attribute',
        "broken/router1.conf:23: address.distribution: expected one of: multicast, closest, balanced, unavailable; got 'nearest'",
        'broken/router1.conf:27: address.pattern: matches the same addresses as the address at ' + fixture('broken/router1.conf') + ':21',
      ]);
    });

    it('YAML', () => {
      expect(fileProblems(fixture('broken/router1.yaml'))).to.deep.equal([
        'broken/router1.yaml:4: router.id: must not contain whitespace or control characters',
        "broken/router1.yaml:5: router.helloInterval: both 'helloInterval' (deprecated) and 'helloIntervalSeconds' are given; remove 'helloInterval'",
        "broken/router1.yaml:10: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got 'five'",
        "broken/router1.yaml:11: listener.role: role 'inter-router' is not allowed in a standalone router (router mode at line 3)",
        "broken/router1.yaml:15: connector.sslProfile: no sslProfile is named 'missing'",
        'broken/router1.yaml:16: connector.colour: unknown attribute',
        "broken/router1.yaml:20: address.distribution: expected one of: multicast, closest, balanced, unavailable; got 'nearest'",
        'broken/router1.yaml:21: address.pattern: matches the same addresses as the address at ' + fixture('broken/router1.yaml') + ':19',
      ]);
    });

    it('JSON', () => {
      expect(fileProblems(fixture('broken/router1.json'))).to.deep.equal([
        'broken/router1.json:5: router.id: must not contain whitespace or control characters',
        "broken/router1.json:6: router.helloInterval: both 'helloInterval' (deprecated) and 'helloIntervalSeconds' are given; remove 'helloInterval'",
        "broken/router1.json:11: listener.port: expected an integer (0-65535) or a service name (amqp, amqps), got 'five'",
        "broken/router1.json:12: listener.role: role 'inter-router' is not allowed in a standalone router (router mode at line 4)",
        "broken/router1.json:16: connector.sslProfile: no sslProfile is named 'missing'",
        'broken/router1.json:17: connector.colour: unknown attribute',
        "broken/router1.json:21: address.distribution: expected one of: multicast, closest, balanced, unavailable; got 'nearest'",
        'broken/router1.json:24: address.pattern: matches the same addresses as the address at ' + fixture('broken/router1.json') + ':19',
      ]);
    });

    it('puts the problems in the ConfigError, its message and its code', () => {
      const err = configError(() => loadConfigFile(fixture('broken/router1.conf')));
      expect(err.code).to.equal('WEFT_CONFIG_INVALID');
      expect(err.problems).to.have.length(8);
      expect(err.problems[0]).to.deep.equal({ file: fixture('broken/router1.conf'), line: 4, path: 'router.id', message: 'must not contain whitespace or control characters' });
      expect(err.message.split('\n')).to.have.length(9);
    });
  });

  it('reports a file that cannot be read as a ConfigError without a line', () => {
    const err = configError(() => loadConfigFile(fixture('no-such-file.conf')));
    expect(err.problems).to.have.length(1);
    expect(formatConfigError(err)).to.match(/^\/.*no-such-file\.conf: cannot read the configuration file: ENOENT/);
  });

  describe('policyDir', () => {
    it('adds the vhosts of every .json file, relative to the configuration file', () => {
      const c = loadConfigFile(fixture('policy/router.conf'));
      expect(c.vhosts.map((v) => v.hostname)).to.deep.equal(['main.example', 'a.example', 'b.example']);
      expect(c.vhosts[1]).to.deep.include({ maxConnections: 10, source: { file: fixture('policy/vhosts/a.json'), line: 2, attributeLines: { hostname: 3, maxConnections: 4, groups: 5 } } });
      expect(c.vhosts[1].groups.$default).to.include({ remoteHosts: '*', maxSenders: 5, maxReceivers: 2147483647 });
      expect(c.warnings.map((w) => `${w.file.replace(fixture() + '/', '')}:${w.line}: ${w.message}`)).to.deep.equal(['policy/vhosts/a.json:7: ignored: only vhost entries are read from policyDir']);
      expect(c.listeners).to.deep.equal([]);
    });

    it('reports problems in those files with their own file name', () => {
      expect(fileProblems(fixture('policy-broken/router.conf'))).to.deep.equal([
        'policy-broken/vhosts/bad.json:2: vhost.hostname: required attribute is missing',
        "policy-broken/vhosts/bad.json:3: vhost.maxConnections: expected an integer, got 'many'",
      ]);
    });

    it('reports a directory that cannot be read at the policyDir line', () => {
      expect(fileProblems(fixture('policy-broken/missing-dir.conf'))[0]).to.match(/^policy-broken\/missing-dir\.conf:2: policy\.policyDir: cannot read the directory: ENOENT/);
    });

    it('is not read when loading text', () => {
      expect(loadConfigText('policy {\n    policyDir: /nonexistent\n}\n', 'x.conf').vhosts).to.deep.equal([]);
    });
  });

  describe('broken input yields a ConfigError and nothing else', () => {
    const sample = readFileSync(fixture('broken/router1.conf'), 'utf8');
    const inputs: Array<[string, string]> = [
      ['\u0000\u0001\u0002binary', 'conf'],
      ['}}}}', 'conf'],
      ['{{{{', 'conf'],
      ['router {\n    openProperties: {\n', 'conf'],
      ['[[[[', 'json'],
      ['{"router": 5}', 'json'],
      ['[["router", {"mode": {"x": 1}}]]', 'json'],
      ['null', 'json'],
      [': : :', 'yaml'],
      ['router: [1, 2]', 'yaml'],
      ['- - - 1', 'yaml'],
      ['*alias', 'yaml'],
      ['listener: [null, 5, "x"]', 'yaml'],
    ];
    for (const [text, format] of inputs) {
      it(`${format}: ${JSON.stringify(text)}`, () => {
        expect(() => loadConfigText(text, `x.${format}`)).to.throw(ConfigError);
      });
    }

    it('for 500 seeded mutations of a file in each format', () => {
      const sources: Array<[string, string]> = [
        [sample, 'conf'],
        [readFileSync(fixture('broken/router1.yaml'), 'utf8'), 'yaml'],
        [readFileSync(fixture('broken/router1.json'), 'utf8'), 'json'],
      ];
      let seed = 12345;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const noise = ['{', '}', '#', ':', '"', '\\', '\n', ' ', '[', ']', ',', '-', 'x', '0', '\t', '&', '*', '!'];
      for (const [text, format] of sources) {
        for (let i = 0; i < 500; i++) {
          let mutated = text;
          for (let k = 0; k < 3; k++) {
            const at = random(mutated.length);
            mutated = random(2) === 0 ? mutated.slice(0, at) + noise[random(noise.length)] + mutated.slice(at) : mutated.slice(0, at) + mutated.slice(at + 1 + random(4));
          }
          try {
            loadConfigText(mutated, `m.${format}`);
          } catch (err) {
            if (!(err instanceof ConfigError)) throw new Error(`seed ${seed} (${format}) threw ${String(err)} for:\n${mutated}`);
          }
        }
      }
    });
  });

  describe('what the daemon uses', () => {
    it('formats one line per problem, leaving out line 0', () => {
      const err = new ConfigError('bad', [
        { file: 'r.conf', line: 12, path: 'listener.port', message: 'expected an integer' },
        { file: 'r.conf', line: 0, path: '', message: 'cannot read' },
      ]);
      expect(formatConfigError(err)).to.equal('r.conf:12: listener.port: expected an integer\nr.conf: cannot read');
      expect(formatConfigError(new Error('other'))).to.equal('other');
      expect(CONFIG_ERROR_EXIT_CODE).to.equal(2);
    });

    it('resolves ports: numbers, amqp, amqps, 0', () => {
      expect(['5672', 'amqp', 'amqps', '0', ' 80 '].map(resolvePort)).to.deep.equal([5672, 5672, 5671, 0, 80]);
      expect(() => resolvePort('http')).to.throw(ConfigError);
      expect(() => resolvePort('65536')).to.throw(ConfigError);
    });
  });
});
