// weftd as a user runs it: a bad configuration file starts nothing and lists every problem;
// --check and --version; frame tracing at trace level; and the demo clients `weft send` and
// `weft receive` (request/response included) through a real router.

import { expect } from 'chai';
import * as fs from 'node:fs';
import { canConnect, freePort } from '../../scripts/bench/ports';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { RouterProcess, WEFT, WEFTD, startRouter, standaloneConf, tempDir, waitFor } from '../helpers/router-process';

interface Run { code: number | null; stdout: string; stderr: string }

function run(script: string, args: string[], timeoutMs = 15000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => { stdout += b; });
    child.stderr.on('data', (b) => { stderr += b; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${path.basename(script)} ${args.join(' ')} did not finish:\n${stdout}${stderr}`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}



describe('weftd from the command line', function () {
  this.timeout(20000);

  it('a bad configuration file: every problem with file and line, exit status 2, no port opened', async () => {
    const dir = tempDir();
    const port = await freePort();
    const file = path.join(dir, 'bad.conf');
    fs.writeFileSync(file, [
      'router {',
      '    mode: standalone',
      '    id: Bad',
      '}',
      'listener {',
      `    port: ${port}`,
      '    host: 127.0.0.1',
      '    colour: blue',
      '}',
      'address {',
      '    prefix: q',
      '    distribution: sideways',
      '}',
      'listener {',
      '    port: not-a-port',
      '}',
    ].join('\n'));
    const r = await run(WEFTD, ['-c', file]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/bad\.conf:8: listener\.colour: /);
    expect(r.stderr).to.match(/bad\.conf:12: address\.distribution: /);
    expect(r.stderr).to.match(/bad\.conf:15: listener\.port: /);
    expect(await canConnect(port)).to.equal(false);
  });

  it('--check validates without starting; --version prints the version', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ok.conf');
    fs.writeFileSync(file, standaloneConf());
    const check = await run(WEFTD, ['--check', '-c', file]);
    expect(check.code).to.equal(0);
    expect(check.stdout).to.match(/valid/);
    const version = await run(WEFTD, ['--version']);
    expect(version.code).to.equal(0);
    expect(version.stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
  });

  it('loads the shipped configurations (conf, YAML, JSON)', async () => {
    const root = path.resolve(WEFTD, '../../../..');
    for (const f of ['config/router.conf', 'config/examples/router.yaml', 'config/examples/router.json']) {
      const r = await run(WEFTD, ['--check', '-c', path.join(root, f)]);
      expect(r.code, `${f}: ${r.stderr}`).to.equal(0);
    }
  });

  describe('with a router running', () => {
    let router: RouterProcess;
    before(async () => { router = await startRouter(standaloneConf('log {\n    module: SERVER\n    enable: trace+\n}\n')); });
    after(async () => { await router.stop(); });

    it('weft receive and weft send carry messages through the router', async () => {
      const url = `amqp://127.0.0.1:${router.port}`;
      const receiving = run(WEFT, ['receive', '-b', url, '-a', 'demo.q', '-c', '3', '--timeout', '10']);
      await waitFor(() => /\]:\d+ -> @attach/.test(router.output()), 'the receiver attached');
      const sent = await run(WEFT, ['send', '-b', url, '-a', 'demo.q', '-c', '3', '-m', 'hello']);
      expect(sent.code, sent.stdout + sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/accepted 3/);
      const received = await receiving;
      expect(received.code, received.stdout + received.stderr).to.equal(0);
      expect(received.stdout.match(/hello/g)).to.have.length(3);
    });

    it('weft request/response: a responder and a requester through a dynamic reply address', async () => {
      const url = `amqp://127.0.0.1:${router.port}`;
      const responder = spawn(process.execPath, [WEFT, 'receive', '-b', url, '-a', 'demo.service', '--reply', '-c', '1', '--timeout', '10'], { stdio: 'ignore' });
      try {
        await waitFor(() => (router.output().match(/-> @attach/g) ?? []).length >= 3, 'the responder attached');
        const req = await run(WEFT, ['send', '-b', url, '-a', 'demo.service', '--request', '-c', '1', '-m', 'ping']);
        expect(req.code, req.stdout + req.stderr).to.equal(0);
        expect(req.stdout).to.match(/PING/);
      } finally {
        responder.kill();
      }
    });

    it('traces frames at trace level in qdrouterd style', () => {
      expect(router.output()).to.match(/SERVER \(trace\) \[C\d+\]:0 <- @open\(16\) \[container-id=/);
      expect(router.output()).to.match(/SERVER \(trace\) \[C\d+\]:0 -> @transfer\(20\) \[handle=\d+, delivery-id=\d+/);
    });
  });
});

describe('SASL PLAIN on a listener with authenticatePeer', function () {
  this.timeout(15000);
  let router: RouterProcess;
  before(async () => {
    const dir = tempDir('weft-sasl-');
    fs.writeFileSync(path.join(dir, 'weft.users'), '# test users\nalice:secret\n');
    router = await startRouter(`router {\n    mode: standalone\n    id: Auth\n    saslConfigDir: ${dir}\n    saslConfigName: weft\n}\nlistener {\n    host: 127.0.0.1\n    port: 0\n    authenticatePeer: yes\n    saslMechanisms: PLAIN\n}\n`);
  });
  after(async () => { await router.stop(); });

  it('accepts a known user and refuses a wrong password or an anonymous client', async () => {
    const url = (cred: string) => `amqp://${cred}127.0.0.1:${router.port}`;
    const receiving = run(WEFT, ['receive', '-b', url('alice:secret@'), '-a', 'auth.q', '-c', '1', '--timeout', '10']);
    await waitFor(() => /SASL authenticated alice|Connection Opened/.test(router.output()), 'the receiver connected');
    const ok = await run(WEFT, ['send', '-b', url('alice:secret@'), '-a', 'auth.q', '-c', '1', '-m', 'hi']);
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    expect((await receiving).code).to.equal(0);
    const wrong = await run(WEFT, ['send', '-b', url('alice:nope@'), '-a', 'auth.q', '-c', '1', '--presettled', '--timeout', '3']);
    expect(wrong.code).to.not.equal(0);
    const anonymous = await run(WEFT, ['send', '-b', url(''), '-a', 'auth.q', '-c', '1', '--presettled', '--timeout', '3']);
    expect(anonymous.code).to.not.equal(0);
    expect(router.output()).to.match(/SASL authentication failed/);
  });
});
