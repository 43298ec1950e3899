// `weft stat -l`: one row per router link. The columns for priority, dropped presettled,
// delays, stuck deliveries and credit appear when the agent returns those attributes.

import { rowsOf } from '../management-node';
import { addressClass, addressPhase, addressText } from './address-key';
import { plainNum, pyText } from './py-text';
import { timeShort } from './py-time';
import { formatTable } from './table';
import { ENTITY_PREFIX, StatView, has, queryJson } from './view';

const TYPE = `${ENTITY_PREFIX}router.link`;

/** What qdstat asks for, in its order (reference §7.8). */
export const LINK_ATTRIBUTES = [
  'linkType', 'linkDir', 'connectionId', 'identity', 'peer', 'owningAddr', 'capacity', 'undeliveredCount',
  'unsettledCount', 'deliveryCount', 'presettledCount', 'droppedPresettledCount', 'acceptedCount', 'rejectedCount',
  'releasedCount', 'modifiedCount', 'deliveriesDelayed1Sec', 'deliveriesDelayed10Sec', 'deliveriesStuck',
  'creditAvailable', 'zeroCreditSeconds', 'adminStatus', 'operStatus', 'linkName', 'priority', 'settleRate',
] as const;

/** A numeric column: empty when null, the integer otherwise. */
const num = (v: unknown): string => (v === null || v === undefined ? '' : plainNum(v));

export const linksView: StatView = {
  header: true,
  async run({ node, verbose, limit }) {
    const result = await node.query(TYPE, LINK_ATTRIBUTES, limit);
    const priority = has(result, 'priority');
    const dropped = has(result, 'droppedPresettledCount');
    const delayed = has(result, 'deliveriesDelayed1Sec');
    const stuck = has(result, 'deliveriesStuck');
    const credit = has(result, 'creditAvailable');
    const heads = ['type', 'dir', 'conn id', 'id', 'peer', 'class', 'addr', 'phs', 'cap'];
    if (priority) heads.push('pri');
    heads.push('undel', 'unsett', 'deliv', 'presett');
    if (dropped) heads.push('psdrop');
    heads.push('acc', 'rej', 'rel', 'mod');
    if (delayed) heads.push('delay', 'rate');
    if (stuck) heads.push('stuck');
    if (credit) heads.push('cred', 'blkd');
    if (verbose) heads.push('admin', 'oper', 'name');

    const rows = rowsOf(result).map((l) => {
      const key = typeof l.owningAddr === 'string' ? l.owningAddr : null;
      const row = [pyText(l.linkType), pyText(l.linkDir), pyText(l.connectionId), pyText(l.identity), pyText(l.peer),
        addressClass(key), addressText(key), addressPhase(key), num(l.capacity)];
      if (priority) row.push(num(l.priority));
      row.push(num(l.undeliveredCount), num(l.unsettledCount), num(l.deliveryCount), num(l.presettledCount));
      if (dropped) row.push(num(l.droppedPresettledCount));
      row.push(num(l.acceptedCount), num(l.rejectedCount), num(l.releasedCount), num(l.modifiedCount));
      if (delayed) row.push(num(Number(l.deliveriesDelayed1Sec) + Number(l.deliveriesDelayed10Sec)), num(l.settleRate));
      if (stuck) row.push(num(l.deliveriesStuck));
      if (credit) {
        const zero = Number(l.zeroCreditSeconds);
        row.push(num(l.creditAvailable), zero > 0 ? timeShort(zero) : '-');
      }
      if (verbose) row.push(pyText(l.adminStatus), pyText(l.operStatus), pyText(l.linkName));
      return row;
    });
    return { lines: formatTable('Router Links', heads, rows), json: queryJson(TYPE, result) };
  },
};
