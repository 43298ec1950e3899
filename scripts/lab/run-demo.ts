// `npm run lab`: the brokerless lab from start to end. Starts the routers, attaches the receiver
// on router3 and the sender on router1, waits until the mesh routes (credit, then a probe message
// accepted end to end), sends the messages, prints each with the routers it crossed and the mesh,
// and stops everything: on success, on failure and on Ctrl-C.

import { LabReceiver, LabSender, Outcome, ReceivedMessage } from './demo-clients';
import { BROKERLESS, LabError, confFile } from './lab-layout';
import { Endpoint, LabMesh } from './lab-mesh';
import { sleep } from './lab-router';

export interface DemoOptions {
  runDir: string;
  count: number;
  /** How long the mesh may take to route from the sender to the receiver. */
  convergeMs: number;
  startTimeoutMs: number;
  say: (line: string) => void;
}

const ADDRESS = 'myAddress';
const SENDER_ROUTER = 'router1';
const RECEIVER_ROUTER = 'router3';

const ATTACH_TIMEOUT_MS = 10_000;
const DELIVERY_TIMEOUT_MS = 15_000;
const PROBE_INTERVAL_MS = 250;
const TABLE_SETTLE_MS = 3000;
/** Marks the messages that test the route before the demo's own. */
export const PROBE_SUBJECT = 'weft-lab-probe';

/** Exit code: 0 when every message went from the sender's router to the receiver's through the mesh. */
export async function runDemo(o: DemoOptions): Promise<number> {
  const say = o.say;
  say(`brokerless lab: a sender on ${SENDER_ROUTER} and a receiver on ${RECEIVER_ROUTER} for '${ADDRESS}', no broker between them`);
  const mesh = new LabMesh({ lab: BROKERLESS, runDir: o.runDir, detached: false, startTimeoutMs: o.startTimeoutMs, say });
  let receiver: LabReceiver | undefined;
  let sender: LabSender | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => (stopping ??= (async () => {
    await Promise.all([sender?.close(), receiver?.close()]);
    await mesh.stop();
    say(`routers stopped; their logs are in ${o.runDir}`);
  })());
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`\n${signal}: stopping the routers`);
    void stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await mesh.start();
    let shown = 0;
    const r = new LabReceiver(clientEndpoint(mesh, RECEIVER_ROUTER), ADDRESS, (m) => {
      say(m.subject === PROBE_SUBJECT ? `  probe: ${m.body} via ${via(m)}` : `  ${describe(m, ++shown, o.count)}`);
    });
    receiver = r;
    await r.waitUntil(() => r.attached, ATTACH_TIMEOUT_MS, () => `${RECEIVER_ROUTER} did not attach the receiver for '${ADDRESS}' within ${ATTACH_TIMEOUT_MS / 1000} s`);
    say(`receiver attached on ${RECEIVER_ROUTER} for '${ADDRESS}'`);
    const s = new LabSender(clientEndpoint(mesh, SENDER_ROUTER), ADDRESS);
    sender = s;
    await converge(mesh, r, s, o);
    await sendMessages(mesh, r, s, o);
    // Routing works already; give the routers' own view a moment to settle before showing it.
    const formed = await mesh.waitFormed(TABLE_SETTLE_MS);
    say(`mesh (from the routers' logs)${formed ? '' : ', not fully formed yet'}:\n${mesh.table()}`);
    checkPaths(demoMessages(r), mesh);
    say('brokerless lab: OK');
    return 0;
  } catch (err) {
    process.stderr.write(`brokerless lab FAILED: ${err instanceof LabError ? err.message : (err as Error).stack}\n`);
    if (mesh.routers.length > 0) process.stderr.write(`the routers' last log lines:\n${mesh.logTails()}\n`);
    return 1;
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Waits until the mesh routes from the sender's router to the receiver: first credit (the
 * sender's router gives it once it knows of a receiver for the address somewhere in the mesh),
 * then probe messages, one at a time, until one is accepted by the receiver. A probe released
 * on the way (the mesh still settling) is sent again after a pause.
 */
async function converge(mesh: LabMesh, r: LabReceiver, s: LabSender, o: DemoOptions): Promise<void> {
  const since = Date.now();
  const deadline = since + o.convergeMs;
  const left = (): number => Math.max(0, deadline - Date.now());
  const elapsed = (): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  const notConverged = (what: string) => (): string => `the mesh did not converge within ${o.convergeMs / 1000} s: ${what}.\nmesh (from the routers' logs):\n${mesh.table()}`;
  o.say(`sender attached on ${SENDER_ROUTER} for '${ADDRESS}': waiting for credit, which ${SENDER_ROUTER} gives once the mesh has told it of the receiver on ${RECEIVER_ROUTER}`);
  await s.waitUntil(() => s.credited, left(), notConverged(`${SENDER_ROUTER} gave the sender no credit, so it never learned through the mesh of the receiver on ${RECEIVER_ROUTER}`));
  o.say(`${SENDER_ROUTER} gave credit after ${elapsed()}; probing the route with a message`);
  const probes: number[] = [];
  while (true) {
    const [i] = s.send([{ subject: PROBE_SUBJECT, body: `probe ${probes.length + 1}` }]);
    probes.push(i);
    const outcome: Outcome = await s.waitUntil(() => s.outcomes.get(i), left(),
      notConverged(`${SENDER_ROUTER} gave credit, but no probe message reached the receiver on ${RECEIVER_ROUTER} (probes: ${s.tally(probes)}, ${r.messages.length} received)`));
    if (outcome === 'accepted') break;
    if (outcome === 'rejected') throw new LabError(`a probe message was rejected on its way to ${RECEIVER_ROUTER}: the routers' logs may say why`);
    if (left() === 0) throw new LabError(notConverged(`every probe message came back ${outcome} (${s.tally(probes)})`)());
    await sleep(PROBE_INTERVAL_MS);
  }
  const before = probes.length - 1;
  o.say(`mesh converged after ${elapsed()}: a message from ${SENDER_ROUTER} reached ${RECEIVER_ROUTER}${before > 0 ? ` (${before === 1 ? '1 probe' : `${before} probes`} released before, while the mesh settled)` : ''}`);
}

async function sendMessages(mesh: LabMesh, r: LabReceiver, s: LabSender, o: DemoOptions): Promise<void> {
  o.say(`sending ${o.count} messages to '${ADDRESS}' on ${SENDER_ROUTER}; received on ${RECEIVER_ROUTER}:`);
  const ids = s.send(Array.from({ length: o.count }, (_, i) => ({ message_id: i + 1, body: `message ${i + 1} of ${o.count} from ${SENDER_ROUTER}` })));
  await s.waitUntil(() => ids.every((i) => s.outcomes.has(i)), DELIVERY_TIMEOUT_MS,
    () => `after ${DELIVERY_TIMEOUT_MS / 1000} s the sender had outcomes for ${ids.filter((i) => s.outcomes.has(i)).length} of ${o.count} messages (${s.tally(ids)}); ${RECEIVER_ROUTER}'s receiver had ${demoMessages(r).length}`);
  const tally = s.tally(ids);
  o.say(`outcomes at the sender: ${tally}`);
  if (tally !== `${o.count} accepted`) {
    throw new LabError(`not every message was accepted (${tally}). Released means that ${SENDER_ROUTER}, or a router on the way, had no route to a receiver for '${ADDRESS}' when the message came.`
      + `\nmesh (from the routers' logs):\n${mesh.table()}`);
  }
  // Accepted is the receiver's own outcome, so each message has reached it.
  await r.waitUntil(() => demoMessages(r).length >= o.count, DELIVERY_TIMEOUT_MS, () => `${RECEIVER_ROUTER}'s receiver had ${demoMessages(r).length} of ${o.count} messages`);
}

function demoMessages(r: LabReceiver): ReceivedMessage[] {
  return r.messages.filter((m) => m.subject !== PROBE_SUBJECT);
}

function clientEndpoint(mesh: LabMesh, name: string): Endpoint {
  const e = mesh.clientEndpoint(name);
  if (!e) throw new LabError(`${name} has no normal listener for clients in ${confFile(BROKERLESS, name)}`);
  return e;
}

/** Every message went through the mesh: it entered at the sender's router and left from the receiver's. */
function checkPaths(messages: readonly ReceivedMessage[], mesh: LabMesh): void {
  const from = `0/${mesh.router(SENDER_ROUTER).id}`;
  const to = `0/${mesh.router(RECEIVER_ROUTER).id}`;
  const untraced = messages.filter((m) => !m.trace);
  if (untraced.length > 0) {
    throw new LabError(`${untraced.length} of ${messages.length} messages came without x-opt-qd.trace: does ${RECEIVER_ROUTER}'s normal listener strip router annotations? (it needs stripAnnotations: in)`);
  }
  const astray = messages.filter((m) => m.trace![0] !== from || m.trace![m.trace!.length - 1] !== to);
  if (astray.length > 0) throw new LabError(`${astray.length} messages did not go from ${from} to ${to}; the first one's trace: ${JSON.stringify(astray[0].trace)}`);
}

function via(m: ReceivedMessage): string {
  return m.trace ? m.trace.map((t) => t.replace(/^0\//, '')).join(' → ') : '(no x-opt-qd.trace)';
}

/** `#3/10  message 3 of 10 from router1   via Router1 → Router3   x-opt-qd.trace=["0/Router1","0/Router3"]` */
export function describe(m: ReceivedMessage, n: number, count: number): string {
  return `#${n}/${count}  ${m.body}   via ${via(m)}   x-opt-qd.trace=${JSON.stringify(m.trace ?? null)}`;
}
