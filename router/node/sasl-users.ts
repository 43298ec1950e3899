// Users for SASL PLAIN on listeners with `authenticatePeer: yes`. qdrouterd asks Cyrus SASL
// (sasldb, in `saslConfigDir`); Weft reads `<saslConfigDir>/<saslConfigName>.users`, one
// `user:password` per line (`#` comments), so that an authenticating listener has something to
// check against. Without that file every PLAIN login on such a listener is refused.

import * as fs from 'node:fs';
import * as path from 'node:path';

export type PlainUsers = ReadonlyMap<string, string>;

export function saslUsersFile(configDir: string | undefined, configName: string): string | undefined {
  return configDir ? path.join(configDir, `${configName}.users`) : undefined;
}

/** The users of the file, or undefined when there is no file. Throws on an unreadable or malformed one. */
export function loadPlainUsers(file: string | undefined): PlainUsers | undefined {
  if (!file || !fs.existsSync(file)) return undefined;
  const users = new Map<string, string>();
  fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`${file}:${i + 1}: expected user:password`);
    users.set(line.slice(0, colon), line.slice(colon + 1));
  });
  return users;
}
