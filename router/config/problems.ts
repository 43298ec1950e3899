// Collects every problem of a load so that all of them are reported at once (never stop at the
// first), each with its file and line.

import type { ConfigProblem } from '../common/errors';

export class ProblemLog {
  readonly errors: ConfigProblem[] = [];
  readonly warnings: ConfigProblem[] = [];

  constructor(readonly file: string) {}

  error(line: number, path: string, message: string, file = this.file): void {
    this.errors.push({ file, line, path, message });
  }

  warn(line: number, path: string, message: string, file = this.file): void {
    this.warnings.push({ file, line, path, message });
  }

  /** Takes the problems of another log (another file read as part of this load). */
  merge(other: ProblemLog): void {
    this.errors.push(...other.errors);
    this.warnings.push(...other.warnings);
  }

  get errorCount(): number {
    return this.errors.length;
  }
}

/** `entity.attribute`, or `entity` alone. */
export function problemPath(entity: string, attribute?: string): string {
  return attribute === undefined ? entity : `${entity}.${attribute}`;
}
