// `weft stat --log`: the router's recent log entries (GET-LOG, reference §7.3), oldest first,
// one line each: `ctime module (level) text`. --limit caps how many the router returns.

import { types } from 'rhea';
import { pyStr } from './py-text';
import { ctimeText } from './py-time';
import { StatView } from './view';

export interface LogEntry {
  module: unknown;
  level: unknown;
  text: unknown;
  file: unknown;
  line: unknown;
  timestamp: unknown;
}

/** `[module, level, text, file, line, timestamp-seconds]` → named fields. */
export function logEntries(body: unknown): LogEntry[] {
  if (!Array.isArray(body)) return [];
  return body.filter(Array.isArray).map(([module, level, text, file, line, timestamp]) => ({ module, level, text, file, line, timestamp }));
}

export const logView: StatView = {
  header: false,
  async run({ node, limit }) {
    const body = await node.nodeRequest({ operation: 'GET-LOG', limit: limit === undefined ? undefined : types.wrap_long(limit) });
    const entries = logEntries(body);
    return {
      lines: entries.map((e) => `${ctimeText(Number(e.timestamp))} ${pyStr(e.module)} (${pyStr(e.level)}) ${pyStr(e.text)}`),
      json: { log: entries },
    };
  },
};
