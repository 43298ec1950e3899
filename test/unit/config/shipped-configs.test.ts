// Every configuration file shipped under config/ loads, and the three forms of the default
// configuration say the same thing.

import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { loadConfigFile, type LoadedConfig } from '../../../router/config';
import { repoRoot } from './helpers';

function configFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return configFiles(path);
    return name === 'schema.json' ? [] : [path];
  });
}

/** The entities without where they came from, to compare files of different formats. */
function withoutSources(config: LoadedConfig): unknown {
  return JSON.parse(JSON.stringify(config, (key, value: unknown) => (key === 'source' || key === 'file' ? undefined : value)));
}

describe('configuration files under config/', () => {
  const files = configFiles(join(repoRoot, 'config'));

  it('include the default and its YAML and JSON forms', () => {
    expect(files.map((f) => relative(repoRoot, f))).to.include.members(['config/router.conf', 'config/examples/router.yaml', 'config/examples/router.json']);
  });

  for (const file of files) {
    it(`loads ${relative(repoRoot, file)} without problems or warnings`, () => {
      expect(loadConfigFile(file).warnings).to.deep.equal([]);
    });
  }

  it('the default is a standalone router with a local listener and the sample addresses', () => {
    const c = loadConfigFile(join(repoRoot, 'config/router.conf'));
    expect(c.router).to.include({ id: 'Router.A', mode: 'standalone' });
    expect(c.listeners).to.have.length(1);
    expect(c.listeners[0]).to.include({ host: '127.0.0.1', port: '5672', authenticatePeer: false, saslMechanisms: 'ANONYMOUS PLAIN', role: 'normal' });
    expect(c.addresses.map((a) => `${a.prefix}:${a.distribution}`)).to.deep.equal([
      'closest:closest', 'multicast:multicast', 'unicast:closest', 'exclusive:closest', 'broadcast:multicast',
    ]);
    const log = c.logs.find((l) => l.module === 'DEFAULT')!;
    expect(log.enable).to.equal('info+');
    expect(log.source.line).to.be.greaterThan(0);
  });

  it('the YAML and JSON examples equal the default', () => {
    const conf = withoutSources(loadConfigFile(join(repoRoot, 'config/router.conf')));
    expect(withoutSources(loadConfigFile(join(repoRoot, 'config/examples/router.yaml')))).to.deep.equal(conf);
    expect(withoutSources(loadConfigFile(join(repoRoot, 'config/examples/router.json')))).to.deep.equal(conf);
  });
});
