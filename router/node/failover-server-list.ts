// The `failover-server-list` a peer may put in its open's properties (reference §2.1; ActiveMQ
// Artemis and qdrouterd listeners with failoverUrls send it): a list of maps with network-host,
// port, and optionally scheme and hostname. Entries a connector cannot use are left out.

import { AmqpMap, AmqpValue, toPlain } from '../amqp/codec/values';
import type { ConnectorUrl } from './failover-cycle';

/** Schemes reached over plain TCP (connectors do not do TLS yet). */
const PLAIN_SCHEMES = new Set(['amqp', 'tcp']);

export function failoverServerList(properties: AmqpMap | undefined): ConnectorUrl[] | undefined {
  const list = properties?.get('failover-server-list');
  if (list === undefined || list === null) return undefined;
  const entries: AmqpValue[] = Array.isArray(list) ? list : [];
  const out: ConnectorUrl[] = [];
  for (const e of entries) {
    if (!(e instanceof AmqpMap)) continue;
    const host = toPlain(e.get('network-host') ?? null);
    const port = Number(toPlain(e.get('port') ?? null) ?? 5672);
    const scheme = toPlain(e.get('scheme') ?? null);
    if (typeof host !== 'string' || host === '' || !Number.isInteger(port) || port <= 0 || port > 65535) continue;
    if (typeof scheme === 'string' && !PLAIN_SCHEMES.has(scheme.toLowerCase())) continue;
    out.push({ host, port });
  }
  return out;
}
