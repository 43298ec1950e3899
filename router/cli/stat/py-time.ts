// Times as qdstat prints them: durations as DDD:HH:MM:SS (TimeLong), clock times as %X of gmtime
// (TimeShort), the report's `datetime.utcnow()` line, the topology-change line and log ctime().

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** TimeLong: a duration in seconds as `000:00:00:25` (days:hours:minutes:seconds). */
export function timeLong(seconds: number): string {
  const s = Math.max(0, Math.trunc(seconds));
  const days = Math.trunc(s / 86400);
  const rest = s % 86400;
  return `${pad(days, 3)}:${pad(Math.trunc(rest / 3600))}:${pad(Math.trunc((rest % 3600) / 60))}:${pad(rest % 60)}`;
}

/** TimeShort: the time of day of `seconds` since the epoch, UTC, `HH:MM:SS`. */
export function timeShort(seconds: number): string {
  const d = new Date(Math.trunc(seconds) * 1000);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The first line of a report: `2026-11-22 09:27:06.559000 UTC` (microseconds as Python prints them). */
export function utcNowLine(now: Date): string {
  const date = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}.${pad(now.getUTCMilliseconds(), 3)}000`;
  return `${date} ${time} UTC`;
}

/** `Sunday Nov 22 09:26:46 2026 GMT` (strftime '%A %b %d %H:%M:%S %Y' of gmtime). */
export function topologyChangeText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${time} ${d.getUTCFullYear()} GMT`;
}

/** Python's time.ctime(): local time, `Sun Nov  2 09:27:06 2026`. */
export function ctimeText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${DAYS[d.getDay()].slice(0, 3)} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${time} ${d.getFullYear()}`;
}
