// A plain HTTP request for tests (node:http): status, headers and body as text. The path is
// sent as given (no normalisation), so tests can try `..` and odd encodings.

import * as http from 'node:http';

export interface HttpAnswer { status: number; headers: http.IncomingHttpHeaders; body: string }

export function httpGet(port: number, path: string, options: { method?: string; headers?: http.OutgoingHttpHeaders; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 5000, () => req.destroy(new Error(`GET ${path}: no answer in time`)));
    req.on('error', reject);
    req.end();
  });
}
