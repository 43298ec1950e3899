// `weft stat` and `weft manage` against real weftd routers (the fake agent of
// cli-management.test.ts plays qdrouterd's recorded answers; this is the same CLI against ours):
// every report prints, a three-router line answers through `-r` and `--all-routers`, changes
// made with `weft manage` take effect, and `weft manage reload` applies an edited file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { runWeft, transcript } from '../helpers/run-weft';
import { RouterProcess, startRouter, standaloneConf, waitFor } from '../helpers/router-process';
import { Mesh, startMesh, stopMesh } from '../helpers/mesh';
import { canConnect } from '../../scripts/bench/ports';

async function weftOk(args: string[]): Promise<string> {
  const r = await runWeft(args);
  expect(r.code, transcript(args, r)).to.equal(0);
  return r.stdout;
}

describe('weft stat / weft manage against weftd', function () {
  this.timeout(60000);

  describe('one router', () => {
    let router: RouterProcess;
    before(async () => { router = await startRouter(standaloneConf()); });
    after(async () => { await router.stop(); });
    const bus = () => ['-b', `127.0.0.1:${router.port}`];

    it('prints every report qdstat has', async () => {
      expect(await weftOk(['stat', '-g', ...bus()])).to.match(/Router Id\s+TestRouter/);
      expect(await weftOk(['stat', '-c', ...bus()])).to.match(/normal/);
      expect(await weftOk(['stat', '-l', ...bus()])).to.match(/endpoint/);
      expect(await weftOk(['stat', '-a', ...bus()])).to.match(/\$management/);
      expect(await weftOk(['stat', '-n', ...bus()])).to.match(/Standalone/);
      await weftOk(['stat', '-m', ...bus()]);
      await weftOk(['stat', '--autolinks', ...bus()]);
      await weftOk(['stat', '--linkroutes', ...bus()]);
      expect(await weftOk(['stat', '--log', ...bus()])).to.match(/ready/);
      const json = JSON.parse(await weftOk(['stat', '-g', '--json', ...bus()])) as unknown;
      expect(JSON.stringify(json)).to.include('TestRouter');
    });

    it('creates, reads and deletes an address and a listener', async () => {
      await weftOk(['manage', 'create', '--type', 'address', '--name', 'cliaddr', 'prefix=cli.', 'distribution=multicast', ...bus()]);
      expect(await weftOk(['manage', 'read', '--type', 'address', '--name', 'cliaddr', ...bus()])).to.match(/multicast/);
      await weftOk(['manage', 'create', '--type', 'listener', '--name', 'extra', 'host=127.0.0.1', 'port=0', ...bus()]);
      const rows = JSON.parse(await weftOk(['manage', 'query', '--type', 'listener', ...bus()])) as Array<{ name: string }>;
      expect(rows.map((r) => r.name)).to.include('extra');
      await weftOk(['manage', 'delete', '--type', 'address', '--name', 'cliaddr', ...bus()]);
      const bad = await runWeft(['manage', 'read', '--type', 'address', '--name', 'cliaddr', ...bus()]);
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.match(/404/);
    });

    it('weft manage reload applies an edited file', async () => {
      fs.appendFileSync(path.join(router.dir, 'router.conf'), 'listener {\n    name: added\n    host: 127.0.0.1\n    port: 0\n}\n');
      const out = await weftOk(['manage', 'reload', ...bus()]);
      expect(out).to.match(/added/);
      const ports = await waitFor(() => {
        const p = JSON.parse(fs.readFileSync(path.join(router.dir, 'ports.json'), 'utf8')) as Record<string, number>;
        return p.added;
      }, 'the added listener in the ports file');
      expect(await canConnect(ports)).to.equal(true);
    });
  });

  describe('a three-router line', () => {
    let mesh: Mesh;
    before(async () => { mesh = await startMesh([{ id: 'R1' }, { id: 'R2', connectTo: ['R1'] }, { id: 'R3', connectTo: ['R2'] }]); });
    after(async () => { await stopMesh(mesh); });

    it('-n lists the routers; -r and --all-routers reach the others', async () => {
      const bus = ['-b', `127.0.0.1:${mesh.get('R1')!.ports.amqp}`];
      // Converged once every router has a path to each other (a reply needs one back): the
      // routers are known (-n) before their paths are computed, so wait for -r itself to answer.
      await waitFor(async () => (await runWeft(['stat', '-g', '-r', 'R3', ...bus])).code === 0, 'R3 to answer through R2', 20000);
      await waitFor(async () => (await runWeft(['stat', '-g', '--all-routers', ...bus])).code === 0, 'every router to answer', 20000);
      expect(await weftOk(['stat', '-g', '-r', 'R3', ...bus])).to.match(/Router Id\s+R3/);
      const all = await weftOk(['stat', '-g', '--all-routers', ...bus]);
      for (const id of ['R1', 'R2', 'R3']) expect(all).to.match(new RegExp(`Router Id\\s+${id}`));
      expect(JSON.parse(await weftOk(['manage', 'get-mgmt-nodes', ...bus]))).to.have.length(3);
    });
  });
});
