// Per-address metric rows with bounded label cardinality: a scrape must stay small however many
// addresses clients invent. The busiest `limit` mobile addresses (by deliveries in + out) get
// their own row; the others are summed under address="_other". Router-internal keys (local,
// topological, router, edge and link-route classes, and `$` services such as $management)
// get no row: the router-wide series count them.

import { mobileKeyAddress } from '../core/address-key';
import type { AddressCounters } from './router-view';

export const OTHER_ADDRESSES = '_other';

export interface AddressRow {
  address: string;
  /** The key's phase character; '' for the _other row. */
  phase: string;
  deliveriesIn: number;
  deliveriesOut: number;
  undelivered: number;
  localConsumers: number;
}

export function isInternalKey(key: string): boolean {
  const text = mobileKeyAddress(key);
  return text === undefined || text.startsWith('$');
}

/** Rows for the busiest `limit` addresses, then always one _other row (zeros when none are left). */
export function addressSeries(addresses: Iterable<AddressCounters>, limit: number): AddressRow[] {
  const mobile: AddressCounters[] = [];
  for (const a of addresses) if (!isInternalKey(a.key)) mobile.push(a);
  mobile.sort((x, y) => (y.deliveriesIn + y.deliveriesOut) - (x.deliveriesIn + x.deliveriesOut) || (x.key < y.key ? -1 : 1));
  const rows: AddressRow[] = mobile.slice(0, limit).map((a) => ({
    address: mobileKeyAddress(a.key)!, phase: a.key[1],
    deliveriesIn: a.deliveriesIn, deliveriesOut: a.deliveriesOut, undelivered: a.undelivered, localConsumers: a.localConsumers,
  }));
  const other: AddressRow = { address: OTHER_ADDRESSES, phase: '', deliveriesIn: 0, deliveriesOut: 0, undelivered: 0, localConsumers: 0 };
  for (const a of mobile.slice(limit)) {
    other.deliveriesIn += a.deliveriesIn;
    other.deliveriesOut += a.deliveriesOut;
    other.undelivered += a.undelivered;
    other.localConsumers += a.localConsumers;
  }
  rows.push(other);
  return rows;
}
