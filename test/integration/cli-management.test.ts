// `weft stat` and `weft manage` as subprocesses against a fake management agent that answers as
// qdrouterd 1.19's agents do (test/helpers/fake-management-agent.ts): two routers, RA (connected
// to) and RB (reached as _topo/0/RB/$management). The checks on output name only the routers'
// ids and qdstat's headings, so that the same cases can run against weftd once its agent lands;
// the checks on the requests sent use what the fake recorded.

import { expect } from 'chai';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { freePort } from '../../scripts/bench/ports';
import { FakeManagementAgent } from '../helpers/fake-management-agent';
import { WeftRun, runWeft, transcript } from '../helpers/run-weft';
import { meshRouters, standaloneRouter } from '../fixtures/management/fake-routers';

const P = 'org.apache.qpid.dispatch.';
const DATE_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC$/;

describe('weft stat / weft manage (subprocess, against a fake management agent)', function () {
  this.timeout(20000);
  let agent: FakeManagementAgent;

  /** Runs weft against the agent; `expectCode` is checked with the transcript on failure. */
  async function weft(expectCode: number, ...args: string[]): Promise<WeftRun> {
    const full = [...args, '-b', agent.bus];
    const r = await runWeft(full);
    expect(r.code, transcript(full, r)).to.equal(expectCode);
    return r;
  }

  describe('a mesh of two routers', () => {
    beforeEach(async () => { agent = await FakeManagementAgent.start(meshRouters()); });
    afterEach(async () => { await agent.close(); });

    const REPORTS: [string[], string][] = [
      [[], 'Router Statistics'],
      [['-g'], 'Router Statistics'],
      [['-c'], 'Connections'],
      [['-l'], 'Router Links'],
      [['-a'], 'Router Addresses'],
      [['-n'], 'Routers in the Network'],
      [['-m'], 'Types'],
      [['--autolinks'], 'AutoLinks'],
      [['--linkroutes'], 'Link Routes'],
      [['-l', '-v'], 'Router Links'],
    ];
    for (const [options, title] of REPORTS) {
      it(`stat ${options.join(' ') || '(no option)'} prints the date, the router id, then "${title}"`, async () => {
        const r = await weft(0, 'stat', ...options);
        const lines = r.stdout.split('\n');
        expect(lines[0]).to.match(DATE_LINE);
        expect(lines.slice(1, 4)).to.deep.equal(['RA', '', title]);
        expect(r.stderr).to.equal('');
      });
    }

    it('stat -g asks GET-MGMT-NODES, then the router entity (twice, as qdstat), in the reference shapes', async () => {
      const r = await weft(0, 'stat', '-g');
      expect(r.stdout).to.match(/^ {2}Router Id +RA$/m);
      expect(agent.operations).to.deep.equal(['GET-MGMT-NODES', `QUERY ${P}router`, `QUERY ${P}router`]);
      const [nodes, query] = agent.requests;
      expect(nodes.address).to.equal('$management');
      expect(nodes.properties).to.deep.equal({ name: 'self', type: 'org.amqp.management', operation: 'GET-MGMT-NODES' });
      expect(query.properties).to.deep.equal({
        name: 'self', type: 'org.amqp.management', operation: 'QUERY', entityType: `${P}router`, offset: 0, count: 500,
      });
      expect(query.body).to.deep.equal({ attributeNames: [] });
    });

    it('stat -c --limit 2 asks for two rows and shows two', async () => {
      const r = await weft(0, 'stat', '-c', '--limit', '2');
      const table = r.stdout.split('\n').slice(6).filter((l) => l !== '');
      expect(table).to.have.length(2);
      expect(agent.requests[1].properties).to.include({ entityType: `${P}connection`, offset: 0, count: 2 });
    });

    it('stat --log prints one line per log entry, oldest first', async () => {
      const r = await weft(0, 'stat', '--log');
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.length).to.be.greaterThan(0);
      for (const l of lines) expect(l).to.match(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \S+ \(\w+\) /);
    });

    it('stat --json prints the attribute names and the rows as objects', async () => {
      const r = await weft(0, 'stat', '-l', '--json');
      const json = JSON.parse(r.stdout);
      expect(json.router).to.equal('RA');
      expect(json.entityType).to.equal(`${P}router.link`);
      expect(json.attributeNames).to.include.members(['linkType', 'linkDir', 'owningAddr']);
      expect(json.rows.length).to.be.greaterThan(0);
      expect(json.rows[0]).to.have.property('linkType');
    });

    it('stat --all-routers prints each router\'s report under "Router <id>", asking each one', async () => {
      const r = await weft(0, 'stat', '--all-routers', '-g');
      const lines = r.stdout.split('\n');
      expect(lines[0]).to.match(DATE_LINE);
      expect(lines.filter((l) => l.startsWith('Router R'))).to.deep.equal(['Router RA', 'Router RB']);
      expect(r.stdout).to.match(/^ {2}Router Id +RA$/m).and.match(/^ {2}Router Id +RB$/m);
      const asked = agent.requests.filter((q) => q.properties.operation === 'QUERY').map((q) => q.address);
      expect(asked).to.deep.equal(['_topo/0/RA/$management', '_topo/0/RB/$management']);
    });

    it('stat --all-routers --json gives one report per router', async () => {
      const r = await weft(0, 'stat', '--all-routers', '-n', '--json');
      const json = JSON.parse(r.stdout);
      expect(json.routers.map((x: { router: string }) => x.router)).to.deep.equal(['RA', 'RB']);
      expect(json.routers[1].rows.map((n: { id: string }) => n.id)).to.have.members(['RA', 'RB']);
    });

    it('stat -r RB asks RB through _topo/0/RB/$management', async () => {
      const r = await weft(0, 'stat', '-r', 'RB', '-n');
      expect(r.stdout.split('\n')[1]).to.equal('RB');
      expect(r.stdout).to.match(/^ {2}RB +\(self\) +-$/m);
      expect(new Set(agent.requests.map((q) => q.address))).to.deep.equal(new Set(['_topo/0/RB/$management']));
    });

    it('stat -r with a router there is no route to fails with one line naming the address', async () => {
      const r = await weft(1, 'stat', '-r', 'NOPE');
      expect(r.stdout).to.equal('');
      expect(r.stderr.trimEnd().split('\n')).to.have.length(1);
      expect(r.stderr).to.include("'_topo/0/NOPE/$management'").and.include('amqp:not-found');
    });

    it('stat -r with a router the agent never gives credit for (as qdrouterd) times out naming the address', async () => {
      await agent.close();
      agent = await FakeManagementAgent.start(meshRouters(), { unknownRouter: 'no-credit' });
      const r = await weft(1, 'stat', '-r', 'NOPE', '-t', '0.5');
      expect(r.stderr).to.equal(`weft stat: no credit to send to '_topo/0/NOPE/$management' at ${agent.bus} within 0.5 s: is there a route to it?\n`);
    });

    it('manage create, read, update, query and delete an address', async () => {
      const created = JSON.parse((await weft(0, 'manage', 'create', '--type', 'address', '--name', 'fooAddr', 'prefix=foo', 'distribution=closest', 'priority=3')).stdout);
      expect(created).to.include({ name: 'fooAddr', type: `${P}router.config.address`, prefix: 'foo', distribution: 'closest', priority: 3 });
      const create = agent.requests[0];
      expect(create.properties).to.deep.equal({ operation: 'CREATE', type: `${P}router.config.address`, name: 'fooAddr' });
      expect(create.body).to.deep.equal({ prefix: 'foo', distribution: 'closest', priority: 3 });

      const read = JSON.parse((await weft(0, 'manage', 'read', '--type', 'address', '--identity', created.identity)).stdout);
      expect(read).to.deep.equal(created);
      const updated = JSON.parse((await weft(0, 'manage', 'update', '--type', 'address', '--name', 'fooAddr', 'waypoint=true')).stdout);
      expect(updated.waypoint).to.equal(true);
      const listed = JSON.parse((await weft(0, 'manage', 'query', '--type', 'address')).stdout);
      expect(listed.map((a: { name: string }) => a.name)).to.include('fooAddr');

      const deleted = await weft(0, 'manage', 'delete', '--type', 'address', '--name', 'fooAddr');
      expect(deleted.stdout).to.equal('');
      expect(agent.requests.at(-1)!.properties).to.deep.equal({ operation: 'DELETE', type: `${P}router.config.address`, name: 'fooAddr' });
      const again = await weft(1, 'manage', 'delete', '--type', 'address', '--name', 'fooAddr');
      expect(again.stderr).to.match(/^weft manage: DELETE \S+ to '\$management' failed: 404 Not Found/);
    });

    it('manage query prints the entities as a JSON list, leaving out null attributes', async () => {
      const r = await weft(0, 'manage', 'query', '--type', 'router.address');
      const addresses = JSON.parse(r.stdout);
      expect(addresses.length).to.be.greaterThan(0);
      for (const a of addresses) expect(Object.values(a)).not.to.include(null);
      expect(r.stdout.split('\n')[1]).to.equal('  {');
    });

    it('manage get-types, get-attributes, get-operations, get-annotations, get-mgmt-nodes, get-schema, get-log print JSON', async () => {
      expect(JSON.parse((await weft(0, 'manage', 'get-types')).stdout)).to.have.property(`${P}router`);
      expect(JSON.parse((await weft(0, 'manage', 'get-attributes', '--type', 'address')).stdout)).to.have.property(`${P}router.config.address`);
      expect(JSON.parse((await weft(0, 'manage', 'get-operations', 'router')).stdout)).to.have.property(`${P}router`);
      expect(JSON.parse((await weft(0, 'manage', 'get-annotations')).stdout)).to.deep.equal({});
      expect(JSON.parse((await weft(0, 'manage', 'get-mgmt-nodes')).stdout)).to.include('amqp:/_topo/0/RB/$management');
      expect(JSON.parse((await weft(0, 'manage', 'get-schema')).stdout)).to.have.property('entityTypes');
      expect(JSON.parse((await weft(0, 'manage', 'get-log', 'limit=2')).stdout)).to.have.length(2);
      const ops = agent.requests.map((q) => [q.properties.operation, q.properties.entityType]);
      expect(ops).to.deep.equal([
        ['GET-TYPES', undefined], ['GET-ATTRIBUTES', `${P}router.config.address`], ['GET-OPERATIONS', `${P}router`],
        ['GET-ANNOTATIONS', undefined], ['GET-MGMT-NODES', undefined], ['GET-SCHEMA', undefined], ['GET-LOG', undefined],
      ]);
      expect(agent.requests.at(-1)!.properties.limit).to.equal(2);
    });

    it('manage reload sends RELOAD to the router entity and prints its report', async () => {
      const r = await weft(0, 'manage', 'reload');
      expect(r.stdout.split('\n')[0]).to.match(/^applied (\(\d+\):|: none)$/);
      expect(r.stdout).to.match(/^not applied /m).and.match(/^problems/m);
      expect(agent.requests[0].properties).to.deep.equal({ operation: 'RELOAD', type: `${P}router` });
      const json = JSON.parse((await weft(0, 'manage', 'reload', '--json')).stdout);
      expect(json).to.have.all.keys('applied', 'notApplied', 'problems');
    });

    it('manage --all-routers asks each router and prints each answer under its id', async () => {
      const r = await weft(0, 'manage', 'query', '--type', 'router', 'id', '--all-routers');
      expect(r.stdout).to.equal('Router RA\n[\n  {\n    "id": "RA"\n  }\n]\n\nRouter RB\n[\n  {\n    "id": "RB"\n  }\n]\n');
      const json = JSON.parse((await weft(0, 'manage', 'query', '--type', 'router', 'id', '--all-routers', '--json')).stdout);
      expect(json.routers).to.deep.equal([{ router: 'RA', result: [{ id: 'RA' }] }, { router: 'RB', result: [{ id: 'RB' }] }]);
    });

    it('an unknown operation is answered 501 and exits 1', async () => {
      const r = await weft(1, 'manage', 'frobnicate');
      expect(r.stderr).to.match(/^weft manage: FROBNICATE to '\$management' failed: 501 Not Implemented/);
    });

    it('an unknown entity type is answered 404 and exits 1 with the status', async () => {
      const r = await weft(1, 'manage', 'query', '--type', 'nosuch');
      expect(r.stderr).to.include('404 Not Found');
      expect(r.stderr.trimEnd().split('\n')).to.have.length(1);
    });
  });

  describe('a standalone router', () => {
    beforeEach(async () => { agent = await FakeManagementAgent.start(standaloneRouter()); });
    afterEach(async () => { await agent.close(); });

    it('stat -n says the router is standalone', async () => {
      const r = await weft(0, 'stat', '-n');
      expect(r.stdout.split('\n').slice(1)).to.deep.equal(['RA', '', 'Router is Standalone - No Router List', '']);
    });

    it('stat --all-routers with one router known prints its report alone, as qdstat', async () => {
      const r = await weft(0, 'stat', '--all-routers');
      expect(r.stdout.split('\n').slice(1, 4)).to.deep.equal(['RA', '', 'Router Statistics']);
      expect(r.stdout).not.to.include('Router RA');
    });
  });

  describe('no router', () => {
    const sockets = new Set<Socket>();
    let silent: Server | undefined;
    afterEach(async () => {
      for (const s of sockets) s.destroy();
      if (silent) await new Promise((resolve) => silent!.close(resolve));
      silent = undefined;
    });

    it('nothing listening: exit 1 with one line naming the address', async () => {
      const port = await freePort();
      const r = await runWeft(['stat', '-b', `127.0.0.1:${port}`]);
      expect(r.code, transcript(['stat'], r)).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.equal(`weft stat: cannot connect to 127.0.0.1:${port}: ECONNREFUSED\n`);
    });

    it('a peer that never answers: exit 1 after --timeout', async () => {
      silent = createServer((s) => { sockets.add(s); });
      await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as AddressInfo).port;
      const started = Date.now();
      const r = await runWeft(['manage', 'get-types', '-b', `127.0.0.1:${port}`, '-t', '0.5']);
      expect(r.code, transcript(['manage'], r)).to.equal(1);
      expect(r.stderr).to.equal(`weft manage: cannot connect to 127.0.0.1:${port}: no answer within 0.5 s\n`);
      expect(Date.now() - started).to.be.lessThan(5000);
    });
  });
});
