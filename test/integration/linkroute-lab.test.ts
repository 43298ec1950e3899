// `npm run lab:linkroute` end to end: its own RabbitMQ 3.10 node and three routers on loopback,
// a link route and a waypoint; it ends with `linkroute lab: OK` and leaves nothing running.

import { expect } from 'chai';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { REPO_ROOT, tempDir } from '../helpers/router-process';
import { RABBITMQ_START_TIMEOUT_MS } from '../helpers/rabbitmq-shared';

describe('the link-route lab (real RabbitMQ 3.10)', function () {
  // RabbitMQ takes 5-20 s to boot here; the rest of the lab a few seconds.
  this.timeout(RABBITMQ_START_TIMEOUT_MS);

  it('npm run lab:linkroute: messages through a link route and a waypoint, then everything stopped', async () => {
    const runDir = tempDir('weft-linkroute-lab-');
    const started = Date.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/lab-linkroute.js'), '--run-dir', runDir, '-c', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b) => { out += b; });
      child.stderr.on('data', (b) => { out += b; });
      child.on('close', (c) => resolve({ code: c, output: out }));
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    expect(code, output).to.equal(0);
    expect(output, output).to.match(/linkroute lab: OK/);
    expect(output).to.match(/outcomes at the sender: 5 accepted/);
    expect(output).to.match(/#5\/5 {2}order 5 of 5 {3}via Router3 → Router2/);
    expect(output).to.match(/routers and RabbitMQ stopped/);
    console.log(`      (the lab took ${seconds} s)`);
  });
});
