// The HTTP listener (`listener { http: yes }`, reference §8.7): GET /metrics (Prometheus text),
// /healthz (alive) and /readyz (mesh converged), AMQP over WebSocket on the same port, and
// files under httpRootDir for other paths. metrics, healthz and websockets default to yes;
// /readyz (a Weft addition) is served with /healthz.

import * as http from 'node:http';
import type { RouterNode } from '../node/router-node';
import type { ListenerSpec } from '../node/listener-spec';
import { RouterMetrics } from './metrics';
import { readiness } from './readiness';
import { meshState, metricsSource } from './router-view';
import { serveFile } from './static-files';
import { handleUpgrades } from './websocket-upgrade';

/** One registry per router, shared by its HTTP listeners. */
const metricsByRouter = new WeakMap<RouterNode, RouterMetrics>();

export function routerMetrics(node: RouterNode): RouterMetrics {
  let m = metricsByRouter.get(node);
  if (!m) {
    m = new RouterMetrics(metricsSource(node), node.options.metricsAddressLimit ?? 100);
    metricsByRouter.set(node, m);
  }
  return m;
}

/** An HTTP server for `spec`, not yet listening. */
export function createHttpListener(node: RouterNode, spec: ListenerSpec): http.Server {
  const log = node.logging.module('HTTP');
  const server = http.createServer((req, res) => {
    respond(node, spec, req, res).catch((err: Error) => {
      log.error(`listener ${spec.name}: ${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  // A request that is not HTTP gets 400 (when the socket can still take it) and is dropped.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    log.debug(`listener ${spec.name}: bad request: ${err.code ?? err.message}`);
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  handleUpgrades(server, spec.websockets === false ? undefined : (stream, peer, subprotocol) => {
    log.debug(`listener ${spec.name}: WebSocket (${subprotocol}) from ${peer}`);
    node.accept(spec, stream, peer);
  });
  return server;
}

async function respond(node: RouterNode, spec: ListenerSpec, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return text(res, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
  }
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/metrics' && spec.metrics !== false) {
    const metrics = routerMetrics(node);
    const body = await metrics.scrape();
    return text(res, 200, body, { 'content-type': metrics.contentType });
  }
  if (path === '/healthz' && spec.healthz !== false) return text(res, 200, 'OK\n');
  if (path === '/readyz' && spec.healthz !== false) {
    const r = readiness(meshState(node));
    return text(res, r.ready ? 200 : 503, r.ready ? 'OK\n' : `not ready:\n${r.missing.join('\n')}\n`);
  }
  if (spec.httpRootDir) return serveFile(spec.httpRootDir, path, req, res);
  return text(res, 404, 'Not found\n');
}

/** Node sends no body for HEAD, but the headers (content-length included) as for GET. */
function text(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
