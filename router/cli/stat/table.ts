// qdstat's aligned tables (display.py Display.table): the title, then a heading line, a line of
// `=`, and one line per row; every column is as wide as its widest cell plus two spaces, the last
// one unpadded; two spaces of indent. A table with no rows prints only its title.

const PREFIX = '  ';
const SPACING = 2;

/** Length in characters as Python counts them (code points, not UTF-16 units). */
const width = (s: string): number => [...s].length;

export function formatTable(title: string, heads: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const lines = title.split('\n');
  if (rows.length === 0) return lines;
  const padded = rows.map((r) => heads.map((_, i) => r[i] ?? ''));
  const widths = heads.map((h, i) => Math.max(width(h), ...padded.map((r) => width(r[i]))) + SPACING);
  const line = (cells: readonly string[]): string =>
    PREFIX + cells.map((c, i) => (i < cells.length - 1 ? c + ' '.repeat(widths[i] - width(c)) : c)).join('');
  return [
    ...lines,
    line(heads),
    PREFIX + '='.repeat(widths.reduce((a, b) => a + b, 0)),
    ...padded.map(line),
  ];
}

/** Rows ordered by one column, ties kept in the agent's order (display.py Sorter: a stable sort). */
export function sortRows(rows: string[][], column: number): string[][] {
  return [...rows].sort((a, b) => (a[column] < b[column] ? -1 : a[column] > b[column] ? 1 : 0));
}
