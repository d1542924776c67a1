/**
 * HCL expressions: literals, collections, traversals and splats, calls, operators with HCL
 * precedence, conditionals and for expressions, each with its position; bodies with comments,
 * one-line blocks and significant newlines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  BinaryExpr,
  ConditionalExpr,
  ForExpr,
  FunctionCallExpr,
  LiteralExpr,
  ObjectExpr,
  SplatExpr,
  TraversalExpr,
  TupleExpr,
} from '../../../../src/azure/sources/terraform/hcl/ast.ts';
import { parseHcl } from '../../../../src/azure/sources/terraform/hcl/parser.ts';
import { endOf, sexpr, startOf, valueExpr } from './helpers.ts';

describe('HCL parser: literals', () => {
  it('reads numbers, bools and null with their values and positions', () => {
    const cases: [string, number | boolean | null][] = [
      ['42', 42],
      ['3.25', 3.25],
      ['1e3', 1000],
      ['2.5E-2', 0.025],
      ['true', true],
      ['false', false],
      ['null', null],
    ];
    for (const [source, value] of cases) {
      const e = valueExpr(source) as LiteralExpr;
      assert.equal(e.type, 'Literal', source);
      assert.equal(e.value, value, source);
      assert.equal(e.raw, source);
      assert.deepEqual(startOf(e), [1, 5]);
      assert.deepEqual(endOf(e), [1, 5 + source.length]);
      assert.equal(e.range.file, 'test.tf');
    }
  });

  it('keeps a number too large for a double as written', () => {
    const e = valueExpr('123456789012345678901234567890') as LiteralExpr;
    assert.equal(e.raw, '123456789012345678901234567890');
  });
});

describe('HCL parser: collections', () => {
  it('reads tuples with commas, newlines and a trailing comma', () => {
    const e = valueExpr('[\n  1,\n  "two",\n  [3],\n]') as TupleExpr;
    assert.equal(sexpr(e), '[1, (template "two"), [3]]');
    assert.deepEqual(e.items.map(startOf), [
      [2, 3],
      [3, 3],
      [4, 3],
    ]);
    assert.deepEqual(endOf(e), [5, 2]);
    assert.equal(sexpr(valueExpr('[]')), '[]');
  });

  it('reads objects: identifier, string and (expression) keys, = or :, commas or newlines', () => {
    const e = valueExpr('{\n  a = 1\n  "b c": 2, (k) = 3,\n  d = { e = [] }\n}') as ObjectExpr;
    assert.equal(sexpr(e), '{a=1, (template "b c")=2, (paren k)=3, d={e=[]}}');
    assert.deepEqual(e.items.map(startOf), [
      [2, 3],
      [3, 3],
      [3, 13],
      [4, 3],
    ]);
    assert.equal(e.items[0].key.type, 'Variable');
    assert.equal(e.items[2].key.type, 'Parens');
    assert.deepEqual(startOf(e.items[1].value), [3, 10]);
    assert.equal(sexpr(valueExpr('{}')), '{}');
    assert.equal(sexpr(valueExpr('{ a = 1, b = 2, }')), '{a=1, b=2}');
  });

  it('refuses two object items on one line without a comma', () => {
    assert.throws(
      () => valueExpr('{ a = 1 b = 2 }'),
      /Expected a newline or ',' after an object item; found 'b'/,
    );
  });
});

describe('HCL parser: variables, traversals and splats', () => {
  it('reads a variable, attribute and index steps as one flat traversal with positions', () => {
    const e = valueExpr('a.b[0]["k"].c') as TraversalExpr;
    assert.equal(e.type, 'Traversal');
    assert.equal(sexpr(e), 'a.b[0][(template "k")].c');
    assert.equal(e.steps.length, 4);
    assert.deepEqual(e.steps.map(startOf), [
      [1, 6],
      [1, 8],
      [1, 11],
      [1, 16],
    ]);
    assert.deepEqual(endOf(e), [1, 18]);
    assert.deepEqual(valueExpr('var.x'), {
      type: 'Traversal',
      source: {
        type: 'Variable',
        name: 'var',
        range: {
          file: 'test.tf',
          start: { line: 1, column: 5, offset: 4 },
          end: { line: 1, column: 8, offset: 7 },
        },
      },
      steps: [
        {
          type: 'GetAttr',
          name: 'x',
          range: {
            file: 'test.tf',
            start: { line: 1, column: 8, offset: 7 },
            end: { line: 1, column: 10, offset: 9 },
          },
        },
      ],
      range: {
        file: 'test.tf',
        start: { line: 1, column: 5, offset: 4 },
        end: { line: 1, column: 10, offset: 9 },
      },
    });
  });

  it('reads identifiers with dashes and the legacy .0 index', () => {
    assert.equal(sexpr(valueExpr('my-thing.x')), 'my-thing.x');
    const e = valueExpr('a.0.b') as TraversalExpr;
    assert.equal(sexpr(e), 'a[0].b');
    assert.deepEqual(
      e.steps.map((s) => s.type === 'Index' && s.legacy),
      [true, false],
    );
    assert.throws(() => valueExpr('a.0.1'), /Invalid legacy index '\.0\.1'/);
  });

  it('reads a full splat: attribute and index steps apply to each element', () => {
    const e = valueExpr('a[*].b[0].c') as SplatExpr;
    assert.equal(e.type, 'Splat');
    assert.equal(e.full, true);
    assert.equal(sexpr(e), '(splat[*] a .b[0].c)');
    assert.deepEqual(startOf(e), [1, 5]);
    assert.deepEqual(endOf(e), [1, 16]);
    assert.equal(sexpr(valueExpr('a.b[*]')), '(splat[*] a.b )');
  });

  it('reads the legacy attribute splat: an index after it applies to the result', () => {
    const e = valueExpr('a.*.b.c[0]') as TraversalExpr;
    assert.equal(sexpr(e), '(splat.* a .b.c)[0]');
    assert.equal((e.source as SplatExpr).full, false);
  });

  it('reads a splat after a splat', () => {
    assert.equal(sexpr(valueExpr('a[*].b[*].c')), '(splat[*] (splat[*] a .b) .c)');
  });
});

describe('HCL parser: function calls', () => {
  it('reads calls with arguments across lines, a trailing comma and ... expansion', () => {
    const e = valueExpr('concat(\n  a,\n  [1, 2],\n)') as FunctionCallExpr;
    assert.equal(sexpr(e), 'concat(a, [1, 2])');
    assert.deepEqual(e.args.map(startOf), [
      [2, 3],
      [3, 3],
    ]);
    assert.deepEqual(endOf(e), [4, 2]);
    const spread = valueExpr('max(xs...)') as FunctionCallExpr;
    assert.equal(spread.expandFinal, true);
    assert.equal(sexpr(spread), 'max(xs...)');
    assert.equal(sexpr(valueExpr('timestamp()')), 'timestamp()');
  });

  it('reads provider-namespaced calls', () => {
    const e = valueExpr('provider::azurerm::parse_resource_id(id)') as FunctionCallExpr;
    assert.equal(e.name, 'provider::azurerm::parse_resource_id');
    assert.deepEqual(endOf({ range: e.nameRange }), [1, 41]);
  });

  it('refuses an argument after ...', () => {
    assert.throws(() => valueExpr('f(a..., b)'), /Expected '\)' after the expanded final argument/);
  });
});

describe('HCL parser: operators', () => {
  it('applies HCL precedence: unary, * / %, + -, comparisons, equality, &&, ||', () => {
    const cases: [string, string][] = [
      ['1 + 2 * 3', '(+ 1 (* 2 3))'],
      ['1 * 2 + 3', '(+ (* 1 2) 3)'],
      ['a / b * c', '(* (/ a b) c)'],
      ['a - b - c', '(- (- a b) c)'],
      ['a % 2 == 0', '(== (% a 2) 0)'],
      ['a < b == c >= d', '(== (< a b) (>= c d))'],
      ['a || b && c', '(|| a (&& b c))'],
      ['a && b || c && d', '(|| (&& a b) (&& c d))'],
      ['!a && b', '(&& (! a) b)'],
      ['-a.b * 2', '(* (- a.b) 2)'],
      ['- -1', '(- (- 1))'],
      ['(1 + 2) * 3', '(* (paren (+ 1 2)) 3)'],
      ['a != b || !c', '(|| (!= a b) (! c))'],
      ['x <= 1 && y > 2', '(&& (<= x 1) (> y 2))'],
    ];
    for (const [source, tree] of cases) assert.equal(sexpr(valueExpr(source)), tree, source);
  });

  it('places a binary node from its left operand to its right operand', () => {
    const e = valueExpr('aa + bb') as BinaryExpr;
    assert.deepEqual(
      [startOf(e), endOf(e)],
      [
        [1, 5],
        [1, 12],
      ],
    );
    assert.deepEqual(startOf(e.right), [1, 10]);
  });

  it('reads conditionals, right-associative and below every binary operator', () => {
    const e = valueExpr('a > 0 ? "p" : b ? 1 : 2') as ConditionalExpr;
    assert.equal(sexpr(e), '(? (> a 0) (template "p") (? b 1 2))');
    assert.deepEqual(startOf(e.falseResult), [1, 19]);
    assert.equal(sexpr(valueExpr('a ? b ? 1 : 2 : 3')), '(? a (? b 1 2) 3)');
  });

  it('ignores newlines inside parentheses only', () => {
    assert.equal(sexpr(valueExpr('(a +\n  b)')), '(paren (+ a b))');
    assert.throws(
      () => valueExpr('a +\n  b'),
      /test\.tf:1:8: Expected an expression before the end of the line/,
    );
  });
});

describe('HCL parser: for expressions', () => {
  it('reads a tuple for with key, value and condition', () => {
    const e = valueExpr('[for i, v in var.list : upper(v) if i > 0]') as ForExpr;
    assert.equal(e.type, 'For');
    assert.deepEqual([e.kind, e.keyVar, e.valueVar, e.grouping], ['tuple', 'i', 'v', false]);
    assert.equal(sexpr(e), '(for-tuple i,v in var.list: upper(v) if (> i 0))');
    assert.deepEqual(startOf(e.collection), [1, 18]);
    assert.deepEqual(startOf(e.condition!), [1, 41]);
    assert.deepEqual(endOf(e), [1, 47]);
  });

  it('reads an object for, with grouping, across lines', () => {
    const e = valueExpr('{\n  for k, v in m :\n  v.group => k...\n  if v != null\n}') as ForExpr;
    assert.equal(e.kind, 'object');
    assert.equal(e.grouping, true);
    assert.equal(sexpr(e), '(for-object k,v in m: v.group => k... if (!= v null))');
    assert.deepEqual(startOf(e.key!), [3, 3]);
    assert.equal(sexpr(valueExpr('{for x in xs: x => 1}')), '(for-object x in xs: x => 1)');
  });

  it('gives for priority over a tuple element or key named for', () => {
    assert.throws(() => valueExpr('[for, a]'), /Expected a name after 'for'/);
    assert.equal(sexpr(valueExpr('[(for), a]')), '[(paren for), a]');
    assert.equal(sexpr(valueExpr('{ "for" = 1 }')), '{(template "for")=1}');
  });
});

describe('HCL parser: bodies', () => {
  it('reads comments of the three kinds, attributes and one-line blocks with positions', () => {
    const text = [
      '# hash comment',
      'a = 1 // trailing',
      '/* block',
      '   comment */ b = 2',
      'empty {}',
      'one "x" y { c = 3 }',
      'nested {',
      '  inner { }',
      '}',
    ].join('\n');
    const { body } = parseHcl(text, 'body.tf');
    assert.deepEqual(
      body.attributes.map((a) => [a.name, ...startOf(a), ...startOf(a.value)]),
      [
        ['a', 2, 1, 2, 5],
        ['b', 4, 15, 4, 19],
      ],
    );
    const [empty, one, nested] = body.blocks;
    assert.deepEqual([empty.blockType, empty.labels.length, ...startOf(empty)], ['empty', 0, 5, 1]);
    assert.deepEqual(
      one.labels.map((l) => [l.value, l.quoted, ...startOf(l)]),
      [
        ['x', true, 6, 5],
        ['y', false, 6, 9],
      ],
    );
    assert.equal(one.body.attributes[0].name, 'c');
    assert.deepEqual(startOf(one.body.attributes[0].value), [6, 17]);
    assert.deepEqual(endOf(one), [6, 20]);
    assert.deepEqual(startOf(nested.body.blocks[0]), [8, 3]);
    assert.deepEqual(endOf(nested), [9, 2]);
    assert.deepEqual(endOf(body), [9, 2]);
  });

  it('reads an empty file and a file of comments as an empty body from line 1', () => {
    for (const text of ['', '\n\n', '# only\n// comments\n/* here */\n']) {
      const { body } = parseHcl(text, 'empty.tf');
      assert.deepEqual([body.attributes.length, body.blocks.length], [0, 0]);
      assert.deepEqual(startOf(body), [1, 1]);
    }
  });

  it('accepts the closing brace of a block on the line of its last attribute', () => {
    const { body } = parseHcl('a {\n  b = 1 }\nc = 2', 'brace.tf');
    assert.equal(body.blocks[0].body.attributes[0].name, 'b');
    assert.deepEqual(endOf(body.blocks[0]), [2, 10]);
    assert.deepEqual(startOf(body.attributes[0]), [3, 1]);
  });

  it('accepts CRLF line ends, a byte order mark and a file without a final newline', () => {
    const { body } = parseHcl('\ufeffa = 1\r\nb {\r\n  c = "x"\r\n}', 'crlf.tf');
    assert.deepEqual(
      body.attributes.map((a) => [a.name, ...startOf(a)]),
      [['a', 1, 1]],
    );
    assert.deepEqual(startOf(body.blocks[0].body.attributes[0]), [3, 3]);
  });

  it('counts columns in code points, a tab as one', () => {
    const { body } = parseHcl('\ta = "😀😀" \t+ b', 'cols.tf');
    const value = body.attributes[0].value as BinaryExpr;
    assert.deepEqual(startOf(body.attributes[0]), [1, 2]);
    assert.deepEqual(startOf(value.right), [1, 14]);
  });

  it('reads non-ASCII identifiers', () => {
    const { body } = parseHcl('größe = café', 'u.tf');
    assert.equal(body.attributes[0].name, 'größe');
    assert.equal(sexpr(body.attributes[0].value), 'café');
  });

  it('ends an attribute at the newline: an index on the next line is not part of it', () => {
    assert.throws(
      () => parseHcl('a = b\n[c] = 1', 'n.tf'),
      /n\.tf:2:1: Expected an attribute or block definition; found '\['/,
    );
    const { body } = parseHcl('a = b\nc = 1', 'n.tf');
    assert.deepEqual(
      body.attributes.map((a) => sexpr(a.value)),
      ['b', '1'],
    );
  });
});
