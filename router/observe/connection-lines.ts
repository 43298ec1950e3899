// The text of the connection lines, in qdrouterd 1.19's words (its router logs in the wire
// captures) with Weft's additions after them, so that what matches qdrouterd's lines matches these:
//   SERVER      [C3] Accepted connection to 127.0.0.1:5672 from 127.0.0.1:41234
//   ROUTER_CORE [C3] Connection Opened: dir=in host=127.0.0.1:41234 vhost= encrypted=no auth=ANONYMOUS
//               user=anonymous container_id=c1 props= role=normal listener=amqp
//   SERVER      [C3] Connection from 127.0.0.1:41234 (to 127.0.0.1:5672) failed: amqp:connection:framing-error connection aborted
//   ROUTER_CORE [C3] Connection Closed: by=peer condition=amqp:internal-error description="..."

import type { AmqpMap } from '../amqp/codec/values';
import type { ErrorCondition } from '../amqp/performatives';
import { inspect } from './amqp-inspect';
import { quoted, reasonText } from './link-lines';

export interface OpenedFacts {
  connId: number;
  dir: 'in' | 'out';
  /** The peer's host:port (in), or the one we connected to (out). */
  host: string;
  /** The SASL mechanism; undefined without SASL (qdrouterd says auth=no). */
  mechanism: string | undefined;
  user: string | undefined;
  containerId: string | undefined;
  /** The peer's open properties. */
  properties: AmqpMap | undefined;
  role: string;
  /** The listener or connector it belongs to, when known. */
  config: { kind: 'listener' | 'connector'; name: string } | undefined;
}

export function acceptedLine(connId: number, local: string, peer: string): string {
  return `[C${connId}] Accepted connection to ${local} from ${peer}`;
}

export function openedLine(f: OpenedFacts): string {
  // qdrouterd prints the C string of an unknown outgoing user, "(null)": kept for the same line.
  const user = f.user ?? (f.dir === 'in' ? 'anonymous' : '(null)');
  const props = f.properties && f.properties.size > 0 ? inspect(f.properties) : '';
  const config = f.config ? ` ${f.config.kind}=${f.config.name}` : '';
  return `[C${f.connId}] Connection Opened: dir=${f.dir} host=${f.host} vhost= encrypted=no auth=${f.mechanism ?? 'no'}`
    + ` user=${user} container_id=${f.containerId ?? ''} props=${props} role=${f.role}${config}`;
}

/** Who ended a connection, as the close line says it. */
export type ClosedBy = 'router' | 'peer' | 'socket';

/** `error` is the close's (ours or the peer's); a socket that just went has none. */
export function closedLine(connId: number, by: ClosedBy | undefined, error: ErrorCondition | undefined, socketError: string | undefined): string {
  if (by === undefined) return `[C${connId}] Connection Closed`;
  const socket = socketError === undefined ? '' : ` socket-error=${quoted(socketError)}`;
  return `[C${connId}] Connection Closed: by=${by}${reasonText(error)}${socket}`;
}

/**
 * qdrouterd's SERVER line for a connection that failed rather than closed: the socket went without
 * an AMQP close (which Proton calls `amqp:connection:framing-error connection aborted`), or the
 * router ended it for the peer's fault (bad frames, SASL, idle timeout).
 */
export function failedLine(connId: number, dir: 'in' | 'out', peer: string, local: string | undefined, error: ErrorCondition | undefined, socketError: string | undefined): string {
  const what = error ? `${error.condition} ${error.description ?? ''}`.trimEnd() : 'amqp:connection:framing-error connection aborted';
  const socket = socketError === undefined ? '' : ` (${socketError})`;
  const where = dir === 'in' ? `Connection from ${peer} (to ${local ?? '?'})` : `Connection to ${peer}`;
  return `[C${connId}] ${where} failed: ${what}${socket}`;
}
