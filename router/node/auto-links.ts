// The router's auto-links by name (node.autoLinks): the configured ones and those management
// adds. Route-container connections opening and closing activate and deactivate them; the
// connection's link events reach the auto-link that owns the link.

import type { Link } from '../amqp/link';
import type { ErrorCondition } from '../amqp/performatives';
import { ConfigError } from '../common/errors';
import { AutoLinkConfig, autoLinkMatches } from '../core/auto-link-config';
import { AutoLink, AutoLinkStatus, autoLinkOf } from './auto-link';
import type { ClientConnection } from './client-connection';
import type { RouterNode } from './router-node';

export class AutoLinks {
  private readonly byName = new Map<string, AutoLink>();

  constructor(private readonly node: RouterNode, configs: AutoLinkConfig[] = []) {
    for (const c of configs) this.add(c);
  }

  /** Adds an auto-link (configuration or management CREATE); it attaches at once if a matching connection is open. */
  add(config: AutoLinkConfig): AutoLink {
    if (this.byName.has(config.name)) throw new ConfigError(`autoLink.name: an auto-link named ${config.name} exists already`);
    const a = new AutoLink(config, this.node);
    this.byName.set(config.name, a);
    const conn = [...this.node.connections].find((c) => isOpen(c) && this.matches(a, c));
    if (conn) a.attach(conn);
    return a;
  }

  /** Removes an auto-link, detaching its link; false when there is none of that name. */
  remove(name: string): boolean {
    const a = this.byName.get(name);
    if (!a) return false;
    this.byName.delete(name);
    a.close();
    return true;
  }

  get(name: string): AutoLink | undefined { return this.byName.get(name); }
  values(): IterableIterator<AutoLink> { return this.byName.values(); }
  list(): AutoLinkStatus[] { return [...this.byName.values()].map((a) => a.status()); }

  // ---- events of client connections (client-connection.ts) ----

  connectionOpened(conn: ClientConnection): void {
    for (const a of this.byName.values()) if (!a.conn && this.matches(a, conn)) a.attach(conn);
  }

  /** The auto-links on `conn` go inactive, or move to another matching connection still open. */
  connectionClosed(conn: ClientConnection): void {
    for (const a of this.byName.values()) {
      if (a.conn !== conn) continue;
      a.deactivate();
      const other = [...this.node.connections].find((c) => c !== conn && isOpen(c) && this.matches(a, c));
      if (other) a.attach(other);
    }
  }

  /** An answer to an attach of ours; false when the link is not an auto-link's. */
  attachAnswered(link: Link): boolean {
    const a = autoLinkOf(link);
    if (!a || this.byName.get(a.name) !== a) return false;
    a.answered(link);
    return true;
  }

  linkDetached(link: Link, error: ErrorCondition | undefined): void {
    const a = autoLinkOf(link);
    if (a && this.byName.get(a.name) === a) a.detached(link, error);
  }

  stop(): void {
    for (const a of this.byName.values()) a.deactivate();
  }

  private matches(a: AutoLink, conn: ClientConnection): boolean {
    return autoLinkMatches(a.config, { role: conn.role, name: conn.spec.name, containerId: conn.connection.remoteContainerId });
  }
}

/** AMQP open exchanged and not closed: links can be attached. */
function isOpen(c: ClientConnection): boolean {
  return c.connection !== undefined && c.connection.remoteOpen !== undefined && !c.connection.closed;
}
