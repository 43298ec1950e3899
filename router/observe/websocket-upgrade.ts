// AMQP over WebSocket on an HTTP listener: upgrades offering the subprotocol `amqp` (or its
// alias `binary`, reference §8.7) become a Duplex (ws's createWebSocketStream, with
// backpressure) that the AMQP engine takes like a TCP socket. RFC 6455 itself is ws's
// (docs/decisions/0007-websocket-ws.md).

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, createWebSocketStream } from 'ws';

export const AMQP_SUBPROTOCOLS = ['amqp', 'binary'];

/** The subprotocol to answer with: `amqp` if offered, else `binary`, else none. */
export function chooseSubprotocol(offered: Iterable<string>): string | undefined {
  const set = new Set(offered);
  return AMQP_SUBPROTOCOLS.find((p) => set.has(p));
}

/**
 * Handles `server`'s upgrades: with `accept` undefined (websockets: no), or without an AMQP
 * subprotocol, the request is refused with 400 and its socket closed.
 */
export function handleUpgrades(server: Server, accept: ((stream: Duplex, peer: string, subprotocol: string) => void) | undefined): void {
  const wss = accept ? new WebSocketServer({ noServer: true, handleProtocols: (offered) => chooseSubprotocol(offered) ?? false }) : undefined;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!wss || !accept) return refuse(socket, 'WebSocket connections are not enabled on this listener');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const subprotocol = chooseSubprotocol(offered);
    if (subprotocol === undefined) return refuse(socket, `AMQP over WebSocket needs the subprotocol ${AMQP_SUBPROTOCOLS.join(' or ')}`);
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    // ws answers a malformed handshake (bad key, version, method) with 400 itself.
    wss.handleUpgrade(req, socket, head, (ws) => accept(webSocketStream(ws), peer, subprotocol));
  });
}

/**
 * The WebSocket as a Duplex that closes once the peer has closed and everything it sent has
 * been read: the engine waits for 'close', which ws's stream (half-open by design) would
 * otherwise emit only after the engine ended its side too.
 */
function webSocketStream(ws: WebSocket): Duplex {
  const stream = createWebSocketStream(ws);
  stream.on('end', () => stream.destroy());
  return stream;
}

function refuse(socket: Duplex, reason: string): void {
  const body = `${reason}\n`;
  socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
