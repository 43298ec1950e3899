// Router configurations of the auto-link tests, and what their logs say about the auto-links.

import type { RouterProcess } from './router-process';

/** A router with a route-container connector `broker` and out/in auto-links for a waypoint `orders`. */
export function autoLinkConf(brokerPort: number, extra = ''): string {
  return `router {\n    mode: standalone\n    id: R\n}\n`
    + `listener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\n`
    + `connector {\n    name: broker\n    host: 127.0.0.1\n    port: ${brokerPort}\n    role: route-container\n    initialReconnectDelay: 100\n    maxReconnectDelay: 500\n}\n`
    + `address {\n    prefix: orders\n    waypoint: yes\n}\n`
    + `autoLink {\n    name: orders-out\n    address: orders\n    direction: out\n    connection: broker\n}\n`
    + `autoLink {\n    name: orders-in\n    address: orders\n    direction: in\n    connection: broker\n}\n` + extra;
}

/** Both auto-links of autoLinkConf() have gone active `times` times (their log lines). */
export function activeCount(r: RouterProcess, name: string): number {
  return (r.output().match(new RegExp(`Auto-link ${name} \\([a-z]+ [^)]*\\) active`, 'g')) ?? []).length;
}

