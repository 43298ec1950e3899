// Router configuration files in qdrouterd's `section { key: value }` format, so that the same
// files run against weftd and qdrouterd (DESIGN.md §5).

export type ConfValue = string | number | boolean;

export interface ConfSection {
  /** router, listener, connector, address, ... */
  type: string;
  attributes: Record<string, ConfValue>;
}

/** A listener for clients: no authentication, SASL ANONYMOUS offered. */
export function clientListener(port: number, host = '127.0.0.1'): ConfSection {
  return {
    type: 'listener',
    attributes: { host, port, role: 'normal', saslMechanisms: 'ANONYMOUS', authenticatePeer: false },
  };
}

/** One router on its own, with one client listener. */
export function standaloneRouterConf(id: string, port: number): ConfSection[] {
  return [{ type: 'router', attributes: { mode: 'standalone', id } }, clientListener(port)];
}

export function renderConf(sections: readonly ConfSection[], header = 'Written by the Weft bench (scripts/bench).'): string {
  const blocks = sections.map((section) => {
    const lines = Object.entries(section.attributes).map(([key, value]) => `    ${key}: ${renderValue(value)}`);
    return `${section.type} {\n${lines.join('\n')}\n}\n`;
  });
  return `# ${header}\n\n${blocks.join('\n')}`;
}

function renderValue(value: ConfValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  // Bare words as qdrouterd's own examples write them; anything else (spaces, `#`) quoted.
  return /^[A-Za-z0-9_.:/*+-]+$/.test(value) ? value : JSON.stringify(value);
}

// ---- meshes (mesh, line, reconverge) ----

/** Where other routers connect: no authentication, SASL ANONYMOUS offered. `cost` is written
 *  only above qdrouterd's default of 1. */
export function interRouterListener(port: number, cost = 1, host = '127.0.0.1'): ConfSection {
  const attributes: Record<string, ConfValue> = { host, port, role: 'inter-router', saslMechanisms: 'ANONYMOUS', authenticatePeer: false };
  if (cost > 1) attributes.cost = cost;
  return { type: 'listener', attributes };
}

/** A connection to another router's inter-router listener. The link's cost is the larger of
 *  the two ends' (qdrouterd's rule), so one end is enough to make a link dearer. */
export function interRouterConnector(name: string, port: number, cost = 1, host = '127.0.0.1'): ConfSection {
  const attributes: Record<string, ConfValue> = { name, host, port, role: 'inter-router' };
  if (cost > 1) attributes.cost = cost;
  return { type: 'connector', attributes };
}

/** One router of a bench mesh. */
export interface MeshRouterSpec {
  /** Its `router { id }`. */
  id: string;
  /** The routers it opens inter-router connections to, with the link's cost (default 1). */
  connectTo?: readonly { id: string; cost?: number }[];
}

/** The ports of one mesh router: clients, and other routers (only when some connect to it). */
export interface MeshPorts {
  client: number;
  interRouter?: number;
}

/** Whether some router of `mesh` connects to `id`, so that `id` needs an inter-router listener. */
export function acceptsRouters(id: string, mesh: readonly MeshRouterSpec[]): boolean {
  return mesh.some((r) => (r.connectTo ?? []).some((c) => c.id === id));
}

/**
 * The order to start a mesh in: every router after those it connects to, so that each
 * connector finds its listener up (routers would retry, but the first connection attempts and
 * their log lines would then depend on timing). Otherwise the given order. Throws on an
 * unknown id, a router connecting to itself, or a cycle of connectors.
 */
export function meshStartOrder(mesh: readonly MeshRouterSpec[]): MeshRouterSpec[] {
  const byId = new Map(mesh.map((r) => [r.id, r]));
  if (byId.size !== mesh.length) throw new Error(`mesh: duplicate router id among ${mesh.map((r) => r.id).join(', ')}`);
  for (const r of mesh) {
    for (const c of r.connectTo ?? []) {
      if (!byId.has(c.id)) throw new Error(`mesh: ${r.id} connects to ${c.id}, which is not in the mesh`);
      if (c.id === r.id) throw new Error(`mesh: ${r.id} connects to itself`);
    }
  }
  const order: MeshRouterSpec[] = [];
  const placed = new Set<string>();
  while (order.length < mesh.length) {
    const next = mesh.find((r) => !placed.has(r.id) && (r.connectTo ?? []).every((c) => placed.has(c.id)));
    if (!next) throw new Error(`mesh: connectors form a cycle among ${mesh.filter((r) => !placed.has(r.id)).map((r) => r.id).join(', ')}`);
    order.push(next);
    placed.add(next.id);
  }
  return order;
}

/** An interior router of a mesh: a client listener, an inter-router listener if other
 *  routers connect to it, and a connector (`to-ID`) to each router in `connectTo`. */
export function interiorRouterConf(spec: MeshRouterSpec, mesh: readonly MeshRouterSpec[], ports: ReadonlyMap<string, MeshPorts>): ConfSection[] {
  const own = ports.get(spec.id);
  if (!own) throw new Error(`mesh: no ports for ${spec.id}`);
  const sections: ConfSection[] = [{ type: 'router', attributes: { mode: 'interior', id: spec.id } }, clientListener(own.client)];
  if (acceptsRouters(spec.id, mesh)) {
    if (own.interRouter === undefined) throw new Error(`mesh: ${spec.id} needs an inter-router port`);
    sections.push(interRouterListener(own.interRouter));
  }
  for (const c of spec.connectTo ?? []) {
    const port = ports.get(c.id)?.interRouter;
    if (port === undefined) throw new Error(`mesh: ${c.id} has no inter-router port for ${spec.id} to connect to`);
    sections.push(interRouterConnector(`to-${c.id}`, port, c.cost ?? 1));
  }
  return sections;
}
