// The link lines of one connection (ROUTER_CORE info, as qdrouterd): each link attached,
// refused, detached or lost. Installed on the engine connection as its LinkObserver when the
// connection opens, so every link is seen, whichever handler (client, inter-router, link route,
// auto-link) owns its events. Links get their router-wide number (RouterNode.linkIdentity) here
// when they are first seen.

import type { LinkObserver } from '../amqp/connection';
import type { Link } from '../amqp/link';
import type { ErrorCondition, Terminus } from '../amqp/performatives';
import type { ModuleLogger } from '../observe/logger';
import { LinkFacts, attachedLine, endedLine, refusedLine } from '../observe/link-lines';

export class LinkLog implements LinkObserver {
  /** Links whose attach was refused: their refusal line says it all, no end line follows. */
  private readonly refused = new WeakSet<Link>();

  constructor(private readonly log: ModuleLogger, private readonly connId: number, private readonly identity: (link: Link) => number) {}

  attached(link: Link, initiator: 'local' | 'remote'): void {
    const facts = this.facts(link);
    // A detach before our answer (a refusal without refuse()) is a refusal too.
    if (link.refusal || link.localDetached) {
      this.refused.add(link);
      if (this.log.enabled('info')) this.log.info(refusedLine(facts, link.remoteAttach?.source, link.remoteAttach?.target, link.refusal ?? link.detachError));
      return;
    }
    if (!this.log.enabled('info')) return;
    const [source, target] = initiator === 'local' ? [link.localAttach?.source, link.localAttach?.target] : asked(link);
    this.log.info(attachedLine(facts, source, target));
  }

  ended(link: Link, error: ErrorCondition | undefined, byPeer: boolean): void {
    if (this.refused.has(link) || !this.log.enabled('info')) return;
    const weDetached = link.localDetached; // before this end was reported: ours came first
    const detached = weDetached || link.remoteDetached || (!byPeer && error !== undefined && !link.connection.closed);
    // A connection's end is said once, on its own line, not on each of its links.
    const reason = weDetached ? link.detachError : detached || !link.connection.closed ? error : undefined;
    this.log.info(endedLine(this.facts(link), detached, weDetached || !byPeer ? 'router' : 'peer', reason));
  }

  private facts(link: Link): LinkFacts {
    return { connId: this.connId, linkId: this.identity(link), incoming: !link.isSender };
  }
}

/** The termini the peer asked for; a dynamic one with the address the router gave it. */
function asked(link: Link): [Terminus | undefined, Terminus | undefined] {
  const theirs = link.remoteAttach;
  const ours = link.localAttach;
  const given = (t: Terminus | undefined, answer: Terminus | undefined): Terminus | undefined =>
    t?.dynamic && answer?.address ? { ...t, address: answer.address } : t;
  return [given(theirs?.source, ours?.source), given(theirs?.target, ours?.target)];
}
