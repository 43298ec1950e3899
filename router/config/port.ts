// Ports as qdrouterd takes them: a number or a service name, kept as written in the entity.

import { ConfigError } from '../common/errors';

/** Service names Weft resolves itself (qdrouterd asks the system's services database). */
export const SERVICE_PORTS: Readonly<Record<string, number>> = { amqp: 5672, amqps: 5671 };

/** The port number of a valid port string, or undefined. `0` (ephemeral) is valid here. */
export function parsePort(port: string): number | undefined {
  const text = port.trim();
  if (/^[0-9]+$/.test(text)) {
    const n = Number.parseInt(text, 10);
    return n <= 65535 ? n : undefined;
  }
  return Object.prototype.hasOwnProperty.call(SERVICE_PORTS, text) ? SERVICE_PORTS[text] : undefined;
}

/**
 * The port number to bind or connect to: `amqp` → 5672, `amqps` → 5671, `0` → 0 (a listener then
 * gets an ephemeral port). Throws ConfigError for a port that validation would have refused.
 */
export function resolvePort(port: string): number {
  const n = parsePort(port);
  if (n === undefined) throw new ConfigError(`invalid port '${port}'`);
  return n;
}
