// One throughput run: a receiver, then a sender, N messages, and the figures derived from
// what both load generators and the router's /proc entries say.
import { LoadgenProcess } from './loadgen';
import type { ProcessSample } from './proc-stats';
import type { RunContext } from './context';
import type { MeshRouterFigures, Mode, ReceiveResult, RouterFigures, SendResult, ThroughputRun } from './types';

export const ADDRESS = 'bench';

export interface ClientRun {
  sender: SendResult | null;
  receiver: ReceiveResult | null;
  /** With senderCreditTimeoutMs: from starting the sender to its first credit. */
  creditWaitMs?: number;
  error?: string;
}

export interface ClientPlan {
  /** Receiver arguments after `receive`. */
  receiver: string[];
  /** The stdout line that says the receiver is ready for the sender. */
  ready: RegExp;
  /** Sender arguments after `send`, given the ready line's match. */
  sender: (ready: RegExpMatchArray) => string[];
  /** Called just before the sender starts (to sample the router). */
  beforeSend?: () => void;
  /** Through a mesh: the sender must attach, then get credit (its router has learned the
   *  receiver's address) within this long; the default is to let credit gate it silently. */
  senderCreditTimeoutMs?: number;
  /** Turns a failed step into the error reported (to name the routers, add their logs). */
  explain?: (step: ClientStep, error: Error) => string;
}

/** The steps of a run that can fail before the messages flow. */
export type ClientStep = 'receiver-attach' | 'sender-attach' | 'sender-credit';

export function receiverArgs(ctx: RunContext): string[] {
  const o = ctx.options;
  return ['--address', ADDRESS, '--count', String(o.count), '--credit', String(o.credit)];
}

export function senderArgs(ctx: RunContext, mode: Mode): string[] {
  const o = ctx.options;
  const args = ['--address', ADDRESS, '--count', String(o.count), '--size', String(o.size)];
  return mode === 'presettled' ? [...args, '--presettled'] : args;
}

/** Runs the receiver and the sender of one run to their end. */
export async function runClients(ctx: RunContext, plan: ClientPlan): Promise<ClientRun> {
  const timeoutMs = ctx.options.timeoutS * 1000;
  const receiver = new LoadgenProcess(ctx.loadgen, ['receive', ...plan.receiver]);
  let sender: LoadgenProcess | null = null;
  const step = async <T>(name: ClientStep, wait: () => Promise<T>): Promise<T> => {
    try {
      return await wait();
    } catch (e) {
      throw new Error(plan.explain ? plan.explain(name, e as Error) : (e as Error).message);
    }
  };
  try {
    const ready = await step('receiver-attach', () => receiver.waitForLine(plan.ready, 15_000));
    plan.beforeSend?.();
    const s = (sender = new LoadgenProcess(ctx.loadgen, ['send', ...plan.sender(ready)]));
    let creditWaitMs: number | undefined;
    if (plan.senderCreditTimeoutMs !== undefined) {
      const started = Date.now();
      const deadline = started + plan.senderCreditTimeoutMs;
      await step('sender-attach', () => s.waitForLine(/^attached$/, plan.senderCreditTimeoutMs!));
      await step('sender-credit', () => s.waitForLine(/^credited$/, Math.max(1, deadline - Date.now())));
      creditWaitMs = Date.now() - started;
    }
    const sent = await sender.done(timeoutMs);
    // The receiver ends on its count, or on its idle timeout when messages were dropped.
    const received = await receiver.done(15_000);
    const problems = [describeExit('sender', sent, sender), describeExit('receiver', received, receiver)].filter(Boolean);
    return {
      sender: sender.result<SendResult>('send'),
      receiver: receiver.result<ReceiveResult>('receive'),
      ...(creditWaitMs !== undefined ? { creditWaitMs } : {}),
      error: problems.join('; ') || undefined,
    };
  } catch (e) {
    sender?.terminate();
    receiver.terminate();
    await Promise.all([sender?.done(5000), receiver.done(5000)]);
    return { sender: sender?.result<SendResult>('send') ?? null, receiver: receiver.result<ReceiveResult>('receive'), error: (e as Error).message };
  }
}

function describeExit(role: string, exit: { code: number | null; signal: string | null; timedOut: boolean }, p: LoadgenProcess): string {
  if (exit.timedOut) return `${role} timed out${p.describeStderr()}`;
  if (exit.code !== 0) return `${role} exited (${exit.code ?? exit.signal})${p.describeStderr()}`;
  return '';
}

/** The router's share of a run, from /proc samples taken before the sender and after both clients. */
export function routerFigures(before: ProcessSample, after: ProcessSample, messages: number): RouterFigures {
  return {
    pid: after.pid,
    comm: after.comm,
    cpuUsPerMsg: messages > 0 ? ((after.cpuSeconds - before.cpuSeconds) * 1e6) / messages : 0,
    peakRssKb: after.vmHwmKb,
    rssAfterKb: after.vmRssKb,
  };
}

/** Each router's figures and their CPU sum, for the multi-router scenarios (pure). Routers
 *  without both samples (one died) are left out. */
export function meshFigures(
  ids: readonly string[],
  before: ReadonlyMap<string, ProcessSample>,
  after: ReadonlyMap<string, ProcessSample>,
  messages: number,
): { routers: MeshRouterFigures[]; routersCpuUsPerMsg: number } {
  const routers: MeshRouterFigures[] = [];
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    if (b && a) routers.push({ id, ...routerFigures(b, a, messages) });
  }
  return { routers, routersCpuUsPerMsg: routers.reduce((sum, r) => sum + r.cpuUsPerMsg, 0) };
}

/** Derives a run's figures from the load generators' results (pure). */
export function throughputRun(scenario: string, mode: Mode, run: number, clients: ClientRun, router: RouterFigures | null): ThroughputRun {
  const { sender, receiver } = clients;
  const sent = sender?.sent ?? 0;
  const received = receiver?.received ?? 0;
  // Unsettled: whatever was not accepted (released, rejected, modified, never settled) is lost
  // to the application even when the sender was told.
  const delivered = mode === 'presettled' ? received : Math.min(received, sender?.accepted ?? 0);
  const seconds = receiver?.seconds ?? 0;
  const perMsgUs = (cpu: number | undefined, n: number): number | null => (cpu !== undefined && n > 0 ? (cpu * 1e6) / n : null);
  return {
    kind: 'throughput',
    scenario,
    mode,
    run,
    sent,
    received,
    dropped: Math.max(0, sent - delivered),
    msgPerSec: received > 1 && seconds > 0 ? received / seconds : null,
    seconds,
    router,
    senderCpuUsPerMsg: perMsgUs(sender?.cpu_seconds, sent),
    receiverCpuUsPerMsg: perMsgUs(receiver?.cpu_seconds, received),
    sender,
    receiver,
    ...(clients.error ? { error: clients.error } : {}),
  };
}
