// The brokerless lab's files, without running the lab: every conf file in labs/ passes
// `weftd --check`; the loopback copies the lab makes differ from them only in host and port
// lines and pass too; docker-compose.yml runs the three routers from those conf files and
// publishes 5672 for router1 and router3 only; the Dockerfile has what weftd needs; the scripts
// parse.

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import yaml from 'js-yaml';
import { REPO_ROOT, WEFTD, tempDir } from '../helpers/router-process';
import { LabConf, StartedListener, loopbackConf, readLabConf, startOrder } from '../../scripts/lab/loopback-conf';

const LAB = path.join(REPO_ROOT, 'labs/brokerless');
const NAMES = ['router1', 'router2', 'router3'];
const SCRIPTS = ['start.sh', 'stop.sh', 'receiver_router3.sh', 'sender_router1.sh'];

interface Run { code: number | null; output: string }

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => { output += b; });
    child.stderr.on('data', (b) => { output += b; });
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Router conf files under labs/, not those of a run folder nor a broker's (labs/linkroute/rabbitmq.conf). */
function labConfFiles(dir = path.join(REPO_ROOT, 'labs')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '.run' ? [] : labConfFiles(p);
    return e.name.endsWith('.conf') && e.name !== 'rabbitmq.conf' ? [p] : [];
  });
}

/** What the lab learns from weftd's ports files, made up: listener ports from 40001 on. */
function fakeStart(confs: readonly LabConf[]): Map<string, StartedListener[]> {
  const started = new Map<string, StartedListener[]>();
  let next = 40001;
  for (const c of startOrder(confs)) {
    started.set(c.name, c.config.listeners.map((l) => ({ name: l.name, role: l.role, configuredPort: Number(l.port), port: next++ })));
  }
  return started;
}

interface ComposeService {
  build?: { context?: string; dockerfile?: string };
  command?: string[] | string;
  volumes?: string[];
  ports?: Array<string | { target?: number; published?: number | string }>;
}

/** [host port, container port] of each published port, short or long syntax. */
function published(s: ComposeService): Array<[string, string]> {
  return (s.ports ?? []).map((p) => {
    if (typeof p !== 'string') return [String(p.published), String(p.target)];
    const parts = p.replace(/\/(tcp|udp)$/, '').split(':');
    return [parts[parts.length - 2] ?? parts[0], parts[parts.length - 1]];
  });
}

describe('brokerless lab files', function () {
  this.timeout(30000);

  it('every conf file under labs/ passes weftd --check', async () => {
    const files = labConfFiles();
    expect(files.map((f) => path.basename(f))).to.include.members(NAMES.map((n) => `${n}.conf`));
    for (const f of files) {
      const r = await run(process.execPath, [WEFTD, '--check', '-c', f]);
      expect(r.code, `${f}:\n${r.output}`).to.equal(0);
    }
  });

  it('the three routers as the lab describes them: interior, inter-router links 1→2, 1→3, 2→3, client listeners on router1 and router3', () => {
    const confs = NAMES.map((n) => readLabConf(path.join(LAB, `${n}.conf`)));
    const [r1, r2, r3] = confs.map((c) => c.config);
    for (const c of [r1, r2, r3]) expect(c.router.mode).to.equal('interior');
    expect([r1, r2, r3].map((c) => c.router.id)).to.deep.equal(['Router1', 'Router2', 'Router3']);
    expect(r1.connectors.map((c) => `${c.role} ${c.host}:${c.port} ${c.saslMechanisms}`)).to.deep.equal(['inter-router router2:10002 ANONYMOUS', 'inter-router router3:10003 ANONYMOUS']);
    expect(r2.connectors.map((c) => `${c.role} ${c.host}:${c.port} ${c.saslMechanisms}`)).to.deep.equal(['inter-router router3:10003 ANONYMOUS']);
    expect(r3.connectors).to.deep.equal([]);
    expect(r1.listeners.map((l) => `${l.role} ${l.port}`)).to.deep.equal(['normal 5672']);
    expect(r2.listeners.map((l) => `${l.role} ${l.port}`)).to.deep.equal(['inter-router 10002']);
    expect(r3.listeners.map((l) => `${l.role} ${l.port}`)).to.deep.equal(['normal 5672', 'inter-router 10003']);
    for (const l of [...r1.listeners, ...r3.listeners].filter((x) => x.role === 'normal')) expect(l.linkCapacity).to.equal(1000);
    // The receiver sees x-opt-qd.trace only if router3 does not strip outgoing annotations.
    expect(r3.listeners[0].stripAnnotations).to.equal('in');
    expect(startOrder(confs).map((c) => c.name)).to.deep.equal(['router3', 'router2', 'router1']);
  });

  it('the loopback copies differ only in host and port lines and pass weftd --check', async () => {
    const confs = NAMES.map((n) => readLabConf(path.join(LAB, `${n}.conf`)));
    const started = fakeStart(confs);
    const dir = tempDir('weft-lab-files-');
    for (const conf of confs) {
      const copy = loopbackConf(conf, started);
      const file = path.join(dir, `${conf.name}.conf`);
      fs.writeFileSync(file, copy);
      const r = await run(process.execPath, [WEFTD, '--check', '-c', file]);
      expect(r.code, `${file}:\n${r.output}`).to.equal(0);

      const before = conf.text.split('\n');
      const after = copy.split('\n');
      for (let i = 0; i < before.length; i++) {
        if (after[i] === before[i]) continue;
        expect(before[i].trim(), `${conf.name}.conf:${i + 1} changed`).to.match(/^(host|port):/);
      }
      expect(after.slice(before.length).join('\n').trim()).to.match(/^# Loopback copy of /);

      const loaded = readLabConf(file).config;
      for (const l of loaded.listeners) expect(`${l.host}:${l.port}`).to.equal('127.0.0.1:0');
      for (const c of loaded.connectors) {
        const target = started.get(conf.config.connectors.find((x) => x.name === c.name)!.host)!.find((l) => l.role === 'inter-router')!;
        expect(`${c.host}:${c.port}`).to.equal(`127.0.0.1:${target.port}`);
      }
    }
  });

  it('docker-compose.yml runs router1, router2 and router3 from their conf files and publishes 5672 for router1 and router3 only', () => {
    const compose = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService & { profiles?: string[] }> };
    // Services under a profile (the link-route lab) do not start with a plain `docker-compose up`.
    expect(Object.keys(compose.services).filter((n) => !compose.services[n].profiles).sort()).to.deep.equal(NAMES);
    for (const name of NAMES) {
      const s = compose.services[name];
      const mount = (s.volumes ?? []).map((v) => v.split(':')).find(([, inside]) => inside === `/etc/weft/${name}.conf`);
      expect(mount, `${name} mounts its conf file at /etc/weft/${name}.conf`).to.not.equal(undefined);
      expect(path.resolve(REPO_ROOT, mount![0])).to.equal(path.join(LAB, `${name}.conf`));
      expect(fs.existsSync(path.resolve(REPO_ROOT, mount![0]))).to.equal(true);
      const command = Array.isArray(s.command) ? s.command : (s.command ?? '').split(/\s+/);
      expect(command).to.deep.equal(['-c', `/etc/weft/${name}.conf`]);
      expect(fs.existsSync(path.resolve(REPO_ROOT, s.build?.context ?? '.', s.build?.dockerfile ?? 'Dockerfile'))).to.equal(true);
    }
    const ports = Object.fromEntries(NAMES.map((n) => [n, published(compose.services[n])]));
    expect(ports.router1.map(([, inside]) => inside)).to.deep.equal(['5672']);
    expect(ports.router3.map(([, inside]) => inside)).to.deep.equal(['5672']);
    expect(ports.router2).to.deep.equal([]);
    expect(ports.router1[0][0]).to.not.equal(ports.router3[0][0]);
  });

  it('the image has what weftd needs: the schema in config/, the sources, the conf files', () => {
    const dockerfile = fs.readFileSync(path.join(LAB, 'Dockerfile'), 'utf8');
    expect(dockerfile).to.match(/^FROM node:20-slim/m);
    for (const dir of ['config', 'router', 'scripts']) expect(dockerfile).to.match(new RegExp(`^COPY ${dir} `, 'm'));
    for (const name of NAMES) expect(dockerfile).to.include(`labs/brokerless/${name}.conf`);
    expect(dockerfile).to.match(/npm ci/);
    expect(dockerfile).to.match(/ENTRYPOINT \[.*"dist\/router\/cli\/weftd\.js"\]/);
  });

  it('the lab scripts are executable bash that parses, with set -euo pipefail', async () => {
    for (const script of SCRIPTS) {
      const file = path.join(LAB, script);
      expect(fs.statSync(file).mode & 0o111, `${script} is executable`).to.not.equal(0);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n'), script).to.equal(true);
      expect(text).to.include('set -euo pipefail');
      const r = await run('bash', ['-n', file]);
      expect(r.code, `${script}:\n${r.output}`).to.equal(0);
    }
  });

  it('stop.sh with nothing running says so and succeeds; the client scripts refuse with a hint', async () => {
    const dir = tempDir('weft-lab-run-');
    const stop = await run('bash', [path.join(LAB, 'stop.sh')], { WEFT_LAB_RUN_DIR: dir });
    expect(stop.code, stop.output).to.equal(0);
    expect(stop.output).to.match(/no routers of the lab were running/);
    const receiver = await run('bash', [path.join(LAB, 'receiver_router3.sh')], { WEFT_LAB_RUN_DIR: dir });
    expect(receiver.code, receiver.output).to.equal(1);
    expect(receiver.output).to.match(/router3 is not running: start the routers first \(\.\/start\.sh\)/);
  });

  it('docker-compose.yml is valid for Debian\'s docker-compose (`docker-compose config`)', async () => {
    const root = path.resolve(LAB, '../..');
    const r = await run('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config', '-q']);
    expect(r.code, r.output).to.equal(0);
  });
});
