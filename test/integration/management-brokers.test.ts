// Link routes and auto-links created and deleted through management on a running router
// (qdmanage create/delete --type linkRoute|autoLink): they take effect at once, and
// qdstat --linkroutes / --autolinks show their operStatus from what is in force.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Connection } from 'rhea';
import { RheaBroker } from '../helpers/rhea-broker';
import { ManagementClient } from '../helpers/management-client';
import { RouterProcess, startRouter, standaloneConf, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, refusal, rheaConnect, sendable } from '../helpers/rhea-client';

describe('management: link routes and auto-links at run time', function () {
  this.timeout(20000);
  let broker: RheaBroker;
  let router: RouterProcess;
  let mgmt: ManagementClient;
  const conns: Connection[] = [];
  const client = async (): Promise<Connection> => { const c = await rheaConnect(router.port); conns.push(c); return c; };

  before(async () => {
    broker = await RheaBroker.start({ containerId: 'mgmt-broker' });
    router = await startRouter(standaloneConf(`connector {\n    name: broker\n    host: 127.0.0.1\n    port: ${broker.port}\n    role: route-container\n    saslMechanisms: ANONYMOUS\n}\n`));
    mgmt = await ManagementClient.connect(router.port);
  });
  after(async () => {
    for (const c of conns.splice(0)) await closeConnection(c).catch(() => undefined);
    await mgmt.close();
    await router.stop();
    await broker.close();
  });

  const status = async (type: string, name: string): Promise<Record<string, unknown> | undefined> =>
    (await mgmt.rows(type, [])).find((r) => r.name === name);

  it('CREATE linkRoute: active at once, attaches reach the broker; DELETE: no route any more', async () => {
    for (const direction of ['in', 'out']) {
      const r = await mgmt.entity('CREATE', 'router.config.linkRoute', { name: `lr-${direction}` }, { prefix: 'routed.', direction, connection: 'broker' });
      expect(r.statusCode, r.statusDescription).to.equal(201);
    }
    await waitFor(async () => (await status('router.config.linkRoute', 'lr-in'))?.operStatus === 'active', 'lr-in active');
    expect((await status('router.config.linkRoute', 'lr-out'))?.operStatus).to.equal('active');

    const c = await client();
    const sender = await openSender(c, 'routed.q1');
    await sendable(sender);
    sender.send({ body: 'via the link route' });
    await waitFor(() => broker.received.some((m) => m.address === 'routed.q1'), 'the broker to store the message');
    const receiver = await openReceiver(c, { source: { address: 'routed.q1' }, credit_window: 10 });
    const got = collectMessages(receiver);
    await waitFor(() => got.length === 1, 'the message back from the broker');

    // Deleted: routed.* is a plain message-routed address again (a local receiver gets it, the broker nothing).
    expect((await mgmt.entity('DELETE', 'router.config.linkRoute', { name: 'lr-in' })).statusCode).to.equal(204);
    expect((await mgmt.entity('DELETE', 'router.config.linkRoute', { name: 'lr-out' })).statusCode).to.equal(204);
    expect(await status('router.config.linkRoute', 'lr-in')).to.equal(undefined);
    const local = collectMessages(await openReceiver(c, { source: { address: 'routed.q2' }, credit_window: 10 }));
    const plain = await openSender(c, 'routed.q2');
    await sendable(plain);
    plain.send({ body: 'message-routed' });
    await waitFor(() => local.length === 1, 'the local receiver to get it');
    expect(broker.received.filter((m) => m.address === 'routed.q2')).to.have.length(0);
  });

  it('a link route whose container is not connected is inactive and refuses attaches at once', async () => {
    const r = await mgmt.entity('CREATE', 'router.config.linkRoute', { name: 'lr-nowhere' }, { prefix: 'nowhere.', direction: 'in', connection: 'no-such-connector' });
    expect(r.statusCode, r.statusDescription).to.equal(201);
    expect((await status('router.config.linkRoute', 'lr-nowhere'))?.operStatus).to.equal('inactive');
    const refused = await refusal((await client()).open_sender('nowhere.q'));
    expect(refused.condition).to.equal('qd:no-route-to-dest');
  });

  it('CREATE autoLink: attached at once and shown active; DELETE detaches it', async () => {
    expect((await mgmt.entity('CREATE', 'router.config.address', { name: 'jobs' }, { prefix: 'jobs', waypoint: true })).statusCode).to.equal(201);
    for (const direction of ['out', 'in']) {
      const r = await mgmt.entity('CREATE', 'router.config.autoLink', { name: `jobs-${direction}` }, { address: 'jobs', direction, connection: 'broker' });
      expect(r.statusCode, r.statusDescription).to.equal(201);
    }
    await waitFor(async () => (await status('router.config.autoLink', 'jobs-out'))?.operStatus === 'active'
      && (await status('router.config.autoLink', 'jobs-in'))?.operStatus === 'active', 'both auto-links active');
    expect(String((await status('router.config.autoLink', 'jobs-out'))?.linkRef)).to.match(/^qdlink\./);

    // Stored by the broker with no consumer anywhere, delivered when one attaches.
    const c = await client();
    const sender = await openSender(c, 'jobs');
    await sendable(sender);
    sender.send({ body: 'job 1' });
    await waitFor(() => broker.received.some((m) => m.address === 'jobs'), 'the broker to store the job');
    const got = collectMessages(await openReceiver(c, { source: { address: 'jobs' }, credit_window: 10 }));
    await waitFor(() => got.length === 1, 'the job from the broker');

    expect((await mgmt.entity('DELETE', 'router.config.autoLink', { name: 'jobs-out' })).statusCode).to.equal(204);
    expect(await status('router.config.autoLink', 'jobs-out')).to.equal(undefined);
  });

  it('a reload (RELOAD, as SIGHUP) adds a link route and an auto-link from the edited file, live', async () => {
    fs.appendFileSync(path.join(router.dir, 'router.conf'), [
      'linkRoute {', '    name: lr-reloaded', '    prefix: reloaded.', '    direction: in', '    connection: broker', '}',
      'address {', '    name: tasks', '    prefix: tasks', '    waypoint: yes', '}',
      'autoLink {', '    name: tasks-out', '    address: tasks', '    direction: out', '    connection: broker', '}', '',
    ].join('\n'));
    const r = await mgmt.entity('RELOAD', 'router', { name: 'TestRouter' });
    expect(r.statusCode).to.equal(200);
    const report = r.body as { applied: string[]; notApplied: string[]; problems: string[] };
    expect(report.problems).to.deep.equal([]);
    expect(report.applied.join('\n')).to.match(/linkRoute lr-reloaded added/).and.to.match(/autoLink tasks-out added/);
    await waitFor(async () => (await status('router.config.linkRoute', 'lr-reloaded'))?.operStatus === 'active'
      && (await status('router.config.autoLink', 'tasks-out'))?.operStatus === 'active', 'the reloaded link route and auto-link active');
    const sender = await openSender(await client(), 'reloaded.q');
    await sendable(sender);
    sender.send({ body: 'routed after a reload' });
    await waitFor(() => broker.received.some((m) => m.address === 'reloaded.q'), 'the broker to get it through the new link route');
  });
});
