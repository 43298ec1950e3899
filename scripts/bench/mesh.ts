// Several routers at once (the mesh, line and reconverge scenarios): started in dependency
// order, each waited for until it accepts on its client and inter-router ports, measured and
// stopped together. Whatever fails names the router and the step, with every router's stderr.
import type { RunContext } from './context';
import { freePort } from './ports';
import type { ProcessSample } from './proc-stats';
import { acceptsRouters, interiorRouterConf, MeshPorts, MeshRouterSpec, meshStartOrder, renderConf } from './router-conf';
import { RouterProcess } from './router-process';
import { ClientStep, meshFigures, receiverArgs, runClients, senderArgs, throughputRun } from './throughput';
import type { Mode, ThroughputRun } from './types';

export class MeshRouters {
  private constructor(
    /** Every router in the order given to start(). */
    readonly specs: readonly MeshRouterSpec[],
    private readonly routers: Map<string, RouterProcess>,
    readonly ports: ReadonlyMap<string, MeshPorts>,
  ) {}

  /**
   * Starts `specs` as interior routers named NAME-ID in ctx.dir, each once those it connects to
   * accept connections. On failure stops those already started and throws an error that names
   * the router and carries the others' stderr as well.
   */
  static async start(ctx: RunContext, name: string, specs: readonly MeshRouterSpec[]): Promise<MeshRouters> {
    const order = meshStartOrder(specs);
    const ports = new Map<string, MeshPorts>();
    for (const r of specs) ports.set(r.id, { client: await freePort(), ...(acceptsRouters(r.id, specs) ? { interRouter: await freePort() } : {}) });
    const mesh = new MeshRouters(specs, new Map(), ports);
    for (const [i, spec] of order.entries()) {
      const own = ports.get(spec.id)!;
      try {
        const router = await RouterProcess.start({
          argv: ctx.routerArgv,
          name: `${name}-${spec.id}`,
          conf: renderConf(interiorRouterConf(spec, specs, ports)),
          port: own.client,
          extraPorts: own.interRouter === undefined ? [] : [own.interRouter],
          dir: ctx.dir,
          cwd: ctx.root,
          startTimeoutMs: ctx.options.routerStartTimeoutS * 1000,
        });
        mesh.routers.set(spec.id, router);
      } catch (e) {
        const others = mesh.stderrTails();
        await mesh.stop();
        const step = `starting router ${spec.id} (${i + 1} of ${order.length}: ${order.map((r) => r.id).join(' → ')})`;
        throw new Error(`${step} failed: ${(e as Error).message}${others ? `\n${others}` : ''}`);
      }
    }
    return mesh;
  }

  get(id: string): RouterProcess {
    const r = this.routers.get(id);
    if (!r) throw new Error(`mesh: no router ${id}`);
    return r;
  }

  /** host:port of a router's client listener. */
  url(id: string): string {
    return `127.0.0.1:${this.ports.get(id)!.client}`;
  }

  ids(): string[] {
    return this.specs.map((s) => s.id).filter((id) => this.routers.has(id));
  }

  /** Samples every router still running (a dead one is left out). */
  sample(): Map<string, ProcessSample> {
    const samples = new Map<string, ProcessSample>();
    for (const [id, r] of this.routers) {
      try {
        samples.set(id, r.sample());
      } catch {
        // gone: reported by dead()
      }
    }
    return samples;
  }

  /** Routers that have exited, but for those in `expected` (killed on purpose). */
  dead(expected: ReadonlySet<string> = new Set()): string[] {
    return this.ids().filter((id) => !expected.has(id) && !this.get(id).alive());
  }

  /** Every router's stderr tail, each under its id and log file. */
  stderrTails(bytes = 2500): string {
    return [...this.routers]
      .map(([id, r]) => `  --- ${id} stderr (${r.stderrFile}):\n${indent(r.stderrTail(bytes))}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all([...this.routers.values()].map((r) => r.stop()));
  }
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

/** A throughput run across a mesh: which routers, and where the clients attach. */
export interface MeshTopology {
  scenario: string;
  routers: readonly MeshRouterSpec[];
  /** The sender's router and the receiver's. */
  senderAt: string;
  receiverAt: string;
}

/**
 * One throughput run through a fresh mesh (so each router's peak RSS belongs to the run): the
 * receiver attaches to its router, then the sender to its own, which gives credit once it has
 * learned the address across the mesh; routers are sampled before the sender starts.
 */
export async function meshThroughputRun(ctx: RunContext, topology: MeshTopology, mode: Mode, run: number): Promise<ThroughputRun> {
  const { scenario, senderAt, receiverAt } = topology;
  let mesh: MeshRouters;
  try {
    mesh = await MeshRouters.start(ctx, `${scenario}-${mode}-${run}`, topology.routers);
  } catch (e) {
    return throughputRun(scenario, mode, run, { sender: null, receiver: null, error: (e as Error).message }, null);
  }
  try {
    const before: { samples?: Map<string, ProcessSample> } = {};
    const meshTimeoutMs = ctx.options.meshTimeoutS * 1000;
    const clients = await runClients(ctx, {
      // The receiver waits for its first message while the mesh learns its address.
      receiver: ['--url', mesh.url(receiverAt), ...receiverArgs(ctx), '--wait-ms', String(meshTimeoutMs + 15_000)],
      ready: /^attached$/,
      sender: () => ['--url', mesh.url(senderAt), ...senderArgs(ctx, mode)],
      beforeSend: () => (before.samples = mesh.sample()),
      senderCreditTimeoutMs: meshTimeoutMs,
      explain: (step, e) => `${describeStep(step, topology, ctx.options.meshTimeoutS)}: ${e.message}\n${mesh.stderrTails()}`,
    });
    const dead = mesh.dead();
    if (dead.length > 0) {
      clients.error = [clients.error, `router ${dead.join(', ')} died during the run\n${mesh.stderrTails()}`].filter(Boolean).join('; ');
    }
    const sent = clients.sender?.sent ?? 0;
    const figures = before.samples && sent > 0 ? meshFigures(mesh.ids(), before.samples, mesh.sample(), sent) : {};
    const wait = clients.creditWaitMs !== undefined ? { creditWaitMs: clients.creditWaitMs } : {};
    return { ...throughputRun(scenario, mode, run, clients, null), ...figures, ...wait };
  } finally {
    await mesh.stop();
  }
}

/** What a failed step of a mesh run means, naming the routers involved. */
export function describeStep(step: ClientStep, t: Pick<MeshTopology, 'senderAt' | 'receiverAt'>, meshTimeoutS: number): string {
  switch (step) {
    case 'receiver-attach':
      return `the receiver did not attach to ${t.receiverAt}`;
    case 'sender-attach':
      return `the sender did not attach to ${t.senderAt}`;
    case 'sender-credit':
      return (
        `the mesh did not converge within ${meshTimeoutS} s: the sender attached to ${t.senderAt} but got no credit, ` +
        `so ${t.senderAt} never learned the address of the receiver on ${t.receiverAt}`
      );
  }
}
