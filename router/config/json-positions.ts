// A strict JSON parser that also records the line of every object, array and member, so
// that problems in JSON configuration files point at their line. JSON.parse gives no positions.

/** Position of a map or list in its source; members only for maps. */
export interface NodePosition {
  line: number;
  members?: Map<string, MemberPosition>;
}

export interface MemberPosition {
  line: number;
  /** Source text of a scalar that is not a string (YAML: `1.0`, `0x1F`). */
  text?: string;
}

/** Positions of the maps and lists of a parsed document, keyed by the parsed object. */
export type PositionMap = WeakMap<object, NodePosition>;

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses JSON text; throws JsonSyntaxError with the 1-based line of the first error. */
export function parseJsonWithPositions(text: string, firstLine = 1): { value: unknown; positions: PositionMap } {
  const positions: PositionMap = new WeakMap();
  let pos = 0;
  let line = firstLine;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, line);
  };

  const skipWhitespace = (): void => {
    for (; pos < text.length; pos++) {
      const c = text[pos];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
    }
  };

  const describe = (): string => (pos >= text.length ? 'end of input' : `'${text[pos]}'`);

  const expect = (c: string): void => {
    if (text[pos] !== c) fail(`expected '${c}' but found ${describe()}`);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    for (; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character or line break inside a string');
      if (c === 0x5c) pos++; // escape: JSON.parse below checks it
    }
    if (pos >= text.length) fail('string is not closed');
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('invalid escape in string');
    }
  };

  const parseObject = (): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    const members = new Map<string, MemberPosition>();
    positions.set(result, { line, members });
    pos++;
    skipWhitespace();
    if (text[pos] === '}') {
      pos++;
      return result;
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') fail(`expected a quoted key but found ${describe()}`);
      const keyLine = line;
      const key = parseString();
      skipWhitespace();
      expect(':');
      // defineProperty: a key such as "__proto__" must stay an ordinary member.
      Object.defineProperty(result, key, { value: parseValue(), enumerable: true, writable: true, configurable: true });
      members.set(key, { line: keyLine });
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      expect('}');
      return result;
    }
  };

  const parseArray = (): unknown[] => {
    const result: unknown[] = [];
    positions.set(result, { line });
    pos++;
    skipWhitespace();
    if (text[pos] === ']') {
      pos++;
      return result;
    }
    for (;;) {
      result.push(parseValue());
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      expect(']');
      return result;
    }
  };

  const parseLiteral = <T>(word: string, value: T): T => {
    if (!text.startsWith(word, pos)) fail(`unexpected ${describe()}`);
    pos += word.length;
    return value;
  };

  function parseValue(): unknown {
    skipWhitespace();
    const c = text[pos];
    switch (c) {
      case '{':
        return parseObject();
      case '[':
        return parseArray();
      case '"':
        return parseString();
      case 't':
        return parseLiteral('true', true);
      case 'f':
        return parseLiteral('false', false);
      case 'n':
        return parseLiteral('null', null);
      default: {
        NUMBER.lastIndex = pos;
        const m = NUMBER.exec(text);
        if (m === null) return fail(`unexpected ${describe()}`);
        pos += m[0].length;
        return Number(m[0]);
      }
    }
  }

  const value = parseValue();
  skipWhitespace();
  if (pos < text.length) fail(`unexpected ${describe()} after the end of the document`);
  return { value, positions };
}
