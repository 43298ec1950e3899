// What every scenario is given: options, where things are, and how to start routers.
import { freePort } from './ports';
import { RouterProcess } from './router-process';
import { ConfSection, renderConf } from './router-conf';
import type { BenchOptions } from './options';

export interface RunContext {
  options: BenchOptions;
  /** The checkout's root directory. */
  root: string;
  /** Path of the weft-loadgen binary. */
  loadgen: string;
  /** The router command, without `-c CONF`. */
  routerArgv: readonly string[];
  /** This bench's working directory (configuration files, router logs). */
  dir: string;
  /** Progress, to stderr: stdout carries the report. */
  log(message: string): void;
}

/** Starts one router from configuration sections built around a fresh client port. */
export async function startRouter(ctx: RunContext, name: string, sections: (port: number) => ConfSection[]): Promise<{ router: RouterProcess; port: number }> {
  const port = await freePort();
  const router = await RouterProcess.start({
    argv: ctx.routerArgv,
    name,
    conf: renderConf(sections(port)),
    port,
    dir: ctx.dir,
    cwd: ctx.root,
    startTimeoutMs: ctx.options.routerStartTimeoutS * 1000,
  });
  return { router, port };
}
