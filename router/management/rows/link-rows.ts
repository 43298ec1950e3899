// `router.link` entities: every link of every connection, the 22 inter-router links included
// (reference §7.5, §7.6). Identity = the link's serial.

import type { Link, ReceiverLink, SenderLink } from '../../amqp/link';
import { Consumer, Producer } from '../../node/links';
import type { LinkStats } from '../../node/link-stats';
import { InterRouterConnection } from '../../node/inter-router-connection';
import { ui, ul } from '../amqp-values';
import { PREFIX } from '../entity-types';
import { allConnections, type AnyConnection } from './connection-rows';
import type { AgentContext, Row } from './row';

const NO_STATS = new (class { deliveryCount = 0; presettledCount = 0; droppedPresettledCount = 0; acceptedCount = 0; rejectedCount = 0; releasedCount = 0; modifiedCount = 0; deliveriesDelayed1Sec = 0; deliveriesDelayed10Sec = 0; deliveriesStuck = 0; settleRate = 0; zeroCreditSeconds = 0 })();

export function linkRows(ctx: AgentContext): Row[] {
  const rows: Row[] = [];
  for (const c of allConnections(ctx)) {
    const links: Link[] = [];
    for (const s of c.connection.sessions.values()) links.push(...s.links.values());
    links.sort((a, b) => a.serial - b.serial);
    for (const link of links) rows.push(linkRow(c, link));
  }
  return rows;
}

function linkRow(c: AnyConnection, link: Link): Row {
  const ctx = link.context;
  const inter = c instanceof InterRouterConnection;
  const control = inter && (link === c.controlSender || link === c.controlReceiver);
  const endpoint = ctx instanceof Consumer || ctx instanceof Producer ? ctx : undefined;
  const stats: Pick<LinkStats, keyof typeof NO_STATS> = endpoint?.stats ?? (control ? (link.isSender ? c.controlStats.out : c.controlStats.in) : NO_STATS);
  const address = endpoint?.address;
  const sender = link.isSender ? (link as SenderLink) : undefined;
  return {
    name: link.name, identity: String(link.serial), type: `${PREFIX}.router.link`, linkName: link.name,
    linkType: control ? 'router-control' : inter ? 'inter-router' : 'endpoint', linkDir: link.isSender ? 'out' : 'in',
    owningAddr: address?.key ?? null, capacity: ui(c.linkCapacity), peer: null,
    undeliveredCount: ul(sender?.queue.length ?? 0),
    unsettledCount: ul(ctx instanceof Consumer ? ctx.unsettled.size : ctx instanceof Producer ? ctx.awaitingOutcome : 0),
    deliveryCount: ul(stats.deliveryCount), connectionId: String(c.id), adminStatus: 'enabled', operStatus: link.state === 'detached' ? 'down' : 'up',
    presettledCount: ul(stats.presettledCount), droppedPresettledCount: ul(stats.droppedPresettledCount),
    acceptedCount: ul(stats.acceptedCount), rejectedCount: ul(stats.rejectedCount), releasedCount: ul(stats.releasedCount), modifiedCount: ul(stats.modifiedCount),
    deliveriesDelayed1Sec: ul(stats.deliveriesDelayed1Sec), deliveriesDelayed10Sec: ul(stats.deliveriesDelayed10Sec), deliveriesStuck: ul(stats.deliveriesStuck),
    ingressHistogram: null, priority: ui(control ? 9 : endpoint?.priority ?? 4), settleRate: ui(stats.settleRate),
    creditAvailable: ui(sender ? sender.credit : (link as ReceiverLink).creditTarget), zeroCreditSeconds: ui(stats.zeroCreditSeconds),
  };
}
