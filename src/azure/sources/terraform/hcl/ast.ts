/**
 * The syntax tree of HCL native syntax (Terraform `.tf` and `.tfvars` files), as `parseHcl`
 * (parser.ts) builds it. Every node carries `range`: the file and the start and end of the text
 * it was parsed from, so a finding can point at file:line. Nothing here is evaluated: variables,
 * functions and templates are kept as written, for the evaluation step to interpret.
 *
 * Lines and columns count from 1; a column counts Unicode code points (a tab is one column),
 * `offset` is the UTF-16 index into the text, and `end` is just past the node's last character.
 */
import type { SourceLocation } from '../../../../core/model.ts';

/** Deepest nesting a parse accepts: blocks, brackets, operators, templates and their directives. */
export const MAX_NESTING = 200;

export interface HclPos {
  line: number;
  column: number;
  offset: number;
}

export interface HclRange {
  file: string;
  start: HclPos;
  end: HclPos;
}

/** A syntax error: where (file, line, column) and what, in `detail`. */
export class HclSyntaxError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without the position prefix. */
  readonly detail: string;
  constructor(detail: string, file: string, pos: HclPos) {
    super(`${file}:${pos.line}:${pos.column}: ${detail}`);
    this.name = 'HclSyntaxError';
    this.file = file;
    this.line = pos.line;
    this.column = pos.column;
    this.offset = pos.offset;
    this.detail = detail;
  }
}

// ---- structure -------------------------------------------------------------------------------

/** A file, or the inside of a block: its attributes and blocks, each list in source order. */
export interface Body {
  type: 'Body';
  attributes: Attribute[];
  blocks: Block[];
  range: HclRange;
}

/** `name = expression`. An attribute name is unique within its body (a repeat is an error). */
export interface Attribute {
  type: 'Attribute';
  name: string;
  nameRange: HclRange;
  value: Expression;
  range: HclRange;
}

/** `type label... { body }`: `resource "azurerm_x" "name" { ... }`, `dynamic "rule" { ... }`. */
export interface Block {
  type: 'Block';
  blockType: string;
  typeRange: HclRange;
  labels: BlockLabel[];
  body: Body;
  /** From the block type to the closing `}`. */
  range: HclRange;
}

export interface BlockLabel {
  value: string;
  /** Written as a quoted string (`"x"`) rather than a bare identifier. */
  quoted: boolean;
  range: HclRange;
}

// ---- expressions -----------------------------------------------------------------------------

export type Expression =
  | LiteralExpr
  | TemplateExpr
  | VariableExpr
  | TraversalExpr
  | SplatExpr
  | FunctionCallExpr
  | TupleExpr
  | ObjectExpr
  | ForExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ParensExpr;

/** A number, `true`, `false` or `null`. `raw` keeps a number as written (HCL numbers are arbitrary-precision). */
export interface LiteralExpr {
  type: 'Literal';
  value: number | boolean | null;
  raw: string;
  range: HclRange;
}

/** A bare identifier used as a value: `var`, `local`, `each`, `count`, a for variable. */
export interface VariableExpr {
  type: 'Variable';
  name: string;
  range: HclRange;
}

/** One step of a traversal: `.name`, `[key]`, or the legacy `.0` index (`legacy: true`). */
export type TraversalStep =
  | { type: 'GetAttr'; name: string; range: HclRange }
  | { type: 'Index'; key: Expression; legacy: boolean; range: HclRange };

/** `source.a[0].b`: attribute and index steps applied in order to `source` (a flat list, however long). */
export interface TraversalExpr {
  type: 'Traversal';
  source: Expression;
  steps: TraversalStep[];
  range: HclRange;
}

/**
 * A splat: `source[*].a.b[0]` (`full: true`: attribute and index steps go into `each`) or the
 * legacy `source.*.a.b` (`full: false`: attribute steps only). `each` is applied to every element
 * of `source`; steps after an attribute splat's names apply to the splat's result and so are a
 * `Traversal` around this node.
 */
export interface SplatExpr {
  type: 'Splat';
  source: Expression;
  full: boolean;
  each: TraversalStep[];
  range: HclRange;
}

/**
 * `name(args)`. `expandFinal` is set when the last argument is followed by `...`. Provider
 * functions keep their namespace in `name`: `provider::azurerm::normalise_resource_id`.
 */
export interface FunctionCallExpr {
  type: 'FunctionCall';
  name: string;
  nameRange: HclRange;
  args: Expression[];
  expandFinal: boolean;
  range: HclRange;
}

export interface TupleExpr {
  type: 'Tuple';
  items: Expression[];
  range: HclRange;
}

/**
 * `{ key = value, ... }`. A key that is a bare identifier (a `Variable` node, not parenthesised)
 * is the literal name: `{ foo = 1 }` has the key `"foo"`. `(foo)`, a `Parens` node, is evaluated.
 */
export interface ObjectExpr {
  type: 'Object';
  items: ObjectItem[];
  range: HclRange;
}

export interface ObjectItem {
  key: Expression;
  value: Expression;
  range: HclRange;
}

/**
 * `[for k, v in coll : value if cond]` (`kind: 'tuple'`) or
 * `{for k, v in coll : key => value... if cond}` (`kind: 'object'`, `grouping` when `...`).
 */
export interface ForExpr {
  type: 'For';
  kind: 'tuple' | 'object';
  /** The first variable when two are given; absent with one. */
  keyVar?: string;
  valueVar: string;
  collection: Expression;
  /** The key expression of an object `for`. */
  key?: Expression;
  value: Expression;
  grouping: boolean;
  condition?: Expression;
  range: HclRange;
}

export interface UnaryExpr {
  type: 'Unary';
  operator: '-' | '!';
  operand: Expression;
  range: HclRange;
}

export type BinaryOperator =
  | '||'
  | '&&'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

export interface BinaryExpr {
  type: 'Binary';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
  range: HclRange;
}

export interface ConditionalExpr {
  type: 'Conditional';
  condition: Expression;
  trueResult: Expression;
  falseResult: Expression;
  range: HclRange;
}

/** `( expression )`: kept so that `{ (key) = 1 }` can be told from `{ key = 1 }`. */
export interface ParensExpr {
  type: 'Parens';
  expression: Expression;
  range: HclRange;
}

// ---- templates -------------------------------------------------------------------------------

/**
 * A quoted string or a heredoc. Escapes are decoded, `$${` and `%%{` are already `${` and `%{`,
 * strip markers (`~`) and a `<<-` heredoc's indentation are already applied to the literals. A
 * template whose only part is one interpolation yields that value unconverted (HCL's unwrapping);
 * any other template yields a string. `""` has no parts.
 */
export interface TemplateExpr {
  type: 'Template';
  parts: TemplatePart[];
  /** Set for a heredoc: its marker and whether it was `<<-` (indentation stripped). */
  heredoc?: { marker: string; flush: boolean };
  range: HclRange;
}

export type TemplatePart = TemplateLiteral | TemplateInterpolation | TemplateIf | TemplateFor;

export interface TemplateLiteral {
  type: 'TemplateLiteral';
  value: string;
  range: HclRange;
}

/** `${ expression }`. */
export interface TemplateInterpolation {
  type: 'TemplateInterpolation';
  expression: Expression;
  range: HclRange;
}

/** `%{ if cond }then%{ else }else%{ endif }`; `elseParts` is absent without `%{ else }`. */
export interface TemplateIf {
  type: 'TemplateIf';
  condition: Expression;
  thenParts: TemplatePart[];
  elseParts?: TemplatePart[];
  range: HclRange;
}

/** `%{ for k, v in coll }body%{ endfor }`. */
export interface TemplateFor {
  type: 'TemplateFor';
  keyVar?: string;
  valueVar: string;
  collection: Expression;
  parts: TemplatePart[];
  range: HclRange;
}

/** The file, line and column where a node starts, as findings carry them. */
export function locationOf(node: { range: HclRange }): SourceLocation {
  return { file: node.range.file, line: node.range.start.line, column: node.range.start.column };
}
