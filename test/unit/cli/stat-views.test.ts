// The stat views render the replies a real qdrouterd 1.19 gave qdstat exactly as qdstat printed
// them (wire-captures/3-management and raw/mgmt.out), the date line aside.

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { message } from 'rhea';
import { QueryResult } from '../../../router/cli/management-node';
import { addressesView } from '../../../router/cli/stat/addresses-view';
import { autolinksView, linkroutesView } from '../../../router/cli/stat/config-views';
import { connectionsView } from '../../../router/cli/stat/connections-view';
import { generalView } from '../../../router/cli/stat/general-view';
import { linksView } from '../../../router/cli/stat/links-view';
import { logView } from '../../../router/cli/stat/log-view';
import { memoryView } from '../../../router/cli/stat/memory-view';
import { STANDALONE, nodesView } from '../../../router/cli/stat/nodes-view';
import { StatNode, StatView } from '../../../router/cli/stat/view';
import { sharedDir } from '../../helpers/wire-captures';
import { RA_ADDRESSES_STAT, RA_CONNECTIONS, RA_LINKS, RA_NODES, RA_ROUTER, RB_ROUTER } from '../../fixtures/management/captured-replies';
import { meshRouters } from '../../fixtures/management/fake-routers';

const P = 'org.apache.qpid.dispatch.';

/** A body as the client sees it: encoded by rhea as the agent would send it, then decoded. */
function received<T>(body: unknown): T {
  return message.decode(message.encode({ body })).body as T;
}

interface Asked { entityType?: string; attributeNames: readonly string[]; limit?: number; properties?: Record<string, unknown> }

/** Answers each QUERY from a table of replies by entity type, and records what was asked. */
function stubNode(replies: Record<string, unknown>, nodeReply: unknown = undefined): StatNode & { asked: Asked[] } {
  const asked: Asked[] = [];
  return {
    asked,
    query: async (entityType, attributeNames = [], limit) => {
      asked.push({ entityType, attributeNames, limit });
      const reply = replies[entityType ?? ''];
      if (reply === undefined) throw new Error(`no reply for ${entityType}`);
      return received<QueryResult>(reply);
    },
    nodeRequest: async (properties) => {
      asked.push({ attributeNames: [], properties });
      return received(nodeReply);
    },
  };
}

/** qdstat's output for each command of the capture, date line and rc line left out. */
function capturedOutputs(): Map<string, string[]> {
  const text = fs.readFileSync(path.join(sharedDir(), 'reference/wire-captures/raw/mgmt.out'), 'utf8');
  const outputs = new Map<string, string[]>();
  for (const section of text.split(/^### /m).slice(1)) {
    const [command, ...lines] = section.split('\n');
    const end = lines.findIndex((l) => /^rc=\d+$/.test(l));
    outputs.set(command.replace(/^qdstat -b \S+ /, ''), lines.slice(1, end));
  }
  return outputs;
}

async function report(view: StatView, node: StatNode, id: string, verbose = false): Promise<string[]> {
  const out = await view.run({ node, verbose });
  return [id, '', ...out.lines];
}

describe('cli/stat views against qdstat 1.19 output', () => {
  const outputs = capturedOutputs();

  it('-g prints the router entity as qdstat did', async () => {
    const node = stubNode({ [`${P}router`]: RA_ROUTER });
    expect(await report(generalView, node, 'RA')).to.deep.equal(outputs.get('-g'));
    expect(node.asked).to.deep.equal([{ entityType: `${P}router`, attributeNames: [], limit: undefined }]);
    expect(await report(generalView, stubNode({ [`${P}router`]: RB_ROUTER }), 'RB')).to.deep.equal(outputs.get('-r RB -g'));
  });

  it('-c prints connections, their security, authentication, last delivery and uptime', async () => {
    expect(await report(connectionsView, stubNode({ [`${P}connection`]: RA_CONNECTIONS }), 'RA')).to.deep.equal(outputs.get('-c'));
  });

  it('-l asks for qdstat\'s link attributes and prints every column they allow', async () => {
    const node = stubNode({ [`${P}router.link`]: RA_LINKS });
    expect(await report(linksView, node, 'RA')).to.deep.equal(outputs.get('-l'));
    expect(node.asked[0].attributeNames).to.deep.equal(RA_LINKS.attributeNames);
  });

  it('-a asks for qdstat\'s address attributes, decodes the keys and sorts by address', async () => {
    const node = stubNode({ [`${P}router.address`]: RA_ADDRESSES_STAT });
    expect(await report(addressesView, node, 'RA')).to.deep.equal(outputs.get('-a'));
    expect(node.asked[0].attributeNames).to.deep.equal(RA_ADDRESSES_STAT.attributeNames);
  });

  it('-n prints the routers sorted by id with the last topology change', async () => {
    expect(await report(nodesView, stubNode({ [`${P}router.node`]: RA_NODES }), 'RA')).to.deep.equal(outputs.get('-n'));
  });

  it('-n on a router that knows no other says it is standalone', async () => {
    const empty = { attributeNames: RA_NODES.attributeNames, results: [] };
    expect((await nodesView.run({ node: stubNode({ [`${P}router.node`]: empty }), verbose: false })).lines).to.deep.equal([STANDALONE]);
  });

  it('-n -v adds version, cost, neighbours and valid origins', async () => {
    const out = await nodesView.run({ node: stubNode({ [`${P}router.node`]: RA_NODES }), verbose: true });
    expect(out.lines.slice(2)).to.deep.equal([
      '  router-id  next-hop  link  ver  cost  neighbors  valid-origins',
      '  ================================================================',
      "  RA         (self)    -     1          ['RB']     []",
      "  RB         -         0     1    1     ['RA']     []",
    ]);
  });

  it('-m prints the pools sorted by type, then the process size and pooled bytes', async () => {
    const [ra] = meshRouters();
    const node = stubNode({ [`${P}allocator`]: ra.entities[`${P}allocator`], [`${P}router`]: RA_ROUTER });
    const out = await memoryView.run({ node, verbose: false });
    expect(out.lines).to.deep.equal([
      'Types',
      '  type            size  batch  thread-max  total  in-threads  rebal-in  rebal-out',
      '  =================================================================================',
      '  qd_buffer_t     536   16     32          2,048  1,500       40        11',
      '  qd_message_t    160   64     128         1,280  320         12        3',
      '  qdr_delivery_t  248   16     32          64     16          0         0',
      '',
      'Summary',
      '  VmSize   Pooled',
      '  ===================',
      '  317 MiB  1.26 MiB',
    ]);
    expect(node.asked.map((a) => a.attributeNames)).to.deep.equal([
      ['identity', 'typeSize', 'transferBatchSize', 'localFreeListMax', 'totalAllocFromHeap', 'heldByThreads', 'batchesRebalancedToThreads', 'batchesRebalancedToGlobal'],
      ['memoryUsage'],
    ]);
  });

  it('--autolinks and --linkroutes print their tables, or say there are none', async () => {
    const [ra] = meshRouters();
    const links = await autolinksView.run({ node: stubNode({ [`${P}router.config.autoLink`]: ra.entities[`${P}router.config.autoLink`] }), verbose: false });
    expect(links.lines.slice(1)).to.deep.equal([
      '  addr      dir  phs  extAddr  link     status    lastErr',
      '  =========================================================',
      '  queue.q1  in   1                      inactive  ',
      '  queue.q1  out  0    q1       link/12  active    ',
    ]);
    const none = { attributeNames: [], results: [] };
    expect((await autolinksView.run({ node: stubNode({ [`${P}router.config.autoLink`]: none }), verbose: false })).lines).to.deep.equal(['AutoLinks', 'No AutoLinks found']);
    expect((await linkroutesView.run({ node: stubNode({ [`${P}router.config.linkRoute`]: none }), verbose: false })).lines).to.deep.equal(['Link Routes', 'No Link Routes found']);
    const routes = await linkroutesView.run({ node: stubNode({ [`${P}router.config.linkRoute`]: ra.entities[`${P}router.config.linkRoute`] }), verbose: false });
    expect(routes.lines.slice(1, 3)).to.deep.equal(['  address  dir  distrib       status', '  ====================================']);
  });

  it('--log asks GET-LOG with the limit and prints one line per entry', async () => {
    const [ra] = meshRouters();
    const node = stubNode({}, ra.log);
    const out = await logView.run({ node, verbose: false, limit: 3 });
    expect(out.lines).to.have.length(3);
    expect(out.lines[2]).to.match(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} ROUTER \(info\) Router started in Interior mode$/);
    expect(node.asked[0].properties?.operation).to.equal('GET-LOG');
    expect((node.asked[0].properties?.limit as { value: unknown }).value).to.equal(3); // an AMQP long, as proton sends an int
    expect((out.json.log as unknown[])[2]).to.deep.equal({
      module: 'ROUTER', level: 'info', text: 'Router started in Interior mode', file: 'router_core.c', line: 90, timestamp: 1795339600,
    });
  });

  it('--json gives the attribute names and each row as an object', async () => {
    const out = await generalView.run({ node: stubNode({ [`${P}router`]: RA_ROUTER }), verbose: false });
    const rows = out.json.rows as Record<string, unknown>[];
    expect(out.json.entityType).to.equal(`${P}router`);
    expect(out.json.attributeNames).to.deep.equal(RA_ROUTER.attributeNames);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ id: 'RA', mode: 'interior', linkCount: 27, memoryUsage: 332648448, metadata: null });
  });
});
