// `weft stat -g` (the default): the router entity as a two-column attr/value table, the rows and
// labels of qdstat's displayGeneral. Rows for attributes an older agent lacks are left out.

import { rowsOf } from '../management-node';
import { numKMG, plainNum, pyText } from './py-text';
import { timeLong } from './py-time';
import { formatTable } from './table';
import { ENTITY_PREFIX, StatView, has, queryJson } from './view';

const TYPE = `${ENTITY_PREFIX}router`;

/** Counters after Connections, each shown when the agent returns it: [label, attribute]. */
const DELIVERY_ROWS: readonly (readonly [string, string])[] = [
  ['Presettled Count', 'presettledDeliveries'],
  ['Dropped Presettled Count', 'droppedPresettledDeliveries'],
  ['Accepted Count', 'acceptedDeliveries'],
  ['Rejected Count', 'rejectedDeliveries'],
  ['Released Count', 'releasedDeliveries'],
  ['Modified Count', 'modifiedDeliveries'],
  ['Deliveries Delayed > 1sec', 'deliveriesDelayed1Sec'],
  ['Deliveries Delayed > 10sec', 'deliveriesDelayed10Sec'],
  ['Deliveries Stuck > 10sec', 'deliveriesStuck'],
  ['Deliveries to Fallback', 'deliveriesRedirectedToFallback'],
  ['Links Blocked', 'linksBlocked'],
  ['Ingress Count', 'deliveriesIngress'],
  ['Egress Count', 'deliveriesEgress'],
  ['Transit Count', 'deliveriesTransit'],
  ['Deliveries from Route Container', 'deliveriesIngressRouteContainer'],
  ['Deliveries to Route Container', 'deliveriesEgressRouteContainer'],
];

const COUNT_ROWS: readonly (readonly [string, string])[] = [
  ['Link Routes', 'linkRouteCount'],
  ['Auto Links', 'autoLinkCount'],
  ['Links', 'linkCount'],
  ['Nodes', 'nodeCount'],
  ['Addresses', 'addrCount'],
  ['Connections', 'connectionCount'],
];

export const generalView: StatView = {
  header: true,
  async run({ node }) {
    const result = await node.query(TYPE);
    const r = rowsOf(result)[0];
    const rows: string[][] = [];
    if (r) {
      rows.push(['Version', pyText(r.version)], ['Mode', pyText(r.mode)], ['Router Id', pyText(r.id)]);
      if (has(result, 'workerThreads')) rows.push(['Worker Threads', pyText(r.workerThreads)]);
      if (has(result, 'uptimeSeconds')) rows.push(['Uptime', timeLong(Number(r.uptimeSeconds))]);
      if (typeof r.memoryUsage === 'number' && r.memoryUsage > 0) rows.push(['VmSize', numKMG(r.memoryUsage, 1024)]);
      rows.push(['Area', pyText(r.area)]);
      for (const [label, name] of COUNT_ROWS) rows.push([label, plainNum(r[name])]);
      for (const [label, name] of DELIVERY_ROWS) if (has(result, name)) rows.push([label, plainNum(r[name])]);
    }
    return { lines: formatTable('Router Statistics', ['attr', 'value'], rows), json: queryJson(TYPE, result) };
  },
};
