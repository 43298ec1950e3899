// The engine events of a connection, with link routes served first: a new attach whose address
// matches a link route, and every event of a routed link, go to the link routes; everything
// else goes on to the connection's own handler (client or inter-router) unchanged. Route-container
// connections activate and deactivate routes as they open and close.

import type { Connection, ConnectionEvents } from '../amqp/connection';
import type { InDelivery, OutDelivery } from '../amqp/delivery';
import type { Link, ReceiverLink, SenderLink } from '../amqp/link';
import type { DeliveryState, ErrorCondition } from '../amqp/performatives';
import { ClientConnection } from './client-connection';
import type { InterRouterConnection } from './inter-router-connection';
import type { LinkRoutes } from './link-routes';
import { RoutedLink } from './routed-link';

function routed(link: Link): RoutedLink | undefined {
  const c = link.context;
  return c instanceof RoutedLink ? c : undefined;
}

export function withLinkRoutes(routes: LinkRoutes, inner: ClientConnection | InterRouterConnection): ConnectionEvents {
  const client = inner instanceof ClientConnection ? inner : undefined;
  return {
    onOpen(c: Connection): void {
      inner.onOpen(c);
      if (client) routes.connectionOpened(client);
    },
    onClose(c: Connection, error: ErrorCondition | undefined): void {
      inner.onClose(c, error);
      if (client) routes.connectionClosed(client);
    },
    onSaslOutcome(c: Connection, ok: boolean, user: string | undefined, reason?: string): void {
      client?.onSaslOutcome(c, ok, user, reason);
    },
    onAttach(link: Link): void {
      const r = routed(link);
      if (r) return r.onAttach(link);
      if (!link.localAttached && routes.onAttach(link, inner)) return;
      inner.onAttach(link);
    },
    onDetach(link: Link, error: ErrorCondition | undefined, byPeer: boolean): void {
      const r = routed(link);
      if (r) return r.onDetach(link, error);
      inner.onDetach(link, error, byPeer);
    },
    onCredit(link: SenderLink): void {
      const r = routed(link);
      if (r) return r.onCredit();
      inner.onCredit(link);
    },
    onReceiverFlow(link: ReceiverLink): void { routed(link)?.onReceiverFlow(); },
    onTransfer(d: InDelivery): void {
      const r = routed(d.link);
      if (r) return r.onTransfer(d);
      inner.onTransfer(d);
    },
    onSent(out: OutDelivery): void {
      const r = routed(out.link);
      if (r) return r.onSent(out);
      inner.onSent(out);
    },
    onDisposition(out: OutDelivery): void {
      const r = routed(out.link);
      if (r) return r.onDisposition(out);
      inner.onDisposition(out);
    },
    onSenderSettled(d: InDelivery, state: unknown, settled: boolean): void {
      routed(d.link)?.onSenderSettled(d, state as DeliveryState | undefined, settled);
    },
  };
}
