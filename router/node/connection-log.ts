// What an operator reads about one connection (client, connector-made or inter-router): the
// lines of observe/connection-lines.ts filled in from the connection, its link lines (link-log.ts,
// installed when it opens), its message tracing (messageLoggingComponents) and its protocol
// trace switch (management's enableProtocolTrace). The connection classes call in here with one
// line each, so that their own code stays about routing.

import type { Socket } from 'node:net';
import type { ClientConnection } from './client-connection';
import type { InterRouterConnection } from './inter-router-connection';
import type { ListenerSpec } from './listener-spec';
import type { RouterNode } from './router-node';
import { ClosedBy, acceptedLine, closedLine, failedLine, openedLine } from '../observe/connection-lines';
import { formatFrame } from '../observe/frame-trace';
import { parseMessageLogging } from '../observe/message-log';
import { LinkLog } from './link-log';

type LoggedConnection = ClientConnection | InterRouterConnection;

/** The listener or connector a connection belongs to, as far as logging needs it. */
interface ConfigOf {
  kind: 'listener' | 'connector';
  name: string;
  role: string;
  messageLoggingComponents?: string;
  saslUsername?: string;
}

/** SERVER info when a listener accepts a socket, before any AMQP (qdrouterd's line). */
export function logAccepted(node: RouterNode, id: number, spec: ListenerSpec, peer: string): void {
  node.log.server.info(acceptedLine(id, listenerAddress(node, spec), peer));
}

/** The peer's open arrived: the Opened line, then the link lines and message tracing start. */
export function connectionOpened(c: LoggedConnection): void {
  const node = c.node;
  const conn = c.connection;
  const config = configOf(c);
  c.messageLog = parseMessageLogging(config?.messageLoggingComponents);
  conn.linkObserver = new LinkLog(node.log.core, c.id, (link) => node.linkIdentity(link));
  const dir = directionOf(c);
  const outUser = conn.saslMechanism === 'PLAIN' ? config?.saslUsername : undefined;
  node.log.core.info(openedLine({
    connId: c.id, dir, host: peerOf(c), mechanism: conn.saslMechanism, user: conn.user ?? outUser,
    containerId: conn.remoteContainerId, properties: conn.remoteProperties, role: config?.role ?? 'inter-router',
    config: config && { kind: config.kind, name: config.name },
  }));
}

/** The connection is gone: why, and who ended it. A failure also gets qdrouterd's SERVER line. */
export function connectionClosed(c: LoggedConnection): void {
  const node = c.node;
  const conn = c.connection;
  const by: ClosedBy | undefined = conn.endedBy === 'local' ? 'router' : conn.endedBy === 'remote' ? 'peer' : conn.endedBy === 'transport' ? 'socket' : undefined;
  // A socket that went has no AMQP error; the engine's stand-in for one would only mislead.
  const error = by === 'socket' ? undefined : conn.endError;
  const failed = by === 'socket' || (by === 'router' && error !== undefined && error.condition !== 'amqp:connection:forced');
  if (failed) {
    const local = isClient(c) ? listenerAddress(node, c.spec) : localAddress(conn.transport as Partial<Socket>);
    node.log.server.info(failedLine(c.id, directionOf(c), peerOf(c), local, error, conn.socketError));
  }
  // No Opened line, no Closed line: the router never knew it as a connection (qdrouterd's way).
  if (conn.remoteOpen !== undefined) node.log.core.info(closedLine(c.id, by, error, conn.socketError));
}

/**
 * Frame tracing for one connection, on or off at run time (management's enableProtocolTrace).
 * On, frames are written at trace level of SERVER whatever its level; off, none are, even with
 * SERVER at trace (qdrouterd turns the connection's transport trace on and off the same way).
 */
export function setProtocolTrace(c: LoggedConnection, on: boolean): void {
  const log = c.node.log.server;
  c.connection.setTrace(on ? (dir, channel, name, fields, n) => log.always('trace', formatFrame(c.id, channel, dir, name, fields, n)) : undefined);
}

function isClient(c: LoggedConnection): c is ClientConnection {
  return 'spec' in c;
}

function directionOf(c: LoggedConnection): 'in' | 'out' {
  return isClient(c) ? c.dir : c.initiator ? 'out' : 'in';
}

function peerOf(c: LoggedConnection): string {
  return isClient(c) ? c.peer : c.peerAddress;
}

function configOf(c: LoggedConnection): ConfigOf | undefined {
  const node = c.node;
  if (isClient(c)) {
    const spec = c.spec;
    const saslUsername = c.dir === 'out' ? node.connectors.get(spec.name)?.spec.saslUsername : undefined;
    return { kind: c.dir === 'in' ? 'listener' : 'connector', name: spec.name, role: spec.role, messageLoggingComponents: spec.messageLoggingComponents, saslUsername };
  }
  // Inter-router connections are built without their spec: found by their connector, or by the
  // local port their listener accepted them on.
  if (c.initiator) {
    const k = [...node.connectors.values()].find((x) => x.connection === c.connection);
    return k && { kind: 'connector', name: k.spec.name, role: k.spec.role, messageLoggingComponents: k.spec.messageLoggingComponents, saslUsername: k.spec.saslUsername };
  }
  const port = (c.connection.transport as Partial<Socket>).localPort;
  const l = [...node.listeners.values()].find((x) => x.port === port && x.spec.role === 'inter-router');
  return l && { kind: 'listener', name: l.spec.name, role: l.spec.role, messageLoggingComponents: l.spec.messageLoggingComponents };
}

function listenerAddress(node: RouterNode, spec: ListenerSpec): string {
  return `${spec.host || '0.0.0.0'}:${node.listeners.get(spec.name)?.port ?? spec.port}`;
}

function localAddress(socket: Partial<Socket>): string | undefined {
  return socket.localAddress === undefined ? undefined : `${socket.localAddress}:${socket.localPort}`;
}
