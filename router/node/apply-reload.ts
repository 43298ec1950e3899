// Carries out a reload plan (router/config/reload-plan.ts) on a running router, step by step in
// the plan's order. Only the entities the plan names are touched: every other listener,
// connector and connection carries on. A step that fails is reported and the others still run.

import type { AddressEntity, ConnectorEntity, ListenerEntity, LogEntity } from '../config/entities';
import type { ReloadPlan, ReloadStep } from '../config/reload-plan';
import type { AddressRule } from '../core/address-table';
import type { LogSettings } from '../observe/logger';
import type { ConnectorSpec } from './connector';
import type { ListenerSpec } from './listener-spec';
import type { ReloadReport } from './reload-report';
import type { RouterNode } from './router-node';
import { recordOf } from './config-entities';
import { autoLinkConfig, linkRouteConfig } from './specs';

/** How configuration entities become what RouterNode takes (router/cli/node-from-config.ts). */
export interface SpecsFromConfig {
  listener(l: ListenerEntity): ListenerSpec;
  connector(c: ConnectorEntity): ConnectorSpec;
  address(a: AddressEntity): AddressRule;
  log(l: LogEntity): LogSettings;
}

export interface AppliedReload {
  report: ReloadReport;
  /** The steps that took effect (runningAfter() turns them into the running configuration). */
  done: ReloadStep[];
}

export async function applyReload(node: RouterNode, plan: ReloadPlan, specs: SpecsFromConfig): Promise<AppliedReload> {
  const report: ReloadReport = { applied: [], notApplied: [...plan.notApplied], problems: [] };
  const done: ReloadStep[] = [];
  const succeeded = (step: ReloadStep, detail = ''): void => {
    done.push(step);
    registerChange(node, step);
    if (step.report !== undefined) report.applied.push(step.report + detail);
  };

  // Log settings change all at once (one output that cannot be opened changes none of them).
  const logs = plan.steps.filter((s): s is Extract<ReloadStep, { action: 'log' }> => s.action === 'log');
  if (logs.length > 0) {
    const [removed, changed] = partition(logs, (s) => s.entity.source.line === 0 && s.entity.module !== 'DEFAULT');
    try {
      node.logging.reconfigure(changed.map((s) => specs.log(s.entity)), removed.map((s) => s.entity.module));
      for (const s of logs) succeeded(s);
    } catch (err) {
      report.problems.push(`log settings not changed (${logs.map((s) => s.entity.module).join(', ')}): ${messageOf(err)}`);
    }
  }

  for (const step of plan.steps) {
    try {
      switch (step.action) {
        case 'log': continue; // done above
        case 'remove-address':
          if (!node.removeAddressRule(step.entity.name)) throw new Error('the router has no rule of that name');
          succeeded(step);
          break;
        case 'add-address':
          node.addAddressRule(step.entity.name, specs.address(step.entity));
          succeeded(step);
          break;
        case 'remove-link-route':
          if (!node.linkRoutes.remove(step.entity.name)) throw new Error('the router has no link route of that name');
          succeeded(step);
          break;
        case 'add-link-route':
          node.linkRoutes.add(linkRouteConfig(step.entity));
          succeeded(step);
          break;
        case 'remove-auto-link':
          if (!node.autoLinks.remove(step.entity.name)) throw new Error('the router has no auto-link of that name');
          succeeded(step);
          break;
        case 'add-auto-link':
          node.autoLinks.add(autoLinkConfig(step.entity));
          succeeded(step);
          break;
        case 'remove-connector':
          node.removeConnector(step.entity.name);
          succeeded(step, ': its connection closed');
          break;
        case 'add-connector':
          node.connect(specs.connector(step.entity));
          succeeded(step);
          break;
        case 'close-listener':
          await node.closeListener(step.entity.name);
          succeeded(step);
          break;
        case 'listen': {
          const running = await node.listen(specs.listener(step.entity));
          succeeded(step, `: listening on ${running.spec.host || '0.0.0.0'}:${running.port}`);
          break;
        }
        default: { const never: never = step; throw new Error(`unknown reload step ${JSON.stringify(never)}`); }
      }
    } catch (err) {
      report.problems.push(`${step.subject}: could not ${VERB[step.action]}: ${messageOf(err)}`);
    }
  }
  return { report, done };
}

/** Management lists what runs: a reload's changes show in its configuration entities. */
function registerChange(node: RouterNode, step: ReloadStep): void {
  switch (step.action) {
    case 'remove-address': node.configEntities.remove('address', step.entity.name); break;
    case 'add-address': node.configEntities.add(recordOf('address', step.entity)); break;
    case 'remove-link-route': node.configEntities.remove('linkRoute', step.entity.name); break;
    case 'add-link-route': node.configEntities.add(recordOf('linkRoute', step.entity)); break;
    case 'remove-auto-link': node.configEntities.remove('autoLink', step.entity.name); break;
    case 'add-auto-link': node.configEntities.add(recordOf('autoLink', step.entity)); break;
    case 'remove-connector': node.configEntities.remove('connector', step.entity.name); break;
    case 'add-connector': node.configEntities.add(recordOf('connector', step.entity)); break;
    case 'close-listener': node.configEntities.remove('listener', step.entity.name); break;
    case 'listen': node.configEntities.add(recordOf('listener', step.entity)); break;
    default: break;
  }
}

const VERB: Record<ReloadStep['action'], string> = {
  'log': 'change the log settings',
  'remove-address': 'remove the address rule',
  'add-address': 'add the address rule',
  'remove-link-route': 'remove the link route',
  'add-link-route': 'add the link route',
  'remove-auto-link': 'remove the auto-link',
  'add-auto-link': 'add the auto-link',
  'remove-connector': 'stop the connector',
  'add-connector': 'start the connector',
  'close-listener': 'close the listener',
  'listen': 'listen',
};

function partition<T>(items: readonly T[], test: (t: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((t) => !test(t))];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
