// A connector's `failoverUrls` as written. Three forms are read:
//   host:port, amqp://host:port, ...                       qdrouterd's comma list
//   failover:(amqp://h1:p1,amqp://h2:p2)?randomize=false&initialReconnectDelay=100&maxReconnectDelay=2000
//   masterslave:(tcp://h1:p1,tcp://h2:p2)                   ActiveMQ's forms (seeds 001, 002)
// The port defaults to 5672; amqp:// and tcp:// mean plain TCP (connectors do no TLS yet).
// Options of the ActiveMQ forms that map to connector attributes are returned; others are
// named so the caller can warn that they are ignored.

import { parsePort } from './port';

export interface FailoverUrl { host: string; port: number }

export interface FailoverOptions {
  randomize?: boolean;
  initialReconnectDelay?: number;
  maxReconnectDelay?: number;
}

export type ParsedFailoverUrls =
  | { ok: true; urls: FailoverUrl[]; options: FailoverOptions; ignored: string[] }
  | { ok: false; message: string };

const PLAIN_SCHEMES = new Set(['amqp', 'tcp']);
const DEFAULT_PORT = 5672;

export function parseFailoverUrls(text: string): ParsedFailoverUrls {
  let body = text.trim();
  let query = '';
  const wrapper = /^(failover|masterslave):/i.exec(body);
  if (wrapper) {
    body = body.slice(wrapper[0].length).trim();
    const q = body.lastIndexOf('?');
    // The options follow the closing parenthesis (or the last URL, without parentheses).
    if (q >= 0 && (!body.startsWith('(') || q > body.lastIndexOf(')'))) { query = body.slice(q + 1); body = body.slice(0, q); }
    if (body.startsWith('(')) {
      if (!body.endsWith(')')) return { ok: false, message: `'${text}': missing ')' after the URL list` };
      body = body.slice(1, -1);
    }
  }
  const urls: FailoverUrl[] = [];
  for (const part of body.split(',').map((p) => p.trim())) {
    if (part === '') return { ok: false, message: `'${text}': empty URL in the list` };
    const url = parseUrl(part);
    if (typeof url === 'string') return { ok: false, message: url };
    urls.push(url);
  }
  const options: FailoverOptions = {};
  const ignored: string[] = [];
  for (const pair of query.split('&').filter(Boolean)) {
    const [key, value = ''] = pair.split('=');
    const problem = readOption(options, key, value);
    if (problem === 'unknown') ignored.push(key);
    else if (problem) return { ok: false, message: problem };
  }
  if (!wrapper && query) return { ok: false, message: `'${text}': options need the failover:(...) form` };
  return { ok: true, urls, options, ignored };
}

function parseUrl(text: string): FailoverUrl | string {
  let rest = text;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    if (!PLAIN_SCHEMES.has(scheme[1].toLowerCase())) return `'${text}': scheme ${scheme[1]} is not supported (amqp or tcp; connectors do not do TLS yet)`;
    rest = rest.slice(scheme[0].length);
  }
  rest = rest.replace(/[/?].*$/, ''); // a path or per-URL options mean nothing to a connector
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (v6) [host, port] = [v6[1], v6[2]];
  else {
    const colon = rest.lastIndexOf(':');
    [host, port] = colon >= 0 ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, undefined];
  }
  if (host === '') return `'${text}': no host`;
  if (port === undefined || port === '') return { host, port: DEFAULT_PORT };
  const n = parsePort(port);
  if (n === undefined || n === 0) return `'${text}': bad port '${port}'`;
  return { host, port: n };
}

/** Undefined when read, 'unknown' for an option with no connector attribute, else a problem. */
function readOption(options: FailoverOptions, key: string, value: string): string | undefined {
  switch (key) {
    case 'randomize':
      if (value !== 'true' && value !== 'false') return `randomize: expected true or false, got '${value}'`;
      options.randomize = value === 'true';
      return undefined;
    case 'initialReconnectDelay':
    case 'maxReconnectDelay': {
      if (!/^[0-9]+$/.test(value)) return `${key}: expected milliseconds, got '${value}'`;
      options[key] = Number(value);
      return undefined;
    }
    default:
      return 'unknown';
  }
}
