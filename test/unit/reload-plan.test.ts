// Reload plans (router/config/reload-plan.ts): two loads of a configuration in, the steps a
// running router takes and what needs a restart out; what runs after some steps failed; and
// reading the new file for a reload (a broken one yields every problem and no plan).

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigText, type LoadedConfig } from '../../router/config';
import { planReload, runningAfter, type ReloadPlan } from '../../router/config/reload-plan';
import { readConfig } from '../../router/cli/config-reloader';
import { fixture, lines, load } from './config/helpers';

const ROUTER = lines('router {', '    mode: interior', '    id: R1', '}');

function listener(name: string | undefined, port: string, extra: string[] = []): string {
  return lines('listener {', ...(name ? [`    name: ${name}`] : []), '    host: 127.0.0.1', `    port: ${port}`, ...extra.map((x) => `    ${x}`), '}');
}

function connector(name: string, port: string, extra: string[] = []): string {
  return lines('connector {', `    name: ${name}`, '    host: 127.0.0.1', `    port: ${port}`, '    role: inter-router', ...extra.map((x) => `    ${x}`), '}');
}

function address(prefix: string, distribution: string, name?: string): string {
  return lines('address {', ...(name ? [`    name: ${name}`] : []), `    prefix: ${prefix}`, `    distribution: ${distribution}`, '}');
}

function conf(...sections: string[]): LoadedConfig {
  return load(lines(...sections));
}

/** `action entity-name` per step, for short expectations. */
function steps(plan: ReloadPlan): string[] {
  return plan.steps.map((s) => `${s.action} ${s.entity.name}`);
}

function plan(before: string[], after: string[]): ReloadPlan {
  return planReload(conf(...before), conf(...after));
}

describe('reload plan', () => {
  it('the same file twice: nothing to do', () => {
    const sections = [ROUTER, listener('amqp', '5672'), listener(undefined, '5673'), connector('to-r2', '5680'), address('q', 'closest'), address('m', 'multicast')];
    const p = plan(sections, sections);
    expect(p.steps).to.deep.equal([]);
    expect(p.notApplied).to.deep.equal([]);
  });

  it('unnamed entities match themselves: listeners by host:port, addresses by position', () => {
    const p = plan([ROUTER, listener(undefined, '5672'), address('a', 'closest'), address('b', 'multicast')],
      [ROUTER, '# a comment moves every line', listener(undefined, '5672'), address('a', 'closest'), address('b', 'multicast')]);
    expect(p.steps).to.deep.equal([]);
  });

  it('a router id the file does not give is not a change (each load generates one)', () => {
    const text = lines('router {', '    mode: standalone', '}');
    const a = loadConfigText(text, 'r.conf', 'conf', { generateRouterId: () => 'Standalone_aaa' });
    const b = loadConfigText(text, 'r.conf', 'conf', { generateRouterId: () => 'Standalone_bbb' });
    expect(planReload(a, b).notApplied).to.deep.equal([]);
  });

  it('a listener added and one removed: close before listen, the removed one keeps its connections', () => {
    const p = plan([ROUTER, listener('amqp', '5672'), listener('old', '5673')], [ROUTER, listener('amqp', '5672'), listener('extra', '5674')]);
    expect(steps(p)).to.deep.equal(['close-listener old', 'listen extra']);
    expect(p.steps.map((s) => s.report)).to.deep.equal([
      'listener old removed: no longer accepting; its connections stay up',
      'listener extra added (127.0.0.1:5674)',
    ]);
  });

  it('a listener whose port changes is replaced (close + listen); amqp and 5672 are the same port', () => {
    const p = plan([ROUTER, listener('amqp', '5672'), listener('other', 'amqps')], [ROUTER, listener('amqp', '5675'), listener('other', '5671')]);
    expect(steps(p)).to.deep.equal(['close-listener amqp', 'listen amqp']);
    expect(p.steps[0].report).to.equal(undefined); // the replacement is one line, said by its listen
    expect(p.steps[1].report).to.equal('listener amqp changed (port 5672 → 5675): replaced; connections it accepted before stay up');
    expect(p.notApplied).to.deep.equal([]);
  });

  it('a listener whose other attributes change is not replaced: restart needed, with the reason', () => {
    const p = plan([ROUTER, listener('amqp', '5672')], [ROUTER, listener('amqp', '5672', ['maxFrameSize: 4096', 'authenticatePeer: yes'])]);
    expect(p.steps).to.deep.equal([]);
    expect(p.notApplied).to.deep.equal([
      'listener amqp changed (authenticatePeer false → true, maxFrameSize 16384 → 4096): restart needed (a listener is replaced live only when its host or port changes)',
    ]);
  });

  it('an unnamed listener moved to another port is another listener: removed and added', () => {
    const p = plan([ROUTER, listener(undefined, '5672')], [ROUTER, listener(undefined, '5673')]);
    expect(steps(p)).to.deep.equal(['close-listener listener/127.0.0.1:5672', 'listen listener/127.0.0.1:5673']);
  });

  it('connectors: added, removed, and a changed one replaced (its connection made again)', () => {
    const p = plan([ROUTER, connector('to-r2', '5680'), connector('to-r3', '5681')],
      [ROUTER, connector('to-r3', '5681', ['cost: 5']), connector('to-r4', '5682')]);
    expect(steps(p)).to.deep.equal(['remove-connector to-r2', 'remove-connector to-r3', 'add-connector to-r3', 'add-connector to-r4']);
    expect(p.steps.map((s) => s.report)).to.deep.equal([
      'connector to-r2 removed',
      undefined,
      'connector to-r3 changed (cost 1 → 5): replaced, its connection closed and made again',
      'connector to-r4 added (127.0.0.1:5682, role inter-router)',
    ]);
  });

  it('passwords are never shown', () => {
    const p = plan([ROUTER, connector('c', '5680', ['saslUsername: u', 'saslPassword: secret1'])], [ROUTER, connector('c', '5680', ['saslUsername: u', 'saslPassword: secret2'])]);
    const text = p.steps.map((s) => s.report).join('\n');
    expect(text).to.contain('saslPassword *** → ***');
    expect(text).not.to.match(/secret/);
  });

  it('addresses: added, removed, a changed distribution replaced', () => {
    const p = plan([ROUTER, address('q', 'closest', 'q'), address('old', 'balanced', 'old')],
      [ROUTER, address('q', 'multicast', 'q'), address('news', 'multicast', 'news')]);
    expect(steps(p)).to.deep.equal(['remove-address q', 'remove-address old', 'add-address q', 'add-address news']);
    expect(p.steps.map((s) => s.report)).to.deep.equal([undefined, 'address old removed', 'address q changed (distribution closest → multicast)', 'address news added (prefix news, multicast)']);
  });

  it('an unnamed address inserted first shifts the others: every removal comes before any addition', () => {
    const p = plan([ROUTER, address('a', 'closest'), address('b', 'multicast')], [ROUTER, address('new', 'balanced'), address('a', 'closest'), address('b', 'multicast')]);
    expect(steps(p)).to.deep.equal(['remove-address address/0', 'remove-address address/1', 'add-address address/0', 'add-address address/1', 'add-address address/2']);
    // The rules in force afterwards are those of the file, whatever the names.
    const added = p.steps.filter((s) => s.action === 'add-address').map((s) => (s.entity as { prefix?: string }).prefix);
    expect(added).to.deep.equal(['new', 'a', 'b']);
  });

  it('logs: a changed level, a removed entity back to the defaults, DEFAULT itself', () => {
    const logRouter = lines('log {', '    module: ROUTER', '    enable: debug+', '}');
    const logServer = lines('log {', '    module: SERVER', '    enable: trace+', '}');
    const logDefault = lines('log {', '    module: DEFAULT', '    enable: warning+', '}');
    const p = plan([ROUTER, logRouter, logServer], [ROUTER, lines('log {', '    module: ROUTER', '    enable: error+', '}'), logDefault]);
    expect(p.steps.map((s) => s.report)).to.deep.equal([
      'log ROUTER changed (enable debug+ → error+)',
      'log SERVER removed: back to the defaults (enable trace+ → default)',
      'log DEFAULT changed (enable info+ → warning+)',
    ]);
    expect(p.steps.every((s) => s.action === 'log')).to.equal(true);
  });

  it('steps come in load order: logs, addresses, connectors, listeners', () => {
    const p = plan([ROUTER, listener('l1', '5672'), connector('c1', '5680'), address('a', 'closest', 'a1')],
      [ROUTER, listener('l2', '5673'), connector('c2', '5681'), address('b', 'closest', 'a2'), lines('log {', '    module: ROUTER', '    enable: debug+', '}')]);
    expect(p.steps.map((s) => s.action)).to.deep.equal(['log', 'remove-address', 'add-address', 'remove-connector', 'add-connector', 'close-listener', 'listen']);
  });

  it('router mode, id and timers: restart needed', () => {
    const p = plan([ROUTER], [lines('router {', '    mode: standalone', '    id: R9', '    helloIntervalSeconds: 2', '}')]);
    expect(p.steps).to.deep.equal([]);
    expect(p.notApplied).to.deep.equal(['router changed (mode interior → standalone, id R1 → R9, helloIntervalSeconds 1 → 2): restart needed']);
  });

  it('sslProfiles, policy and vhosts: restart needed, each named', () => {
    const before = [ROUTER, lines('sslProfile {', '    name: tls', '    certFile: /a.pem', '}')];
    const after = [ROUTER,
      lines('policy {', '    maxConnections: 10', '}'),
      lines('vhost {', '    hostname: example.com', '}'),
    ];
    const p = plan(before, after);
    expect(p.steps).to.deep.equal([]);
    expect(p.notApplied).to.deep.equal([
      'policy changed (maxConnections 65535 → 10): restart needed',
      'sslProfile tls removed: restart needed',
      'vhost vhost/example.com added: restart needed',
    ]);
  });

  it('link routes and auto-links change live: a changed one is replaced, after the addresses and before the connectors', () => {
    const before = [ROUTER, lines('linkRoute {', '    prefix: broker', '    direction: in', '    connection: b', '}')];
    const after = [ROUTER,
      lines('linkRoute {', '    prefix: broker', '    direction: out', '    connection: b', '}'),
      lines('autoLink {', '    address: q1', '    direction: in', '    connection: b', '}'),
      address('q', 'closest', 'q'),
    ];
    const p = plan(before, after);
    expect(p.notApplied).to.deep.equal([]);
    expect(p.steps.map((s) => [s.action, s.subject, s.report])).to.deep.equal([
      ['add-address', 'address q', 'address q added (prefix q, closest)'],
      ['remove-link-route', 'linkRoute linkRoute/0', undefined],
      ['add-link-route', 'linkRoute linkRoute/0', 'linkRoute linkRoute/0 changed (direction in → out): replaced; links it routed already stay until they detach'],
      ['add-auto-link', 'autoLink autoLink/0', 'autoLink autoLink/0 added (q1 in, connection b)'],
    ]);
  });

  describe('what runs after a reload', () => {
    const before = [ROUTER, listener('amqp', '5672'), listener('old', '5673'), address('q', 'closest', 'q')];
    const after = [ROUTER, listener('amqp', '5672', ['maxFrameSize: 4096']), listener('extra', '5674'), address('q', 'multicast', 'q')];

    it('everything done: the new file, except what needs a restart (reported again next time)', () => {
      const old = conf(...before);
      const next = conf(...after);
      const p = planReload(old, next);
      const running = runningAfter(old, p.steps);
      expect(running.listeners.map((l) => l.name)).to.deep.equal(['amqp', 'extra']);
      expect(running.listeners[0].maxFrameSize).to.equal(16384);
      expect(running.addresses[0].distribution).to.equal('multicast');
      const again = planReload(running, next);
      expect(again.steps).to.deep.equal([]);
      expect(again.notApplied).to.have.length(1);
    });

    it('a step that failed is tried again by the next reload', () => {
      const old = conf(...before);
      const next = conf(...after);
      const p = planReload(old, next);
      const running = runningAfter(old, p.steps.filter((s) => s.action !== 'listen'));
      expect(steps(planReload(running, next))).to.deep.equal(['listen extra']);
    });
  });

  describe('reading the file of a reload', () => {
    it('a broken file: no configuration, every problem as the loader formats it (file:line)', () => {
      const file = fixture('broken/router1.conf');
      const r = readConfig(file, 'R1');
      expect(r).to.have.property('problems');
      const problems = (r as { problems: string[] }).problems;
      expect(problems).to.have.length(8);
      expect(problems[0]).to.equal(`${file}:4: router.id: must not contain whitespace or control characters`);
      expect(problems.map((p) => p.slice(file.length).split(':')[1])).to.deep.equal(['4', '5', '11', '12', '17', '18', '23', '27']);
    });

    it('a file that cannot be read is one problem', () => {
      const r = readConfig('/nonexistent/weft.conf', 'R1') as { problems: string[] };
      expect(r.problems).to.have.length(1);
      expect(r.problems[0]).to.match(/^\/nonexistent\/weft\.conf: cannot read the configuration file/);
    });

    it('a file without a router id keeps the running one', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-reload-'));
      const file = path.join(dir, 'r.conf');
      fs.writeFileSync(file, lines('router {', '    mode: standalone', '}', ''));
      const r = readConfig(file, 'Standalone_running') as { config: LoadedConfig };
      expect(r.config.router.id).to.equal('Standalone_running');
    });
  });
});
