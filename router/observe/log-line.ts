// The text of one log line, as qdrouterd writes it:
//   2026-11-22 11:00:00.123456 +0000 SERVER (info) message (file.ts:12)
// The timestamp is local time with microseconds and the UTC offset (strftime "%F %T.%06lu %z").

import { LogLevel } from './log-levels';

export function formatLogLine(module: string, level: LogLevel, message: string, timestampUs?: number, source?: string): string {
  const head = timestampUs === undefined ? '' : formatTimestamp(timestampUs) + ' ';
  const tail = source === undefined ? '' : ` (${source})`;
  return `${head}${module} (${level}) ${message}${tail}\n`;
}

/** Microseconds since the epoch; Date has milliseconds only, the performance clock has more. */
export function nowUs(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

export function formatTimestamp(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`
    + `.${String(us % 1_000_000).padStart(6, '0')} ${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
}

function p2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/**
 * `file:line` of the first stack frame outside `internalFiles` (the logger's own files), for
 * includeSource. Costs a stack capture, which is why it is only taken when a module asks for it.
 */
export function callerSource(internalFiles: readonly string[]): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, callerSource);
  for (const frame of (holder.stack ?? '').split('\n').slice(1)) {
    const m = /\(?(?:file:\/\/)?([^\s()]+):(\d+):\d+\)?$/.exec(frame);
    if (!m || internalFiles.includes(m[1])) continue;
    return `${m[1].slice(m[1].lastIndexOf('/') + 1)}:${m[2]}`;
  }
  return undefined;
}
