/**
 * Helpers for the HCL parser tests: the value of a one-attribute file, where a node starts, and
 * a compact S-expression of an expression so that structure (precedence, nesting) reads in one
 * line.
 */
import assert from 'node:assert/strict';
import type {
  Expression,
  HclRange,
  HclSyntaxError,
  TemplatePart,
  TraversalStep,
} from '../../../../src/azure/sources/terraform/hcl/ast.ts';
import { parseHcl } from '../../../../src/azure/sources/terraform/hcl/parser.ts';

/** The expression of `v = <source>` (the value starts at line 1, column 5). */
export function valueExpr(source: string): Expression {
  const { body } = parseHcl(`v = ${source}\n`, 'test.tf');
  assert.equal(body.attributes.length, 1);
  return body.attributes[0].value;
}

/** `[line, column]` of where a node starts. */
export function startOf(node: { range: HclRange }): [number, number] {
  return [node.range.start.line, node.range.start.column];
}

/** `[line, column]` of just past where a node ends. */
export function endOf(node: { range: HclRange }): [number, number] {
  return [node.range.end.line, node.range.end.column];
}

function steps(list: TraversalStep[]): string {
  return list.map((s) => (s.type === 'GetAttr' ? `.${s.name}` : `[${sexpr(s.key)}]`)).join('');
}

function parts(list: TemplatePart[]): string {
  return list
    .map((p) => {
      switch (p.type) {
        case 'TemplateLiteral':
          return JSON.stringify(p.value);
        case 'TemplateInterpolation':
          return `\${${sexpr(p.expression)}}`;
        case 'TemplateIf':
          return `(if ${sexpr(p.condition)} [${parts(p.thenParts)}]${p.elseParts ? ` [${parts(p.elseParts)}]` : ''})`;
        default:
          return `(for ${p.keyVar ? `${p.keyVar},` : ''}${p.valueVar} ${sexpr(p.collection)} [${parts(p.parts)}])`;
      }
    })
    .join(' ');
}

/** A compact, unambiguous rendering of an expression's structure. */
export function sexpr(e: Expression): string {
  switch (e.type) {
    case 'Literal':
      return e.raw;
    case 'Variable':
      return e.name;
    case 'Traversal':
      return `${sexpr(e.source)}${steps(e.steps)}`;
    case 'Splat':
      return `(splat${e.full ? '[*]' : '.*'} ${sexpr(e.source)} ${steps(e.each)})`;
    case 'FunctionCall':
      return `${e.name}(${e.args.map(sexpr).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'Tuple':
      return `[${e.items.map(sexpr).join(', ')}]`;
    case 'Object':
      return `{${e.items.map((i) => `${sexpr(i.key)}=${sexpr(i.value)}`).join(', ')}}`;
    case 'For': {
      const vars = `${e.keyVar ? `${e.keyVar},` : ''}${e.valueVar}`;
      const body = e.kind === 'object' ? `${sexpr(e.key!)} => ${sexpr(e.value)}` : sexpr(e.value);
      const cond = e.condition ? ` if ${sexpr(e.condition)}` : '';
      return `(for-${e.kind} ${vars} in ${sexpr(e.collection)}: ${body}${e.grouping ? '...' : ''}${cond})`;
    }
    case 'Unary':
      return `(${e.operator} ${sexpr(e.operand)})`;
    case 'Binary':
      return `(${e.operator} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'Conditional':
      return `(? ${sexpr(e.condition)} ${sexpr(e.trueResult)} ${sexpr(e.falseResult)})`;
    case 'Parens':
      return `(paren ${sexpr(e.expression)})`;
    case 'Template':
      return `(template ${parts(e.parts)})`;
  }
}

/** The syntax error parsing `source` throws, asserting there is one. */
export function syntaxError(source: string, file = 'bad.tf'): HclSyntaxError {
  try {
    parseHcl(source, file);
  } catch (error) {
    assert.equal((error as Error).name, 'HclSyntaxError', String(error));
    return error as HclSyntaxError;
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(source)}`);
}
