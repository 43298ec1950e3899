// Router configurations of the auto-link tests, and what their logs say about the auto-links.

import type { RouterProcess } from './router-process';

export interface AutoLinkConfOptions {
  /** The waypoint address (default `orders`); the auto-links are named `<address>-out` and `<address>-in`. */
  address?: string;
  /** The queue on the broker (default: the address). */
  externalAddress?: string;
  /** More configuration text. */
  extra?: string;
}

/** A router with a route-container connector `broker` and out/in auto-links for a waypoint address. */
export function autoLinkConf(brokerPort: number, options: AutoLinkConfOptions = {}): string {
  const address = options.address ?? 'orders';
  const external = options.externalAddress ? `    externalAddress: ${options.externalAddress}\n` : '';
  return `router {\n    mode: standalone\n    id: R\n}\n`
    + `listener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\n`
    + `connector {\n    name: broker\n    host: 127.0.0.1\n    port: ${brokerPort}\n    role: route-container\n    initialReconnectDelay: 100\n    maxReconnectDelay: 500\n}\n`
    + `address {\n    prefix: ${address}\n    waypoint: yes\n}\n`
    + `autoLink {\n    name: ${address}-out\n    address: ${address}\n    direction: out\n    connection: broker\n${external}}\n`
    + `autoLink {\n    name: ${address}-in\n    address: ${address}\n    direction: in\n    connection: broker\n${external}}\n` + (options.extra ?? '');
}

/** How many times the auto-link `name` (a regular expression) has gone active, from its log lines. */
export function activeCount(r: RouterProcess, name: string): number {
  return (r.output().match(new RegExp(`Auto-link ${name} \\([a-z]+ [^)]*\\) active`, 'g')) ?? []).length;
}
