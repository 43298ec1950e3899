// The report a RELOAD returns ({applied, notApplied, problems}, each a list of lines) made
// readable: one heading per list with its count, one indented line per item.

import { pyJson } from '../py-json';

const SECTIONS: readonly (readonly [string, string])[] = [['applied', 'applied'], ['notApplied', 'not applied'], ['problems', 'problems']];

function itemText(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    return Object.entries(item as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'string' ? v : pyJson(v, null)}`).join(', ');
  }
  return pyJson(item, null);
}

export function isReloadReport(body: unknown): body is Record<string, unknown> {
  return body !== null && typeof body === 'object' && SECTIONS.some(([key]) => Array.isArray((body as Record<string, unknown>)[key]));
}

export function formatReloadReport(report: Record<string, unknown>): string[] {
  return SECTIONS.flatMap(([key, label]) => {
    const items = Array.isArray(report[key]) ? (report[key] as unknown[]) : [];
    if (items.length === 0) return [`${label}: none`];
    return [`${label} (${items.length}):`, ...items.map((i) => `  ${itemText(i)}`)];
  });
}

/** A reload that found problems did not do what was asked. */
export function reloadFailed(report: Record<string, unknown>): boolean {
  return Array.isArray(report.problems) && report.problems.length > 0;
}
