// What every loader produces before the schema is applied: sections with their attributes as
// found in the file (strings for the qdrouterd format, native values for JSON and YAML) and
// the line of each.

export interface RawAttribute {
  value: unknown;
  line: number;
  /** The key as written, before camelCase conversion. */
  key: string;
  /**
   * Source text of a YAML scalar that YAML typed as something other than a string (`1.0`,
   * `0x1F`), so that string attributes keep exactly what was written.
   */
  text?: string;
}

export interface RawEntity {
  /** Section name as written. */
  section: string;
  file: string;
  line: number;
  /** By attribute name after camelCase conversion. */
  attributes: Map<string, RawAttribute>;
}
