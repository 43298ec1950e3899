// Writes a sender link's queued deliveries as transfer frames while link credit, the peer's
// session window and the socket allow. Frames never exceed the negotiated max-frame-size; a
// delivery still arriving is streamed on as its bytes come in.

import { DeliveryState, Descriptor } from './performatives';
import { OutDelivery } from './delivery';
import { SenderLink } from './link';
import { serialAdd } from './serial';
import { TypeCode as T } from './codec/type-codes';
import type { Connection } from './connection';

/** Returns true when the link has nothing left it could write now. */
export function pumpSender(c: Connection, link: SenderLink): boolean {
  const s = link.session;
  while (link.queue.length > 0) {
    if (link.localDetached) return true;
    const d = link.queue[0];
    if (!d.started) {
      if (d.source.aborted) { link.queue.shift(); d.source.readerDone?.(d); c.events.onSent?.(d); continue; }
      if (link.linkCredit <= 0) break;
      d.id = s.nextDeliveryId;
      s.nextDeliveryId = serialAdd(s.nextDeliveryId, 1);
      d.started = true;
      link.linkCredit--;
      link.deliveryCount = serialAdd(link.deliveryCount, 1);
      if (!d.settled) s.unsettledOut.set(d.id, d);
    }
    if (!writeFrames(c, link, d)) return false;
    link.queue.shift();
    d.source.readerDone?.(d);
    if (d.settled) d.localSettled = true;
    c.events.onSent?.(d);
  }
  link.completeDrain();
  return true;
}

/** Writes frames of `d` until it is fully sent (true) or something blocks (false). */
function writeFrames(c: Connection, link: SenderLink, d: OutDelivery): boolean {
  const s = link.session;
  const maxFrame = c.outgoingFrameSize;
  while (true) {
    if (s.remoteIncomingWindow <= 0 || !c.canWrite()) { c.blocked(link); return false; }
    if (d.source.aborted) {
      writeTransfer(c, link, d, false, true, 0);
      d.sent = true;
      return true;
    }
    const avail = d.available();
    const complete = d.source.complete;
    if (avail === 0 && !complete) return false; // woken again when more bytes arrive
    const room = maxFrame - 8 - transferSize(link.handle, d);
    const n = avail < room ? avail : room;
    const more = !(complete && n === avail);
    writeTransfer(c, link, d, more, false, n);
    if (!more) { d.sent = true; return true; }
  }
}

function writeTransfer(c: Connection, link: SenderLink, d: OutDelivery, more: boolean, aborted: boolean, n: number): void {
  const w = c.writer;
  const e = w.enc;
  const start = w.begin(link.session.channel);
  const state = stateToWrite(d);
  e.ensure(48 + d.tagLength + n + (state ? state.raw.length : 0));
  const b = e.buf;
  let p = e.pos;
  b[p++] = T.described; b[p++] = T.smallulong; b[p++] = Descriptor.transfer;
  b[p++] = T.list8;
  const sizeAt = p++;
  const countAt = p++;
  p = putUint(b, p, link.handle);
  p = putUint(b, p, d.id);
  const tag = d.tag;
  if (typeof tag === 'number') {
    b[p++] = T.vbin8; b[p++] = 8;
    b.writeUInt32BE(Math.floor(tag / 0x100000000), p); b.writeUInt32BE(tag >>> 0, p + 4); p += 8;
  } else { b[p++] = T.vbin8; b[p++] = tag.length; tag.copy(b, p); p += tag.length; }
  p = putUint(b, p, d.messageFormat);
  b[p++] = d.settled ? T.true : T.false;
  let count = 5;
  if (aborted) {
    b[p++] = T.false; b[p++] = T.null; b[p++] = T.null; b[p++] = T.null; b[p++] = T.true;
    count = 10;
  } else if (state) {
    // more, rcv-settle-mode (null), state: the sender's state rides on the first frame.
    d.stateSent = true;
    b[p++] = more ? T.true : T.false; b[p++] = T.null;
    state.raw.copy(b, p); p += state.raw.length;
    count = 8;
  } else if (more) { b[p++] = T.true; count = 6; }
  b[sizeAt] = p - countAt;
  b[countAt] = count;
  e.pos = p;
  if (n > 0) e.pos += d.read(b, p, n);
  w.end(start);
  const s = link.session;
  s.nextOutgoingId = serialAdd(s.nextOutgoingId, 1);
  s.remoteIncomingWindow--;
  if (c.traceOn) c.traceTransfer(link, d, more, aborted, n);
}

/** Bytes of the transfer performative as writeTransfer writes it (with `more`, the larger case). */
function transferSize(handle: number, d: OutDelivery): number {
  const state = stateToWrite(d);
  return 7 + uintSize(handle) + uintSize(d.id) + 2 + d.tagLength + uintSize(d.messageFormat) + 1 + (state ? 1 + state.raw.length : 0);
}

/** Largest state put on a transfer: the performative is a list8 (a transactional-state is ~30 bytes). */
const MAX_TRANSFER_STATE = 160;

/** The state still to be sent on this delivery's first frame, if any. */
function stateToWrite(d: OutDelivery): DeliveryState | undefined {
  const state = d.state;
  return state !== undefined && !d.stateSent && state.raw.length <= MAX_TRANSFER_STATE ? state : undefined;
}

function uintSize(v: number): number {
  return v === 0 ? 1 : v < 256 ? 2 : 5;
}

function putUint(b: Buffer, p: number, v: number): number {
  if (v === 0) { b[p] = T.uint0; return p + 1; }
  if (v < 256) { b[p] = T.smalluint; b[p + 1] = v; return p + 2; }
  b[p] = T.uint; b.writeUInt32BE(v, p + 1); return p + 5;
}
