// How configuration problems are shown: `file:line: entity.attribute: problem`, the form
// editors and CI logs turn into links.

import { ConfigError, type ConfigProblem } from '../common/errors';

/** `router1.conf:12: listener.port: expected an integer`; line 0 (no line) is left out. */
export function formatProblem(problem: ConfigProblem): string {
  const place = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  return problem.path === '' ? `${place}: ${problem.message}` : `${place}: ${problem.path}: ${problem.message}`;
}

/**
 * One line per problem, for the daemon to print before it exits with status 2. Any other error
 * is shown as its message.
 */
export function formatConfigError(err: unknown): string {
  if (err instanceof ConfigError && err.problems.length > 0) return err.problems.map(formatProblem).join('\n');
  return err instanceof Error ? err.message : String(err);
}

/** Exit status of weftd when the configuration is invalid. */
export const CONFIG_ERROR_EXIT_CODE = 2;
