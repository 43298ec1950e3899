// rhea over WebSocket (rhea's websocket_connect with ws's client, as a browser console or a
// Node client would connect to an http listener), opened like rheaConnect's connections.

import type { EventEmitter } from 'node:events';
// Named imports only: rhea exports a Container instance, whose methods live on its prototype.
import { create_container, websocket_connect } from 'rhea';
import type { Connection, ConnectionOptions } from 'rhea';
import { WebSocket } from 'ws';
import { nextEvent } from './rhea-client';

let containerCount = 0;

export async function rheaWebSocketConnect(port: number, protocols: string[] = ['amqp'], timeoutMs = 5000): Promise<Connection> {
  const container = create_container({ id: `rhea-ws-${process.pid}-${++containerCount}` });
  const details = websocket_connect(WebSocket as never)(`ws://127.0.0.1:${port}`, protocols, {});
  const conn = container.connect({ connection_details: details, reconnect: false } as unknown as ConnectionOptions);
  conn.on('error', () => { /* reported by the wait below */ });
  conn.on('disconnected', () => { /* idem */ });
  await nextEvent(conn as unknown as EventEmitter, 'connection_open', `rhea WebSocket connection to port ${port}`, timeoutMs, ['connection_error', 'connection_close', 'disconnected']);
  return conn;
}
