// Three weftd routers in a line with a broker behind the last one, for link-route tests:
//
//   client ── R1 ── R2 ── R3 ══ broker (route-container connector `broker`)
//
// R3 carries the linkRoute entries; R1 and R2 learn them from the mesh (MAU). A client on R1
// is two hops from the broker.

import type { EventEmitter } from 'node:events';
import { Mesh, startMesh } from './mesh';
import { closeConnection, nextEvent, rheaConnect } from './rhea-client';
import { waitFor } from './router-process';

/** A route-container connector to a broker on 127.0.0.1 (SASL ANONYMOUS unless `sasl` says otherwise). */
export function brokerConnector(port: number, name = 'broker', sasl = '    saslMechanisms: ANONYMOUS\n'): string {
  return `connector {\n    name: ${name}\n    host: 127.0.0.1\n    port: ${port}\n    role: route-container\n${sasl}    initialReconnectDelay: 100\n    maxReconnectDelay: 500\n}\n`;
}

/** linkRoute entries in both directions for `prefix` (or a pattern), activated by a connection name. */
export function linkRoutes(match: { prefix?: string; pattern?: string }, activation = 'connection: broker', extra = ''): string {
  const m = match.prefix !== undefined ? `prefix: ${match.prefix}` : `pattern: ${match.pattern}`;
  return ['in', 'out'].map((dir) => `linkRoute {\n    ${m}\n    direction: ${dir}\n    ${activation}\n${extra}}\n`).join('');
}

export interface LineOptions {
  /** Configuration text of R3 beyond its listeners (connector, linkRoutes). */
  r3: string;
  r2?: string;
  r1?: string;
}

/** R1's normal listener keeps router annotations: a message-routed message shows them, a link-routed one has none. */
const KEEP_ANNOTATIONS = '    stripAnnotations: no\n';

export function startLine(options: LineOptions): Promise<Mesh> {
  return startMesh([
    { id: 'R3', extra: options.r3 },
    { id: 'R2', connectTo: ['R3'], extra: options.r2 },
    { id: 'R1', connectTo: ['R2'], extra: options.r1, listenerExtra: KEEP_ANNOTATIONS },
  ]);
}

/**
 * Waits until an attach to `address` on the router at `port` is link-routed to a peer that
 * gives credit: a probe sender gets credit only then (a message-routed sender to an address
 * with no consumer gets none, a refused one is closed).
 */
export async function waitForLinkRoute(port: number, address: string, timeoutMs = 20000): Promise<void> {
  const conn = await rheaConnect(port);
  try {
    await waitFor(async () => {
      const s = conn.open_sender(address);
      const ok = await nextEvent(s as unknown as EventEmitter, 'sendable', `probe ${address}`, 400, ['sender_error', 'sender_close']).then(() => true, () => false);
      s.close();
      return ok;
    }, `a link route for ${address} on port ${port}`, timeoutMs);
  } finally {
    await closeConnection(conn);
  }
}
