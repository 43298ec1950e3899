// One RabbitMQ node shared by every test file of a mocha run: started by the first test that
// asks, stopped by a root hook when the run ends (and killed by RabbitMq's exit hook if the run
// dies). A node takes seconds to boot, so files that only send and receive share this one and
// use queue names of their own; a test that kills, restarts or reconfigures a node starts its own.
//
//   before(async function () { this.timeout(RABBITMQ_START_TIMEOUT_MS); rabbit = await sharedRabbitMq(); });

import { RabbitMq } from './rabbitmq';

/** For the hook that waits on a start: a loaded machine has been seen to take 16 s. */
export const RABBITMQ_START_TIMEOUT_MS = 90_000;

let shared: Promise<RabbitMq> | undefined;

export function sharedRabbitMq(): Promise<RabbitMq> {
  if (!shared) {
    shared = RabbitMq.start({ name: 'shared' });
    // A failed start is not kept: the next file tries again and reports its own error.
    shared.catch(() => { shared = undefined; });
  }
  return shared;
}

// Registered while mocha loads the first test file that imports this module, outside any
// describe: a root hook, run once after all files.
if (typeof after === 'function') {
  after(async function () {
    this.timeout(10_000);
    const node = shared;
    shared = undefined;
    if (node) await (await node.catch(() => undefined))?.stop();
  });
}
