/**
 * A tolerant JSON parser that keeps where every value came from. Real ARM templates carry
 * `//` and block comments, trailing commas and raw control characters inside strings;
 * Azure accepts them, so we accept them too and report each kind once as a warning.
 *
 * Positions are kept as character offsets in one table per file (see `OFFSETS`) and
 * turned into line/column only when asked, so the parser stays close to `JSON.parse`.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ParseIssue {
  kind: 'comment' | 'trailing-comma';
  offset: number;
}

export class JsonSyntaxError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  constructor(message: string, offset: number, line: number, column: number) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

/**
 * Where each member of a parsed container starts. A container carries, under a symbol that
 * `Object.keys`, `for...in` and `JSON.stringify` do not see, a small integer: where its entry
 * begins in the parse's offset table, an `Int32Array` shared by the whole file. The entry is
 * the member count, then the offset of each member in source order (an object's key, an
 * array's element). Object keys are not stored: a plain object enumerates its keys in the
 * order they were added, which is source order, so the n-th key is the n-th offset. An
 * object where that does not hold (a repeated key, a key that is an array index, which
 * enumerates first, or `__proto__`) carries its own `[key, offset, ...]` record instead.
 *
 * One table per file rather than one array per container: a template has hundreds of
 * thousands of containers, and arrays of keys and offsets were about 40% of a parsed file's
 * memory, all of it copied again by the garbage collector as the scan's data survived.
 */
const OFFSETS: unique symbol = Symbol('assay.json.offsets');

type WithOffsets = { [OFFSETS]?: number | (string | number)[] };

/** Offsets of the members of a parsed file's containers; see `OFFSETS`. */
export class JsonOffsets {
  private readonly table: Int32Array;
  constructor(table: Int32Array) {
    this.table = table;
  }

  /**
   * Offset of a member (by key, case-insensitive, last one wins as in JSON.parse) or element of
   * a container of this parse; undefined for anything else.
   */
  member(container: unknown, segment: string | number): number | undefined {
    if (typeof container !== 'object' || container === null) return undefined;
    const record = (container as WithOffsets)[OFFSETS];
    if (record === undefined) return undefined;
    if (typeof record !== 'number') return recordOffset(container, record, segment);
    const table = this.table;
    const count = table[record] as number;
    if (Array.isArray(container)) {
      const i = typeof segment === 'number' ? segment : Number(segment);
      return Number.isInteger(i) && i >= 0 && i < count ? table[record + 1 + i] : undefined;
    }
    const wanted = String(segment);
    const lower = wanted.toLowerCase();
    let i = 0;
    let found = -1;
    // Case-insensitively, the last match winning, as for a record. Keys of another length are
    // not compared: ARM matches names ordinally ignoring case, character by character.
    const length = wanted.length;
    for (const k in container) {
      if (i >= count) break;
      if (k.length === length && (k === wanted || k.toLowerCase() === lower)) found = i;
      i++;
    }
    return found < 0 ? undefined : table[record + 1 + found];
  }

  /**
   * Follows a path of keys/indexes through a parsed value and returns the offset of the
   * deepest part found, with how many segments matched; the caller decides how close is close enough.
   */
  locate(
    root: unknown,
    segments: readonly (string | number)[],
  ): { offset: number | undefined; matched: number } {
    let cur: unknown = root;
    let offset: number | undefined;
    let matched = 0;
    for (const seg of segments) {
      const at = this.member(cur, seg);
      if (at === undefined) break;
      offset = at;
      matched++;
      cur = Array.isArray(cur) ? cur[Number(seg)] : getMember(cur as Record<string, unknown>, String(seg));
    }
    return { offset, matched };
  }
}

/** Offset from an object's own `[key, offset, ...]` record (objects whose key order is not source order). */
function recordOffset(
  container: object,
  record: (string | number)[],
  segment: string | number,
): number | undefined {
  if (Array.isArray(container)) return undefined;
  const wanted = String(segment).toLowerCase();
  for (let i = record.length - 2; i >= 0; i -= 2) {
    if ((record[i] as string).toLowerCase() === wanted) return record[i + 1] as number;
  }
  return undefined;
}

function getMember(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k in obj) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** Line starts of a text, for offset -> line/column. */
export class LineIndex {
  /** Exactly one entry per line: every parsed file keeps its index while its resources live. */
  private readonly starts: Uint32Array;
  constructor(text: string) {
    // One pass into a buffer that doubles when full, then trimmed to the line count.
    let starts = new Uint32Array(Math.max(16, text.length >> 5));
    let lines = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
      if (lines === starts.length) {
        const bigger = new Uint32Array(starts.length * 2);
        bigger.set(starts);
        starts = bigger;
      }
      starts[lines++] = at + 1;
    }
    this.starts = lines === starts.length ? starts : starts.slice(0, lines);
  }
  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const i = this.lineIndex(offset);
    return { line: i + 1, column: offset - (this.starts[i] as number) + 1 };
  }

  /** 0-based line of a character offset. */
  lineIndex(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where a 0-based line starts. */
  lineStart(index: number): number {
    return this.starts[index] as number;
  }
}

export interface ParsedJson {
  value: JsonValue;
  /** Where the members of every container of `value` start. */
  offsets: JsonOffsets;
  lines: LineIndex;
  issues: ParseIssue[];
}

enum C {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  E = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  e = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

/** Nesting deeper than this is refused: a hostile file must not overflow the stack. */
const MAX_DEPTH = 512;

export function parseJson(text: string): ParsedJson {
  let pos = 0;
  const len = text.length;
  const issues: ParseIssue[] = [];
  const seenIssue = new Set<string>();
  let lines: LineIndex | undefined;

  // Skip a byte-order mark, which editors on Windows often write.
  if (text.charCodeAt(0) === 0xfeff) pos = 1;

  function note(kind: ParseIssue['kind'], offset: number): void {
    if (seenIssue.has(kind)) return;
    seenIssue.add(kind);
    issues.push({ kind, offset });
  }

  function fail(message: string, at = pos): never {
    lines ??= new LineIndex(text);
    const p = lines.position(Math.min(at, len));
    throw new JsonSyntaxError(message, at, p.line, p.column);
  }

  function skipSpace(): void {
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c === C.Space || c === C.LF || c === C.CR || c === C.Tab) pos++;
      else if (c === C.Slash) {
        const next = text.charCodeAt(pos + 1);
        if (next === C.Slash) {
          note('comment', pos);
          const end = text.indexOf('\n', pos);
          pos = end < 0 ? len : end + 1;
        } else if (next === 42) {
          note('comment', pos);
          const end = text.indexOf('*/', pos + 2);
          if (end < 0) fail('unterminated block comment');
          pos = end + 2;
        } else fail('unexpected character "/"');
      } else break;
    }
  }

  // Next backslash at or after the scan position, cached so strings without escapes are sliced whole.
  let nextBackslash = -2;

  function parseString(): string {
    // pos is at the opening quote
    const start = pos + 1;
    let i = start;
    let out = '';
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0) fail('unterminated string', start - 1);
      if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = text.indexOf('\\', i);
      if (nextBackslash === -1 || nextBackslash > quote) {
        out += text.slice(i, quote);
        pos = quote + 1;
        return out;
      }
      const b = nextBackslash;
      out += text.slice(i, b);
      const e = text[b + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = text.slice(b + 2, b + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid unicode escape', b);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i = b + 6;
          nextBackslash = -2;
          continue;
        }
        default:
          fail(`invalid escape "\\${e ?? ''}"`, b);
      }
      i = b + 2;
      nextBackslash = -2;
    }
  }

  function skipDigits(): void {
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c < C.Zero || c > C.Nine) return;
      pos++;
    }
  }

  function parseNumber(): number {
    const start = pos;
    if (text.charCodeAt(pos) === C.Minus) pos++;
    const first = text.charCodeAt(pos);
    if (!(first >= C.Zero && first <= C.Nine)) fail('invalid number', start);
    skipDigits();
    if (text.charCodeAt(pos) === C.Dot) {
      pos++;
      skipDigits();
    }
    const e = text.charCodeAt(pos);
    if (e === C.e || e === C.E) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === C.Plus || sign === C.Minus) pos++;
      skipDigits();
    }
    const n = Number(text.slice(start, pos));
    if (Number.isNaN(n)) fail('invalid number', start);
    return n;
  }

  function parseWord(word: string, value: JsonValue): JsonValue {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    return fail('unexpected token');
  }

  // Keys and offsets, and array elements, of the containers being parsed, innermost last, each
  // used as a stack up to its `top` (never shortened: truncating an array can shrink its store).
  const scratch: (string | number)[] = [];
  let scratchTop = 0;
  const elements: JsonValue[] = [];
  let elementsTop = 0;
  // The file's offset table (see OFFSETS), doubled when full and trimmed at the end.
  let table = new Int32Array(Math.max(64, len >> 3));
  let tableTop = 0;

  /** Copies `count` offsets from the scratch stack (every `step`-th entry from `first`) into the table. */
  function addEntry(first: number, count: number, step: number): number {
    const at = tableTop;
    if (at + count + 1 > table.length) {
      const bigger = new Int32Array(Math.max(table.length * 2, at + count + 1));
      bigger.set(table);
      table = bigger;
    }
    table[at] = count;
    for (let i = 0; i < count; i++) table[at + 1 + i] = scratch[first + i * step] as number;
    tableTop = at + count + 1;
    return at;
  }

  function closeObject(obj: { [key: string]: JsonValue }, base: number, regular: boolean): JsonValue {
    (obj as WithOffsets)[OFFSETS] = regular
      ? addEntry(base + 1, (scratchTop - base) >> 1, 2)
      : scratch.slice(base, scratchTop);
    scratchTop = base;
    return obj;
  }

  function closeArray(base: number, valuesBase: number): JsonValue {
    const arr = elements.slice(valuesBase, elementsTop);
    elementsTop = valuesBase;
    (arr as WithOffsets)[OFFSETS] = addEntry(base, scratchTop - base, 1);
    scratchTop = base;
    return arr;
  }

  function parseValue(depth: number): JsonValue {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    const c = text.charCodeAt(pos);
    switch (c) {
      case C.OpenBrace: {
        pos++;
        const obj: { [key: string]: JsonValue } = {};
        // Keys and their offsets go on a shared stack; at the end the offsets are copied into the
        // file's table (or, for an irregular object, into a record of its own).
        const base = scratchTop;
        // Whether keys enumerate in source order (see OFFSETS).
        let regular = true;
        skipSpace();
        if (text.charCodeAt(pos) === C.CloseBrace) {
          pos++;
          (obj as WithOffsets)[OFFSETS] = addEntry(0, 0, 1);
          return obj;
        }
        for (;;) {
          skipSpace();
          if (text.charCodeAt(pos) !== C.Quote) {
            if (text.charCodeAt(pos) === C.CloseBrace) {
              note('trailing-comma', pos);
              pos++;
              return closeObject(obj, base, regular);
            }
            fail('expected a property name in double quotes');
          }
          const keyAt = pos;
          const name = parseString();
          scratch[scratchTop++] = name;
          scratch[scratchTop++] = keyAt;
          skipSpace();
          if (text.charCodeAt(pos) !== C.Colon) fail('expected ":" after property name');
          pos++;
          const v = parseValue(depth + 1);
          // A key that is an array index enumerates before the others, and a repeated key keeps
          // its first place: either breaks source order.
          const first = name.charCodeAt(0);
          if (regular && ((first >= C.Zero && first <= C.Nine) || Object.hasOwn(obj, name))) regular = false;
          // __proto__ as a plain key must not change the object's prototype.
          if (name === '__proto__') {
            regular = false;
            Object.defineProperty(obj, name, {
              value: v,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else obj[name] = v;
          skipSpace();
          const d = text.charCodeAt(pos);
          if (d === C.Comma) {
            pos++;
            continue;
          }
          if (d === C.CloseBrace) {
            pos++;
            return closeObject(obj, base, regular);
          }
          fail('expected "," or "}"');
        }
      }
      case C.OpenBracket: {
        pos++;
        // Elements and their offsets are collected on shared stacks and copied out at the end, so
        // the array and its record have exactly the size they need.
        const base = scratchTop;
        const valuesBase = elementsTop;
        skipSpace();
        if (text.charCodeAt(pos) === C.CloseBracket) {
          pos++;
          const empty: JsonValue[] = [];
          (empty as WithOffsets)[OFFSETS] = addEntry(0, 0, 1);
          return empty;
        }
        for (;;) {
          skipSpace();
          if (text.charCodeAt(pos) === C.CloseBracket) {
            note('trailing-comma', pos);
            pos++;
            return closeArray(base, valuesBase);
          }
          scratch[scratchTop++] = pos;
          const v = parseValue(depth + 1);
          elements[elementsTop++] = v;
          skipSpace();
          const d = text.charCodeAt(pos);
          if (d === C.Comma) {
            pos++;
            continue;
          }
          if (d === C.CloseBracket) {
            pos++;
            return closeArray(base, valuesBase);
          }
          fail('expected "," or "]"');
        }
      }
      case C.Quote:
        return parseString();
      case 116: // t
        return parseWord('true', true);
      case 102: // f
        return parseWord('false', false);
      case 110: // n
        return parseWord('null', null);
      default:
        if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) return parseNumber();
        if (pos >= len) return fail('unexpected end of input');
        return fail(`unexpected character ${JSON.stringify(text[pos])}`);
    }
  }

  const value = parseValue(0);
  skipSpace();
  if (pos < len) fail('unexpected content after the JSON value');
  return {
    value,
    lines: lines ?? new LineIndex(text),
    issues,
    offsets: new JsonOffsets(table.slice(0, tableTop)),
  };
}
