/**
 * The HCL native syntax lexer: text to tokens, in one pass over the characters (no regular
 * expression reads more than one character). Templates make lexing depend on context, so the
 * lexer keeps a stack of modes: ordinary expression text, a quoted string, a heredoc. `${` and
 * `%{` inside a template push expression mode, and the `}` that closes them (counting the
 * braces opened in between) pops it.
 *
 * A line comment counts as a newline (the newline that ends it is the token); a block comment
 * is white space. Newline tokens are always emitted: the parser decides where they matter.
 */
import { type HclPos, HclSyntaxError } from './ast.ts';

export type TokenKind =
  | 'ident'
  | 'number'
  | 'punct'
  | 'newline'
  | 'oquote'
  | 'cquote'
  | 'oheredoc'
  | 'cheredoc'
  /** Literal text of a template, escapes decoded. */
  | 'lit'
  /** `${` (or `${~`, `strip`). */
  | 'interp'
  /** `%{` (or `%{~`, `strip`). */
  | 'control'
  /** The `}` (or `~}`, `strip`) that closes an interpolation or directive. */
  | 'seqend'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier name, number as written, punctuation symbol, decoded literal, heredoc marker. */
  text: string;
  start: HclPos;
  end: HclPos;
  /** A strip marker `~` on this side of the sequence. */
  strip?: boolean;
  /** `<<-` heredoc. */
  flush?: boolean;
  /** A heredoc literal that starts a line (its indentation is read by `<<-`). */
  lineStart?: boolean;
}

type LiteralStop = 'sequence' | 'quote' | 'line' | 'eof';

type Frame =
  | { mode: 'expr'; braces: number; open: HclPos | null }
  | { mode: 'quoted'; open: HclPos }
  | { mode: 'heredoc'; open: HclPos; marker: string; atLineStart: boolean };

const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;

const C_TAB = 9;
const C_LF = 10;
const C_CR = 13;
const C_SPACE = 32;
const C_QUOTE = 34;
const C_DOLLAR = 36;
const C_PERCENT = 37;
const C_BACKSLASH = 92;
const C_OBRACE = 123;
const C_CBRACE = 125;
const C_TILDE = 126;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isAsciiIdContinue(c: number): boolean {
  return isAsciiIdStart(c) || isDigit(c) || c === 45;
}

/** The three-character, then two-character punctuation HCL has; single characters follow. */
const PUNCT3 = ['...'];
const PUNCT2 = ['=>', '==', '!=', '<=', '>=', '&&', '||', '::'];
const PUNCT1 = '+-*/%<>!=?:,.()[]{}';

/** Tokens of `text`, ending with one `eof`; throws `HclSyntaxError` on text that is not HCL. */
export function lex(text: string, file: string): Token[] {
  return new Lexer(text, file).run();
}

class Lexer {
  private readonly text: string;
  private readonly file: string;
  private pos = 0;
  private readonly tokens: Token[] = [];
  private readonly stack: Frame[] = [{ mode: 'expr', braces: 0, open: null }];
  // The position cursor: line and column of `cursorOffset`, moved forward only.
  private cursorOffset = 0;
  private cursorLine = 1;
  private cursorColumn = 1;

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    if (text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.cursorOffset = 1;
    }
  }

  run(): Token[] {
    for (;;) {
      const frame = this.stack[this.stack.length - 1];
      if (frame.mode === 'expr') {
        if (this.lexExpr(frame)) return this.tokens;
      } else if (frame.mode === 'quoted') this.lexQuoted(frame);
      else this.lexHeredoc(frame);
    }
  }

  /** Line and column of `offset`; linear over a whole lex because offsets asked only grow. */
  private at(offset: number): HclPos {
    if (offset < this.cursorOffset) {
      this.cursorOffset = 0;
      this.cursorLine = 1;
      this.cursorColumn = 1;
    }
    const text = this.text;
    let line = this.cursorLine;
    let column = this.cursorColumn;
    for (let i = this.cursorOffset; i < offset; i++) {
      const c = text.charCodeAt(i);
      if (c === C_LF) {
        line++;
        column = 1;
      } else if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        const p = text.charCodeAt(i - 1);
        if (!(p >= 0xd800 && p <= 0xdbff)) column++;
      } else column++;
    }
    this.cursorOffset = offset;
    this.cursorLine = line;
    this.cursorColumn = column;
    return { line, column, offset };
  }

  private error(detail: string, where: number | HclPos): never {
    const pos = typeof where === 'number' ? this.at(where) : where;
    throw new HclSyntaxError(detail, this.file, pos);
  }

  private emit(kind: TokenKind, start: number, end: number, text: string, extra?: Partial<Token>): Token {
    const token: Token = { kind, text, start: this.at(start), end: this.at(end), ...extra };
    this.tokens.push(token);
    return token;
  }

  /** One token of expression text; true at the end of the file. */
  private lexExpr(frame: Frame & { mode: 'expr' }): boolean {
    const text = this.text;
    this.skipSpace();
    const start = this.pos;
    if (start >= text.length) {
      if (frame.open) this.error("Unterminated template sequence: missing '}'", frame.open);
      this.emit('eof', start, start, '');
      return true;
    }
    const c = text.charCodeAt(start);
    if (c === C_LF) {
      this.pos++;
      this.emit('newline', start, this.pos, '\n');
      return false;
    }
    if (c === C_CR && text.charCodeAt(start + 1) === C_LF) {
      this.pos += 2;
      this.emit('newline', start, this.pos, '\n');
      return false;
    }
    if (isDigit(c)) {
      this.lexNumber();
      return false;
    }
    if (isAsciiIdStart(c) || (c > 127 && this.isIdStartAt(start))) {
      this.lexIdent();
      return false;
    }
    if (c === C_QUOTE) {
      this.pos++;
      const token = this.emit('oquote', start, this.pos, '"');
      this.stack.push({ mode: 'quoted', open: token.start });
      return false;
    }
    if (c === 60 && text.charCodeAt(start + 1) === 60) {
      this.lexHeredocIntro();
      return false;
    }
    if (c === C_OBRACE) frame.braces++;
    if (c === C_CBRACE || (c === C_TILDE && text.charCodeAt(start + 1) === C_CBRACE)) {
      if (frame.braces === 0 && frame.open) {
        const strip = c === C_TILDE;
        this.pos += strip ? 2 : 1;
        this.emit('seqend', start, this.pos, '}', { strip });
        this.stack.pop();
        return false;
      }
      if (c === C_CBRACE && frame.braces > 0) frame.braces--;
    }
    for (const p of PUNCT3) {
      if (text.startsWith(p, start)) return this.punct(start, p);
    }
    for (const p of PUNCT2) {
      if (text.startsWith(p, start)) return this.punct(start, p);
    }
    if (PUNCT1.includes(text[start])) return this.punct(start, text[start]);
    this.invalidCharacter(start);
  }

  private punct(start: number, symbol: string): false {
    this.pos = start + symbol.length;
    this.emit('punct', start, this.pos, symbol);
    return false;
  }

  private invalidCharacter(at: number): never {
    const c = this.text.charCodeAt(at);
    if (c === 39) this.error('Invalid character "\'": strings are written in double quotes', at);
    if (c === C_DOLLAR && this.text.charCodeAt(at + 1) === C_OBRACE) {
      this.error("Invalid character '$': an interpolation '${' is only valid inside a string", at);
    }
    if (c === 38) this.error("Invalid character '&': the logical and is '&&'", at);
    if (c === 124) this.error("Invalid character '|': the logical or is '||'", at);
    if (c === 59) this.error("Invalid character ';': attributes are separated by newlines", at);
    const cp = this.text.codePointAt(at) ?? c;
    const shown =
      cp < 32 || cp === 127
        ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
        : `'${String.fromCodePoint(cp)}'`;
    this.error(`Invalid character ${shown}`, at);
  }

  /** Spaces, tabs, lone carriage returns, block comments; a line comment up to (not over) its newline. */
  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === C_SPACE || c === C_TAB || (c === C_CR && text.charCodeAt(this.pos + 1) !== C_LF)) {
        this.pos++;
      } else if (c === 35 || (c === 47 && text.charCodeAt(this.pos + 1) === 47)) {
        const nl = text.indexOf('\n', this.pos);
        let end = nl < 0 ? text.length : nl;
        if (end > this.pos && text.charCodeAt(end - 1) === C_CR) end--;
        this.pos = end;
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 42) {
        const close = text.indexOf('*/', this.pos + 2);
        if (close < 0) this.error("Unterminated comment: '/*' has no closing '*/'", this.pos);
        this.pos = close + 2;
      } else return;
    }
  }

  private lexNumber(): void {
    const text = this.text;
    const start = this.pos;
    let p = start;
    while (isDigit(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) === 46 && isDigit(text.charCodeAt(p + 1))) {
      p++;
      while (isDigit(text.charCodeAt(p))) p++;
    }
    const e = text.charCodeAt(p);
    if (e === 101 || e === 69) {
      let q = p + 1;
      const sign = text.charCodeAt(q);
      if (sign === 43 || sign === 45) q++;
      if (isDigit(text.charCodeAt(q))) {
        while (isDigit(text.charCodeAt(q))) q++;
        p = q;
      }
    }
    this.pos = p;
    this.emit('number', start, p, text.slice(start, p));
  }

  private isIdStartAt(at: number): boolean {
    const cp = this.text.codePointAt(at) ?? 0;
    return ID_START.test(String.fromCodePoint(cp));
  }

  /** Length in code units of the identifier character at `at`, or 0. */
  private idContinueLength(at: number): number {
    const c = this.text.charCodeAt(at);
    if (c <= 127) return isAsciiIdContinue(c) ? 1 : 0;
    const cp = this.text.codePointAt(at) ?? 0;
    const ch = String.fromCodePoint(cp);
    return ID_CONTINUE.test(ch) ? ch.length : 0;
  }

  private lexIdent(): void {
    const start = this.pos;
    let p = start + ((this.text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
    for (;;) {
      const n = this.idContinueLength(p);
      if (n === 0) break;
      p += n;
    }
    this.pos = p;
    this.emit('ident', start, p, this.text.slice(start, p));
  }

  /** `<<EOT` or `<<-EOT` and its newline; the heredoc's lines follow in heredoc mode. */
  private lexHeredocIntro(): void {
    const text = this.text;
    const start = this.pos;
    let p = start + 2;
    const flush = text.charCodeAt(p) === 45;
    if (flush) p++;
    const markerStart = p;
    if (!(isAsciiIdStart(text.charCodeAt(p)) || (text.charCodeAt(p) > 127 && this.isIdStartAt(p)))) {
      this.error("Invalid heredoc: '<<' must be followed by a marker name, as in <<EOT", start);
    }
    p += (text.codePointAt(p) ?? 0) > 0xffff ? 2 : 1;
    for (;;) {
      const n = this.idContinueLength(p);
      if (n === 0) break;
      p += n;
    }
    const marker = text.slice(markerStart, p);
    let end = p;
    if (text.charCodeAt(end) === C_CR) end++;
    if (text.charCodeAt(end) !== C_LF) {
      this.error(
        `Invalid heredoc: the line must end right after the marker <<${flush ? '-' : ''}${marker}`,
        p,
      );
    }
    end++;
    this.pos = end;
    const token = this.emit('oheredoc', start, p, marker, { flush });
    this.stack.push({ mode: 'heredoc', open: token.start, marker, atLineStart: true });
  }

  /**
   * Template text from `start` up to what ends it: a sequence (`${`, `%{`), the closing quote of a
   * quoted string, the end of a line (a quoted string's is an error, a heredoc's newline is kept
   * in the literal) or the end of the file. Escapes are decoded in quoted strings only.
   */
  private readLiteral(start: number, quoted: boolean): { value: string; end: number; stop: LiteralStop } {
    const text = this.text;
    let value = '';
    let run = start;
    let p = start;
    for (;;) {
      if (p >= text.length) return { value: value + text.slice(run, p), end: p, stop: 'eof' };
      const c = text.charCodeAt(p);
      if (c === C_LF || (quoted && c === C_CR)) {
        if (!quoted) p++;
        return { value: value + text.slice(run, p), end: p, stop: 'line' };
      }
      if (quoted && c === C_QUOTE) return { value: value + text.slice(run, p), end: p, stop: 'quote' };
      if (quoted && c === C_BACKSLASH) {
        value += text.slice(run, p);
        const [decoded, length] = this.escape(p);
        value += decoded;
        p += length;
        run = p;
        continue;
      }
      const mark = this.templateMark(p);
      if (mark === 'opens') return { value: value + text.slice(run, p), end: p, stop: 'sequence' };
      if (mark === 'escaped') {
        value += text.slice(run, p + 1);
        p += 2;
        run = p;
        continue;
      }
      p++;
    }
  }

  /** The literal text of a quoted string up to its end or next sequence, then that token. */
  private lexQuoted(frame: Frame & { mode: 'quoted' }): void {
    const start = this.pos;
    const { value, end, stop } = this.readLiteral(start, true);
    if (stop === 'eof') this.error("Unterminated string: the closing '\"' is missing", frame.open);
    if (stop === 'line') {
      this.error(
        "Unterminated string: a quoted string cannot span lines (close it with '\"' or use a heredoc)",
        frame.open,
      );
    }
    if (end > start) this.emit('lit', start, end, value);
    if (stop === 'sequence') {
      this.openSequence(end);
      return;
    }
    this.pos = end + 1;
    this.emit('cquote', end, end + 1, '"');
    this.stack.pop();
  }

  /**
   * In template text: `${` or `%{` opens a sequence; `$${` and `%%{` are the literal `${` and
   * `%{` (the literal keeps the second and third characters).
   */
  private templateMark(p: number): 'opens' | 'escaped' | null {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c !== C_DOLLAR && c !== C_PERCENT) return null;
    const next = text.charCodeAt(p + 1);
    if (next === C_OBRACE) return 'opens';
    if (next === c && text.charCodeAt(p + 2) === C_OBRACE) return 'escaped';
    return null;
  }

  /** A backslash escape at `at`: its value and length. */
  private escape(at: number): [string, number] {
    const text = this.text;
    const c = text[at + 1];
    switch (c) {
      case 'n':
        return ['\n', 2];
      case 'r':
        return ['\r', 2];
      case 't':
        return ['\t', 2];
      case '"':
        return ['"', 2];
      case '\\':
        return ['\\', 2];
      case 'u':
      case 'U': {
        const digits = c === 'u' ? 4 : 8;
        let cp = 0;
        for (let i = 0; i < digits; i++) {
          const h = hexValue(text.charCodeAt(at + 2 + i));
          if (h < 0) this.error(`Invalid escape: '\\${c}' needs ${digits} hexadecimal digits`, at);
          cp = cp * 16 + h;
        }
        if (cp > 0x10ffff) this.error('Invalid escape: the code point is beyond U+10FFFF', at);
        return [String.fromCodePoint(cp), 2 + digits];
      }
      default: {
        const shown = c === undefined || c === '\n' || c === '\r' ? 'a line end' : `'${c}'`;
        this.error(
          `Invalid escape sequence: '\\' followed by ${shown} (escapes are \\n \\r \\t \\" \\\\ \\u \\U)`,
          at,
        );
      }
    }
  }

  /** `${` or `%{` at `at` (with an optional `~`): its token, and expression mode until its `}`. */
  private openSequence(at: number): void {
    const strip = this.text.charCodeAt(at + 2) === C_TILDE;
    this.pos = at + (strip ? 3 : 2);
    const kind = this.text.charCodeAt(at) === C_DOLLAR ? 'interp' : 'control';
    const token = this.emit(kind, at, this.pos, kind === 'interp' ? '${' : '%{', { strip });
    this.stack.push({ mode: 'expr', braces: 0, open: token.start });
  }

  /** One line (or the part of a line before a sequence) of a heredoc, or its closing marker. */
  private lexHeredoc(frame: Frame & { mode: 'heredoc' }): void {
    const start = this.pos;
    const lineStart = frame.atLineStart;
    if (lineStart && this.closesHeredoc(frame)) return;
    const { value, end, stop } = this.readLiteral(start, false);
    if (stop === 'eof') {
      this.error(`Unterminated heredoc: no line holds only the closing marker ${frame.marker}`, frame.open);
    }
    // A line that starts with a sequence still gets its (empty) literal, for `<<-`.
    if (end > start || lineStart) this.emit('lit', start, end, value, { lineStart });
    frame.atLineStart = stop === 'line';
    if (stop === 'sequence') this.openSequence(end);
    else this.pos = end;
  }

  /** At a heredoc line start: if the line is the marker alone (after indentation), its token. */
  private closesHeredoc(frame: Frame & { mode: 'heredoc' }): boolean {
    const text = this.text;
    let p = this.pos;
    while (text.charCodeAt(p) === C_SPACE || text.charCodeAt(p) === C_TAB) p++;
    if (!text.startsWith(frame.marker, p)) return false;
    const end = p + frame.marker.length;
    const after = text.charCodeAt(end);
    const endsLine =
      end >= text.length || after === C_LF || (after === C_CR && text.charCodeAt(end + 1) === C_LF);
    if (!endsLine) return false;
    this.pos = end;
    this.emit('cheredoc', p, end, frame.marker);
    this.stack.pop();
    return true;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
