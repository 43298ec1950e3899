// The router under test is a command line: `weftd` (ours), `qdrouterd`, or anything else that
// takes `-c CONF`. The bench appends `-c CONF` and runs it without a shell.
import { join } from 'node:path';
import { WEFTD_NODE_FLAGS } from '../../router/cli/node-flags';

/** argv for a `--router` value; `weftd` means this checkout's dist/router/cli/weftd.js. */
export function routerArgv(spec: string, root: string, nodePath: string): string[] {
  if (spec.trim() === 'weftd') return [nodePath, ...WEFTD_NODE_FLAGS, join(root, 'dist/router/cli/weftd.js')];
  const argv = splitCommandLine(spec);
  if (argv.length === 0) throw new Error('--router is empty');
  return argv;
}

/** Splits a command line on blanks, honouring '…', "…" and backslash escapes (no expansion). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in --router`);
  if (inWord) words.push(word);
  return words;
}

/** argv back to one line for messages, quoting words that need it. */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
