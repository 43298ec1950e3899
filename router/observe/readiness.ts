// /readyz: is the router ready to route? A standalone router is once its listeners are up; an
// interior one also needs every inter-router connector up with its neighbour known (two-way
// HELLO) and a route to every router in its link-state database. Pure: the state is read
// elsewhere (router-view.ts), so tests can draw it.

import type { RouterNodeInfo } from '../core/linkstate';

export interface ConnectorState {
  name: string;
  /** host:port */
  target: string;
  status: 'CONNECTING' | 'SUCCESS' | 'FAILED';
  lastError: string;
  /** The neighbour's router id once its HELLO is two-way. */
  neighbour: string | undefined;
}

export interface MeshState {
  /** Every configured listener and connector has been started. */
  started: boolean;
  self: string;
  connectors: ConnectorState[];
  /** The link-state database (ourselves first), undefined without a mesh. */
  routers: RouterNodeInfo[] | undefined;
}

export interface Readiness {
  ready: boolean;
  /** One line per thing that is missing. */
  missing: string[];
}

export function readiness(state: MeshState): Readiness {
  const missing: string[] = [];
  if (!state.started) missing.push('listeners and connectors are still starting');
  for (const c of state.connectors) {
    if (c.status !== 'SUCCESS') missing.push(`connector ${c.name}: not connected to ${c.target}${c.lastError ? ` (${c.lastError})` : ''}`);
    else if (c.neighbour === undefined) missing.push(`connector ${c.name}: connected to ${c.target}, neighbour not known yet`);
  }
  const known = new Map((state.routers ?? []).map((r) => [r.id, r]));
  for (const r of state.routers ?? []) {
    if (r.id !== state.self && r.nextHop === undefined) missing.push(`router ${r.id}: no route yet`);
    for (const peer of r.linkState) {
      if (!known.has(peer)) missing.push(`router ${peer}: named in ${r.id}'s link state, not known yet`);
    }
  }
  return { ready: missing.length === 0, missing: [...new Set(missing)] };
}
