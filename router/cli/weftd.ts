#!/usr/bin/env -S node --max-semi-space-size=4 --expose-gc
// weftd: the router daemon. `weftd -c FILE` loads a qdrouterd-format (or .yaml/.json) file;
// a bad file prints every problem and exits 2 with nothing started. SIGHUP reloads the file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { loadConfigFile, formatConfigError } from '../config/load-config';
import { ConfigError } from '../common/errors';
import { connectorSpec, listenerSpec, loggingFromConfig, nodeFromConfig } from './node-from-config';
import { WEFT_VERSION } from '../node/router-node';
import { ConfigReloader } from './config-reloader';

const USAGE = `Usage: weftd [options]
  -c, --config FILE     configuration file (qdrouterd format, .yaml/.yml or .json)
                        default: /etc/qpid-dispatch/qdrouterd.conf
  -d, --daemon          run in the background
  -P, --pidfile FILE    write the process id to FILE
      --ports-file FILE write {listenerName: port} as JSON once every listener is bound
                        (and again when a reload changes the listeners)
      --check           validate the configuration and exit (0 valid, 2 invalid)
  -v, --version         print the version
  -h, --help            this help`;

interface Args { config: string; daemon: boolean; pidfile?: string; portsFile?: string; check: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { config: '/etc/qpid-dispatch/qdrouterd.conf', daemon: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-c': case '--config': a.config = value(); break;
      case '-d': case '--daemon': a.daemon = true; break;
      case '-P': case '--pidfile': a.pidfile = value(); break;
      case '--ports-file': a.portsFile = value(); break;
      case '--check': a.check = true; break;
      case '-v': case '--version': console.log(WEFT_VERSION); process.exit(0); break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default:
        if (arg.startsWith('--config=')) a.config = arg.slice('--config='.length);
        else fail(`unknown option ${arg}`);
    }
  }
  return a;
}

function fail(message: string): never {
  console.error(`weftd: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let config;
  try {
    config = loadConfigFile(args.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(formatConfigError(err));
      process.exit(2);
    }
    console.error(`weftd: cannot read ${args.config}: ${(err as Error).message}`);
    process.exit(2);
  }
  if (args.check) { console.log(`${args.config}: valid`); return; }
  if (args.daemon) {
    const rest = process.argv.slice(2).filter((x) => x !== '-d' && x !== '--daemon');
    const child = spawn(process.execPath, [process.argv[1], ...rest], { detached: true, stdio: 'ignore' });
    child.unref();
    return;
  }
  const logging = loggingFromConfig(config);
  const log = logging.module('ROUTER');
  for (const w of config.warnings) log.warning(`${w.file}:${w.line}: ${w.path}: ${w.message}`);
  const node = nodeFromConfig(config, logging);
  // Until the router is ready a SIGHUP is ignored (its default action would end the process).
  let onHangup = () => log.warning('SIGHUP before the router is ready: ignored');
  process.on('SIGHUP', () => onHangup());
  log.info(`Router ${config.router.id} starting (weft ${WEFT_VERSION}, mode ${config.router.mode}) from ${path.resolve(args.config)}`);
  if (args.pidfile) fs.writeFileSync(args.pidfile, `${process.pid}\n`);
  const ports: Record<string, number> = {};
  for (const l of config.listeners) {
    try {
      const running = await node.listen(listenerSpec(l));
      ports[l.name] = running.port;
    } catch (err) {
      log.critical(`listener ${l.name} (${l.host}:${l.port}): ${(err as Error).message}`);
      process.exit(1);
    }
  }
  for (const c of config.connectors) {
    try {
      node.connect(connectorSpec(c));
    } catch (err) {
      log.critical(`connector ${c.name} (${c.host}:${c.port}): ${(err as Error).message}`);
      process.exit(1);
    }
  }
  node.started = true;
  if (args.portsFile) {
    const tmp = `${args.portsFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(ports));
    fs.renameSync(tmp, args.portsFile); // readers never see a half-written file
  }
  // Reload: SIGHUP and management re-read the file and apply the difference (config-reloader.ts).
  const reloader = new ConfigReloader(node, path.resolve(args.config), config, args.portsFile);
  node.reloadConfig = () => reloader.reload('management');
  onHangup = () => void reloader.reload('SIGHUP').catch((err: Error) => log.error(`reload failed: ${err.message}`));
  releaseStartupMemory();
  log.notice(`Router ${config.router.id} ready`);
  const stop = (signal: string) => {
    log.notice(`Router ${config.router.id} stopping (${signal})`);
    void node.stop().then(() => { logging.close(); process.exit(0); });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Loading and validating the configuration leaves garbage behind: collect it before serving. */
function releaseStartupMemory(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

void main();
