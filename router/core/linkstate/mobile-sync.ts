// Mobile address synchronisation (reference §3.7; qdrouterd's C module mobile_sync).
//
// Ours: the addresses that are local destinations, batched every mobileSyncInterval into a
// differential MAU whose mobile_seq is exactly one more than the previous one (peers that miss
// one fall back to MAR + absolute MAU). Theirs: per router, the set its MAUs describe.

import type { Action, AddressAdvert } from './actions';
import { absoluteMauTo, differentialMau, marTo, type LocalAdvert } from './compose';
import { isAbsoluteMau, type MobileAddressRequest, type MobileAddressUpdate, type RouterId } from './messages';
import { Periodic } from './periodic';
import type { RemoteRouter } from './remote-router';

/** Hash-key classes that are advertised (mobile, link routes, edge summaries; reference §4.2). */
const ADVERTISED_CLASSES = 'MCDEFH';

export function isAdvertisedKey(key: string): boolean {
  return key.length > 0 && ADVERTISED_CLASSES.includes(key[0]);
}

export class MobileSync {
  mobileSeq = 0;
  /** Current local destinations: hash key → treatment hint. */
  private readonly local = new Map<string, number>();
  /** What peers were told as of mobileSeq. */
  private readonly advertised = new Map<string, number>();
  /** Keys touched since the last MAU; add-then-delete in one interval cancels out. */
  private readonly touched = new Set<string>();
  private readonly syncPeriod: Periodic;

  constructor(
    private readonly id: RouterId,
    intervalMs: number,
  ) {
    this.syncPeriod = new Periodic(intervalMs);
  }

  addLocal(key: string, hint: number): void {
    if (!isAdvertisedKey(key)) throw new RangeError(`not an advertised address key: '${key}'`);
    this.local.set(key, hint);
    this.touched.add(key);
  }

  removeLocal(key: string): void {
    if (this.local.delete(key)) this.touched.add(key);
  }

  localAddresses(): ReadonlyMap<string, number> {
    return this.local;
  }

  /** Sends a differential MAU if anything changed. True if mobileSeq advanced (send an RA). */
  tick(nowMs: number, out: Action[]): boolean {
    if (!this.syncPeriod.due(nowMs)) return false;
    const added: LocalAdvert[] = [];
    const deleted: string[] = [];
    for (const key of this.touched) {
      const hint = this.local.get(key);
      const wasAdvertised = this.advertised.has(key);
      if (hint !== undefined && !wasAdvertised) {
        added.push({ key, hint });
        this.advertised.set(key, hint);
      } else if (hint === undefined && wasAdvertised) {
        deleted.push(key);
        this.advertised.delete(key);
      }
    }
    this.touched.clear();
    if (added.length === 0 && deleted.length === 0) return false;
    this.mobileSeq++;
    out.push(differentialMau(this.id, this.mobileSeq, added, deleted));
    return true;
  }

  /** A MAR: answer with every advertised address if the requester is behind. */
  handleMar(msg: MobileAddressRequest, out: Action[]): void {
    if (msg.have_seq >= this.mobileSeq) return;
    const exist = [...this.advertised].map(([key, hint]) => ({ key, hint }));
    out.push(absoluteMauTo(msg.id, this.id, this.mobileSeq, exist));
  }

  /** A MAU from a known router: apply it, or ask for everything if one was missed. */
  handleMau(msg: MobileAddressUpdate, node: RemoteRouter, nowMs: number, out: Action[]): void {
    const absolute = isAbsoluteMau(msg);
    // A copy we already applied (multicast over a mesh with cycles delivers some twice):
    // qdrouterd answers it with a MAR, which its peer ignores since it is not behind.
    if (!absolute && msg.mobile_seq <= node.mobileSeq) return;
    if (!absolute && msg.mobile_seq !== node.mobileSeq + 1) {
      node.marRequest.want(msg.mobile_seq, false);
      if (!node.marOutstanding) {
        node.marOutstanding = true;
        node.marRequest.asked(nowMs);
        out.push(marTo(node.id, this.id, node.mobileSeq));
      }
      return;
    }
    node.marOutstanding = false;
    node.mobileSeq = msg.mobile_seq;

    const listed = absolute ? msg.exist : msg.add;
    // Hints that do not line up with the addresses are all ignored (as qdrouterd).
    const hints = msg.hints.length === listed.length ? msg.hints : undefined;
    const added: AddressAdvert[] = [];
    const removed: string[] = [];
    listed.forEach((key, i) => {
      if (node.addresses.has(key)) return;
      const hint = hints?.[i];
      node.addresses.set(key, hint);
      added.push({ key, hint });
    });
    const gone = absolute ? missingFrom(msg.exist, node.addresses.keys()) : msg.del;
    for (const key of gone) if (node.addresses.delete(key)) removed.push(key);
    if (added.length > 0 || removed.length > 0) out.push({ type: 'addresses', router: node.id, added, removed });
  }
}

/** The keys that an absolute MAU no longer lists. */
function missingFrom(exist: string[], keys: Iterable<string>): string[] {
  const keep = new Set(exist);
  return [...keys].filter((key) => !keep.has(key));
}
