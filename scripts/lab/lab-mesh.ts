// A lab's routers on loopback: started in dependency order (a router after those its
// connectors point at, whose ports it needs), their client URLs, the mesh table, and stopping.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolvePort } from '../../router/config/load-config';
import { ENDPOINTS_FILE, LabLayout, confFile } from './lab-layout';
import { LabRouter, indent, sleep, tail } from './lab-router';
import { ExternalServices, LOOPBACK_HOST, StartedListener, loopbackConf, readLabConf, startOrder } from './loopback-conf';
import { RouterRow, meshFormed, meshTable } from './mesh-table';

export interface Endpoint { host: string; port: number }

const FORMED_POLL_MS = 100;

export interface LabMeshOptions {
  lab: LabLayout;
  /** Services the lab runs besides its routers (the broker), by the host name connectors use. */
  external?: ExternalServices;
  runDir: string;
  detached: boolean;
  startTimeoutMs: number;
  say: (line: string) => void;
}

export class LabMesh {
  /** In start order. */
  readonly routers: LabRouter[] = [];
  private readonly started = new Map<string, StartedListener[]>();

  constructor(private readonly o: LabMeshOptions) {}

  async start(): Promise<void> {
    fs.mkdirSync(this.o.runDir, { recursive: true });
    const external = this.o.external ?? new Map<string, number>();
    const confs = startOrder(this.o.lab.routers.map((n) => readLabConf(confFile(this.o.lab, n))), external);
    this.o.say(`starting ${confs.map((c) => c.name).join(', then ')} (each after the routers it connects to), files in ${this.o.runDir}`);
    for (const conf of confs) {
      const router = LabRouter.spawn({
        name: conf.name, id: conf.config.router.id, confText: loopbackConf(conf, this.started, external), runDir: this.o.runDir, detached: this.o.detached,
      });
      this.routers.push(router); // stop() ends it even if it never comes up
      await router.ready(this.o.startTimeoutMs);
      this.started.set(conf.name, conf.config.listeners.map((l): StartedListener => {
        const port = router.ports[l.name];
        if (port === undefined) throw new Error(`${router.files.ports} has no port for listener ${l.name}`);
        return { name: l.name, role: l.role, configuredPort: resolvePort(l.port), port };
      }));
      const listeners = this.started.get(conf.name)!.map((l) => `${l.name} (${l.role}) ${LOOPBACK_HOST}:${l.port}`).join(', ');
      const connectors = conf.config.connectors.map((c) => c.host).join(', ');
      this.o.say(`  ${conf.name} (${router.id}) up, pid ${router.pid}: ${listeners}${connectors ? `; connects to ${connectors}` : ''}`);
    }
  }

  router(name: string): LabRouter {
    const r = this.routers.find((x) => x.name === name);
    if (!r) throw new Error(`${name} is not running`);
    return r;
  }

  /** Where clients connect to a router: its normal listener. */
  clientEndpoint(name: string): Endpoint | undefined {
    const l = this.started.get(name)?.find((x) => x.role === 'normal');
    return l && { host: LOOPBACK_HOST, port: l.port };
  }

  /** `ROUTER1_URL=amqp://127.0.0.1:port` for each router with a normal listener (the client scripts read it). */
  writeEndpoints(): string {
    const lines = this.routers.flatMap((r) => {
      const e = this.clientEndpoint(r.name);
      return e ? [`${r.name.toUpperCase()}_URL=amqp://${e.host}:${e.port}`] : [];
    });
    const file = path.join(this.o.runDir, ENDPOINTS_FILE);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  table(): string {
    return meshTable(this.rows());
  }

  /** Polls the logs until every router knows every other one; false after `timeoutMs`. */
  async waitFormed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!meshFormed(this.rows())) {
      if (Date.now() > deadline) return false;
      await sleep(FORMED_POLL_MS);
    }
    return true;
  }

  private rows(): RouterRow[] {
    const byName = [...this.routers].sort((a, b) => a.name.localeCompare(b.name));
    return byName.map((r) => ({
      name: r.name, id: r.id, pid: r.pid, up: r.running, log: r.log(),
      listeners: Object.fromEntries((this.started.get(r.name) ?? []).map((l) => [l.name, `${LOOPBACK_HOST}:${l.port}`])),
    }));
  }

  /** The last lines of every router's log, for a failure report. */
  logTails(lines = 15): string {
    return this.routers.map((r) => `  ${r.name} (${r.id}) ${r.files.log}:\n${indent(tail(r.files.log, lines))}`).join('\n');
  }

  /** Stops every router started, last started first. */
  async stop(): Promise<void> {
    await Promise.all([...this.routers].reverse().map((r) => r.stop()));
  }
}
