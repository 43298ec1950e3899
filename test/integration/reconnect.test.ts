// A connector reconnects by itself when its peer comes back, sooner than qdrouterd's fixed
// 5 s: the delay starts at `initialReconnectDelay` and doubles up to `maxReconnectDelay`.

import { expect } from 'chai';
import { freePort } from '../../scripts/bench/ports';
import { RouterProcess, startRouter, waitFor } from '../helpers/router-process';

const hub = (port: number) => `router {\n    mode: interior\n    id: Hub\n}\nlistener {\n    name: ir\n    host: 127.0.0.1\n    port: ${port}\n    role: inter-router\n}\n`;

describe('connector reconnect', function () {
  this.timeout(30000);
  const routers: RouterProcess[] = [];
  after(async () => { await Promise.all(routers.map((r) => r.stop())); });

  it('reconnects within the configured backoff when the peer restarts', async () => {
    const port = await freePort();
    const first = await startRouter(hub(port));
    routers.push(first);
    const spoke = await startRouter(`router {\n    mode: interior\n    id: Spoke\n}\nlistener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\nconnector {\n    name: to-hub\n    host: 127.0.0.1\n    port: ${port}\n    role: inter-router\n    initialReconnectDelay: 50\n    maxReconnectDelay: 300\n}\n`);
    routers.push(spoke);
    await waitFor(() => /neighbour Hub up/.test(spoke.output()), 'Spoke to see Hub', 10000);

    await first.stop();
    await waitFor(() => /neighbour Hub down/.test(spoke.output()), 'Spoke to lose Hub', 5000);
    // Let a few attempts fail so the delay has grown to its cap.
    await new Promise((r) => setTimeout(r, 1000));
    const second = await startRouter(hub(port));
    routers.push(second);
    const restartedAt = Date.now();
    await waitFor(() => (spoke.output().match(/neighbour Hub up/g) ?? []).length >= 2, 'Spoke to see Hub again', 5000);
    const elapsed = Date.now() - restartedAt;
    console.log(`      (reconnected and neighbours again ${elapsed} ms after the peer came back)`);
    expect(elapsed).to.be.below(3000);
  });
});
