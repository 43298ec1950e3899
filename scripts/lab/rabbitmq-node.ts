// A real RabbitMQ 3.10 node (Debian's rabbitmq-server, AMQP 1.0 plugin enabled) for tests and
// the link-route lab (test/helpers/rabbitmq.ts re-exports it): loopback only, free ports, its
// own epmd, node name, cookie, config and data in a temporary folder, so that nothing clashes
// with another node, a system service or another run.
//
//   const rabbit = await RabbitMq.start({ name: 'master' });
//   ... connect an AMQP 1.0 client to rabbit.port (AMQP 1.0 shares the AMQP 0-9-1 port) ...
//   await rabbit.restart();   // killed abruptly, then back on the same ports and data
//   await rabbit.restart({ clean: true });   // a clean stop first: durable queues surely survive
//   await rabbit.stop();      // node and epmd killed, folder removed
//
// The node runs in the foreground under the Debian start script, in its own process group; the
// script waits on the Erlang VM, so killing the VM by its pid lets the script exit and be reaped.

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { create_container } from 'rhea';
import { canConnect, freePort } from '../bench/ports';

const SERVER_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const CTL_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmqctl'; // clustering block below
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

export interface RabbitMqOptions {
  /** Part of the node name and folder name: tells side-by-side nodes apart in logs. */
  name?: string;
  startTimeoutMs?: number;
}

interface Ports { amqp: number; dist: number; epmd: number }

/** Nodes alive in this process: killed on exit even if a test forgot stop(). */
const live = new Set<RabbitMq>();
let exitHookInstalled = false;
let nodeCount = 0;

export class RabbitMq {
  /** Milliseconds the last start or restart took until an AMQP 1.0 connection opened. */
  startupMs = 0;
  private node: ChildProcess | undefined;
  private nodeExited: Promise<void> = Promise.resolve();
  private epmd: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly name: string,
    /** Erlang node name, also the container-id RabbitMQ announces in its open frame (before the @). */
    readonly nodeName: string,
    readonly dir: string,
    private readonly ports: Ports,
    private readonly startTimeoutMs: number,
  ) {}

  static async start(options: RabbitMqOptions = {}): Promise<RabbitMq> {
    if (!fs.existsSync(SERVER_SCRIPT)) throw new Error(`${SERVER_SCRIPT} is missing: run \`npm run setup\` (Debian package rabbitmq-server)`);
    const name = (options.name ?? 'rabbit').replace(/[^A-Za-z0-9_-]/g, '_');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `weft-rabbitmq-${name}-`));
    const ports = { amqp: await freePort(), dist: await freePort(), epmd: await freePort() };
    const rabbit = new RabbitMq(name, `weft-${name}-${process.pid}-${++nodeCount}@localhost`, dir, ports, options.startTimeoutMs ?? START_TIMEOUT_MS);
    rabbit.writeFiles();
    live.add(rabbit);
    installExitHook();
    try {
      await rabbit.startEpmd();
      await rabbit.startNode();
    } catch (err) {
      await rabbit.stop();
      throw err;
    }
    return rabbit;
  }

  /** The AMQP port: 0-9-1 and 1.0 both (the plugin answers the 1.0 protocol header there). */
  get port(): number { return this.ports.amqp; }
  get url(): string { return `amqp://127.0.0.1:${this.ports.amqp}`; }
  get running(): boolean { return this.node !== undefined; }

  /** Kills the node at once (no clean shutdown, like a crash); its data and epmd stay. */
  async kill(): Promise<void> {
    const node = this.node;
    if (!node) return;
    this.node = undefined;
    // The VM first, so that the start script reaps it and exits; the group only if it does not
    // (killed during boot, before the pid file): a script killed first would orphan the VM.
    const vmPid = this.vmPid();
    if (vmPid) signal(vmPid, 'SIGKILL');
    const timer = setTimeout(() => signal(-node.pid!, 'SIGKILL'), vmPid ? 2000 : 0);
    await this.nodeExited;
    clearTimeout(timer);
    signal(-node.pid!, 'SIGKILL');
  }

  /**
   * Stops the node cleanly (SIGTERM: RabbitMQ shuts down in order and syncs its data), within
   * `timeoutMs`, after which it is killed. Its data and epmd stay.
   */
  async shutdown(timeoutMs = 30_000): Promise<void> {
    const node = this.node;
    if (!node) return;
    // The start script traps TERM and passes it to the VM, whose RabbitMQ then stops in order.
    signal(node.pid!, 'SIGTERM');
    const timer = setTimeout(() => void this.kill(), timeoutMs);
    await this.nodeExited;
    clearTimeout(timer);
    this.node = undefined;
    signal(-node.pid!, 'SIGKILL');
  }

  /**
   * Starts the node again on the same ports and data, after kill() (the default: abruptly, as a
   * crash) or shutdown() (`{ clean: true }`). Durable queues and persistent messages survive a
   * clean stop; after a kill, one declared just before it was seen lost (about 1 run in 7).
   */
  async restart(options: { clean?: boolean } = {}): Promise<void> {
    if (options.clean) await this.shutdown(); else await this.kill();
    await this.startNode();
  }

  /** Kills the node and its epmd and removes the folder. */
  async stop(): Promise<void> {
    await this.kill();
    const epmd = this.epmd;
    this.epmd = undefined;
    if (epmd && epmd.exitCode === null && epmd.signalCode === null) {
      const gone = new Promise((resolve) => epmd.once('exit', resolve));
      signal(epmd.pid!, 'SIGKILL');
      await gone;
    }
    live.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** The start script's output and the end of the node's log: for failure messages. */
  logTail(lines = 40): string {
    const log = path.join(this.dir, 'log', `${this.nodeName}.log`);
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '(no log file)';
    const tail = (s: string): string => s.trimEnd().split('\n').slice(-lines).join('\n');
    return `--- rabbitmq-server output (${this.nodeName})\n${tail(this.output)}\n--- ${log}\n${tail(text)}`;
  }

  /** Kills what is left without waiting: for the process exit hook. */
  killNow(): void {
    const vmPid = this.vmPid();
    if (vmPid) signal(vmPid, 'SIGKILL');
    if (this.node) signal(-this.node.pid!, 'SIGKILL');
    if (this.epmd) signal(this.epmd.pid!, 'SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private writeFiles(): void {
    const home = path.join(this.dir, 'home');
    fs.mkdirSync(home);
    // Erlang refuses a cookie file others can read.
    fs.writeFileSync(path.join(home, '.erlang.cookie'), `WEFT${process.pid}${nodeCount}TESTCOOKIE`, { mode: 0o400 });
    fs.writeFileSync(path.join(this.dir, 'enabled_plugins'), '[rabbitmq_amqp1_0].\n');
    // An empty env file: Debian's /etc/rabbitmq/rabbitmq-env.conf must not override ours.
    fs.writeFileSync(path.join(this.dir, 'rabbitmq-env.conf'), '');
    fs.writeFileSync(path.join(this.dir, 'rabbitmq.conf'), [
      'loopback_users = none',
      'default_user = guest',
      'default_pass = guest',
      // Clients that skip SASL (rhea's default) are this user.
      'amqp1_0.default_user = guest',
      'log.console = false',
      'log.file.level = info',
      '',
    ].join('\n'));
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    // Nothing from the caller's RabbitMQ or Erlang settings leaks in.
    for (const [k, v] of Object.entries(process.env)) if (!/^(RABBITMQ_|ERL_)/.test(k)) env[k] = v;
    const d = (p: string): string => path.join(this.dir, p);
    return {
      ...env,
      HOME: d('home'),
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(this.ports.amqp),
      RABBITMQ_DIST_PORT: String(this.ports.dist),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_EPMD_PORT: String(this.ports.epmd),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      RABBITMQ_CONF_ENV_FILE: d('rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: d('rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: d('advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: d('enabled_plugins'),
      RABBITMQ_MNESIA_BASE: d('mnesia'),
      RABBITMQ_MNESIA_DIR: d(`mnesia/${this.nodeName}`),
      RABBITMQ_SCHEMA_DIR: d('schema'),
      RABBITMQ_PLUGINS_EXPAND_DIR: d('plugins-expand'),
      RABBITMQ_LOG_BASE: d('log'),
      RABBITMQ_PID_FILE: d('rabbit.pid'),
    };
  }

  /**
   * A private epmd in the foreground, so that it is a child we can kill: left to itself, Erlang
   * would start a daemon that outlives the test run.
   */
  private async startEpmd(): Promise<void> {
    const epmd = spawn('epmd', ['-port', String(this.ports.epmd), '-address', '127.0.0.1'], { stdio: 'ignore', env: this.env() });
    this.epmd = epmd;
    let failed: string | undefined;
    epmd.once('error', (err) => { failed = `epmd: ${err.message}`; });
    epmd.once('exit', (code) => { failed ??= `epmd exited with ${code}`; });
    const deadline = Date.now() + 5000;
    while (!(await canConnect(this.ports.epmd))) {
      if (failed) throw new Error(failed);
      if (Date.now() > deadline) throw new Error(`epmd did not listen on 127.0.0.1:${this.ports.epmd}`);
      await sleep(20);
    }
  }

  private async startNode(): Promise<void> {
    const started = Date.now();
    fs.rmSync(path.join(this.dir, 'rabbit.pid'), { force: true });
    const node = spawn(SERVER_SCRIPT, [], { env: this.env(), cwd: this.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.node = node;
    const keep = (b: Buffer): void => { this.output = (this.output + b.toString()).slice(-20_000); };
    node.stdout!.on('data', keep);
    node.stderr!.on('data', keep);
    let exited: string | undefined;
    this.nodeExited = new Promise((resolve) => node.once('exit', (code, sig) => { exited = `exited with ${sig ?? code}`; resolve(); }));
    const deadline = started + this.startTimeoutMs;
    while (!(await amqp10Opens(this.ports.amqp))) {
      const problem = exited ?? (Date.now() > deadline ? `gave no AMQP 1.0 open on port ${this.ports.amqp} within ${this.startTimeoutMs} ms` : undefined);
      if (problem) {
        const tail = this.logTail();
        await this.kill();
        throw new Error(`RabbitMQ ${this.nodeName} ${problem}\n${tail}`);
      }
      await sleep(POLL_MS);
    }
    this.startupMs = Date.now() - started;
  }

  // --- Clustering (added for failover-rabbitmq.test.ts) -------------------------------------
  // Two nodes of a cluster must find each other through one epmd and share one Erlang cookie: a
  // member started by startClusterMember() uses its seed's epmd (the seed's stop() ends it, so
  // stop members first) and a copy of its cookie, then joins the seed's cluster.

  /**
   * Starts a node that joins this node's cluster (stop_app, join_cluster, start_app): a pair
   * for mirrored classic queues. Resolves once the member answers AMQP 1.0 again as part of the
   * cluster.
   */
  async startClusterMember(options: RabbitMqOptions = {}): Promise<RabbitMq> {
    if (!this.epmd) throw new Error(`${this.nodeName} has no epmd of its own: start members from the seed node`);
    const name = (options.name ?? 'member').replace(/[^A-Za-z0-9_-]/g, '_');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `weft-rabbitmq-${name}-`));
    const ports = { amqp: await freePort(), dist: await freePort(), epmd: this.ports.epmd };
    const member = new RabbitMq(name, `weft-${name}-${process.pid}-${++nodeCount}@localhost`, dir, ports, options.startTimeoutMs ?? this.startTimeoutMs);
    member.writeFiles();
    const cookie = path.join(member.dir, 'home', '.erlang.cookie');
    fs.rmSync(cookie);
    fs.writeFileSync(cookie, fs.readFileSync(path.join(this.dir, 'home', '.erlang.cookie')), { mode: 0o400 });
    live.add(member);
    try {
      await member.startNode();
      await member.rabbitmqctl(['stop_app']);
      await member.rabbitmqctl(['join_cluster', this.nodeName]);
      await member.rabbitmqctl(['start_app']);
      await member.waitAmqp10(Date.now());
    } catch (err) {
      await member.stop();
      throw err;
    }
    return member;
  }

  /** Runs rabbitmqctl against this node (its env: cookie, epmd, node name); resolves with its stdout. */
  rabbitmqctl(args: string[], timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const ctl = spawn(CTL_SCRIPT, ['-n', this.nodeName, ...args], { env: this.env(), cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      ctl.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      ctl.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
      const timer = setTimeout(() => signal(ctl.pid!, 'SIGKILL'), timeoutMs);
      ctl.once('error', (err) => { clearTimeout(timer); reject(err); });
      ctl.once('exit', (code, sig) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`rabbitmqctl ${args.join(' ')} (${this.nodeName}) exited with ${sig ?? code}\n${out}`));
      });
    });
  }

  /** Waits for an AMQP 1.0 open after start_app (the node process is already up). */
  private async waitAmqp10(started: number): Promise<void> {
    while (!(await amqp10Opens(this.ports.amqp))) {
      if (!this.node) throw new Error(`RabbitMQ ${this.nodeName} is not running`);
      if (Date.now() > started + this.startTimeoutMs) throw new Error(`RabbitMQ ${this.nodeName} gave no AMQP 1.0 open after start_app\n${this.logTail()}`);
      await sleep(POLL_MS);
    }
  }
  // --- end of clustering -------------------------------------------------------------------

  /** The Erlang VM's OS pid, which RabbitMQ writes early in its boot. */
  private vmPid(): number | undefined {
    try {
      const pid = Number(fs.readFileSync(path.join(this.dir, 'rabbit.pid'), 'utf8').trim());
      return pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }
}

/** True once an AMQP 1.0 connection to 127.0.0.1:port opens (it is closed at once). */
function amqp10Opens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = create_container({ id: 'weft-rabbitmq-probe' }).connect({ host: '127.0.0.1', port, reconnect: false });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      conn.removeAllListeners();
      conn.on('error', () => undefined);
      conn.on('disconnected', () => undefined);
      if (ok) conn.close(); else conn.socket?.destroy?.();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 2000);
    conn.on('connection_open', () => done(true));
    conn.on('disconnected', () => done(false));
    conn.on('connection_error', () => done(false));
    conn.on('error', () => done(false));
  });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => { for (const r of live) r.killNow(); });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
