// Messages the router makes itself (management replies): routed like a delivery from a
// producer inside the router, to local consumers or across the mesh, sent pre-settled as
// qdrouterd sends them. None is dropped without a log line.

import { OutDelivery, payloadOf } from '../amqp/delivery';
import { forwarders } from '../core/forwarders';
import type { Consumer, Peer } from './links';
import type { RouterNode } from './router-node';

export interface OriginatedMessage {
  /** The encoded message without router annotations (for clients that strip them). */
  readonly plain: Buffer;
  /** The same with this router's ingress and trace annotations (toward other routers). */
  annotated(): Buffer;
}

/** Marks outgoing copies the router made (the forwarding path leaves them alone). */
export const ORIGINATED = Symbol('originated');

/** The router as the arrival connection of what it sends itself (no connection to avoid). */
const ROUTER_ITSELF: Peer = { id: 0, stripIn: false, stripOut: false, interRouter: false, linkCapacity: 0, lastDeliverySec: -1 };

export class Originator {
  constructor(private readonly node: RouterNode) {}

  /** Sends `message` to the address text `to`; false (with a log line) when it has nowhere to go. */
  send(to: string, message: OriginatedMessage, what: string): boolean {
    const node = this.node;
    const address = node.lookupAddress(to);
    const targets = this.destinations(address);
    if (targets.length === 0) {
      node.log.router.warning(`${what} to ${to} could not be delivered: no route to that address; dropped`);
      node.releaseAddress(address);
      return false;
    }
    const stats = node.stats;
    for (const c of targets) {
      const out = new OutDelivery(c.link, payloadOf(c.conn.stripOut ? message.plain : message.annotated()), node.nextTag(), true);
      out.context = ORIGINATED;
      c.stats.deliveryCount++;
      c.stats.presettledCount++;
      c.conn.lastDeliverySec = stats.clockSec;
      if (c.conn.interRouter) address.deliveriesTransit++;
      else { stats.deliveriesEgress++; address.deliveriesEgress++; }
      c.link.send(out); // queued on the link until it has credit
    }
    address.deliveriesFromContainer++;
    return true;
  }

  /** A copy the router made was still queued when its link went away. */
  lost(out: OutDelivery, c: Consumer): void {
    this.node.stats.droppedPresettledDeliveries++;
    c.stats.droppedPresettledCount++;
    this.node.log.router.warning(`a message the router sent (delivery tag ${out.tagBytes.toString('hex')}) was lost: link ${c.link.name} on [C${c.conn.id}] went away before it could be written`);
  }

  private destinations(address: ReturnType<RouterNode['lookupAddress']>): Consumer[] {
    const mesh = this.node.mesh;
    if (address.key.startsWith('R')) {
      const next = mesh?.towardRouter(address.key.slice(1));
      return next ? [next] : [];
    }
    if (address.distribution === 'multicast') {
      const local = address.consumers.slice();
      return mesh && address.remotes.size > 0 ? local.concat(mesh.multicastDestinations(address, undefined, ROUTER_ITSELF, undefined)) : local;
    }
    const local = forwarders[address.distribution].select(address);
    if (local.length > 0) return local;
    // Local consumers without credit: the first one gets it when it has credit again.
    if (address.consumers.length > 0) return [address.consumers[0]];
    const remote = mesh && address.remotes.size > 0 ? mesh.anycastDestination(address, undefined, undefined, ROUTER_ITSELF) : undefined;
    return remote ? [remote] : [];
  }
}
