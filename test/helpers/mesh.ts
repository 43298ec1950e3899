// Starts a mesh of real weftd processes on loopback: each router gets a normal listener and an
// inter-router listener on port 0; connectors are written once the routers they point at
// have reported their ports.

import { RouterProcess, startRouter } from './router-process';

export interface MeshRouterSpec {
  id: string;
  /** Ids of routers this one connects to (they must come earlier in the list). */
  connectTo?: Array<string | { id: string; cost: number }>;
  /** Extra lines for the normal listener (e.g. `stripAnnotations: no`). */
  listenerExtra?: string;
  extra?: string;
}

export type Mesh = Map<string, RouterProcess>;

const FAST_TIMERS = '    helloIntervalSeconds: 1\n    helloMaxAgeSeconds: 3\n    raIntervalSeconds: 30\n    raIntervalFluxSeconds: 4\n';

export function meshRouterConf(spec: MeshRouterSpec, mesh: Mesh): string {
  let conf = `router {\n    mode: interior\n    id: ${spec.id}\n${FAST_TIMERS}}\n`;
  conf += `listener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n${spec.listenerExtra ?? ''}}\n`;
  conf += `listener {\n    name: inter-router\n    host: 127.0.0.1\n    port: 0\n    role: inter-router\n}\n`;
  for (const target of spec.connectTo ?? []) {
    const { id, cost } = typeof target === 'string' ? { id: target, cost: 1 } : target;
    const peer = mesh.get(id);
    if (!peer) throw new Error(`${spec.id} connects to ${id}, which is not started yet`);
    conf += `connector {\n    name: to-${id}\n    host: 127.0.0.1\n    port: ${peer.ports['inter-router']}\n    role: inter-router\n    cost: ${cost}\n}\n`;
  }
  return conf + (spec.extra ?? '');
}

export async function startMesh(specs: MeshRouterSpec[]): Promise<Mesh> {
  const mesh: Mesh = new Map();
  try {
    for (const spec of specs) mesh.set(spec.id, await startRouter(meshRouterConf(spec, mesh)));
  } catch (err) {
    await stopMesh(mesh);
    throw err;
  }
  return mesh;
}

export async function stopMesh(mesh: Mesh): Promise<void> {
  await Promise.all([...mesh.values()].map((r) => r.stop()));
}

export function meshOutput(mesh: Mesh): string {
  return [...mesh].map(([id, r]) => `--- ${id}\n${r.output()}`).join('\n');
}
