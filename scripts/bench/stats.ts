// Summary statistics for repeated runs.

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The run to report: the one whose `key` is the median. Reporting one real run rather than a
 * median per column keeps its figures consistent with each other. With an even count the lower
 * middle is chosen (the conservative one). Items whose key is null sort below every number.
 */
export function medianBy<T>(items: readonly T[], key: (item: T) => number | null): T | null {
  if (items.length === 0) return null;
  const sorted = [...items].sort((a, b) => (key(a) ?? -Infinity) - (key(b) ?? -Infinity));
  return sorted[(sorted.length - 1) >> 1];
}
