// Log modules and severity levels of qdrouterd's `log` entity, and the `enable` syntax.
// A level set is kept as a bitmask so that `enabled()` on the hot path is one AND.

export type LogLevel = 'trace' | 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical';

/** Lowest to highest severity: `info+` means info and everything after it. */
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical'];

export const LEVEL_BITS: Readonly<Record<LogLevel, number>> = {
  trace: 1, debug: 2, info: 4, notice: 8, warning: 16, error: 32, critical: 64,
};

/** The modules qdrouterd 1.19 accepts in a `log` entity (config and management). */
export const LOG_MODULES: readonly string[] = [
  'ROUTER', 'ROUTER_CORE', 'ROUTER_HELLO', 'ROUTER_LS', 'ROUTER_MA', 'MESSAGE', 'SERVER', 'AGENT',
  'AUTHSERVICE', 'CONTAINER', 'ERROR', 'POLICY', 'HTTP', 'CONN_MGR', 'PYTHON', 'PROTOCOL', 'DEFAULT',
];

export function isLogModule(name: string): boolean {
  return LOG_MODULES.includes(name);
}

/** `enable` as a bitmask of LEVEL_BITS, or an Error naming the bad token. */
export function enableMask(enable: string): number | Error {
  let mask = 0;
  for (const raw of enable.split(',')) {
    const token = raw.trim().toLowerCase();
    if (token === '' || token === 'none') continue;
    const plus = token.endsWith('+');
    const name = (plus ? token.slice(0, -1) : token) as LogLevel;
    const bit = LEVEL_BITS[name];
    if (bit === undefined) {
      return new Error(`'${raw.trim()}' is not a valid log level; use a comma list of ${LOG_LEVELS.join(', ')} (a trailing + means "and above"), or none`);
    }
    // Bits grow with severity, so "this level and above" is every bit from `bit` upwards.
    mask |= plus ? ALL_LEVELS & ~(bit - 1) : bit;
  }
  return mask;
}

const ALL_LEVELS = (1 << LOG_LEVELS.length) - 1;

/** The levels `enable` turns on (for config validation); an Error if it does not parse. */
export function parseEnable(enable: string): Set<LogLevel> | Error {
  const mask = enableMask(enable);
  if (mask instanceof Error) return mask;
  return new Set(LOG_LEVELS.filter((l) => (mask & LEVEL_BITS[l]) !== 0));
}
