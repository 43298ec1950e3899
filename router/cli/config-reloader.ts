// Reloading the configuration file of a running router (weftd on SIGHUP, management through
// node.reloadConfig): read and validate the whole file, plan the difference from what runs,
// apply it, and log each change at notice and everything not done at warning (module ROUTER).
// A file with any problem changes nothing.

import { formatConfigError, loadConfigFile } from '../config/load-config';
import type { LoadedConfig } from '../config/entities';
import { formatProblem } from '../config/format';
import { planReload, runningAfter } from '../config/reload-plan';
import { applyReload, type SpecsFromConfig } from '../node/apply-reload';
import type { ReloadReport } from '../node/reload-report';
import type { RouterNode } from '../node/router-node';
import { addressRule, connectorSpec, listenerSpec, logSettings } from './node-from-config';
import { writePortsFile } from './ports-file';

const SPECS: SpecsFromConfig = { listener: listenerSpec, connector: connectorSpec, address: addressRule, log: logSettings };

export class ConfigReloader {
  /** What runs: the last file read, less what could not be applied. The next reload compares with it. */
  private running: LoadedConfig;
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly node: RouterNode, private readonly file: string, running: LoadedConfig, private readonly portsFile?: string) {
    this.running = running;
  }

  /** One reload at a time: one asked for while another runs starts when it is done. */
  reload(trigger: string): Promise<ReloadReport> {
    const next = this.last.then(() => this.run(trigger));
    this.last = next.catch(() => undefined); // one that failed does not block the next
    return next;
  }

  private async run(trigger: string): Promise<ReloadReport> {
    const log = this.node.log.router;
    log.notice(`Reloading the configuration from ${this.file} (${trigger})`);
    const loaded = readConfig(this.file, this.node.id);
    if ('problems' in loaded) {
      for (const p of loaded.problems) log.warning(`Reload: ${p}`);
      log.warning(`Configuration not reloaded: ${this.file} has ${loaded.problems.length} problem(s); nothing was changed`);
      return { applied: [], notApplied: [], problems: loaded.problems };
    }
    for (const w of loaded.config.warnings) log.warning(`Reload: ${formatProblem(w)}`);
    let report: ReloadReport;
    try {
      report = await this.apply(loaded.config);
    } catch (err) {
      report = { applied: [], notApplied: [], problems: [`reload failed: ${(err as Error).message}`] };
    }
    for (const line of report.applied) log.notice(`Reload: ${line}`);
    for (const line of report.notApplied) log.warning(`Reload: not applied: ${line}`);
    for (const line of report.problems) log.warning(`Reload: ${line}`);
    const counts = `${report.applied.length} applied, ${report.notApplied.length} not applied, ${report.problems.length} problems`;
    log.notice(`Configuration reloaded from ${this.file}: ${counts}`);
    return report;
  }

  private async apply(config: LoadedConfig): Promise<ReloadReport> {
    const plan = planReload(this.running, config);
    const { report, done } = await applyReload(this.node, plan, SPECS);
    this.running = runningAfter(this.running, done);
    const listenersChanged = plan.steps.some((s) => s.action === 'listen' || s.action === 'close-listener');
    if (this.portsFile && listenersChanged) writePortsFile(this.portsFile, this.node);
    return report;
  }
}

/**
 * The new configuration, or every problem as the loader formats them (`file:line: ...`). A
 * router id the file does not give stays the running one (a load would generate a new one).
 */
export function readConfig(file: string, routerId: string): { config: LoadedConfig } | { problems: string[] } {
  try {
    return { config: loadConfigFile(file, { generateRouterId: () => routerId }) };
  } catch (err) {
    return { problems: formatConfigError(err).split('\n') };
  }
}
