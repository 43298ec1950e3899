// One entity while it is being validated: typed attributes, the lines they came from, and
// problem reporting that knows those lines.

import type { EntityTypeName } from './entities';
import { problemPath, type ProblemLog } from './problems';

export class EntityDraft {
  /** Typed values, schema defaults applied. */
  readonly attributes: Record<string, unknown> = {};
  /** Attributes given in the source (new names). */
  readonly given = new Set<string>();
  /** Attributes with an error: rules that depend on them are skipped. */
  readonly bad = new Set<string>();
  readonly attributeLines: Record<string, number> = {};
  /** Set by assignIdentity(). */
  name = '';
  identity = '';

  constructor(
    readonly type: EntityTypeName,
    readonly file: string,
    readonly line: number,
    private readonly log: ProblemLog,
  ) {}

  /** The line of an attribute (`groups.admin.x` uses the line of `groups`), else of the entity. */
  lineOf(attribute?: string): number {
    return attribute === undefined ? this.line : this.attributeLines[rootOf(attribute)] ?? this.line;
  }

  error(attribute: string | undefined, message: string): void {
    if (attribute !== undefined) this.bad.add(rootOf(attribute));
    this.log.error(this.lineOf(attribute), problemPath(this.type, attribute), message, this.file);
  }

  warn(attribute: string | undefined, message: string): void {
    this.log.warn(this.lineOf(attribute), problemPath(this.type, attribute), message, this.file);
  }

  /** True when the attribute is set and has no error. */
  ok(attribute: string): boolean {
    return this.attributes[attribute] !== undefined && !this.bad.has(attribute);
  }

  string(attribute: string): string | undefined {
    const v = this.attributes[attribute];
    return typeof v === 'string' ? v : undefined;
  }

  number(attribute: string): number | undefined {
    const v = this.attributes[attribute];
    return typeof v === 'number' ? v : undefined;
  }

  boolean(attribute: string): boolean | undefined {
    const v = this.attributes[attribute];
    return typeof v === 'boolean' ? v : undefined;
  }
}

function rootOf(attribute: string): string {
  const dot = attribute.indexOf('.');
  return dot < 0 ? attribute : attribute.slice(0, dot);
}
