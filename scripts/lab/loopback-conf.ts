// Per-run copies of the lab's conf files for routers that run as processes on one machine:
// listeners on 127.0.0.1 port 0 (the router reports the port it got through --ports-file),
// connectors to the port that the router they name actually got, or to a service outside the
// mesh (the link-route lab's broker) at the port it runs on. Only `host:` and `port:` lines
// change, so the files in labs/ stay the one source for docker-compose and processes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectionRole, ConnectorEntity, ListenerEntity, LoadedConfig } from '../../router/config/entities';
import { formatConfigError, loadConfigFile, resolvePort } from '../../router/config/load-config';
import { LabError } from './lab-layout';

export const LOOPBACK_HOST = '127.0.0.1';

export interface LabConf {
  /** The service name: the file's base name, which connectors of the other routers use as host. */
  name: string;
  file: string;
  text: string;
  config: LoadedConfig;
}

/** A listener of a started router: what its conf file says and the port it got. */
export interface StartedListener {
  name: string;
  role: ConnectionRole;
  /** The port in the original conf file, which connectors of the other routers name. */
  configuredPort: number;
  port: number;
}

export function readLabConf(file: string): LabConf {
  let config: LoadedConfig;
  try {
    config = loadConfigFile(file);
  } catch (err) {
    throw new LabError(`${file} is not a valid configuration:\n${formatConfigError(err)}`);
  }
  return { name: path.basename(file, path.extname(file)), file, text: fs.readFileSync(file, 'utf8'), config };
}

/** Host names of services outside the mesh that the lab runs itself (`broker`), with their loopback ports. */
export type ExternalServices = ReadonlyMap<string, number>;

/** The routers of the lab that `conf` connects to (connectors to external services aside). */
export function peersOf(conf: LabConf, names: readonly string[], external: ExternalServices = new Map()): string[] {
  return conf.config.connectors.filter((c) => !external.has(c.host)).map((c) => {
    if (!names.includes(c.host)) {
      const others = external.size > 0 ? ` or of its services (${[...external.keys()].join(', ')})` : '';
      throw new LabError(`${where(conf, c, 'host')}: connector ${c.name} connects to '${c.host}', which is none of the lab's routers (${names.join(', ')})${others}`);
    }
    return c.host;
  });
}

/** Every router after the routers its connectors point at (their listener ports must be known). */
export function startOrder(confs: readonly LabConf[], external: ExternalServices = new Map()): LabConf[] {
  const names = confs.map((c) => c.name);
  const ordered: LabConf[] = [];
  const placed = new Set<string>();
  while (ordered.length < confs.length) {
    const ready = confs.find((c) => !placed.has(c.name) && peersOf(c, names, external).every((p) => placed.has(p)));
    if (!ready) {
      const left = confs.filter((c) => !placed.has(c.name)).map((c) => c.name);
      throw new LabError(`the connectors of ${left.join(', ')} form a cycle: no router can start first with port 0 listeners`);
    }
    ordered.push(ready);
    placed.add(ready.name);
  }
  return ordered;
}

/**
 * The text of `conf` for loopback: each listener's host and port lines become 127.0.0.1 and 0,
 * each connector's become 127.0.0.1 and the port that its router's listener got. `started` holds
 * the listeners of the routers started so far, by service name; `external` the ports of the
 * lab's other services.
 */
export function loopbackConf(conf: LabConf, started: ReadonlyMap<string, readonly StartedListener[]>, external: ExternalServices = new Map()): string {
  const lines = conf.text.split('\n');
  const replace = (entity: ListenerEntity | ConnectorEntity, attribute: 'host' | 'port', value: string): void => {
    const line = entity.source.attributeLines?.[attribute];
    if (line === undefined) {
      throw new LabError(`${where(conf, entity)}: ${entity.name} has no '${attribute}:' line; the lab changes only host and port lines, so each listener and connector needs both`);
    }
    const m = /^(\s*)([A-Za-z-]+)(\s*:\s*)(\S+)/.exec(lines[line - 1]);
    if (!m || m[2] !== attribute) throw new LabError(`${conf.file}:${line}: expected '${attribute}: …' on this line`);
    lines[line - 1] = `${m[1]}${attribute}${m[3]}${value}    # lab: ${m[4]} in ${path.basename(conf.file)}`;
  };
  for (const l of conf.config.listeners) {
    replace(l, 'host', LOOPBACK_HOST);
    replace(l, 'port', '0');
  }
  for (const c of conf.config.connectors) {
    const port = external.get(c.host) ?? connectorTarget(conf, c, started).port;
    replace(c, 'host', LOOPBACK_HOST);
    replace(c, 'port', String(port));
  }
  // At the end, so that line numbers stay those of the source file.
  lines.push(`# Loopback copy of ${conf.file} made by the lab: only the lines marked "# lab:" differ.`, '');
  return lines.join('\n');
}

function connectorTarget(conf: LabConf, c: ConnectorEntity, started: ReadonlyMap<string, readonly StartedListener[]>): StartedListener {
  const listeners = started.get(c.host);
  if (!listeners) throw new LabError(`${where(conf, c, 'host')}: connector ${c.name} needs ${c.host}, which has not started yet`);
  const port = resolvePort(c.port);
  const target = listeners.find((l) => l.configuredPort === port);
  if (!target) {
    const known = listeners.map((l) => `${l.name} (port ${l.configuredPort})`).join(', ');
    throw new LabError(`${where(conf, c, 'port')}: connector ${c.name} connects to ${c.host}:${c.port}, but ${c.host} has no listener on that port: ${known}`);
  }
  if (target.role !== c.role) {
    throw new LabError(`${where(conf, c, 'role')}: connector ${c.name} has role ${c.role}, but ${c.host}'s listener ${target.name} on port ${c.port} has role ${target.role}`);
  }
  return target;
}

function where(conf: LabConf, entity: ListenerEntity | ConnectorEntity, attribute?: string): string {
  const line = (attribute && entity.source.attributeLines?.[attribute]) || entity.source.line;
  return `${conf.file}:${line}`;
}
