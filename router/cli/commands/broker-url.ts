// `-b URL`: amqp://[user[:password]@]host[:port] or amqps://…; a bare host[:port] means amqp.

import { UsageError } from '../args';

export const DEFAULT_URL = 'amqp://127.0.0.1:5672';

export interface BrokerUrl {
  /** For messages: scheme, host and port, never the password. */
  display: string;
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
}

export function parseBrokerUrl(text: string): BrokerUrl {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `amqp://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`'${text}' is not a URL like ${DEFAULT_URL}`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'amqp' && scheme !== 'amqps') throw new UsageError(`'${text}': the scheme must be amqp or amqps`);
  if (url.hostname === '') throw new UsageError(`'${text}' names no host`);
  const tls = scheme === 'amqps';
  const port = url.port === '' ? (tls ? 5671 : 5672) : Number(url.port);
  return {
    display: `${scheme}://${url.hostname}:${port}`,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    tls,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
  };
}
