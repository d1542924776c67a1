/**
 * A parser of HCL native syntax (Terraform `.tf` and `.tfvars`), written in-house because no
 * maintained JavaScript HCL parser keeps source positions, and every finding must point at
 * file:line (docs/dependencies.md). It follows the HCL native syntax specification (hashicorp/hcl,
 * `hclsyntax/spec.md`): a body of attributes and blocks, the expression language with its
 * operator precedence, and templates (quoted strings and heredocs with interpolations and
 * directives). It builds the tree of ast.ts and evaluates nothing.
 *
 * Newlines: they end attributes and blocks in a body and separate the items of an object, and
 * are white space inside parentheses, brackets, function arguments, `for` expressions and
 * template sequences (as the reference implementation does). The parser keeps a stack of "do
 * newlines count here" and skips newline tokens where they do not.
 *
 * Beyond the specification: provider-defined function names (`provider::azurerm::f(...)`), and
 * an attribute may be followed on its line by the `}` that closes its block. The first error
 * stops the parse (`HclSyntaxError`); there is no recovery, so a caller reports the file once.
 *
 * Hostile input: recursion is bounded by `MAX_NESTING` levels of nesting (blocks, brackets,
 * parentheses, unary and binary operators, conditionals, templates), beyond which the parse
 * stops with an error; traversals and lists are flat. Each token is read a bounded number of
 * times, so the parse is linear in the size of the text.
 */
import {
  type Attribute,
  type BinaryOperator,
  type Block,
  type BlockLabel,
  type Body,
  type Expression,
  type ForExpr,
  type HclPos,
  type HclRange,
  HclSyntaxError,
  MAX_NESTING,
  type ObjectItem,
  type TemplateExpr,
  type TraversalStep,
} from './ast.ts';
import { lex, type Token } from './lexer.ts';
import { buildTemplateParts, type TemplateItem } from './template.ts';

// The tree's types, `HclSyntaxError`, `locationOf` and `MAX_NESTING`, so that one import serves a caller.
export * from './ast.ts';

export interface HclFile {
  body: Body;
}

/** Parses HCL native syntax; throws `HclSyntaxError` (file, line, column) on the first error. */
export function parseHcl(text: string, file: string): HclFile {
  return { body: new Parser(lex(text, file), file).parseFile() };
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

/** A name as an error message shows it: a long one is cut short. */
function short(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}...` : name;
}

/** A token as an error message names it. */
function describe(token: Token): string {
  const text = short(token.text);
  switch (token.kind) {
    case 'newline':
      return 'a newline';
    case 'eof':
      return 'the end of the file';
    case 'ident':
      return `'${text}'`;
    case 'number':
      return `the number ${text}`;
    case 'punct':
      return `'${text}'`;
    case 'oquote':
      return 'a string';
    case 'oheredoc':
      return 'a heredoc';
    case 'interp':
      return "'${'";
    case 'control':
      return "'%{'";
    default:
      return `'${text}'`;
  }
}

function isWholeNumber(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

class Parser {
  private readonly tokens: Token[];
  private readonly file: string;
  private index = 0;
  /** Whether newlines count in the current context; the last entry rules. */
  private readonly newlines: boolean[] = [true];
  private depth = 0;

  constructor(tokens: Token[], file: string) {
    this.tokens = tokens;
    this.file = file;
  }

  // ---- tokens ----------------------------------------------------------------------------------

  private peek(): Token {
    let token = this.tokens[this.index];
    if (!this.newlines[this.newlines.length - 1]) {
      while (token.kind === 'newline') token = this.tokens[++this.index];
    }
    return token;
  }

  /** The token after the next one, newlines skipped as `peek` would. */
  private peekSecond(): Token {
    this.peek();
    let i = this.index + 1;
    if (!this.newlines[this.newlines.length - 1]) {
      while (this.tokens[i].kind === 'newline') i++;
    }
    return this.tokens[Math.min(i, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isPunct(token: Token, symbol: string): boolean {
    return token.kind === 'punct' && token.text === symbol;
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'ident' && token.text === word;
  }

  private error(detail: string, at: Token | HclPos): never {
    throw new HclSyntaxError(detail, this.file, 'kind' in at ? at.start : at);
  }

  private expectPunct(symbol: string, context: string): Token {
    const token = this.peek();
    if (!this.isPunct(token, symbol))
      this.error(`Expected '${symbol}' ${context}; found ${describe(token)}`, token);
    return this.next();
  }

  private expectIdent(context: string): Token {
    const token = this.peek();
    if (token.kind !== 'ident') this.error(`Expected a name ${context}; found ${describe(token)}`, token);
    return this.next();
  }

  private range(start: HclPos, end: HclPos): HclRange {
    return { file: this.file, start, end };
  }

  /** One more level of nesting, refused beyond `MAX_NESTING`. */
  private enter(at: Token): void {
    if (++this.depth > MAX_NESTING) {
      this.error(
        `Nesting too deep: more than ${MAX_NESTING} levels of blocks, brackets, operators or templates`,
        at,
      );
    }
  }

  private leave(): void {
    this.depth--;
  }

  /**
   * Whether newlines count until the matching `popNewlines`. (Pushes and pops rather than a
   * callback: a closure per bracket costs more than the parse of it when run through tsx.)
   */
  private pushNewlines(significant: boolean): void {
    this.newlines.push(significant);
  }

  private popNewlines(): void {
    this.newlines.pop();
  }

  // ---- structure -------------------------------------------------------------------------------

  parseFile(): Body {
    const start: HclPos = { line: 1, column: 1, offset: 0 };
    const body = this.parseBody(start, false);
    body.range = this.range(start, this.peek().end);
    return body;
  }

  /** Attributes and blocks up to the end of the file or (in a block) the `}` that closes it. */
  private parseBody(start: HclPos, inBlock: boolean): Body {
    const body: Body = { type: 'Body', attributes: [], blocks: [], range: this.range(start, start) };
    const seen = new Map<string, Attribute>();
    for (;;) {
      const token = this.peek();
      if (token.kind === 'newline') {
        this.index++;
        continue;
      }
      if (token.kind === 'eof' || (inBlock && this.isPunct(token, '}'))) return body;
      if (this.isPunct(token, '}')) this.error("Unexpected '}': no block is open", token);
      if (token.kind !== 'ident') {
        this.error(`Expected an attribute or block definition; found ${describe(token)}`, token);
      }
      const after = this.tokens[this.index + 1];
      if (this.isPunct(after, '=')) {
        const attribute = this.parseAttribute();
        const earlier = seen.get(attribute.name);
        if (earlier) {
          this.error(
            `Attribute '${short(attribute.name)}' is already defined at line ${earlier.range.start.line}`,
            attribute.range.start,
          );
        }
        seen.set(attribute.name, attribute);
        body.attributes.push(attribute);
        this.endOfItem(inBlock, `the value of '${short(attribute.name)}'`);
      } else if (after.kind === 'ident' || after.kind === 'oquote' || this.isPunct(after, '{')) {
        body.blocks.push(this.parseBlock());
        this.endOfItem(inBlock, 'a block');
      } else {
        this.error(`Expected '=' or a block after ${describe(token)}; found ${describe(after)}`, after);
      }
    }
  }

  /** After an attribute or block: a newline, the end of the file, or the `}` of the enclosing block. */
  private endOfItem(inBlock: boolean, what: string): void {
    const token = this.peek();
    if (token.kind === 'newline') {
      this.index++;
      return;
    }
    if (token.kind === 'eof' || (inBlock && this.isPunct(token, '}'))) return;
    this.error(`Expected a newline after ${what}; found ${describe(token)}`, token);
  }

  private parseAttribute(): Attribute {
    const name = this.next();
    this.next(); // '='
    const value = this.parseExpression();
    return {
      type: 'Attribute',
      name: name.text,
      nameRange: this.range(name.start, name.end),
      value,
      range: this.range(name.start, value.range.end),
    };
  }

  private parseBlock(): Block {
    const typeToken = this.next();
    const labels: BlockLabel[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'ident') {
        this.next();
        labels.push({ value: token.text, quoted: false, range: this.range(token.start, token.end) });
      } else if (token.kind === 'oquote') {
        labels.push(this.parseLabelString());
      } else break;
    }
    const open = this.expectPunct('{', `to open the block '${short(typeToken.text)}'`);
    this.enter(open);
    let body: Body;
    if (this.tokens[this.index].kind === 'newline') {
      body = this.parseBody(open.end, true);
    } else {
      body = this.parseOneLineBody(open);
    }
    const close = this.peek();
    if (!this.isPunct(close, '}')) {
      this.error(
        `Unclosed block '${short(typeToken.text)}': this '{' has no matching '}' before ${describe(close)}`,
        open,
      );
    }
    this.next();
    this.leave();
    body.range = this.range(open.start, close.end);
    return {
      type: 'Block',
      blockType: typeToken.text,
      typeRange: this.range(typeToken.start, typeToken.end),
      labels,
      body,
      range: this.range(typeToken.start, close.end),
    };
  }

  /** `name { }` or `name { attr = value }` on one line. */
  private parseOneLineBody(open: Token): Body {
    const body: Body = { type: 'Body', attributes: [], blocks: [], range: this.range(open.start, open.end) };
    const token = this.peek();
    if (this.isPunct(token, '}')) return body;
    if (token.kind === 'ident' && this.isPunct(this.tokens[this.index + 1], '=')) {
      body.attributes.push(this.parseAttribute());
      const close = this.peek();
      if (!this.isPunct(close, '}')) {
        this.error(
          `A one-line block holds one attribute and closes on the same line: expected '}'; found ${describe(close)}`,
          close,
        );
      }
      return body;
    }
    this.error(
      `Invalid one-line block: after '{' on the same line only one attribute may follow (blocks need their own lines); found ${describe(token)}`,
      token,
    );
  }

  private parseLabelString(): BlockLabel {
    const open = this.next();
    let value = '';
    for (;;) {
      const token = this.tokens[this.index++];
      if (token.kind === 'lit') value += token.text;
      else if (token.kind === 'cquote') {
        return { value, quoted: true, range: this.range(open.start, token.end) };
      } else
        this.error('A block label is a plain string: interpolations and directives are not allowed', token);
    }
  }

  // ---- expressions -----------------------------------------------------------------------------

  private parseExpression(): Expression {
    const condition = this.parseBinary(1);
    const question = this.peek();
    if (!this.isPunct(question, '?')) return condition;
    this.next();
    this.enter(question);
    const trueResult = this.parseExpression();
    this.expectPunct(':', "after the true result of a conditional ('? ... :')");
    const falseResult = this.parseExpression();
    this.leave();
    return {
      type: 'Conditional',
      condition,
      trueResult,
      falseResult,
      range: this.range(condition.range.start, falseResult.range.end),
    };
  }

  /** Binary operators of precedence `level` and above, left-associative. */
  private parseBinary(level: number): Expression {
    let left = this.parseUnary();
    let folds = 0;
    for (;;) {
      const token = this.peek();
      const precedence = token.kind === 'punct' ? PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence < level) break;
      this.next();
      this.enter(token);
      folds++;
      const right = this.parseBinary(precedence + 1);
      left = {
        type: 'Binary',
        operator: token.text as BinaryOperator,
        left,
        right,
        range: this.range(left.range.start, right.range.end),
      };
    }
    this.depth -= folds;
    return left;
  }

  private parseUnary(): Expression {
    const token = this.peek();
    if (this.isPunct(token, '-') || this.isPunct(token, '!')) {
      this.next();
      this.enter(token);
      const operand = this.parseUnary();
      this.leave();
      return {
        type: 'Unary',
        operator: token.text as '-' | '!',
        operand,
        range: this.range(token.start, operand.range.end),
      };
    }
    return this.parsePostfix(this.parseTerm());
  }

  private parseTerm(): Expression {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.next();
        return {
          type: 'Literal',
          value: Number(token.text),
          raw: token.text,
          range: this.range(token.start, token.end),
        };
      case 'ident':
        return this.parseIdentTerm();
      case 'oquote':
        return this.parseQuoted();
      case 'oheredoc':
        return this.parseHeredoc();
      case 'punct':
        if (token.text === '(') return this.parseParens();
        if (token.text === '[') return this.parseTuple();
        if (token.text === '{') return this.parseObject();
        break;
    }
    if (token.kind === 'newline') this.error('Expected an expression before the end of the line', token);
    this.error(`Expected an expression; found ${describe(token)}`, token);
  }

  private parseIdentTerm(): Expression {
    const token = this.next();
    const range = this.range(token.start, token.end);
    if (token.text === 'true' || token.text === 'false') {
      return { type: 'Literal', value: token.text === 'true', raw: token.text, range };
    }
    if (token.text === 'null') return { type: 'Literal', value: null, raw: token.text, range };
    const after = this.tokens[this.index];
    if (this.isPunct(after, '(') || this.isPunct(after, '::')) return this.parseCall(token);
    return { type: 'Variable', name: token.text, range };
  }

  /** `name(args)`, `provider::p::name(args)`; the name token is already read. */
  private parseCall(nameToken: Token): Expression {
    let name = nameToken.text;
    let nameEnd = nameToken.end;
    while (this.isPunct(this.tokens[this.index], '::')) {
      this.index++;
      const part = this.tokens[this.index];
      if (part.kind !== 'ident')
        this.error(`Expected a function name after '::'; found ${describe(part)}`, part);
      this.index++;
      name += `::${part.text}`;
      nameEnd = part.end;
    }
    const open = this.tokens[this.index];
    if (!this.isPunct(open, '(')) this.error(`Expected '(' after the function name '${short(name)}'`, open);
    this.index++;
    this.enter(open);
    const args: Expression[] = [];
    let expandFinal = false;
    this.pushNewlines(false);
    let close: Token;
    for (;;) {
      if (this.isPunct(this.peek(), ')')) {
        close = this.next();
        break;
      }
      args.push(this.parseExpression());
      const token = this.peek();
      if (this.isPunct(token, '...')) {
        this.next();
        expandFinal = true;
        close = this.expectPunct(')', "after the expanded final argument ('...')");
        break;
      }
      if (this.isPunct(token, ',')) this.next();
      else if (!this.isPunct(token, ')')) {
        this.error(
          `Expected ',' or ')' in the arguments of '${short(name)}'; found ${describe(token)}`,
          token,
        );
      }
    }
    this.popNewlines();
    this.leave();
    return {
      type: 'FunctionCall',
      name,
      nameRange: this.range(nameToken.start, nameEnd),
      args,
      expandFinal,
      range: this.range(nameToken.start, close.end),
    };
  }

  private parseParens(): Expression {
    const open = this.next();
    this.enter(open);
    this.pushNewlines(false);
    const expression = this.parseExpression();
    const close = this.expectPunct(')', "to close '('");
    this.popNewlines();
    this.leave();
    return { type: 'Parens', expression, range: this.range(open.start, close.end) };
  }

  /** Attribute, index and splat steps after a term; a flat list, however long. */
  private parsePostfix(source: Expression): Expression {
    let steps: TraversalStep[] = [];
    let splats = 0;
    for (;;) {
      const token = this.peek();
      const dot = this.isPunct(token, '.');
      if (!dot && !this.isPunct(token, '[')) break;
      if (this.isPunct(this.peekSecond(), '*')) {
        source = this.parseSplat(this.traversal(source, steps), token, !dot);
        splats++;
        steps = [];
        continue;
      }
      if (!this.readStep(steps, true)) break;
    }
    this.depth -= splats;
    return this.traversal(source, steps);
  }

  /** `source` with its steps, or `source` itself when it has none. */
  private traversal(source: Expression, steps: TraversalStep[]): Expression {
    if (steps.length === 0) return source;
    const last = steps[steps.length - 1];
    return { type: 'Traversal', source, steps, range: this.range(source.range.start, last.range.end) };
  }

  /** `.*` (attribute splat) or `[*]` (full splat) at `token`, and the steps it applies to each element. */
  private parseSplat(source: Expression, token: Token, full: boolean): Expression {
    this.next();
    let end = this.next().end;
    if (full) end = this.expectPunct(']', "to close the splat '[*'").end;
    const each: TraversalStep[] = [];
    this.readSteps(each, full);
    if (each.length > 0) end = each[each.length - 1].range.end;
    this.enter(token);
    return { type: 'Splat', source, full, each, range: this.range(source.range.start, end) };
  }

  /** Steps after a splat: attributes (and, for a full splat, indexes) until another splat or anything else. */
  private readSteps(into: TraversalStep[], indexes: boolean): void {
    for (;;) {
      const token = this.peek();
      const after = this.isPunct(token, '.') || this.isPunct(token, '[') ? this.peekSecond() : null;
      if (!after || this.isPunct(after, '*')) return;
      if (this.isPunct(token, '[') && !indexes) return;
      if (!this.readStep(into, indexes)) return;
    }
  }

  /** One `.name`, `.0` or `[key]` step at the next token; false when there is none. */
  private readStep(into: TraversalStep[], indexes: boolean): boolean {
    const token = this.peek();
    if (this.isPunct(token, '.')) {
      this.next();
      const name = this.peek();
      if (name.kind === 'ident') {
        this.next();
        into.push({ type: 'GetAttr', name: name.text, range: this.range(token.start, name.end) });
        return true;
      }
      if (name.kind === 'number') {
        if (!isWholeNumber(name.text)) {
          this.error(`Invalid legacy index '.${name.text}': only whole numbers may follow '.'`, name);
        }
        this.next();
        const key: Expression = {
          type: 'Literal',
          value: Number(name.text),
          raw: name.text,
          range: this.range(name.start, name.end),
        };
        into.push({ type: 'Index', key, legacy: true, range: this.range(token.start, name.end) });
        return true;
      }
      this.error(`Expected an attribute name after '.'; found ${describe(name)}`, name);
    }
    if (indexes && this.isPunct(token, '[')) {
      this.next();
      this.enter(token);
      this.pushNewlines(false);
      const key = this.parseExpression();
      const close = this.expectPunct(']', 'to close the index');
      this.popNewlines();
      this.leave();
      into.push({ type: 'Index', key, legacy: false, range: this.range(token.start, close.end) });
      return true;
    }
    return false;
  }

  private parseTuple(): Expression {
    const open = this.next();
    this.enter(open);
    this.pushNewlines(false);
    const result = this.isKeyword(this.peek(), 'for')
      ? this.parseFor(open, 'tuple')
      : this.parseTupleItems(open);
    this.popNewlines();
    this.leave();
    return result;
  }

  private parseTupleItems(open: Token): Expression {
    const items: Expression[] = [];
    for (;;) {
      const token = this.peek();
      if (this.isPunct(token, ']')) {
        this.next();
        return { type: 'Tuple', items, range: this.range(open.start, token.end) };
      }
      items.push(this.parseExpression());
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.next();
      else if (!this.isPunct(sep, ']')) {
        this.error(`Expected ',' or ']' after a tuple element; found ${describe(sep)}`, sep);
      }
    }
  }

  private parseObject(): Expression {
    const open = this.next();
    this.enter(open);
    let cursor = this.index;
    while (this.tokens[cursor].kind === 'newline') cursor++;
    const isFor = this.isKeyword(this.tokens[cursor], 'for');
    this.pushNewlines(!isFor);
    const result = isFor ? this.parseFor(open, 'object') : this.parseObjectItems(open);
    this.popNewlines();
    this.leave();
    return result;
  }

  private parseObjectItems(open: Token): Expression {
    const items: ObjectItem[] = [];
    for (;;) {
      let token = this.peek();
      while (token.kind === 'newline') {
        this.index++;
        token = this.peek();
      }
      if (this.isPunct(token, '}')) {
        this.next();
        return { type: 'Object', items, range: this.range(open.start, token.end) };
      }
      if (token.kind === 'eof') {
        this.error("Unclosed object: this '{' has no matching '}' before the end of the file", open);
      }
      const key = this.parseExpression();
      const assign = this.peek();
      if (!this.isPunct(assign, '=') && !this.isPunct(assign, ':')) {
        this.error(`Expected '=' or ':' after an object key; found ${describe(assign)}`, assign);
      }
      this.next();
      const value = this.parseExpression();
      items.push({ key, value, range: this.range(key.range.start, value.range.end) });
      const sep = this.peek();
      if (this.isPunct(sep, ',') || sep.kind === 'newline') this.next();
      else if (!this.isPunct(sep, '}')) {
        this.error(`Expected a newline or ',' after an object item; found ${describe(sep)}`, sep);
      }
    }
  }

  /** `for k, v in coll : ...` after `[` or `{` (already read, as `open`), to the closing bracket. */
  private parseFor(open: Token, kind: 'tuple' | 'object'): Expression {
    this.next(); // 'for'
    const first = this.expectIdent("after 'for'");
    let keyVar: string | undefined;
    let valueVar = first.text;
    if (this.isPunct(this.peek(), ',')) {
      this.next();
      keyVar = first.text;
      valueVar = this.expectIdent("after ',' in a 'for'").text;
    }
    const inToken = this.peek();
    if (!this.isKeyword(inToken, 'in')) {
      this.error(`Expected 'in' after the variables of a 'for'; found ${describe(inToken)}`, inToken);
    }
    this.next();
    const collection = this.parseExpression();
    this.expectPunct(':', "after the collection of a 'for'");
    let key: Expression | undefined;
    if (kind === 'object') {
      key = this.parseExpression();
      this.expectPunct('=>', "between the key and the value of an object 'for'");
    }
    const value = this.parseExpression();
    let grouping = false;
    if (kind === 'object' && this.isPunct(this.peek(), '...')) {
      this.next();
      grouping = true;
    }
    let condition: Expression | undefined;
    if (this.isKeyword(this.peek(), 'if')) {
      this.next();
      condition = this.parseExpression();
    }
    const closer = kind === 'tuple' ? ']' : '}';
    const close = this.expectPunct(closer, "to close the 'for' expression");
    const node: ForExpr = {
      type: 'For',
      kind,
      valueVar,
      collection,
      value,
      grouping,
      range: this.range(open.start, close.end),
    };
    if (keyVar !== undefined) node.keyVar = keyVar;
    if (key) node.key = key;
    if (condition) node.condition = condition;
    return node;
  }

  // ---- templates -------------------------------------------------------------------------------

  private parseQuoted(): TemplateExpr {
    const open = this.next();
    this.enter(open);
    const [items, close] = this.readTemplate('cquote');
    const parts = buildTemplateParts(items, false, this.file, this.depth);
    this.leave();
    return { type: 'Template', parts, range: this.range(open.start, close.end) };
  }

  private parseHeredoc(): TemplateExpr {
    const open = this.next();
    this.enter(open);
    const flush = open.flush === true;
    const [items, close] = this.readTemplate('cheredoc');
    const parts = buildTemplateParts(items, flush, this.file, this.depth);
    this.leave();
    return {
      type: 'Template',
      parts,
      heredoc: { marker: open.text, flush },
      range: this.range(open.start, close.end),
    };
  }

  /** The pieces of a template up to its closing token (the lexer guarantees one comes). */
  private readTemplate(end: 'cquote' | 'cheredoc'): [TemplateItem[], Token] {
    const items: TemplateItem[] = [];
    for (;;) {
      const token = this.tokens[this.index];
      if (token.kind === end) {
        this.index++;
        return [items, token];
      }
      if (token.kind === 'lit') {
        this.index++;
        items.push({
          kind: 'lit',
          text: token.text,
          lineStart: token.lineStart === true,
          start: token.start,
          end: token.end,
        });
      } else if (token.kind === 'interp') {
        this.index++;
        this.pushNewlines(false);
        const expression = this.parseExpression();
        const close = this.expectSequenceEnd('interpolation');
        this.popNewlines();
        items.push({
          kind: 'interp',
          expression,
          stripLeft: token.strip === true,
          stripRight: close.strip === true,
          start: token.start,
          end: close.end,
        });
      } else if (token.kind === 'control') {
        this.index++;
        this.pushNewlines(false);
        items.push(this.parseDirective(token));
        this.popNewlines();
      } else this.error(`Unexpected ${describe(token)} in a template`, token);
    }
  }

  private expectSequenceEnd(what: string): Token {
    const token = this.peek();
    if (token.kind !== 'seqend')
      this.error(`Expected '}' to close the ${what}; found ${describe(token)}`, token);
    return this.next();
  }

  /** `%{ if c }`, `%{ else }`, `%{ endif }`, `%{ for k, v in c }`, `%{ endfor }`; `%{` is read. */
  private parseDirective(open: Token): TemplateItem {
    const word = this.peek();
    const keyword = word.kind === 'ident' ? word.text : '';
    let expression: Expression | undefined;
    let keyVar: string | undefined;
    let valueVar: string | undefined;
    if (keyword === 'if') {
      this.next();
      expression = this.parseExpression();
    } else if (keyword === 'for') {
      this.next();
      valueVar = this.expectIdent("after 'for'").text;
      if (this.isPunct(this.peek(), ',')) {
        this.next();
        keyVar = valueVar;
        valueVar = this.expectIdent("after ',' in a 'for'").text;
      }
      const inToken = this.peek();
      if (!this.isKeyword(inToken, 'in')) {
        this.error(`Expected 'in' after the variables of a 'for'; found ${describe(inToken)}`, inToken);
      }
      this.next();
      expression = this.parseExpression();
    } else if (keyword === 'else' || keyword === 'endif' || keyword === 'endfor') {
      this.next();
    } else {
      this.error(
        `Invalid template directive: expected if, else, endif, for or endfor after '%{'; found ${describe(word)}`,
        word,
      );
    }
    const close = this.expectSequenceEnd(`'%{ ${keyword} }' directive`);
    const item: TemplateItem = {
      kind: 'directive',
      keyword: keyword as 'if' | 'else' | 'endif' | 'for' | 'endfor',
      stripLeft: open.strip === true,
      stripRight: close.strip === true,
      start: open.start,
      end: close.end,
    };
    if (expression) item.expression = expression;
    if (keyVar !== undefined) item.keyVar = keyVar;
    if (valueVar !== undefined) item.valueVar = valueVar;
    return item;
  }
}
