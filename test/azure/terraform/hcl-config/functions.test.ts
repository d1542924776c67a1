// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are HCL source, whose interpolations are written ${...}.
/**
 * The HCL evaluator without a configuration: expressions, templates and Terraform functions,
 * table-driven, with Unknown propagation and the errors Terraform would report.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnknown, Unknown, type Value } from '../../../../src/azure/expressions/value.ts';
import { parseHcl } from '../../../../src/azure/sources/terraform/hcl/parser.ts';
import {
  Evaluator,
  HclEvalError,
  type Scope,
} from '../../../../src/azure/sources/terraform/hcl-config/evaluate.ts';
import { FUNCTION_NAMES } from '../../../../src/azure/sources/terraform/hcl-config/functions.ts';

/** `var.known` is "k", `var.secret` is Unknown("(sensitive)"), `var.later` is Unknown("later"). */
const scope: Scope = {
  reference(name, steps, range) {
    const step = steps[0];
    if (name !== 'var' || step?.type !== 'GetAttr') throw new HclEvalError(`no ${name}`, range);
    const values: Record<string, Value> = {
      known: 'k',
      secret: new Unknown('(sensitive)'),
      later: new Unknown('later'),
      list: ['a', 'b'],
      map: { b: 2, a: 1 },
    };
    if (!Object.hasOwn(values, step.name)) throw new HclEvalError(`no variable ${step.name}`, range);
    return { value: values[step.name], used: 1 };
  },
};

function evaluate(source: string): Value {
  const { body } = parseHcl(`v = ${source}\n`, 'test.tf');
  return new Evaluator(scope).evaluate(body.attributes[0].value);
}

describe('HCL evaluation: functions', () => {
  const cases: [string, Value][] = [
    ['lower("AbC")', 'abc'],
    ['upper("abc")', 'ABC'],
    ['format("%s-%02d-%.1f-%q-%5s|%-3s|", "a", 7, 2.26, "x", "r", "l")', 'a-07-2.3-"x"-    r|l  |'],
    ['format("100%%")', '100%'],
    ['join("-", ["a", "b"], ["c"])', 'a-b-c'],
    ['split(",", "a,b,,c")', ['a', 'b', '', 'c']],
    ['concat(["a"], [], ["b", "c"])', ['a', 'b', 'c']],
    ['merge({a = 1, b = 2}, {b = 3}, null)', { a: 1, b: 3 }],
    ['lookup({a = 1}, "a", 0)', 1],
    ['lookup({a = 1}, "z", 0)', 0],
    ['try(var.nope, "fallback")', 'fallback'],
    ['coalesce("", null, "x", "y")', 'x'],
    ['length("héllo")', 5],
    ['length({a = 1, b = 2})', 2],
    ['contains(["a", "b"], "b")', true],
    ['cidrsubnet("10.1.0.0/16", 8, 2)', '10.1.2.0/24'],
    ['cidrsubnet("10.1.0.0/16", 4, 15)', '10.1.240.0/20'],
    ['tolist(["a"])', ['a']],
    ['toset(["b", "a", "b"])', ['a', 'b']],
    ['tomap({a = "x"})', { a: 'x' }],
    ['keys({b = 1, a = 2})', ['a', 'b']],
    ['values({b = 1, a = 2})', [2, 1]],
    ['element(["a", "b", "c"], 4)', 'b'],
    ['flatten([["a"], [["b"]], "c"])', ['a', 'b', 'c']],
    ['distinct(["a", "b", "a"])', ['a', 'b']],
    ['replace("a-b-c", "-", "_")', 'a_b_c'],
    ['substr("hello", 1, 3)', 'ell'],
    ['substr("hello", -3, -1)', 'llo'],
    ['trimspace("  x \\n")', 'x'],
    ['jsonencode({b = [1, true], a = null})', '{"a":null,"b":[1,true]}'],
    ['jsondecode("{\\"a\\": [1]}")', { a: [1] }],
    ['can(var.nope)', false],
    ['can(var.known)', true],
    ['tostring(5)', '5'],
    ['tonumber("42")', 42],
    ['tobool("true")', true],
    ['min(3, 1, 2)', 1],
    ['max(3, 1, 2)', 3],
    ['abs(-4)', 4],
    ['startswith("azurerm", "azu")', true],
    ['endswith("azurerm", "rm")', true],
    ['range(3)', [0, 1, 2]],
    ['range(1, 7, 3)', [1, 4]],
    ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
    ['one([])', null],
    ['one(["x"])', 'x'],
    ['compact(["a", "", null, "b"])', ['a', 'b']],
    ['sort(["b", "c", "a"])', ['a', 'b', 'c']],
    ['concat(var.list, ["c"])', ['a', 'b', 'c']],
    ['join(",", [for k, v in var.map : "${k}=${v}"])', 'a=1,b=2'],
  ];
  for (const [source, expected] of cases) {
    it(source, () => {
      assert.deepEqual(evaluate(source), expected);
    });
  }

  it('covers every function the task lists', () => {
    const wanted =
      'lower upper format join split concat merge lookup try coalesce length contains cidrsubnet tolist toset tomap keys values element flatten distinct replace substr trimspace jsonencode jsondecode can tostring tonumber tobool min max abs startswith endswith range zipmap one compact sort';
    for (const name of wanted.split(' ')) assert.ok(FUNCTION_NAMES.includes(name), name);
    const tested = new Set(cases.map(([s]) => s.slice(0, s.indexOf('('))));
    for (const name of FUNCTION_NAMES) assert.ok(tested.has(name), `no case for ${name}`);
  });

  it('gives Unknown naming a function it does not evaluate', () => {
    const v = evaluate('timestamp()');
    assert.ok(isUnknown(v));
    assert.match(v.reason, /timestamp\(\)/);
  });

  it('propagates an Unknown argument with its reason, except where the function decides without it', () => {
    const cases: [string, string][] = [
      ['upper(var.secret)', '(sensitive)'],
      ['format("%s", var.later)', 'later'],
      ['join(",", ["a", var.secret])', '(sensitive)'],
      ['coalesce(var.later, "x")', 'later'],
      ['can(var.later)', 'later'],
    ];
    for (const [source, reason] of cases) {
      const v = evaluate(source);
      assert.ok(isUnknown(v), source);
      assert.equal(v.reason, reason, source);
    }
    assert.equal(evaluate('length(["a", var.later])'), 2);
    assert.equal(evaluate('coalesce("x", var.later)'), 'x');
    assert.equal(String(evaluate('try(var.later, "x")')), '<unknown: later>');
  });

  it('reports a wrong argument count or type as an error at the call', () => {
    assert.throws(() => evaluate('lower()'), /lower\(\) takes 1 argument/);
    assert.throws(() => evaluate('lookup({a = 1}, "z")'), /no key "z"/);
    assert.throws(() => evaluate('cidrsubnet("10.0.0.0/30", 8, 1)'), /do not fit/);
    assert.throws(() => evaluate('range(1000000)'), /more than 100000/);
  });
});

describe('HCL evaluation: expressions', () => {
  const cases: [string, Value][] = [
    ['1 + 2 * 3', 7],
    ['"5" + 1', 6],
    ['10 % 4 == 2 && !false', true],
    ['[1, 2] == [1, 2]', true],
    ['var.known == "k" ? "yes" : "no"', 'yes'],
    ['"a-${var.known}-%{if var.known == "k"}y%{else}n%{endif}"', 'a-k-y'],
    ['"%{for x in var.list}[${x}]%{endfor}"', '[a][b]'],
    ['[for x in var.list : upper(x) if x != "a"]', ['B']],
    ['{for k, v in var.map : v => k}', { '1': 'a', '2': 'b' }],
    ['{for x in ["a", "b", "a"] : x => 1...}', { a: [1, 1], b: [1] }],
    ['[{n = 1}, {n = 2}][*].n', [1, 2]],
    ['[{n = 1}, {n = 2}].*.n', [1, 2]],
    ['{a = {b = ["x", "y"]}}.a.b[1]', 'y'],
    ['{a = 1}["a"]', 1],
    ['false && var.later', false],
    ['true || var.later', true],
  ];
  for (const [source, expected] of cases) {
    it(source, () => {
      assert.deepEqual(evaluate(source), expected);
    });
  }

  it('keeps an unknown condition, operand or template part unknown', () => {
    for (const source of [
      'var.later ? 1 : 2',
      'var.later + 1',
      '"x-${var.later}"',
      '[for x in var.later : x]',
      'var.later.attr[0]',
    ]) {
      const v = evaluate(source);
      assert.ok(isUnknown(v), source);
      assert.equal(v.reason, 'later', source);
    }
  });

  it('reports what Terraform would reject', () => {
    assert.throws(() => evaluate('{a = 1}.b'), /no attribute "b"/);
    assert.throws(() => evaluate('[1][3]'), /out of range/);
    assert.throws(() => evaluate('"x" * 2'), /number is required/);
    assert.throws(() => evaluate('"a${[1]}"'), /cannot be used as a string/);
  });
});
