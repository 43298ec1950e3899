// Reader of YAML configuration files (js-yaml). Shape: a map of entity type to a map of
// attributes (singletons) or a list of them, or qdrouterd's list of [entityType, {attributes}]
// pairs. Values may be native YAML values. Positions come from js-yaml's parse events.

import yaml from 'js-yaml';
import type { MemberPosition, PositionMap } from './json-positions';
import type { ProblemLog } from './problems';
import type { RawEntity } from './raw-entity';
import { entitiesFromTree } from './tree-entities';

export function parseYamlConf(text: string, log: ProblemLog): RawEntity[] {
  const tracker = new PositionTracker(text);
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: log.file, listener: (event, state) => tracker.event(event, state) });
  } catch (err) {
    if (!(err instanceof yaml.YAMLException)) throw err;
    log.error(err.mark.line + 1, 'config', `invalid YAML: ${err.reason}`);
    return [];
  }
  return entitiesFromTree(doc, tracker.positions, log);
}

interface Frame {
  open: number;
  end: number;
  kind: string | null;
  result: unknown;
  children: Frame[];
}

/**
 * Builds the node tree from js-yaml's open/close events (one pair per composed node, nested).
 * The children of a mapping alternate key, value; a node starts at the first character after
 * the whitespace and comments that precede it.
 */
class PositionTracker {
  readonly positions: PositionMap = new WeakMap();
  private readonly stack: Frame[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  event(event: 'open' | 'close', state: yaml.State): void {
    if (event === 'open') {
      this.stack.push({ open: state.position, end: state.position, kind: null, result: undefined, children: [] });
      return;
    }
    const frame = this.stack.pop()!;
    frame.end = state.position;
    frame.kind = state.kind;
    frame.result = state.result;
    this.stack[this.stack.length - 1]?.children.push(frame);
    this.record(frame);
  }

  private record(frame: Frame): void {
    const result = frame.result;
    if (typeof result !== 'object' || result === null || this.positions.has(result)) return;
    const line = this.lineOf(this.start(frame));
    if (frame.kind === 'sequence') {
      this.positions.set(result, { line });
      return;
    }
    if (frame.kind !== 'mapping') return;
    const members = new Map<string, MemberPosition>();
    for (let i = 0; i + 1 < frame.children.length; i += 2) {
      const key = frame.children[i];
      const value = frame.children[i + 1];
      if (key.kind !== 'scalar') continue;
      const member: MemberPosition = { line: this.lineOf(this.start(key)) };
      if (value.kind === 'scalar' && value.result !== null && typeof value.result !== 'string') {
        member.text = this.text.slice(this.start(value), value.end).trim();
      }
      members.set(String(key.result), member);
    }
    this.positions.set(result, { line, members });
  }

  private start(frame: Frame): number {
    let i = frame.open;
    while (i < frame.end) {
      const c = this.text[i];
      if (c === '#') while (i < this.text.length && this.text[i] !== '\n') i++;
      else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
      else break;
    }
    return i;
  }

  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}
