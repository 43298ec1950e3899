// `weft stat -a`: one row per address, its hash key shown as class, text and phase (reference
// §4.2), sorted by address text; counters with thousands separators, as qdstat prints them.

import { rowsOf } from '../management-node';
import { addressClass, addressPhase, addressText } from './address-key';
import { commas, plainNum, pyText } from './py-text';
import { formatTable, sortRows } from './table';
import { ENTITY_PREFIX, StatView, has, queryJson } from './view';

const TYPE = `${ENTITY_PREFIX}router.address`;

export const ADDRESS_ATTRIBUTES = [
  'distribution', 'inProcess', 'subscriberCount', 'remoteCount', 'containerCount', 'deliveriesIngress',
  'deliveriesEgress', 'deliveriesRedirectedToFallback', 'deliveriesTransit', 'deliveriesToContainer',
  'deliveriesFromContainer', 'name', 'priority',
] as const;

const count = (v: unknown): string => commas(plainNum(v));

export const addressesView: StatView = {
  header: true,
  async run({ node, verbose, limit }) {
    const result = await node.query(TYPE, ADDRESS_ATTRIBUTES, limit);
    const priority = has(result, 'priority');
    const fallback = has(result, 'deliveriesRedirectedToFallback');
    const heads = ['class', 'addr', 'phs', 'distrib'];
    if (priority) heads.push('pri');
    if (verbose) heads.push('in-proc');
    heads.push('local', 'remote', 'in', 'out', 'thru', 'fallback');
    if (verbose) heads.push('to-proc', 'from-proc');

    const rows = rowsOf(result).map((a) => {
      const key = typeof a.name === 'string' ? a.name : null;
      const row = [addressClass(key), addressText(key), addressPhase(key), pyText(a.distribution)];
      if (priority) row.push(typeof a.priority === 'number' && a.priority < 0 ? '-' : pyText(a.priority));
      if (verbose) row.push(commas(pyText(a.inProcess)));
      // Link-route addresses count attached containers, the others local receivers.
      const local = key !== null && 'CDEF'.includes(key[0]) ? a.containerCount : a.subscriberCount;
      row.push(count(local), count(a.remoteCount), count(a.deliveriesIngress), count(a.deliveriesEgress), count(a.deliveriesTransit));
      row.push(fallback ? count(a.deliveriesRedirectedToFallback) : '-');
      if (verbose) row.push(count(a.deliveriesToContainer), count(a.deliveriesFromContainer));
      return row;
    });
    return { lines: formatTable('Router Addresses', heads, sortRows(rows, 1)), json: queryJson(TYPE, result) };
  },
};
