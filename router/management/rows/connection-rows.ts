// `connection` entities: every client and inter-router connection (reference §7.5).

import { AmqpMap, type AmqpValue, AmqpSymbol, Typed } from '../../amqp/codec/values';
import type { ClientConnection } from '../../node/client-connection';
import type { InterRouterConnection } from '../../node/inter-router-connection';
import { i64, ui } from '../amqp-values';
import { PREFIX } from '../entity-types';
import type { AgentContext, Row } from './row';

export type AnyConnection = ClientConnection | InterRouterConnection;

export function allConnections(ctx: AgentContext): AnyConnection[] {
  return [...ctx.node.connections, ...ctx.node.interRouterConnections].sort((a, b) => a.id - b.id);
}

export function connectionRows(ctx: AgentContext): Row[] {
  return allConnections(ctx).map((c) => connectionRow(ctx, c));
}

function connectionRow(ctx: AgentContext, c: AnyConnection): Row {
  const conn = c.connection;
  const inter = c.interRouter;
  const incoming = inter ? !(c as InterRouterConnection).initiator : true;
  const host = inter ? (c as InterRouterConnection).peerAddress : (c as ClientConnection).peer;
  const nowSec = ctx.node.stats.clockSec;
  return {
    name: `connection/${host}`, identity: String(c.id), host, role: inter ? 'inter-router' : 'normal', protocol: 'amqp', dir: incoming ? 'in' : 'out',
    container: conn.remoteContainerId ?? null, sasl: conn.saslMechanism ?? null, isAuthenticated: conn.saslMechanism !== undefined,
    user: conn.user ?? 'anonymous', isEncrypted: false, sslProto: null, sslCipher: null, properties: peerProperties(conn.remoteProperties),
    sslSsf: i64(0), tenant: null, type: `${PREFIX}.connection`, ssl: false, opened: conn.remoteOpen !== undefined, active: true,
    adminStatus: 'enabled', operStatus: conn.localClosed ? 'closing' : 'up',
    uptimeSeconds: ui((Date.now() - c.openedAt) / 1000),
    lastDlvSeconds: c.lastDeliverySec < 0 ? null : ui(nowSec - c.lastDeliverySec),
    enableProtocolTrace: conn.traceOn,
  };
}

/** The peer's open properties with string keys and only string or integer values (reference §7.5). */
function peerProperties(props: AmqpMap | undefined): AmqpMap {
  const out = new AmqpMap();
  for (const [k, v] of props?.entries ?? []) {
    const key = typeof k === 'string' ? k : k instanceof AmqpSymbol ? k.value : undefined;
    if (key === undefined) continue;
    const value: AmqpValue | undefined = typeof v === 'string' ? v : v instanceof AmqpSymbol ? v.value : v instanceof Typed && typeof v.value !== 'object' ? v : undefined;
    if (value !== undefined) out.entries.push([key, value]);
  }
  return out;
}
