// The mesh as the routers' logs tell it: which routers are up, the connections each one has open
// (client `[C3] Connection Opened: dir=in host=… container_id=…` lines and inter-router
// `[C1] Inter-router connection opened: out to HOST container_id=Router3` lines, minus those
// closed since) and the routers each one has learned of (`router Router2 added` / `removed`).
// A later issue answers this from management instead.

export interface LoggedConnection {
  /** The router's connection number, `C3`. */
  id: string;
  /** `in` (accepted by a listener) or `out` (made by a connector). */
  dir: string;
  host: string;
  /** The peer's container id: a router id for inter-router connections. */
  containerId: string;
}

const OPENED = /\[(C\d+)\]\s+(?:inter-router )?connection opened:?(.*)$/i;
const CLOSED = /\[(C\d+)\]\s+(?:inter-router )?connection closed/i;
const FIELD = /(\w+)=(\S*)/g;
const DIRECTION = /\b(?:(out) to|(in) from)\s+(\S+)/;
const ROUTER_SEEN = /\brouter (\S+) (added|removed)\b/;

/** Connections opened and not closed since, in the order they opened. */
export function openConnections(log: string): LoggedConnection[] {
  const open = new Map<string, LoggedConnection>();
  for (const line of log.split('\n')) {
    const opened = OPENED.exec(line);
    if (opened) {
      const f: Record<string, string> = {};
      for (const m of opened[2].matchAll(FIELD)) f[m[1]] ??= m[2];
      const d = DIRECTION.exec(opened[2]);
      open.set(opened[1], { id: opened[1], dir: f.dir ?? d?.[1] ?? d?.[2] ?? '?', host: f.host ?? d?.[3] ?? '?', containerId: f.container_id ?? '' });
      continue;
    }
    const closed = CLOSED.exec(line);
    if (closed) open.delete(closed[1]);
  }
  return [...open.values()];
}

/** The routers a router has learned of through the routing protocol and not lost since. */
export function knownRouters(log: string): string[] {
  const known = new Set<string>();
  for (const line of log.split('\n')) {
    const m = ROUTER_SEEN.exec(line);
    if (!m) continue;
    if (m[2] === 'added') known.add(m[1]); else known.delete(m[1]);
  }
  return [...known].sort();
}

export interface RouterRow {
  name: string;
  id: string;
  pid: number | undefined;
  up: boolean;
  /** Listener name → host:port. */
  listeners: Readonly<Record<string, string>>;
  log: string;
}

/** Every router is up and has learned of every other one, as far as their logs tell. */
export function meshFormed(rows: readonly RouterRow[]): boolean {
  return rows.every((r) => {
    const known = knownRouters(r.log);
    return r.up && rows.every((other) => other.id === r.id || known.includes(other.id));
  });
}

/** Per router: state, listeners, the routers it knows, its inter-router and client connections. */
export function meshTable(rows: readonly RouterRow[]): string {
  const routerIds = new Set(rows.map((r) => r.id));
  const out: string[] = [];
  for (const r of rows) {
    const listeners = Object.entries(r.listeners).map(([n, at]) => `${n} ${at}`).join(', ') || 'none';
    out.push(`  ${r.name}  ${r.id}  ${r.up ? `up (pid ${r.pid})` : 'DOWN'}  listeners: ${listeners}`);
    const known = knownRouters(r.log);
    out.push(`      knows routers: ${known.length === 0 ? 'none' : known.join(', ')}`);
    const conns = openConnections(r.log);
    const mesh = conns.filter((c) => routerIds.has(c.containerId));
    if (mesh.length === 0) out.push('      inter-router: none in the log');
    for (const c of mesh) out.push(`      inter-router ${c.dir === 'out' ? '→' : '←'} ${c.containerId}  [${c.id}] ${c.dir} ${c.host}`);
    for (const c of conns.filter((x) => !routerIds.has(x.containerId))) {
      out.push(`      client       ← ${c.containerId || '(no container id)'}  [${c.id}] ${c.host}`);
    }
  }
  const links = meshLinks(rows, routerIds);
  out.push(`  inter-router connections: ${links.length === 0 ? 'none' : links.join(', ')}`);
  return out.join('\n');
}

/** Each inter-router connection once, whichever end logged it: `Router1 → Router3` (connector → listener). */
function meshLinks(rows: readonly RouterRow[], routerIds: ReadonlySet<string>): string[] {
  const links = new Set<string>();
  for (const r of rows) {
    for (const c of openConnections(r.log)) {
      if (!routerIds.has(c.containerId)) continue;
      links.add(c.dir === 'in' ? `${c.containerId} → ${r.id}` : `${r.id} → ${c.containerId}`);
    }
  }
  return [...links].sort();
}
