// Reader of qdrouterd's line-based configuration format (reference §1.1), quirks included, so
// that a file means exactly what it means to qdrouterd 1.19:
//  - whole-line `#` comments; otherwise `#` ends the value, with no escaping;
//  - `pattern`, `bindingKey`, `hostname` keep `#` but only their first run of non-whitespace;
//  - `NAME {` on one line, body on the following lines, `}` alone;
//  - `KEY: {` nested maps; `openProperties`/`groups` take raw JSON up to the matching brace;
//  - values are JSON strings written without escaping (`\t` becomes a tab, a `"` breaks it);
//  - trailing commas before `]`/`}` are dropped, even inside values;
//  - section names and top-level keys are converted to camelCase (later, with the aliases);
//  - a line that fits no rule is a warning, and an error unless it is a valid JSON member.

import { JsonSyntaxError, parseJsonWithPositions } from './json-positions';
import { camelCase } from './entity-names';
import type { ProblemLog } from './problems';
import type { RawEntity } from './raw-entity';

const SECTION = /^([A-Za-z0-9_-]+)[ \t]*\{$/;
const MAP_START = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*\{$/;
const ATTRIBUTE = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*([^{ \t].*)$/;
const SNOWFLAKE = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(\S+)/;
const ONE_LINE_SECTION = /^[A-Za-z0-9_-]+[ \t]*\{.*\}$/;
/** Keys whose value may contain `#` (compared as written, before camelCase). */
const SNOWFLAKE_KEYS = new Set(['pattern', 'bindingKey', 'hostname']);
/** Keys whose `{` starts raw JSON (compared as written). */
const RAW_JSON_KEYS = new Set(['openProperties', 'groups']);

/** qdrouterd removes a comma before `]` or `}` anywhere in the generated JSON. Keeps line breaks. */
export function removeSpareCommas(text: string): string {
  return text.replace(/,(\s*)([\]}])/g, '$1$2');
}

/** A value as qdrouterd's JSON parser reads `"<value>"`; undefined when that is not one JSON string. */
export function readUnescapedValue(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(`"${removeSpareCommas(value)}"`);
    return typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

interface OpenMap {
  key: string;
  line: number;
  value: Record<string, unknown>;
}

interface RawJsonBlock {
  key: string;
  line: number;
  lines: string[];
  depth: number;
}

/** Parses the text of a qdrouterd configuration file into sections. Problems go to `log`. */
export function parseQdrouterdConf(text: string, log: ProblemLog): RawEntity[] {
  return new ConfReader(log).read(text);
}

class ConfReader {
  private readonly entities: RawEntity[] = [];
  private section: RawEntity | undefined;
  private maps: OpenMap[] = [];
  private raw: RawJsonBlock | undefined;
  private lineNo = 0;

  constructor(private readonly log: ProblemLog) {}

  read(text: string): RawEntity[] {
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      this.lineNo = i + 1;
      if (this.raw !== undefined) this.rawLine(lines[i], this.raw);
      else this.line(lines[i].trim());
    }
    this.endOfFile();
    return this.entities;
  }

  private line(trimmed: string): void {
    if (trimmed === '' || trimmed.startsWith('#')) return;

    const flake = SNOWFLAKE.exec(trimmed);
    if (flake !== null && SNOWFLAKE_KEYS.has(flake[1])) {
      this.attribute(flake[1], flake[2]);
      return;
    }

    const line = trimmed.split('#')[0].trim();
    let m: RegExpExecArray | null;
    if ((m = SECTION.exec(line)) !== null) this.openSection(m[1]);
    else if ((m = MAP_START.exec(line)) !== null) this.openMap(m[1]);
    else if ((m = ATTRIBUTE.exec(line)) !== null) this.attribute(m[1], m[2].trim());
    else if (line === '}') this.close();
    else this.invalid(line);
  }

  private get path(): string {
    return this.section?.section ?? 'config';
  }

  private openSection(name: string): void {
    if (this.section !== undefined) {
      this.log.error(this.lineNo, name, `section '${name}' starts inside section '${this.section.section}' (line ${this.section.line}): a '}' is missing`);
      this.finishSection();
    }
    this.section = { section: name, line: this.lineNo, file: this.log.file, attributes: new Map() };
  }

  private openMap(key: string): void {
    if (this.section === undefined) {
      this.log.error(this.lineNo, key, `'${key}: {' is outside of any section`);
      return;
    }
    if (RAW_JSON_KEYS.has(key)) this.raw = { key, line: this.lineNo, lines: ['{'], depth: 1 };
    else this.maps.push({ key, line: this.lineNo, value: {} });
  }

  private attribute(key: string, text: string): void {
    if (this.section === undefined) {
      this.log.error(this.lineNo, key, `attribute '${key}' is outside of any section`);
      return;
    }
    const value = readUnescapedValue(text);
    if (value === undefined) {
      this.log.error(this.lineNo, `${this.path}.${key}`, `the value contains a '"', '\\' or control character that qdrouterd cannot read (this format has no escaping): ${text}`);
      return;
    }
    this.store(key, value, this.lineNo);
  }

  /** Stores a member in the innermost open map, or as an attribute of the section. */
  private store(key: string, value: unknown, line: number): void {
    const section = this.section!;
    const map = this.maps[this.maps.length - 1];
    if (map !== undefined) {
      // Keys inside nested maps keep their spelling; defineProperty keeps "__proto__" a plain key.
      Object.defineProperty(map.value, key, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    const name = camelCase(key);
    const previous = section.attributes.get(name);
    if (previous !== undefined) {
      this.log.warn(line, `${section.section}.${name}`, `given again (first at line ${previous.line}); the last value is used`);
    }
    section.attributes.set(name, { value, line, key });
  }

  private close(): void {
    const map = this.maps.pop();
    if (map !== undefined) {
      this.store(map.key, map.value, map.line);
      return;
    }
    if (this.section === undefined) {
      this.log.error(this.lineNo, 'config', "'}' without an open section");
      return;
    }
    this.finishSection();
  }

  private finishSection(): void {
    for (const map of this.maps) this.log.error(map.line, `${this.path}.${map.key}`, "the map is not closed: '}' is missing");
    this.maps = [];
    this.entities.push(this.section!);
    this.section = undefined;
  }

  private invalid(line: string): void {
    // qdrouterd warns and hands such a line to its JSON parser unchanged: a JSON member survives that.
    const members = this.section === undefined ? undefined : jsonMembers(line);
    if (members !== undefined) {
      this.log.warn(this.lineNo, this.path, `invalid config file syntax, read as JSON like qdrouterd does: ${line}`);
      for (const [key, value] of Object.entries(members)) this.store(key, value, this.lineNo);
      return;
    }
    const hint = ONE_LINE_SECTION.test(line)
      ? "a section's attributes must be on their own lines: '{' ends the first line and '}' stands alone"
      : `invalid config file syntax: ${line}`;
    this.log.error(this.lineNo, this.path, hint);
  }

  /** A line of a raw JSON block: copied verbatim, whole-line comments dropped, braces counted. */
  private rawLine(line: string, raw: RawJsonBlock): void {
    if (line.trim().startsWith('#')) {
      raw.lines.push('');
      return;
    }
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '{') raw.depth++;
      else if (line[i] === '}' && --raw.depth === 0) {
        raw.lines.push(line.slice(0, i + 1));
        if (line.slice(i + 1).trim() !== '') this.log.error(this.lineNo, `${this.path}.${raw.key}`, `unexpected text after the closing '}': ${line.slice(i + 1).trim()}`);
        this.raw = undefined;
        this.finishRaw(raw);
        return;
      }
    }
    raw.lines.push(line);
  }

  private finishRaw(raw: RawJsonBlock): void {
    try {
      const { value } = parseJsonWithPositions(removeSpareCommas(raw.lines.join('\n')), raw.line);
      this.store(raw.key, value, raw.line);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      this.log.error(err.line, `${this.path}.${raw.key}`, `invalid JSON (keys and strings need double quotes; a trailing comment is not allowed here): ${err.message}`);
    }
  }

  private endOfFile(): void {
    if (this.raw !== undefined) {
      this.log.error(this.raw.line, `${this.path}.${this.raw.key}`, "the JSON map is not closed: '}' is missing");
      this.raw = undefined;
    }
    if (this.section !== undefined) {
      this.log.error(this.section.line, this.section.section, "the section is not closed: '}' is missing");
      this.finishSection();
    }
  }
}

/** The members of a line that is a valid JSON object member list (`"port": "5672",`). */
function jsonMembers(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(`{${line.replace(/,\s*$/, '')}}`);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
