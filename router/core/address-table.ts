// The addresses of this router by hash key, with their treatment looked up once from the
// configured `address` entries (prefix/pattern best match) when an address is first used.
// Rules are named (the entity's name) so that a reload or management can add and remove them.

import { Address, AddressSettings } from './address';
import type { Destination, Distribution } from './destination';
import { PatternTable, canonicalPattern } from './address-pattern';
import { addressHashKey, mobileKeyAddress, AddressKeyContext, AddressPhase } from './address-key';

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
  private readonly named = new Map<string, AddressRule>();
  private rules = new PatternTable<AddressSettings>();

  /** Rules without a name are named `address/<index>`, as the configuration names them. */
  constructor(private readonly keyContext: AddressKeyContext, private readonly defaultDistribution: Distribution = 'balanced', rules: ReadonlyArray<AddressRule & { name?: string }> = []) {
    rules.forEach((r, i) => this.named.set(r.name ?? `address/${i}`, r));
    this.rebuildRules();
  }

  /** Adds a rule; throws if the name is taken or another rule has the same pattern. */
  addRule(name: string, rule: AddressRule): void {
    if (this.named.has(name)) throw new Error(`an address rule named '${name}' exists already`);
    const pattern = canonicalPattern(patternOf(rule));
    const other = [...this.named].find(([, r]) => canonicalPattern(patternOf(r)) === pattern);
    if (other !== undefined) throw new Error(`address rule '${name}' matches the same addresses as '${other[0]}'`);
    this.named.set(name, rule);
    this.rebuildRules();
  }

  /** Removes a rule; false if there is none of that name. */
  removeRule(name: string): boolean {
    if (!this.named.delete(name)) return false;
    this.rebuildRules();
    return true;
  }

  /** The configured rules by name. */
  ruleEntries(): IterableIterator<[string, AddressRule]> { return this.named.entries(); }

  /**
   * Rules are few and change rarely: rebuild the table. Addresses nobody uses take the new
   * treatment at once; one in use (consumers, senders or waiting deliveries) keeps its
   * treatment until it is idle and created again: its consumers attached, its senders got
   * credit and the mesh was told its treatment under the old rule.
   */
  private rebuildRules(): void {
    const table = new PatternTable<AddressSettings>();
    for (const r of this.named.values()) table.set(patternOf(r), settingsOf(r));
    this.rules = table;
    for (const a of this.byKey.values()) {
      if (a.consumers.length === 0 && a.senders.size === 0 && a.waiting.length === 0) a.settings = this.settingsFor(a.key);
    }
  }

  /** Keys of phase-0 address texts: routing by `to` asks for the same few texts all the time. */
  private readonly keyCache = new Map<string, string>();

  /** The hash key of an address text (reference §4.2). */
  keyOf(address: string, phase: AddressPhase = 0): string {
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

function patternOf(r: AddressRule): string {
  return r.pattern ?? `${r.prefix}/#`;
}

function settingsOf(r: AddressRule): AddressSettings {
  return {
    distribution: r.distribution,
    ingressPhase: r.ingressPhase ?? 0,
    egressPhase: r.egressPhase ?? (r.waypoint ? 1 : 0),
    priority: r.priority,
  };
}
