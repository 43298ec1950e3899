// `weft stat -m`: the allocator's pools (qdrouterd's `allocator` entity; an agent without one
// answers an empty list), then a summary of the process size (router memoryUsage) and the bytes
// held in pools.

import { rowsOf } from '../management-node';
import { commas, numKMG, plainNum } from './py-text';
import { formatTable, sortRows } from './table';
import { ENTITY_PREFIX, StatView, queryJson } from './view';

const TYPE = `${ENTITY_PREFIX}allocator`;

export const ALLOCATOR_ATTRIBUTES = [
  'identity', 'typeSize', 'transferBatchSize', 'localFreeListMax', 'totalAllocFromHeap', 'heldByThreads',
  'batchesRebalancedToThreads', 'batchesRebalancedToGlobal',
] as const;

/** `allocator/qd_message_t` → `qd_message_t`. */
function typeName(identity: unknown): string {
  if (typeof identity !== 'string' || identity === '') return '-';
  const slash = identity.indexOf('/');
  return slash >= 0 ? identity.slice(slash + 1) : identity;
}

const count = (v: unknown): string => commas(plainNum(v));

export const memoryView: StatView = {
  header: true,
  async run({ node }) {
    const result = await node.query(TYPE, ALLOCATOR_ATTRIBUTES);
    const types = rowsOf(result);
    if (types.length === 0) return { lines: ['No memory statistics available'], json: queryJson(TYPE, result) };
    let pooled = 0;
    const rows = types.map((t) => {
      pooled += Number(t.typeSize) * Number(t.totalAllocFromHeap);
      return [typeName(t.identity), count(t.typeSize), plainNum(t.transferBatchSize), count(t.localFreeListMax),
        count(t.totalAllocFromHeap), count(t.heldByThreads), count(t.batchesRebalancedToThreads),
        count(t.batchesRebalancedToGlobal)];
    });
    const heads = ['type', 'size', 'batch', 'thread-max', 'total', 'in-threads', 'rebal-in', 'rebal-out'];
    const memory = rowsOf(await node.query(`${ENTITY_PREFIX}router`, ['memoryUsage']))[0]?.memoryUsage;
    const vmSize = typeof memory === 'number' ? numKMG(memory, 1024) : '-';
    return {
      lines: [
        ...formatTable('Types', heads, sortRows(rows, 0)),
        ...formatTable('\nSummary', ['VmSize', 'Pooled'], [[vmSize, numKMG(pooled, 1024)]]),
      ],
      json: { ...queryJson(TYPE, result), memoryUsage: memory ?? null },
    };
  },
};
