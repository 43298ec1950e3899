// One protocol trace line per frame, in qdrouterd's SERVER trace style:
//   [C3]:0 <- @transfer(20) [handle=0, delivery-id=0, delivery-tag=b"\x00", settled=false] (126)
// Used only when trace is enabled for a connection, so clarity wins over speed.

import { DESCRIPTOR_NAMES, dashed, inspectFields } from './amqp-inspect';

const CODES: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(DESCRIPTOR_NAMES).map(([code, name]) => [name, Number(code)]),
);

/**
 * `name` is a performative (`transfer`, `sasl-init` or `saslInit`); `fields` are its decoded
 * fields in spec order, camelCase; `payloadBytes` counts the bytes after the performative.
 */
export function formatFrame(connId: number, channel: number, direction: '->' | '<-', name: string, fields: object, payloadBytes: number): string {
  const performative = dashed(name);
  const code = CODES[performative];
  const head = code === undefined ? `@${performative}` : `@${performative}(${code})`;
  const payload = payloadBytes > 0 ? ` (${payloadBytes})` : '';
  return `[C${connId}]:${channel} ${direction} ${head} ${inspectFields(fields)}${payload}`;
}
