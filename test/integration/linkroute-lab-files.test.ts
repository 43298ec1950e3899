// The link-route lab's files, without running it: router3 carries the broker connector, the link
// routes and the auto-links, every router the waypoint's address entry; the loopback copies
// point the broker connector at the lab's RabbitMQ; docker-compose runs the lab under the
// profile `linkroute` from these files; the npm script and its entry point exist.

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import yaml from 'js-yaml';
import { REPO_ROOT, WEFTD, tempDir } from '../helpers/router-process';
import { loopbackConf, readLabConf, startOrder } from '../../scripts/lab/loopback-conf';

const LAB = path.join(REPO_ROOT, 'labs/linkroute');
const NAMES = ['router1', 'router2', 'router3'];

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }));
  });
}

interface Service { image?: string; profiles?: string[]; command?: string[]; volumes?: string[]; networks?: Record<string, { aliases?: string[] }> }

describe('link-route lab files', function () {
  this.timeout(30000);
  const confs = NAMES.map((n) => readLabConf(path.join(LAB, `${n}.conf`)));

  it('each conf file passes weftd --check', async () => {
    for (const c of confs) {
      const r = await run(process.execPath, [WEFTD, '--check', '-c', c.file]);
      expect(r.code, `${c.file}:\n${r.output}`).to.equal(0);
    }
  });

  it('router3 reaches the broker: a route-container connector, link routes both ways for broker., auto-links for the waypoint orders; every router knows orders is a waypoint', () => {
    const r3 = confs[2].config;
    expect(r3.connectors.map((c) => `${c.name} ${c.role} ${c.host}:${c.port} ${c.saslMechanisms}`)).to.include('broker route-container broker:5672 PLAIN');
    expect(r3.linkRoutes.map((l) => `${l.prefix} ${l.direction} ${l.connection} ${l.delExternalPrefix}`)).to.have.members(['broker. in broker broker.', 'broker. out broker broker.']);
    expect(r3.autoLinks.map((a) => `${a.address} ${a.direction} ${a.connection} ${a.externalAddress}`)).to.have.members(['orders out broker /queue/orders', 'orders in broker /queue/orders']);
    for (const c of confs) expect(c.config.addresses.map((a) => `${a.prefix} ${a.waypoint}`), c.name).to.include('orders true');
    for (const name of ['router1', 'router2']) expect(confs[NAMES.indexOf(name)].config.listeners.some((l) => l.role === 'normal'), `${name} takes clients`).to.equal(true);
  });

  it('the loopback copies point the broker connector at the lab\'s RabbitMQ and pass weftd --check', async () => {
    const external = new Map([['broker', 45672]]);
    const started = new Map<string, Array<{ name: string; role: 'normal' | 'inter-router'; configuredPort: number; port: number }>>();
    let next = 40001;
    const dir = tempDir('weft-linkroute-files-');
    for (const conf of startOrder(confs, external)) {
      const file = path.join(dir, `${conf.name}.conf`);
      fs.writeFileSync(file, loopbackConf(conf, started, external));
      started.set(conf.name, conf.config.listeners.map((l) => ({ name: l.name, role: l.role as 'normal' | 'inter-router', configuredPort: Number(l.port), port: next++ })));
      const r = await run(process.execPath, [WEFTD, '--check', '-c', file]);
      expect(r.code, `${file}:\n${r.output}`).to.equal(0);
      if (conf.name === 'router3') expect(readLabConf(file).config.connectors.map((c) => `${c.name} ${c.host}:${c.port}`)).to.deep.equal(['broker 127.0.0.1:45672']);
    }
  });

  it('docker-compose.yml: under the profile linkroute, RabbitMQ 3.10 with the lab\'s plugins and config and the three routers from labs/linkroute', () => {
    const services = (yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> }).services;
    const broker = services.broker;
    expect(broker.image).to.equal('rabbitmq:3.10');
    expect(broker.profiles).to.deep.equal(['linkroute']);
    const mounts = (s: Service): Map<string, string> => new Map((s.volumes ?? []).map((v) => v.split(':')).map(([from, to]) => [to, path.resolve(REPO_ROOT, from)]));
    expect(mounts(broker).get('/etc/rabbitmq/enabled_plugins')).to.equal(path.join(LAB, 'enabled_plugins'));
    expect(fs.readFileSync(path.join(LAB, 'enabled_plugins'), 'utf8')).to.match(/^\[rabbitmq_amqp1_0\]\.\s*$/);
    expect(mounts(broker).get('/etc/rabbitmq/conf.d/20-weft-linkroute.conf')).to.equal(path.join(LAB, 'rabbitmq.conf'));
    for (const name of NAMES) {
      const s = services[`linkroute-${name}`];
      expect(s?.profiles, name).to.deep.equal(['linkroute']);
      expect(mounts(s).get(`/etc/weft/${name}.conf`)).to.equal(path.join(LAB, `${name}.conf`));
      expect(s.command).to.deep.equal(['-c', `/etc/weft/${name}.conf`]);
      // The conf files name their peers router1..3 and broker: aliases on the lab's network.
      expect(s.networks?.linkroute?.aliases).to.deep.equal([name]);
    }
    expect(broker.networks?.linkroute?.aliases).to.deep.equal(['broker']);
  });

  it('docker-compose.yml is valid with and without the profile (`docker-compose config`)', async () => {
    for (const args of [['config', '-q'], ['--profile', 'linkroute', 'config', '-q']]) {
      const r = await run('docker-compose', ['-f', path.join(REPO_ROOT, 'docker-compose.yml'), ...args]);
      expect(r.code, `${args.join(' ')}:\n${r.output}`).to.equal(0);
    }
  });

  it('npm run lab:linkroute runs dist/scripts/lab-linkroute.js, which is built', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['lab:linkroute']).to.match(/node dist\/scripts\/lab-linkroute\.js$/);
    expect(fs.existsSync(path.join(REPO_ROOT, 'dist/scripts/lab-linkroute.js'))).to.equal(true);
  });
});
