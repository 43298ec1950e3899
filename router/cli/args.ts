// A tiny command-line parser for `weft`: `-b URL`, `--broker URL`, `--broker=URL`, flags, and
// `--` to end options. Values are checked against their declared type here, so commands get
// clean values or a UsageError (exit 2 with the usage text).

export type OptionType = 'string' | 'count' | 'seconds' | 'flag';

export interface OptionSpec {
  /** Long name, kebab-case; the parsed value is keyed by it. */
  long: string;
  short?: string;
  type: OptionType;
  /** For string options: the only accepted values. */
  choices?: readonly string[];
  /** Shown in the usage: `-c COUNT`. */
  metavar?: string;
  help: string;
}

export class UsageError extends Error {}

export type Value = string | number | boolean;

export class ParsedArgs {
  constructor(private readonly values: ReadonlyMap<string, Value>, readonly positionals: readonly string[]) {}

  has(long: string): boolean { return this.values.has(long); }
  flag(long: string): boolean { return this.values.get(long) === true; }

  string(long: string): string | undefined;
  string(long: string, fallback: string): string;
  string(long: string, fallback?: string): string | undefined {
    const v = this.values.get(long);
    return typeof v === 'string' ? v : fallback;
  }

  number(long: string): number | undefined;
  number(long: string, fallback: number): number;
  number(long: string, fallback?: number): number | undefined {
    const v = this.values.get(long);
    return typeof v === 'number' ? v : fallback;
  }
}

export const HELP: OptionSpec = { long: 'help', short: 'h', type: 'flag', help: 'show this help' };

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const all = [...specs, HELP];
  const values = new Map<string, Value>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-') { positionals.push(arg); continue; }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = all.find((s) => name === `--${s.long}` || (s.short !== undefined && name === `-${s.short}`));
    if (!spec) throw new UsageError(`unknown option ${name}`);
    if (spec.type === 'flag') {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
      values.set(spec.long, true);
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (i + 1 < argv.length) raw = argv[++i];
    else throw new UsageError(`${name} needs a value`);
    values.set(spec.long, convert(spec, name, raw));
  }
  return new ParsedArgs(values, positionals);
}

function convert(spec: OptionSpec, name: string, raw: string): Value {
  switch (spec.type) {
    case 'count':
      if (!/^\d+$/.test(raw)) throw new UsageError(`${name} takes a whole number, not '${raw}'`);
      return Number(raw);
    case 'seconds': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${name} takes a number of seconds, not '${raw}'`);
      return n;
    }
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`${name} takes one of ${spec.choices.join(', ')}, not '${raw}'`);
      return raw;
    case 'flag':
      return true;
  }
}

/** The option lines of a usage text, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const lefts = [...specs, HELP].map((s) => {
    const value = s.type === 'flag' ? '' : ` ${s.metavar ?? s.long.toUpperCase()}`;
    return [s.short ? `-${s.short}, --${s.long}${value}` : `    --${s.long}${value}`, s.help] as const;
  });
  const width = Math.max(...lefts.map(([l]) => l.length));
  return lefts.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`).join('\n');
}
