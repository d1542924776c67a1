import { TemplateError } from './context.ts';

/** ARM rejects expressions longer than this many characters. */
export const MAX_EXPRESSION_LENGTH = 24_576;

export type ExprNode =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'literal'; value: boolean | null; pos: number }
  | { kind: 'call'; name: string; namespace: string | undefined; args: ExprNode[]; pos: number }
  | { kind: 'property'; target: ExprNode; name: string; pos: number }
  | { kind: 'index'; target: ExprNode; index: ExprNode; pos: number };

type TokenKind = 'ident' | 'string' | 'number' | '(' | ')' | '[' | ']' | ',' | '.' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** A syntax error naming the 1-based column inside the expression and the text around it. */
function syntaxError(text: string, pos: number, message: string): TemplateError {
  const from = Math.max(0, pos - 20);
  const snippet = text.slice(from, pos + 20);
  return new TemplateError(
    'expression-syntax',
    `The language expression '${text.length > 200 ? `${text.slice(0, 200)}...` : text}' is not valid: ${message} at column ${pos + 1} (near '${snippet}').`,
  );
}

function tokenize(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      // '' inside a string literal is an escaped single quote.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= end) throw syntaxError(text, i, 'the string literal is not terminated');
        if (text[j] === "'") {
          if (text[j + 1] === "'" && j + 1 < end) {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    }
    if (isDigit(c) || ((c === '-' || c === '+') && i + 1 < end && isDigit(text[i + 1]))) {
      let j = i + 1;
      while (j < end && isDigit(text[j])) j++;
      if (text[j] === '.' && j + 1 < end && isDigit(text[j + 1])) {
        j++;
        while (j < end && isDigit(text[j])) j++;
      }
      tokens.push({ kind: 'number', text: text.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < end && isIdentPart(text[j])) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',' || c === '.') {
      tokens.push({ kind: c, text: c, pos: i });
      i++;
      continue;
    }
    throw syntaxError(text, i, `the character '${c}' is not expected`);
  }
  tokens.push({ kind: 'end', text: '', pos: end });
  return tokens;
}

/** Deeper nesting than this is rejected rather than risking the JavaScript stack. */
const MAX_NESTING = 256;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private expect(kind: TokenKind, what: string): Token {
    const t = this.next();
    if (t.kind !== kind) throw this.unexpected(t, what);
    return t;
  }

  private unexpected(t: Token, what: string): TemplateError {
    const found = t.kind === 'end' ? 'the end of the expression' : `'${t.text}'`;
    return syntaxError(this.text, t.pos, `expected ${what} but found ${found}`);
  }

  parseRoot(): ExprNode {
    const node = this.parseExpr();
    const t = this.peek();
    if (t.kind !== 'end') throw this.unexpected(t, 'the end of the expression');
    return node;
  }

  private parseExpr(): ExprNode {
    if (++this.depth > MAX_NESTING) {
      throw new TemplateError(
        'expression-depth',
        `The language expression nests deeper than ${MAX_NESTING} levels.`,
      );
    }
    try {
      return this.parseChain();
    } finally {
      this.depth--;
    }
  }

  private parseChain(): ExprNode {
    let node = this.parsePrimary();
    // Property and index access may follow any primary, chained.
    for (;;) {
      const t = this.peek();
      if (t.kind === '.') {
        this.next();
        const name = this.next();
        if (name.kind !== 'ident' && name.kind !== 'number') throw this.unexpected(name, 'a property name');
        node = { kind: 'property', target: node, name: name.text, pos: name.pos };
      } else if (t.kind === '[') {
        this.next();
        const index = this.parseExpr();
        this.expect(']', "']'");
        node = { kind: 'index', target: node, index, pos: t.pos };
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): ExprNode {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.text, pos: t.pos };
    if (t.kind === 'number') {
      const value = Number(t.text);
      if (!Number.isFinite(value)) throw syntaxError(this.text, t.pos, `the number '${t.text}' is not valid`);
      return { kind: 'number', value, pos: t.pos };
    }
    if (t.kind !== 'ident') throw this.unexpected(t, 'a function call, string or number');
    let namespace: string | undefined;
    let name = t.text;
    if (
      this.peek().kind === '.' &&
      this.tokens[this.i + 1]?.kind === 'ident' &&
      this.tokens[this.i + 2]?.kind === '('
    ) {
      // `ns.fn(...)`: a user-defined function.
      this.next();
      namespace = name;
      name = this.next().text;
    }
    if (this.peek().kind !== '(') {
      // Tolerate bare true/false/null, which some hand-written templates use.
      const lower = name.toLowerCase();
      if (namespace === undefined && (lower === 'true' || lower === 'false' || lower === 'null')) {
        return { kind: 'literal', value: lower === 'null' ? null : lower === 'true', pos: t.pos };
      }
      throw this.unexpected(this.peek(), `'(' after '${name}'`);
    }
    this.next();
    const args: ExprNode[] = [];
    if (this.peek().kind === ')') {
      this.next();
    } else {
      for (;;) {
        args.push(this.parseExpr());
        const sep = this.next();
        if (sep.kind === ')') break;
        if (sep.kind !== ',') throw this.unexpected(sep, "',' or ')'");
      }
    }
    return { kind: 'call', name, namespace, args, pos: t.pos };
  }
}

const cache = new Map<string, ExprNode>();
const CACHE_LIMIT = 20_000;

/**
 * Parses an expression. `text` may be the whole `[...]` string or the inside alone.
 * Results are cached by text, since templates repeat the same expressions in loops.
 */
export function parseExpression(text: string): ExprNode {
  const hit = cache.get(text);
  if (hit) return hit;
  let start = 0;
  let end = text.length;
  if (text.startsWith('[') && text.endsWith(']')) {
    start = 1;
    end = text.length - 1;
  }
  if (end - start > MAX_EXPRESSION_LENGTH) {
    throw new TemplateError(
      'expression-too-long',
      `The language expression is ${end - start} characters long; the limit is ${MAX_EXPRESSION_LENGTH}.`,
    );
  }
  let blank = true;
  for (let i = start; i < end && blank; i++) if (!isSpace(text[i])) blank = false;
  if (blank) throw syntaxError(text, start, 'the expression is empty');
  const node = new Parser(text, tokenize(text, start, end)).parseRoot();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, node);
  return node;
}

/** True for a `[...]` string that is an expression, false for `[[...` escapes and plain strings. */
export function isExpression(s: string): boolean {
  // `[]` alone is left as a literal: there is nothing to evaluate.
  return s.length >= 3 && s[0] === '[' && s[s.length - 1] === ']' && s[1] !== '[';
}

/** True for a `[[...]` string: a literal that would otherwise look like an expression. */
export function isEscaped(s: string): boolean {
  return s.length >= 3 && s[0] === '[' && s[1] === '[' && s[s.length - 1] === ']';
}
