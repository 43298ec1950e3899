// The most recent log entries, kept in memory for management GET-LOG (qdstat --log): a fixed
// ring, so logging never grows the heap.

import type { LogLevel } from './log-levels';

export interface LogEntry {
  module: string;
  level: LogLevel;
  text: string;
  /** Source file and line when includeSource is on. */
  file: string | undefined;
  line: number | undefined;
  /** Seconds since the epoch. */
  timestamp: number;
}

export class LogRing {
  private readonly entries: (LogEntry | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 1000) { this.entries = new Array(capacity); }

  push(e: LogEntry): void {
    this.entries[this.next] = e;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Oldest first; at most the last `limit` entries. */
  recent(limit = this.capacity): LogEntry[] {
    const n = Math.max(0, Math.min(limit, this.count));
    const out: LogEntry[] = [];
    for (let i = n; i > 0; i--) out.push(this.entries[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }
}
