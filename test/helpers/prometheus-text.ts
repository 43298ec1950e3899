// A small parser of the Prometheus text exposition format (version 0.0.4), enough to check
// what /metrics serves: families with their TYPE and HELP, samples with labels. Strict: a
// line it cannot read fails the test rather than being skipped.

export interface Sample { name: string; labels: Record<string, string>; value: number }
export interface Family { name: string; type: string | undefined; help: string | undefined; samples: Sample[] }

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, f = { name, type: undefined, help: undefined, samples: [] });
    return f;
  };
  text.split('\n').forEach((line, i) => {
    const fail = (why: string) => new Error(`metrics line ${i + 1}: ${why}: ${JSON.stringify(line)}`);
    if (line.trim() === '') return;
    const meta = /^#\s+(TYPE|HELP)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s?(.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2]);
      if (meta[1] === 'TYPE') {
        if (f.type !== undefined || f.samples.length > 0) throw fail('TYPE repeated or after samples');
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3])) throw fail('unknown type');
        f.type = meta[3];
      } else f.help = meta[3];
      return;
    }
    if (line.startsWith('#')) return; // a comment
    const name = NAME.exec(line)?.[0];
    if (!name) throw fail('no metric name');
    let rest = line.slice(name.length);
    const labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      rest = rest.slice(1);
      while (!rest.startsWith('}')) {
        const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/.exec(rest);
        if (!m) throw fail('bad label');
        labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
        rest = rest.slice(m[0].length);
      }
      rest = rest.slice(1);
    }
    const parts = rest.trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') throw fail('expected a value and an optional timestamp');
    const value = parts[0] === '+Inf' ? Infinity : parts[0] === '-Inf' ? -Infinity : Number(parts[0]);
    if (Number.isNaN(value) && parts[0] !== 'NaN') throw fail('bad value');
    family(name).samples.push({ name, labels, value });
  });
  return families;
}

/** The value of the sample of `name` whose labels include `labels`; undefined when none. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const s = families.get(name)?.samples.find((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value;
}
