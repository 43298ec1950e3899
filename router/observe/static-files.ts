// Files under a listener's httpRootDir (qdrouterd serves its web console this way). A path
// that leaves the root, by `..` or by a symbolic link, is not found.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** The file for a URL path inside `root`, or undefined when there is none (or it is outside). */
export async function resolveFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  try {
    const realRoot = await fs.promises.realpath(root);
    let file = await fs.promises.realpath(path.join(realRoot, decoded));
    if (!inside(realRoot, file)) return undefined;
    if ((await fs.promises.stat(file)).isDirectory()) {
      file = await fs.promises.realpath(path.join(file, 'index.html'));
      if (!inside(realRoot, file)) return undefined;
    }
    return (await fs.promises.stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Sends the file for the request's path, or 404. */
export async function serveFile(root: string, urlPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = await resolveFile(root, urlPath);
  if (file === undefined) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    return;
  }
  const size = (await fs.promises.stat(file)).size;
  res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
