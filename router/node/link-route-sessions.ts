// Which session a routed link goes out on. Toward a router: one session per inter-router
// connection for all routed links, begun on first use and never ended (as qdrouterd does: capture
// 4 shows ch 11); a link whose name and role are already in it gets a session of its own. Toward
// a route-container (a broker): a session per link, ended with it, because some brokers answer
// a refused attach by ending the session (RabbitMQ), which must not take other links with it.

import type { Connection } from '../amqp/connection';
import type { Session } from '../amqp/session';

const shared = new WeakMap<Connection, Session>();

export interface RoutedSession {
  session: Session;
  /** Ours alone: end it when the link is done. */
  dedicated: boolean;
}

export function routedLinkSession(c: Connection, toRouter: boolean, name: string, isSender: boolean): RoutedSession {
  if (toRouter) {
    let s = shared.get(c);
    if (!s || s.localEnded || s.remoteEnded) {
      s = c.beginSession();
      shared.set(c, s);
    }
    if (!s.findLink(name, isSender)) return { session: s, dedicated: false };
  }
  return { session: c.beginSession(), dedicated: true };
}
