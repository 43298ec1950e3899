// Prefix and wildcard-pattern matching of addresses (reference §4.4).
//
// An address is a list of tokens separated by `.` or `/` (both accepted anywhere). In a
// pattern `*` matches exactly one token and `#` zero or more. A prefix `P` is stored as the
// pattern `P/#`, so it matches `P`, `P.x` and `P/x` but not `Px`. When several patterns match,
// the best one wins: at each token position an exact token beats `*`, which beats `#`.
// Pure functions and one data structure; no I/O.

const SEPARATOR = /[./]/;
const EDGE_SEPARATORS = /^[./]+|[./]+$/g;

/** Splits an address or pattern into tokens on `.` and `/`; the empty string has no token. */
export function tokenize(text: string): string[] {
  return text === '' ? [] : text.split(SEPARATOR);
}

/** Removes leading and trailing separators, as qdrouterd does for configured prefixes and patterns. */
export function stripSeparators(text: string): string {
  return text.replace(EDGE_SEPARATORS, '');
}

/** The pattern a configured prefix is stored as: `P/#` (`#` alone for an empty prefix). */
export function prefixToPattern(prefix: string): string {
  const stripped = stripSeparators(prefix);
  return stripped === '' ? '#' : `${stripped}/#`;
}

/**
 * The tokens of a pattern in normal form: separators stripped at both ends, `#.#` collapsed to
 * `#` and `#.*` rewritten `*.#`. Both rewrites match the same addresses, so after them two
 * patterns that match the same addresses have the same tokens (which is what duplicate
 * detection needs), and the matcher never has to try two adjacent `#`.
 */
export function patternTokens(pattern: string): string[] {
  const tokens = tokenize(stripSeparators(pattern));
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i] !== '#') continue;
      if (tokens[i + 1] === '#') {
        tokens.splice(i + 1, 1);
        changed = true;
      } else if (tokens[i + 1] === '*') {
        tokens[i] = '*';
        tokens[i + 1] = '#';
        changed = true;
      }
    }
  }
  return tokens;
}

/** Canonical text of a pattern (tokens joined by `/`): equal texts mean the same pattern. */
export function canonicalPattern(pattern: string): string {
  return patternTokens(pattern).join('/');
}

/** True when the text contains a wildcard token. */
export function isWildcardPattern(pattern: string): boolean {
  return patternTokens(pattern).some((t) => t === '*' || t === '#');
}

interface Entry<T> {
  readonly pattern: string;
  value: T;
}

interface TrieNode<T> {
  readonly exact: Map<string, TrieNode<T>>;
  star?: TrieNode<T>;
  hash?: TrieNode<T>;
  entry?: Entry<T>;
}

function newNode<T>(): TrieNode<T> {
  return { exact: new Map() };
}

function isEmptyNode<T>(node: TrieNode<T>): boolean {
  return node.entry === undefined && node.star === undefined && node.hash === undefined && node.exact.size === 0;
}

/**
 * A table of patterns with a best-match lookup, stored as a token trie so a lookup costs about
 * one map access per address token whatever the number of patterns. Patterns are compared in
 * normal form (`patternTokens`): `a.b`, `a/b` and `/a/b/` are the same entry.
 */
export class PatternTable<T> {
  private readonly root: TrieNode<T> = newNode();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a pattern; returns false (and changes nothing) when the pattern is already present. */
  add(pattern: string, value: T): boolean {
    const node = this.walk(patternTokens(pattern), true)!;
    if (node.entry !== undefined) return false;
    node.entry = { pattern, value };
    this.count++;
    return true;
  }

  /** Adds or replaces the value of a pattern. */
  set(pattern: string, value: T): void {
    const node = this.walk(patternTokens(pattern), true)!;
    if (node.entry === undefined) this.count++;
    node.entry = { pattern, value };
  }

  /** The value stored for exactly this pattern (not a match). */
  get(pattern: string): T | undefined {
    return this.walk(patternTokens(pattern), false)?.entry?.value;
  }

  /** The pattern text under which an equivalent pattern was added, if any. */
  find(pattern: string): string | undefined {
    return this.walk(patternTokens(pattern), false)?.entry?.pattern;
  }

  has(pattern: string): boolean {
    return this.walk(patternTokens(pattern), false)?.entry !== undefined;
  }

  /** Removes a pattern and prunes the branches it leaves empty; returns its value. */
  remove(pattern: string): T | undefined {
    const tokens = patternTokens(pattern);
    const path: TrieNode<T>[] = [this.root];
    for (const token of tokens) {
      const next = child(path[path.length - 1], token);
      if (next === undefined) return undefined;
      path.push(next);
    }
    const node = path[path.length - 1];
    const entry = node.entry;
    if (entry === undefined) return undefined;
    node.entry = undefined;
    this.count--;
    for (let i = path.length - 1; i > 0 && isEmptyNode(path[i]); i--) {
      detach(path[i - 1], tokens[i - 1]);
    }
    return entry.value;
  }

  /** The value of the best pattern matching the address, or undefined. */
  match(address: string): T | undefined {
    return this.matchEntry(address)?.value;
  }

  /** The best matching pattern (as it was added) and its value. */
  matchEntry(address: string): { pattern: string; value: T } | undefined {
    const found = matchFrom(this.root, tokenize(address), 0);
    return found === undefined ? undefined : { pattern: found.pattern, value: found.value };
  }

  /** Every pattern and value, in no particular order. */
  *entries(): IterableIterator<[string, T]> {
    const stack: TrieNode<T>[] = [this.root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.entry !== undefined) yield [node.entry.pattern, node.entry.value];
      for (const next of node.exact.values()) stack.push(next);
      if (node.star !== undefined) stack.push(node.star);
      if (node.hash !== undefined) stack.push(node.hash);
    }
  }

  private walk(tokens: readonly string[], create: boolean): TrieNode<T> | undefined {
    let node = this.root;
    for (const token of tokens) {
      let next = child(node, token);
      if (next === undefined) {
        if (!create) return undefined;
        next = newNode();
        attach(node, token, next);
      }
      node = next;
    }
    return node;
  }
}

function child<T>(node: TrieNode<T>, token: string): TrieNode<T> | undefined {
  if (token === '*') return node.star;
  if (token === '#') return node.hash;
  return node.exact.get(token);
}

function attach<T>(node: TrieNode<T>, token: string, next: TrieNode<T>): void {
  if (token === '*') node.star = next;
  else if (token === '#') node.hash = next;
  else node.exact.set(token, next);
}

function detach<T>(node: TrieNode<T>, token: string): void {
  if (token === '*') node.star = undefined;
  else if (token === '#') node.hash = undefined;
  else node.exact.delete(token);
}

/**
 * Depth-first search in order of preference: exact, then `*`, then `#` taking as few tokens as
 * possible. The first complete match found is therefore the best one.
 */
function matchFrom<T>(node: TrieNode<T>, tokens: readonly string[], i: number): Entry<T> | undefined {
  if (i === tokens.length) {
    if (node.entry !== undefined) return node.entry;
    return node.hash === undefined ? undefined : matchFrom(node.hash, tokens, i);
  }
  const exact = node.exact.get(tokens[i]);
  if (exact !== undefined) {
    const found = matchFrom(exact, tokens, i + 1);
    if (found !== undefined) return found;
  }
  if (node.star !== undefined) {
    const found = matchFrom(node.star, tokens, i + 1);
    if (found !== undefined) return found;
  }
  if (node.hash !== undefined) {
    // `#` absorbs tokens i..j-1; try the shortest absorption first.
    for (let j = i; j <= tokens.length; j++) {
      const found = matchFrom(node.hash, tokens, j);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
