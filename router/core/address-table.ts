// The addresses of this router by hash key, with their treatment looked up once from the
// configured `address` entries (prefix/pattern best match) when an address is first used.

import { Address, AddressSettings } from './address';
import type { Destination, Distribution } from './destination';
import { PatternTable } from './address-pattern';
import { addressHashKey, mobileKeyAddress, AddressKeyContext } from './address-key';

export interface AddressRule {
  /** A prefix (stored as `prefix/#`) or a pattern. */
  prefix?: string;
  pattern?: string;
  distribution: Distribution;
  ingressPhase?: number;
  egressPhase?: number;
  waypoint?: boolean;
  priority?: number;
}

export class AddressTable<C extends Destination, D = unknown, P = unknown> {
  private readonly byKey = new Map<string, Address<C, D, P>>();
  private rules = new PatternTable<AddressSettings>();

  constructor(private readonly keyContext: AddressKeyContext, private defaultDistribution: Distribution = 'balanced', rules: AddressRule[] = []) {
    this.setRules(rules);
  }

  /** Replaces the configured rules; addresses already in use keep their treatment until idle. */
  setRules(rules: AddressRule[], defaultDistribution = this.defaultDistribution): void {
    const table = new PatternTable<AddressSettings>();
    for (const r of rules) {
      const settings: AddressSettings = {
        distribution: r.distribution,
        ingressPhase: r.ingressPhase ?? 0,
        egressPhase: r.egressPhase ?? (r.waypoint ? 1 : 0),
        priority: r.priority,
      };
      table.set(r.pattern ?? `${r.prefix}/#`, settings);
    }
    this.rules = table;
    this.defaultDistribution = defaultDistribution;
  }

  /** Keys of phase-0 address texts: routing by `to` asks for the same few texts all the time. */
  private readonly keyCache = new Map<string, string>();

  /** The hash key of an address text (reference §4.2). */
  keyOf(address: string, phase = 0): string {
    if (phase !== 0) return addressHashKey(address, { ...this.keyContext, phase });
    let key = this.keyCache.get(address);
    if (key === undefined) {
      if (this.keyCache.size >= 10_000) this.keyCache.clear(); // bounded: addresses may be many
      key = addressHashKey(address, { ...this.keyContext, phase: 0 });
      this.keyCache.set(address, key);
    }
    return key;
  }

  /** The settings an address text gets from the rules (for mobile addresses), or the defaults. */
  settingsFor(key: string): AddressSettings {
    const text = mobileKeyAddress(key);
    const rule = text !== undefined ? this.rules.match(text) : undefined;
    if (rule) return rule;
    // Local addresses (dynamic reply-to) are anycast to their one consumer; another router's
    // space (R<id>) goes to the nearest path (qdrouterd shows both so).
    const distribution = key.startsWith('M') ? this.defaultDistribution : key.startsWith('R') ? 'closest' : 'balanced';
    return { distribution, ingressPhase: 0, egressPhase: 0 };
  }

  get(key: string): Address<C, D, P> | undefined { return this.byKey.get(key); }

  /** The address for a key, created on first use (with `settings`, else those of the rules). */
  obtain(key: string, settings?: AddressSettings): Address<C, D, P> {
    let a = this.byKey.get(key);
    if (!a) {
      a = new Address<C, D, P>(key, settings ?? this.settingsFor(key));
      this.byKey.set(key, a);
    }
    return a;
  }

  /** Forgets an address nobody uses any more. */
  release(a: Address<C, D, P>): void {
    if (a.idle && this.byKey.get(a.key) === a) this.byKey.delete(a.key);
  }

  get size(): number { return this.byKey.size; }
  values(): IterableIterator<Address<C, D, P>> { return this.byKey.values(); }
}
