// Configuration entities as management sees them (READ/QUERY of listener, connector, address,
// linkRoute, autoLink, sslProfile, ...): those of the file and those CREATEd since. The
// link-route code reads linkRoute/autoLink from here and subscribes to changes.

import type { AnyEntity, EntityTypeName } from '../config/entities';

export interface ConfigEntityRecord {
  type: EntityTypeName;
  name: string;
  identity: string;
  /** Validated attributes, defaults applied (name/identity/type not included). */
  attributes: Record<string, unknown>;
}

export type ConfigEntityChange = 'added' | 'removed';

export class ConfigEntities {
  private readonly byType = new Map<EntityTypeName, Map<string, ConfigEntityRecord>>();
  private readonly listeners: Array<(change: ConfigEntityChange, record: ConfigEntityRecord) => void> = [];
  /** Identities of created entities: a counter, as qdrouterd's (never reused). */
  private nextIdentity = 1;

  /** Calls `f` after every add or remove. */
  subscribe(f: (change: ConfigEntityChange, record: ConfigEntityRecord) => void): void { this.listeners.push(f); }

  newIdentity(): string { return String(this.nextIdentity++); }

  add(record: ConfigEntityRecord): void {
    let m = this.byType.get(record.type);
    if (!m) this.byType.set(record.type, (m = new Map()));
    m.set(record.name, record);
    for (const f of this.listeners) f('added', record);
  }

  remove(type: EntityTypeName, name: string): ConfigEntityRecord | undefined {
    const record = this.byType.get(type)?.get(name);
    if (!record) return undefined;
    this.byType.get(type)!.delete(name);
    for (const f of this.listeners) f('removed', record);
    return record;
  }

  get(type: EntityTypeName, name: string): ConfigEntityRecord | undefined { return this.byType.get(type)?.get(name); }

  byIdentity(type: EntityTypeName, identity: string): ConfigEntityRecord | undefined {
    for (const r of this.list(type)) if (r.identity === identity) return r;
    return undefined;
  }

  /** Every entity of a type, in the order they were added. */
  list(type: EntityTypeName): ConfigEntityRecord[] { return [...(this.byType.get(type)?.values() ?? [])]; }

  /** Any entity of any type with this name (names are unique across types, reference §1.2). */
  named(name: string): ConfigEntityRecord | undefined {
    for (const m of this.byType.values()) { const r = m.get(name); if (r) return r; }
    return undefined;
  }
}

/** The record of a configuration entity as the loader gives it (file, reload). */
export function recordOf(type: EntityTypeName, e: AnyEntity): ConfigEntityRecord {
  const { name, identity, type: _long, source: _source, ...attributes } = e;
  return { type, name, identity, attributes };
}
