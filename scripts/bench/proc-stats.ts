// What the bench reads about a process from Linux's /proc: CPU time, resident memory, parent,
// listening sockets. The parsers are pure so the unit tests feed them recorded text.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** CPU time in clock ticks (see clockTicksPerSecond). */
  utimeTicks: number;
  stimeTicks: number;
}

/** Parses /proc/PID/stat. `comm` may hold spaces and parentheses, so fields are counted
 *  from the last ')'. Field numbers below are those of proc(5). */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/PID/stat line: ${text.slice(0, 80)}`);
  const rest = text.slice(close + 2).trim().split(/\s+/); // rest[0] is field 3
  const field = (n: number): string => rest[n - 3];
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: field(3),
    ppid: Number(field(4)),
    utimeTicks: Number(field(14)),
    stimeTicks: Number(field(15)),
  };
}

export interface ProcMemory {
  /** Resident set now. */
  vmRssKb: number;
  /** Peak resident set ("high water mark") over the process's life. */
  vmHwmKb: number;
}

/** Parses VmRSS and VmHWM out of /proc/PID/status. */
export function parseProcStatus(text: string): ProcMemory {
  const kb = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    if (!m) throw new Error(`/proc/PID/status has no ${name}`);
    return Number(m[1]);
  };
  return { vmRssKb: kb('VmRSS'), vmHwmKb: kb('VmHWM') };
}

export interface TcpSocket {
  localPort: number;
  /** Socket state as in the kernel's table: '0A' is LISTEN. */
  state: string;
  inode: number;
}

/** Parses /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 10)
    .map((f) => ({ localPort: parseInt(f[1].split(':')[1], 16), state: f[3], inode: Number(f[9]) }));
}

/** Every process below `root` in a pid → ppid map, nearest first. */
export function descendantsOf(root: number, parents: ReadonlyMap<number, number>): number[] {
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent === pid && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

// ---- readers ----

export interface ProcessSample {
  pid: number;
  /** The process's name (comm): shows that the router, not a wrapper shell, was measured. */
  comm: string;
  cpuSeconds: number;
  vmRssKb: number;
  vmHwmKb: number;
}

let ticksPerSecond: number | undefined;

/** CLK_TCK, the unit of utime and stime (100 on Linux/x86 in practice). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function sampleProcess(pid: number): ProcessSample {
  const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const memory = parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { pid, comm: stat.comm, cpuSeconds: (stat.utimeTicks + stat.stimeTicks) / clockTicksPerSecond(), ...memory };
}

/** pid → ppid of every process we can read. */
export function readParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      parents.set(Number(name), parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8')).ppid);
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

/** Inodes of the sockets listening on `port` (IPv4 or IPv6). */
export function listeningInodes(port: number): Set<number> {
  const inodes = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const s of parseProcNetTcp(text)) if (s.localPort === port && s.state === '0A') inodes.add(s.inode);
  }
  return inodes;
}

/** Whether process `pid` holds one of `inodes` among its open files. */
export function holdsSocket(pid: number, inodes: ReadonlySet<number>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(Number(m[1]))) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/**
 * The process that really serves `port` among `spawned` and its descendants: the router
 * command may be a shell or npx wrapper, and measuring the wrapper would report nothing.
 * Falls back to the deepest descendant, then to `spawned` itself.
 */
export function findServingProcess(spawned: number, port: number): number {
  const candidates = [spawned, ...descendantsOf(spawned, readParents())];
  const inodes = listeningInodes(port);
  const owner = candidates.find((pid) => holdsSocket(pid, inodes));
  return owner ?? candidates[candidates.length - 1];
}
