// `npm run lab:linkroute`: the link-route lab from start to end. Starts a RabbitMQ node on
// loopback, the three routers of labs/linkroute with router3's broker connector pointed at it,
// waits for the mesh and for router3's link routes and auto-links, then shows (a) a link route:
// a sender and a receiver on router1, two hops away, use a broker queue as if router1 were the
// broker; (b) the waypoint `orders`: messages sent on router1 with no consumer anywhere wait in
// RabbitMQ until a consumer attaches on router2. Stops everything: on success, failure, Ctrl-C.

import { LabReceiver, LabSender, ReceivedMessage } from './demo-clients';
import { LINKROUTE, LabError, confFile } from './lab-layout';
import { Endpoint, LabMesh } from './lab-mesh';
import { sleep } from './lab-router';
import { RabbitMq } from './rabbitmq-node';
import { routedReceiver, routedSender, waitForLogLines } from './routed-attach';

export interface LinkRouteDemoOptions {
  runDir: string;
  count: number;
  /** How long the mesh and the broker's routes may take once the routers are up. */
  convergeMs: number;
  startTimeoutMs: number;
  say: (line: string) => void;
}

/** RabbitMQ sees `lab-queue` (router3 strips `broker.`). */
const QUEUE = 'lab-queue';
const LINK_ROUTED = `broker.${QUEUE}`;
const WAYPOINT = 'orders';
const DELIVERY_TIMEOUT_MS = 15_000;
/** Long enough to show that nothing drains the waypoint queue while no one consumes. */
const STORED_PAUSE_MS = 500;

const ROUTES_ACTIVE = [/Link route \S+ activated by \[C\d+\] \(broker\)/, /Auto-link orders-out \(out orders\) active/, /Auto-link orders-in \(in orders\) active/];

export async function runLinkRouteDemo(o: LinkRouteDemoOptions): Promise<number> {
  const say = o.say;
  say(`link-route lab: three routers, RabbitMQ behind router3; clients on router1 and router2 use it through the mesh`);
  let rabbit: RabbitMq | undefined;
  let mesh: LabMesh | undefined;
  const clients: Array<LabSender | LabReceiver> = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => (stopping ??= (async () => {
    await Promise.all(clients.map((c) => c.close()));
    await mesh?.stop();
    await rabbit?.stop();
    say(`routers and RabbitMQ stopped; the routers' logs are in ${o.runDir}`);
  })());
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`\n${signal}: stopping the routers and RabbitMQ`);
    void stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    say('starting RabbitMQ 3.10 (AMQP 1.0 plugin) on loopback, the broker of router3.conf');
    rabbit = await RabbitMq.start({ name: 'linkroute-lab' });
    say(`  RabbitMQ up on ${rabbit.url} after ${(rabbit.startupMs / 1000).toFixed(1)} s (node ${rabbit.nodeName})`);
    const m = new LabMesh({ lab: LINKROUTE, external: new Map([['broker', rabbit.port]]), runDir: o.runDir, detached: false, startTimeoutMs: o.startTimeoutMs, say });
    mesh = m;
    await m.start();
    await waitForBroker(m, o);
    await linkRouteDemo(m, o, clients);
    await waypointDemo(m, o, clients);
    say('linkroute lab: OK');
    return 0;
  } catch (err) {
    process.stderr.write(`linkroute lab FAILED: ${err instanceof LabError ? err.message : (err as Error).stack}\n`);
    if (mesh && mesh.routers.length > 0) process.stderr.write(`the routers' last log lines:\n${mesh.logTails()}\n`);
    if (rabbit) process.stderr.write(`${rabbit.logTail(15)}\n`);
    return 1;
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function waitForBroker(mesh: LabMesh, o: LinkRouteDemoOptions): Promise<void> {
  const since = Date.now();
  if (!(await mesh.waitFormed(o.convergeMs))) throw new LabError(`the mesh did not form within ${o.convergeMs / 1000} s:\n${mesh.table()}`);
  o.say(`mesh formed after ${secondsSince(since)}:\n${mesh.table()}`);
  const lines = await waitForLogLines(mesh.router('router3'), ROUTES_ACTIVE, o.convergeMs, 'its link routes and auto-links active on the broker connection');
  o.say(`router3 is connected to RabbitMQ; its log says:\n${lines.map((l) => `    ${l.trim()}`).join('\n')}`);
}

/** (a) A queue used through router1 as if it were the broker: the outcomes and the messages are RabbitMQ's. */
async function linkRouteDemo(mesh: LabMesh, o: LinkRouteDemoOptions, clients: Array<LabSender | LabReceiver>): Promise<void> {
  o.say(`\n(a) link route: '${LINK_ROUTED}' on router1 is RabbitMQ's queue '${QUEUE}', two routers away`);
  const at = endpoint(mesh, 'router1');
  const { sender, attempts } = await routedSender(at, LINK_ROUTED, o.convergeMs);
  clients.push(sender);
  o.say(`  a sender on router1 got credit from RabbitMQ${attempts > 1 ? ` (attempt ${attempts}: router1 learns the route from the mesh)` : ''}; sending ${o.count} messages`);
  const ids = sender.send(Array.from({ length: o.count }, (_, i) => ({ message_id: i + 1, body: `link-routed ${i + 1} of ${o.count}`, durable: true })));
  await sender.waitUntil(() => ids.every((i) => sender.outcomes.has(i)), DELIVERY_TIMEOUT_MS, () => `outcomes for ${sender.tally(ids)} of ${o.count} link-routed messages`);
  const tally = sender.tally(ids);
  if (tally !== `${o.count} accepted`) throw new LabError(`RabbitMQ did not accept every message sent on the link route: ${tally}`);
  o.say(`  outcomes at the sender: ${tally} — by RabbitMQ: the routers pass its dispositions back; the messages are in queue '${QUEUE}'`);
  await sender.close();
  o.say(`  a receiver on router1 for '${LINK_ROUTED}' reads the queue back:`);
  let n = 0;
  const { receiver } = await routedReceiver(at, LINK_ROUTED, o.convergeMs, (msg) => o.say(`    #${++n}/${o.count}  ${msg.body}   ${msg.trace ? `x-opt-qd.trace=${JSON.stringify(msg.trace)}` : '(no router trace: the link, not the message, was routed)'}`));
  clients.push(receiver);
  await receiver.waitUntil(() => receiver.messages.length >= o.count, DELIVERY_TIMEOUT_MS, () => `the receiver got ${receiver.messages.length} of ${o.count} messages from '${QUEUE}'`);
  expectBodies(receiver.messages, (i) => `link-routed ${i + 1} of ${o.count}`, o.count, `from queue '${QUEUE}'`);
  await receiver.close();
}

/** (b) The waypoint: the broker stores what is sent while nobody consumes, and hands it on when someone does. */
async function waypointDemo(mesh: LabMesh, o: LinkRouteDemoOptions, clients: Array<LabSender | LabReceiver>): Promise<void> {
  o.say(`\n(b) waypoint: '${WAYPOINT}' goes through RabbitMQ's queue '${WAYPOINT}' (router3's auto-links); no consumer yet`);
  const sender = new LabSender(endpoint(mesh, 'router1'), WAYPOINT);
  clients.push(sender);
  await sender.waitUntil(() => sender.credited, o.convergeMs, () => `router1 gave the sender to '${WAYPOINT}' no credit within ${o.convergeMs / 1000} s: it has not learned of router3's auto-link through the mesh`);
  const ids = sender.send(Array.from({ length: o.count }, (_, i) => ({ message_id: i + 1, body: `order ${i + 1} of ${o.count}`, durable: true })));
  await sender.waitUntil(() => ids.every((i) => sender.outcomes.has(i)), DELIVERY_TIMEOUT_MS, () => `outcomes for ${sender.tally(ids)} of ${o.count} orders`);
  const tally = sender.tally(ids);
  if (tally !== `${o.count} accepted`) throw new LabError(`not every order was accepted into RabbitMQ: ${tally}`);
  o.say(`  a sender on router1 sent ${o.count} orders: ${tally} (by RabbitMQ, through router3's auto-link orders-out)`);
  await sender.close();
  await sleep(STORED_PAUSE_MS);
  o.say(`  no consumer anywhere: they wait in RabbitMQ. Now a consumer attaches on router2:`);
  let n = 0;
  const receiver = new LabReceiver(endpoint(mesh, 'router2'), WAYPOINT, (msg) => o.say(`    #${++n}/${o.count}  ${msg.body}   via ${msg.trace ? msg.trace.map((t) => t.replace(/^0\//, '')).join(' → ') : '(no x-opt-qd.trace)'}`));
  clients.push(receiver);
  await receiver.waitUntil(() => receiver.messages.length >= o.count, DELIVERY_TIMEOUT_MS, () => `the consumer on router2 got ${receiver.messages.length} of ${o.count} orders`);
  expectBodies(receiver.messages, (i) => `order ${i + 1} of ${o.count}`, o.count, 'from the waypoint');
  o.say(`  all ${o.count} orders came out of RabbitMQ (router3's auto-link orders-in) to router2`);
  await receiver.close();
}

function expectBodies(got: readonly ReceivedMessage[], body: (i: number) => string, count: number, what: string): void {
  const want = Array.from({ length: count }, (_, i) => body(i));
  const bodies = got.map((m) => m.body);
  if (bodies.length !== count || bodies.some((b, i) => b !== want[i])) {
    throw new LabError(`unexpected messages ${what}: ${JSON.stringify(bodies)}, expected ${JSON.stringify(want)}`);
  }
}

function endpoint(mesh: LabMesh, name: string): Endpoint {
  const e = mesh.clientEndpoint(name);
  if (!e) throw new LabError(`${name} has no normal listener for clients in ${confFile(LINKROUTE, name)}`);
  return e;
}

function secondsSince(t: number): string {
  return `${((Date.now() - t) / 1000).toFixed(1)} s`;
}
