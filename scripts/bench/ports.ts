// Ports for routers: picked by the kernel, then polled until something accepts on them.
import { createServer, connect } from 'node:net';

/** A port that was free a moment ago: bind port 0 on 127.0.0.1 and close. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** One TCP connect attempt: true when something accepted (the connection is closed at once). */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Polls until `port` accepts TCP connections. Rejects when `gaveUp()` returns a reason
 * (the process exited, say) or after `timeoutMs`.
 */
export async function waitForAccept(port: number, timeoutMs: number, gaveUp: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    if (await canConnect(port)) return;
    if (Date.now() >= deadline) throw new Error(`nothing accepted connections on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
