// The forwarding path: a delivery from a producer goes to the destinations the core's forwarder
// picks, as byte-slice copies (router annotations spliced when the egress needs them);
// outcomes and settlement travel back; credit returns to the producer as deliveries leave.
// Nothing is dropped silently: an undeliverable unsettled delivery is released or rejected, an
// undeliverable pre-settled one is counted and logged.

import { InDelivery, OutDelivery } from '../amqp/delivery';
import { Accepted, DeliveryState, Descriptor, ModifiedFailed, Released, rejected } from '../amqp/performatives';
import { scanHead, MessageHead } from '../amqp/message-sections';
import { logReceivedMessage } from '../observe/message-log';
import { readAnnotations, rebuildHead, RouterAnnotations } from '../amqp/router-annotations';
import { brokerHead } from '../amqp/broker-head';
import { forwarders } from '../core/forwarders';
import { mobileKeyPhase } from '../core/address-key';
import type { ProtocolError } from '../common/errors';
import { Consumer, InProcessEndpoint, Producer, RouterAddress } from './links';
import type { RouterNode } from './router-node';

/** What the router remembers of an incoming delivery while its copies are out. */
interface InContext {
  producer: Producer;
  /** Copies not yet written whole. */
  unsent: number;
  /** Copies whose outcome has not come back (unsettled deliveries only). */
  unsettled: number;
  multicast: boolean;
  worst: DeliveryState | undefined;
  head: MessageHead;
  annotations: RouterAnnotations | undefined;
  payload: Buffer;
  /** Splices per egress kind, computed once. */
  stripped?: { prefix: Buffer; skip: number } | null;
  annotated?: { prefix: Buffer; skip: number };
  forBroker?: { prefix: Buffer; skip: number };
  routingAddress: string | undefined;
  /** The address it was routed to (to route it again if its destination goes away). */
  address: RouterAddress | undefined;
  /** Counted in the producer's deliveries awaiting an outcome. */
  awaiting: boolean;
  /** The producer already has its credit back for this delivery. */
  creditReturned: boolean;
  /** Router clock (s) when it arrived: how long its outcome took (delayed/stuck counters). */
  arrivedSec: number;
  /** Counted as stuck by the sweep (once). */
  stuck: boolean;
  /** Taken by an in-process endpoint once its last frame is in. */
  inProcess: InProcessEndpoint | undefined;
}

const EMPTY = Buffer.alloc(0);

/** x-opt-qd.phase of a mobile key's deliveries: absent for phase 0 (and for fallback, not routed by phase). */
function phaseAnnotation(key: string): number | undefined {
  const phase = mobileKeyPhase(key);
  return typeof phase === 'number' && phase > 0 ? phase : undefined;
}

/** rejected > accepted > modified > released (reference §4.5). */
const OUTCOME_RANK: Record<number, number> = {
  [Descriptor.released]: 0, [Descriptor.modified]: 1, [Descriptor.accepted]: 2, [Descriptor.rejected]: 3,
};

export class DeliveryRouter {
  constructor(private readonly node: RouterNode) {}

  /** A delivery's first frame (or more frames before it could be routed). */
  onTransfer(d: InDelivery, producer: Producer): void {
    if (d.context !== undefined) {
      // Already routed: waiting for a consumer's credit, or for its last frame (in-process).
      const ctx = d.context as InContext;
      if (ctx.inProcess !== undefined && d.complete) this.deliverInProcess(d, ctx, ctx.inProcess);
      return;
    }
    if (d.aborted) {
      // Cut off before it was routed: nothing was forwarded, nothing to report.
      d.doneRouting();
      producer.outstanding++;
      return this.finished(d, producer);
    }
    const payload = d.chunks.length === 1 ? d.chunks[0] : d.bytes();
    let head: MessageHead;
    try {
      head = scanHead(payload, producer.address === undefined);
    } catch (err) {
      return this.refuse(d, producer, rejected('amqp:decode-error', (err as Error).message));
    }
    if (!head.complete && !d.complete) return; // wait for the rest of the head
    if (producer.conn.messageLog !== undefined) logReceivedMessage(this.node.log.message, producer.conn.id, producer.link, payload, producer.conn.messageLog);
    producer.outstanding++;
    const stats = this.node.stats;
    const ls = producer.stats;
    ls.deliveryCount++;
    if (d.remoteSettled) { stats.presettledDeliveries++; ls.presettledCount++; }
    producer.conn.lastDeliverySec = stats.clockSec;

    let annotations: RouterAnnotations | undefined;
    if (head.annotationsStart >= 0) {
      try {
        annotations = readAnnotations(payload, head);
      } catch (err) {
        return this.undeliverable(d, producer, rejected((err as ProtocolError).condition ?? 'amqp:invalid-field', (err as Error).message));
      }
      // A stripping connection's router keys are ignored on the way in.
      if (producer.conn.stripIn && annotations.hasRouterKeys) annotations = { hasRouterKeys: true, user: annotations.user };
    }
    const ctx: InContext = {
      producer, unsent: 0, unsettled: 0, multicast: false, worst: undefined, head, annotations, payload, routingAddress: undefined, address: undefined, awaiting: false, creditReturned: false,
      arrivedSec: stats.clockSec, stuck: false, inProcess: undefined,
    };
    d.context = ctx;

    let address = producer.address;
    if (!address) {
      const to = annotations?.to ?? head.to;
      if (to === undefined) return this.undeliverable(d, producer, rejected('amqp:precondition-failed', 'message on an anonymous link has no to address'));
      ctx.routingAddress = to;
      address = this.node.lookupAddress(to, annotations?.phase ?? 0);
      if (address!.distribution === 'unavailable') {
        return this.undeliverable(d, producer, rejected('amqp:not-found', 'Deliveries cannot be sent to an unavailable address'));
      }
    } else ctx.routingAddress = producer.routingAddress;
    if (!producer.conn.interRouter) { stats.deliveriesIngress++; address!.deliveriesIngress++; }
    this.route(d, address!);
  }

  /** Sends `d` to the destinations the address's forwarder picks, or parks or releases it. */
  private route(d: InDelivery, address: RouterAddress): void {
    const ctx = d.context as InContext;
    ctx.address = address;
    const mesh = this.node.mesh;
    const trace = ctx.annotations?.trace;
    if (mesh && trace && trace.length > mesh.hopLimit) {
      // A loop or a stale path: the only hop limit (reference §5.2; mesh.ts says why diameter).
      return this.undeliverable(d, ctx.producer, Released);
    }
    if (address.inProcess !== undefined) return this.toInProcess(d, ctx, address, address.inProcess);
    let targets: Consumer[];
    // The data link of the message's priority (reference §8.3): the address's, else the header's.
    const priority = address.settings.priority ?? ctx.head.priority;
    if (address.key.startsWith('R')) {
      // Another router's own address space (dynamic reply addresses): toward that router.
      const next = mesh?.towardRouter(address.key.slice(1), priority);
      targets = next ? [next] : [];
    } else if (address.distribution === 'multicast') {
      targets = forwarders.multicast.select(address);
      if (mesh && address.remotes.size > 0) targets = targets.concat(mesh.multicastDestinations(address, trace, ctx.producer.conn, ctx.annotations?.ingress, priority));
    } else if (address.distribution === 'balanced') {
      // The lowest load wins, local consumers (with credit) against remote routers; ties stay local.
      targets = forwarders.balanced.select(address);
      const remote = mesh && address.remotes.size > 0 ? mesh.balancedDestination(address, ctx.annotations?.ingress, priority, ctx.producer.conn) : undefined;
      if (remote && (targets.length === 0 || remote.load < targets[0].load)) targets = [remote.dest];
    } else {
      targets = forwarders[address.distribution].select(address);
      // closest: local consumers first, even without credit; then the nearest router.
      if (targets.length === 0 && mesh && address.remotes.size > 0 && !address.hasConsumers) {
        const remote = mesh.anycastDestination(address, ctx.annotations?.ingress, priority, ctx.producer.conn);
        if (remote) targets = [remote];
      }
    }
    if (targets.length === 0) {
      // A local consumer will have credit again; a router that advertised the address will be
      // reachable once paths are computed (or forgotten, and then these go back released).
      if ((address.distribution !== 'multicast' && address.hasConsumers) || address.remotes.size > 0) {
        if (this.node.log.core.enabled('debug')) this.node.log.core.debug(`${address.key}: delivery waits (local consumers ${address.consumers.length}, routers ${[...address.remotes.keys()].join(' ') || 'none'})`);
        address.waiting.push(d);
        return;
      }
      if (this.node.log.core.enabled('debug')) this.node.log.core.debug(`no destination for ${address.key} (remote routers: ${[...address.remotes.keys()].join(' ') || 'none'})`);
      return this.undeliverable(d, ctx.producer, Released);
    }
    ctx.multicast = address.distribution === 'multicast';
    // Copies that go out on this turn's writes free the producer's credit now, so its flow can
    // leave before the rest of a large read is processed (the producer keeps sending meanwhile).
    const allHaveCredit = targets.every((c) => c.capacity > 0);
    for (const c of targets) this.sendCopy(d, ctx, c);
    d.doneRouting();
    this.forgetHead(ctx);
    if (allHaveCredit) this.finished(d, ctx.producer);
  }

  /** An in-process endpoint takes the delivery whole: it waits here for its last frame. */
  private toInProcess(d: InDelivery, ctx: InContext, address: RouterAddress, endpoint: InProcessEndpoint): void {
    address.deliveriesToContainer++;
    ctx.inProcess = endpoint;
    // Not marked routed: the session keeps every frame and tells onTransfer when more arrive.
    if (d.complete) this.deliverInProcess(d, ctx, endpoint);
  }

  private deliverInProcess(d: InDelivery, ctx: InContext, endpoint: InProcessEndpoint): void {
    ctx.inProcess = undefined;
    const payload = d.bytes();
    d.doneRouting();
    this.forgetHead(ctx);
    if (!d.aborted) {
      try {
        endpoint.receive(payload, ctx.producer.conn);
      } catch (err) {
        // The endpoint answers bad requests itself: this is a bug, but it must not end the connection.
        this.node.log.router.error(`${endpoint.name}: ${(err as Error).stack ?? String(err)}`);
      }
      if (!d.remoteSettled) this.settleIn(d, ctx, Accepted);
    }
    this.finished(d, ctx.producer);
  }

  /** The head was only needed to route and splice: let the socket chunk it points into go. */
  private forgetHead(ctx: InContext): void {
    ctx.payload = EMPTY;
  }

  private sendCopy(d: InDelivery, ctx: InContext, c: Consumer): void {
    // A message still arriving would hold the shared inter-router link until its last frame:
    // it takes a streaming link of its own instead.
    if (!d.complete && !c.address) c = c.conn.streamingDestination?.() ?? c;
    const splice = this.spliceFor(d, ctx, c);
    const out = new OutDelivery(c.link, d, this.node.nextTag(), d.remoteSettled, d.messageFormat, splice?.prefix, splice?.skip ?? 0);
    out.context = c;
    d.addReader(out);
    ctx.unsent++;
    if (!d.remoteSettled) {
      ctx.unsettled++;
      c.unsettled.add(out);
      if (!c.address && ctx.address) c.countOut(ctx.address.key, 1);
    }
    const stats = this.node.stats;
    const ls = c.stats;
    ls.deliveryCount++;
    if (d.remoteSettled) ls.presettledCount++;
    c.conn.lastDeliverySec = stats.clockSec;
    if (!c.conn.interRouter) {
      stats.deliveriesEgress++;
      if (c.address) c.address.deliveriesEgress++;
    } else {
      if (ctx.address) ctx.address.deliveriesTransit++;
      if (ctx.producer.conn.interRouter) stats.deliveriesTransit++;
    }
    c.link.send(out);
  }

  /** Router annotations for this egress: stripped for normal clients, added for `stripAnnotations: no|in`. */
  private spliceFor(d: InDelivery, ctx: InContext, c: Consumer): { prefix: Buffer; skip: number } | undefined {
    // A re-routed delivery has forgotten its head but still holds its first bytes.
    if (ctx.payload.length === 0) ctx.payload = d.bytes();
    if (c.conn.stripOut) {
      if (c.toBroker && ctx.head.deliveryAnnotations) return ctx.forBroker ??= brokerHead(ctx.payload, ctx.head, ctx.annotations?.user ?? []);
      if (!ctx.annotations?.hasRouterKeys) return undefined;
      if (ctx.stripped === undefined) ctx.stripped = rebuildHead(ctx.payload, ctx.head, ctx.annotations.user, undefined);
      return ctx.stripped ?? undefined;
    }
    if (!ctx.annotated) {
      const me = `0/${this.node.id}`;
      const a = ctx.annotations;
      ctx.annotated = rebuildHead(ctx.payload, ctx.head, a?.user ?? [], {
        // A targeted link's phase is its address's (a waypoint's phase 1 crosses the mesh as such).
        phase: ctx.producer.address ? phaseAnnotation(ctx.producer.address.key) : a?.phase,
        stream: a?.stream || !d.complete, to: ctx.producer.address ? ctx.routingAddress : a?.to,
        ingress: a?.ingress ?? me, trace: [...(a?.trace ?? []), me],
      });
    }
    return ctx.annotated;
  }

  /** No destination: released/rejected back to an unsettled sender; counted and logged if pre-settled. */
  private undeliverable(d: InDelivery, producer: Producer, state: DeliveryState): void {
    const stats = this.node.stats;
    stats.undeliverable++;
    if (d.remoteSettled) {
      stats.droppedPresettledDeliveries++;
      producer.stats.droppedPresettledCount++;
      this.node.logDroppedPresettled(producer, state);
    } else {
      this.count(state);
      producer.stats.countOutcome(state.code, 0);
      d.settle(state);
    }
    d.doneRouting();
    this.finished(d, producer);
  }

  /** Refuses a delivery that could not even be read; the producer did not count it yet. */
  private refuse(d: InDelivery, producer: Producer, state: DeliveryState): void {
    producer.outstanding++;
    this.undeliverable(d, producer, state);
  }

  /** The delivery has left the router (or been given up): the producer gets its credit back, once. */
  private finished(d: InDelivery, producer: Producer): void {
    const ctx = d.context as InContext | undefined;
    if (ctx) {
      if (ctx.creditReturned) return;
      ctx.creditReturned = true;
    }
    producer.outstanding--;
    producer.grant();
  }

  /** A copy has been written whole. */
  onSent(out: OutDelivery): void {
    if (!(out.context instanceof Consumer)) return;
    const d = out.source as InDelivery;
    const ctx = d.context as InContext;
    if (--ctx.unsent === 0) {
      if (!d.remoteSettled && !d.localSettled) { ctx.awaiting = true; ctx.producer.awaitingOutcome++; }
      this.finished(d, ctx.producer);
    }
  }

  /** The consumer updated or settled a copy. */
  onDisposition(out: OutDelivery): void {
    if (!(out.context instanceof Consumer)) return;
    const state = out.remoteState;
    const terminal = state !== undefined && OUTCOME_RANK[state.code] !== undefined;
    if (!out.remoteSettled && !terminal) return; // e.g. `received`: nothing to relay
    this.copyOutcome(out, out.context, terminal ? state! : Accepted);
    if (!out.remoteSettled) out.settle();
  }

  private copyOutcome(out: OutDelivery, consumer: Consumer, state: DeliveryState): void {
    if (!consumer.unsettled.delete(out)) return; // already accounted
    const d = out.source as InDelivery;
    consumer.stats.countOutcome(state.code, this.node.stats.clockSec - (d.context as InContext).arrivedSec);
    if (!consumer.address && (d.context as InContext).address) consumer.countOut((d.context as InContext).address!.key, -1);
    const ctx = d.context as InContext;
    if (ctx.multicast) {
      if (!ctx.worst || OUTCOME_RANK[state.code] > OUTCOME_RANK[ctx.worst.code]) ctx.worst = state;
      if (--ctx.unsettled > 0) return;
      state = ctx.worst!;
    } else ctx.unsettled--;
    this.settleIn(d, ctx, state);
  }

  /** Settles an incoming delivery with its outcome; its producer may get credit back. */
  private settleIn(d: InDelivery, ctx: InContext, state: DeliveryState): void {
    this.count(state);
    const stats = this.node.stats;
    const age = stats.clockSec - ctx.arrivedSec;
    if (age >= 1) {
      if (age >= 10) stats.deliveriesDelayed10Sec++;
      else stats.deliveriesDelayed1Sec++;
    }
    ctx.producer.stats.countOutcome(state.code, age);
    d.settle(ctx.producer.outcome(state));
    if (ctx.awaiting) {
      ctx.awaiting = false;
      ctx.producer.awaitingOutcome--;
      ctx.producer.grant();
    }
  }

  private count(state: DeliveryState): void {
    const s = this.node.stats;
    switch (state.code) {
      case Descriptor.accepted: s.acceptedDeliveries++; break;
      case Descriptor.rejected: s.rejectedDeliveries++; break;
      case Descriptor.released: s.releasedDeliveries++; break;
      case Descriptor.modified: s.modifiedDeliveries++; break;
    }
  }

  /** Counts (once each) the copies on a consumer that have waited more than 10 s. */
  sweepStuck(c: Consumer, nowSec: number): void {
    const check = (out: OutDelivery) => {
      if (!(out.source instanceof InDelivery)) return;
      const ctx = out.source.context as InContext | undefined;
      if (!ctx || ctx.stuck || nowSec - ctx.arrivedSec <= 10) return;
      ctx.stuck = true;
      this.node.stats.deliveriesStuck++;
      c.stats.deliveriesStuck++;
    };
    for (const out of c.link.queue) check(out);
    for (const out of c.unsettled) check(out);
  }

  /** Paths changed: deliveries waiting for a router to become reachable try again. */
  retryWaiting(address: RouterAddress): void {
    const waiting = address.waiting.splice(0);
    for (const d of waiting) this.route(d, address);
  }

  /** A consumer has credit: give it deliveries waiting on its address. */
  onCredit(c: Consumer): void {
    const address = c.address;
    if (!address) return; // nothing waits for an inter-router link's credit
    while (address.waiting.length > 0) {
      const targets = forwarders[address.distribution].select(address);
      if (targets.length === 0) return;
      const d = address.waiting.shift()!;
      const ctx = d.context as InContext;
      for (const t of targets) this.sendCopy(d, ctx, t);
      d.doneRouting();
      this.forgetHead(ctx);
      this.finished(d, ctx.producer);
    }
  }

  /** A consumer went away: its queued copies go elsewhere, its unsettled ones back to their senders. */
  consumerGone(c: Consumer): void {
    const address = c.address;
    address?.removeConsumer(c);
    const queued = c.link.queue.splice(0);
    for (const out of queued) {
      if (!(out.source instanceof InDelivery)) {
        // A message the router made itself (a management reply): nowhere else to send it.
        this.node.originated.lost(out, c);
        continue;
      }
      const d = out.source;
      const ctx = d.context as InContext;
      ctx.unsent--;
      c.unsettled.delete(out);
      if (out.started) {
        // Partly written: the consumer may have seen part of it.
        if (!d.remoteSettled) this.copyLost(d, ctx, ModifiedFailed);
        else { this.node.stats.droppedPresettledDeliveries++; c.stats.droppedPresettledCount++; }
        d.readerDone(out);
        if (ctx.unsent === 0) this.finished(d, ctx.producer);
        continue;
      }
      if (!ctx.multicast) {
        if (!d.remoteSettled) ctx.unsettled--;
        d.routed = false; // keep its bytes while it is re-routed
        d.readerDone(out);
        this.reroute(d, ctx.address!);
      } else {
        if (!d.remoteSettled) this.copyLost(d, ctx, Released);
        d.readerDone(out);
        if (ctx.unsent === 0) this.finished(d, ctx.producer);
      }
    }
    for (const out of [...c.unsettled]) this.copyOutcome(out, c, ModifiedFailed);
    if (address && !address.hasConsumers) this.node.lastLocalConsumerGone(address);
  }

  /** An address has no destination left: what waits for it goes back to its senders. */
  noDestinations(address: RouterAddress): void {
    for (const d of address.waiting.splice(0)) {
      const ctx = d.context as InContext;
      this.undeliverable(d, ctx.producer, Released);
    }
  }

  private copyLost(d: InDelivery, ctx: InContext, state: DeliveryState): void {
    if (ctx.multicast) {
      if (!ctx.worst || OUTCOME_RANK[state.code] > OUTCOME_RANK[ctx.worst.code]) ctx.worst = state;
      if (--ctx.unsettled === 0) this.settleIn(d, ctx, ctx.worst!);
    } else { ctx.unsettled--; this.settleIn(d, ctx, state); }
  }

  private reroute(d: InDelivery, address: RouterAddress): void {
    // Still counted in its producer's outstanding deliveries: route() does not count it again.
    this.route(d, address);
  }

  /** A producer went away: deliveries parked for it stay (their payload is whole or aborted). */
  producerGone(p: Producer): void {
    if (p.address) {
      p.address.senders.delete(p);
      this.node.releaseAddress(p.address);
    }
  }
}
