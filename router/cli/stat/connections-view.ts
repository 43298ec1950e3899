// `weft stat -c`: one row per connection, with qdstat's summaries of its security and
// authentication; `last dlv` and `uptime` when the agent returns them.

import { rowsOf } from '../management-node';
import { pyStr, pyText } from './py-text';
import { timeLong } from './py-time';
import { formatTable } from './table';
import { ENTITY_PREFIX, Row, StatView, has, queryJson } from './view';

const TYPE = `${ENTITY_PREFIX}connection`;

/** no-security, Kerberos, or `TLSv1.3(cipher)`. */
export function connectionSecurity(c: Row): string {
  if (!c.isEncrypted) return 'no-security';
  if (c.sasl === 'GSSAPI') return 'Kerberos';
  return `${pyStr(c.sslProto)}(${pyStr(c.sslCipher)})`;
}

/** no-auth, anonymous-user, the mechanism, or `user(mechanism)`. */
export function connectionAuthentication(c: Row): string {
  if (!c.isAuthenticated) return 'no-auth';
  const sasl = c.sasl === 'GSSAPI' ? 'Kerberos' : c.sasl === 'EXTERNAL' ? 'x.509' : c.sasl;
  if (sasl === 'ANONYMOUS') return 'anonymous-user';
  if (!c.user) return pyStr(sasl);
  return `${pyStr(c.user)}(${pyStr(sasl)})`;
}

function withoutTrailingSlash(v: unknown): string {
  const text = pyText(v);
  return text.endsWith('/') ? text.slice(0, -1) : text;
}

export const connectionsView: StatView = {
  header: true,
  async run({ node, limit }) {
    const result = await node.query(TYPE, [], limit);
    const lastDelivery = has(result, 'lastDlvSeconds');
    const uptime = has(result, 'uptimeSeconds');
    const heads = ['id', 'host', 'container', 'role', 'proto', 'dir', 'security', 'authentication', 'tenant'];
    if (lastDelivery) heads.push('last dlv');
    if (uptime) heads.push('uptime');
    const rows = rowsOf(result).map((c) => {
      const row = [c.identity, c.host, c.container, c.role, c.protocol, c.dir].map(pyText);
      row.push(connectionSecurity(c), connectionAuthentication(c), withoutTrailingSlash(c.tenant));
      if (lastDelivery) row.push(c.lastDlvSeconds === null ? '-' : timeLong(Number(c.lastDlvSeconds)));
      if (uptime) row.push(timeLong(Number(c.uptimeSeconds)));
      return row;
    });
    return { lines: formatTable('Connections', heads, rows), json: queryJson(TYPE, result) };
  },
};
