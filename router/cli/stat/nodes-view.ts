// `weft stat -n`: the routers this one knows (router.node), sorted by id, with the most recent
// topology change; a router that knows none prints "Router is Standalone - No Router List".

import { rowsOf } from '../management-node';
import { pyRepr, pyStr, pyText } from './py-text';
import { topologyChangeText } from './py-time';
import { formatTable, sortRows } from './table';
import { ENTITY_PREFIX, StatView, queryJson } from './view';

const TYPE = `${ENTITY_PREFIX}router.node`;

export const STANDALONE = 'Router is Standalone - No Router List';

/** `['RA', 'RB']`, as qdstat prints a list of ids (each item made a string first). */
const idList = (v: unknown): string => pyRepr(Array.isArray(v) ? v.map(pyStr) : []);

export const nodesView: StatView = {
  header: true,
  async run({ node, verbose, limit }) {
    const result = await node.query(TYPE, [], limit);
    const nodes = rowsOf(result);
    const json = queryJson(TYPE, result);
    if (nodes.length === 0) return { lines: [STANDALONE], json };
    const heads = ['router-id', 'next-hop', 'link'];
    if (verbose) heads.push('ver', 'cost', 'neighbors', 'valid-origins');
    let lastTopoChange = 0;
    const rows = nodes.map((n) => {
      if (n.lastTopoChange) lastTopoChange = Math.max(lastTopoChange, Number(n.lastTopoChange));
      // A neighbour has no next hop: its link is shown instead.
      const row = [pyText(n.id), ...(n.nextHop !== null ? [pyText(n.nextHop), '-'] : ['-', pyText(n.routerLink)])];
      if (verbose) row.push(pyText(n.protocolVersion), pyText(n.cost), idList(n.linkState), idList(n.validOrigins));
      return row;
    });
    let title = 'Routers in the Network';
    if (lastTopoChange > 1) title += `\nLast Topology Change: ${topologyChangeText(lastTopoChange)}`;
    return { lines: formatTable(title, heads, sortRows(rows, 0)), json };
  },
};
