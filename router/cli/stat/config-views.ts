// `weft stat --autolinks` and `--linkroutes`: the configured auto-links and link routes with
// their operational status, sorted by address; "No ... found" when there are none.

import { rowsOf } from '../management-node';
import { pyText } from './py-text';
import { formatTable, sortRows } from './table';
import { ENTITY_PREFIX, StatView, queryJson } from './view';

const AUTOLINK = `${ENTITY_PREFIX}router.config.autoLink`;
const LINKROUTE = `${ENTITY_PREFIX}router.config.linkRoute`;

export const AUTOLINK_ATTRIBUTES = ['address', 'direction', 'phase', 'externalAddress', 'linkRef', 'operStatus', 'lastError'] as const;
export const LINKROUTE_ATTRIBUTES = ['prefix', 'direction', 'distribution', 'operStatus', 'pattern', 'addExternalPrefix', 'delExternalPrefix'] as const;

export const autolinksView: StatView = {
  header: true,
  async run({ node, limit }) {
    const result = await node.query(AUTOLINK, AUTOLINK_ATTRIBUTES, limit);
    const json = queryJson(AUTOLINK, result);
    const links = rowsOf(result);
    if (links.length === 0) return { lines: ['AutoLinks', 'No AutoLinks found'], json };
    const rows = links.map((a) => AUTOLINK_ATTRIBUTES.map((n) => pyText(a[n])));
    const heads = ['addr', 'dir', 'phs', 'extAddr', 'link', 'status', 'lastErr'];
    return { lines: formatTable('AutoLinks', heads, sortRows(rows, 0)), json };
  },
};

export const linkroutesView: StatView = {
  header: true,
  async run({ node, limit }) {
    const result = await node.query(LINKROUTE, LINKROUTE_ATTRIBUTES, limit);
    const json = queryJson(LINKROUTE, result);
    const routes = rowsOf(result);
    if (routes.length === 0) return { lines: ['Link Routes', 'No Link Routes found'], json };
    let prefixes = false;
    const rows = routes.map((r) => {
      const row = [pyText(r.prefix ? r.prefix : r.pattern), pyText(r.direction), pyText(r.distribution), pyText(r.operStatus)];
      if (r.addExternalPrefix || r.delExternalPrefix) {
        row.push(pyText(r.addExternalPrefix), pyText(r.delExternalPrefix));
        prefixes = true;
      }
      return row;
    });
    const heads = ['address', 'dir', 'distrib', 'status', ...(prefixes ? ['add-ext-prefix', 'del-ext-prefix'] : [])];
    return { lines: formatTable('Link Routes', heads, sortRows(rows, 0)), json };
  },
};
