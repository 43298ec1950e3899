// Shared helpers of the configuration tests.

import { resolve } from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../../../router/common/errors';
import { formatProblem, loadConfigText, type ConfigFormat, type LoadedConfig } from '../../../router/config';

/** The repository root, from dist/test/unit/config. */
export const repoRoot = resolve(__dirname, '../../../..');

export function fixture(...parts: string[]): string {
  return resolve(repoRoot, 'test/fixtures/config', ...parts);
}

/** Loads text with a fixed router id generator so results are deterministic. */
export function load(text: string, format: ConfigFormat = 'conf', file = `test.${format}`): LoadedConfig {
  return loadConfigText(text, file, format, { generateRouterId: (mode) => `Generated_${mode}` });
}

/** Loads text that must fail and returns its ConfigError. */
export function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** The formatted problems of text that must fail to load. */
export function problems(text: string, format: ConfigFormat = 'conf', file = `test.${format}`): string[] {
  return configError(() => load(text, format, file)).problems.map(formatProblem);
}

/** Joins lines; tests write files as arrays of lines so line numbers are easy to read. */
export function lines(...text: string[]): string {
  return text.join('\n');
}
