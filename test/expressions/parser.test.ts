import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateError } from '../../src/azure/expressions/context.ts';
import {
  evaluateString,
  evaluateValue,
  functionNames,
  isExpression,
  parseExpression,
} from '../../src/azure/expressions/index.ts';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { checkCases, checkError, ev, plain, testContext } from './context.ts';

describe('isExpression and escapes', () => {
  it('recognises expressions and escapes', () => {
    assert.equal(isExpression("[concat('a')]"), true);
    assert.equal(isExpression('[[not an expression]'), false);
    assert.equal(isExpression('plain'), false);
    assert.equal(isExpression('[]'), false);
    assert.equal(isExpression(' [x()]'), false);
    assert.equal(isExpression('[x()'), false);
  });

  it('evaluates strings: escapes lose one bracket, plain strings stay', () => {
    const ctx = testContext();
    assert.equal(evaluateString('[[variables(1)]', ctx), '[variables(1)]');
    assert.equal(evaluateString('[[x', ctx), '[[x');
    assert.equal(evaluateString('hello', ctx), 'hello');
    assert.equal(evaluateString("['x']", ctx), 'x');
  });

  it('walks JSON values deeply, including expression keys', () => {
    const ctx = testContext({ parameters: { n: 'web' } });
    const out = evaluateValue(
      { a: ["[parameters('n')]", 1, true, null], "[concat('k-', parameters('n'))]": { b: '[[x]' } },
      ctx,
    );
    assert.deepEqual(plain(out), { a: ['web', 1, true, null], 'k-web': { b: '[x]' } });
  });
});

describe('parser', () => {
  it('parses calls, literals, property and index chains', () => {
    const node = parseExpression("[f('a''b', -12, g().x[0]['y'])]");
    assert.equal(node.kind, 'call');
    if (node.kind !== 'call') return;
    assert.equal(node.args.length, 3);
    assert.deepEqual(node.args[0], { kind: 'string', value: "a'b", pos: 3 });
    assert.equal(node.args[1].kind, 'number');
    assert.equal(node.args[2].kind, 'index');
  });

  it('caches parsed expressions by text', () => {
    assert.equal(parseExpression("[concat('x', 'y')]"), parseExpression("[concat('x', 'y')]"));
  });

  it('tolerates whitespace and newlines', () => {
    checkCases([
      ["[ concat ( 'a' ,\n 'b' ) ]", 'ab'],
      ["[createObject('a', 1) . a]", 1],
      ['[createArray(1, 2)[ 1 ]]', 2],
    ]);
  });

  it('parses namespaced user function calls', () => {
    const node = parseExpression("[contoso.name('x')]");
    assert.equal(node.kind === 'call' && node.namespace, 'contoso');
  });

  it('reports syntax errors with a column and snippet', () => {
    checkError("[concat('a',]", 'expression-syntax', 'column');
    checkError("[concat('a']", 'expression-syntax', "expected ',' or ')'");
    checkError("[concat('abc)]", 'expression-syntax', 'not terminated');
    checkError('[concat(1 2)]', 'expression-syntax', 'column 11');
    checkError('[  ]', 'expression-syntax', 'empty');
    checkError("[concat('a') extra]", 'expression-syntax', 'end of the expression');
    checkError('[foo]', 'expression-syntax', "'(' after 'foo'");
    checkError('[a # b]', 'expression-syntax', "'#'");
  });

  it('rejects expressions over the length limit', () => {
    const long = `[concat('${'x'.repeat(24_600)}')]`;
    checkError(long, 'expression-too-long');
    const ok = `[concat('${'x'.repeat(24_000)}')]`;
    assert.equal((ev(ok) as string).length, 24_000);
  });

  it('rejects nesting too deep to evaluate safely', () => {
    const deep = `[${'concat('.repeat(300)}'x'${')'.repeat(300)}]`;
    checkError(deep, 'expression-depth');
    const fine = `[${'concat('.repeat(100)}'x'${')'.repeat(100)}]`;
    assert.equal(ev(fine), 'x');
    const huge = `[${'a('.repeat(8000)}${')'.repeat(8000)}]`;
    checkError(huge, 'expression-depth');
  });

  it('accepts bare true/false/null written by hand', () => {
    checkCases([
      ['[if(true, 1, 2)]', 1],
      ['[coalesce(null, 3)]', 3],
      ['[not(false)]', true],
    ]);
  });
});

describe('evaluator', () => {
  it('looks functions up case-insensitively', () => {
    checkCases(
      [
        ["[CONCAT('a', 'b')]", 'ab'],
        ["[toupper('a')]", 'A'],
        ['[copyindex()]', 0],
        ["[ListKeys('id', '2020-01-01').keys]", { $unknown: "ListKeys('id') is known only at deployment" }],
      ],
      testContext({ copy: { '': 0 } }),
    );
  });

  it('reports unknown functions', () => {
    checkError('[nosuch(1)]', 'unknown-function', "The template function 'nosuch' is not valid");
    checkError('[ns.fn(1)]', 'unknown-function', "'ns.fn'");
  });

  it('validates argument counts naming the function', () => {
    checkError("[toLower('a', 'b')]", 'function-arguments', "'toLower'");
    checkError('[concat()]', 'function-arguments', "'concat'");
    checkError('[if(true, 1)]', 'function-arguments', "'if'");
    checkError('[toLower(1)]', 'function-arguments', "'toLower'");
  });

  it('reads properties case-insensitively and reports missing ones', () => {
    checkCases([
      ["[createObject('Name', 'x').name]", 'x'],
      ["[createObject('a', createObject('b', 2)).A.B]", 2],
      ["[createObject('a', 1)['A']]", 1],
    ]);
    checkError(
      "[createObject('a', 1).b]",
      'missing-property',
      "The language expression property 'b' doesn't exist",
    );
    checkError('[createArray(1)[3]]', 'index-out-of-range');
    // Known array, known index: ARM refuses the deployment, a template fault. A bad index type is not.
    assert.throws(
      () => ev('[createArray(1, 2)[2]]'),
      (e: unknown) => e instanceof TemplateError && e.fault,
    );
    assert.throws(
      () => ev("[createArray(1)['a']]"),
      (e: unknown) => e instanceof TemplateError && !e.fault && e.code === 'property-access',
    );
    checkError("['abc'.length]", 'property-access');
  });

  it('property and index access on Unknown stay Unknown', () => {
    const ctx = testContext({ parameters: { p: new Unknown('p has no value') } });
    for (const e of ["[parameters('p').a.b]", "[parameters('p')[0]]", "[createArray(1)[parameters('p')]]"]) {
      const v = ev(e, ctx);
      assert.ok(v instanceof Unknown, e);
      assert.equal(v.reason, 'p has no value');
    }
  });

  it('gives errors the context location', () => {
    const ctx = testContext();
    try {
      evaluateString('[nosuch()]', ctx);
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof TemplateError);
      assert.deepEqual(e.location, ctx.location);
    }
  });

  it('calls user-defined functions by namespace', () => {
    const ctx = testContext({
      parameters: { outer: 'hidden' },
      functions: [
        {
          namespace: 'contoso',
          name: 'uniqueName',
          parameters: [{ name: 'prefix', type: 'string' }],
          output: { type: 'string', value: "[concat(parameters('prefix'), '-fn')]" },
        },
      ],
    });
    checkCases(
      [
        ["[contoso.uniqueName('web')]", 'web-fn'],
        ["[CONTOSO.UNIQUENAME('a')]", 'a-fn'],
        ["[toUpper(contoso.uniqueName('b'))]", 'B-FN'],
      ],
      ctx,
    );
    checkError('[contoso.uniqueName()]', 'function-arguments', "'contoso.uniqueName'", ctx);
  });

  it('lists function names for docs', () => {
    const names = functionNames();
    for (const n of ['concat', 'resourceId', 'uniqueString', 'guid', 'lambda', 'parseCidr', 'list*']) {
      assert.ok(names.includes(n), n);
    }
  });
});

describe('recursion limits', () => {
  it('stops runaway user-function recursion with a TemplateError', () => {
    const ctx = testContext({
      functions: [
        {
          namespace: 'f',
          name: 'loop',
          parameters: [{ name: 'x', type: 'int' }],
          output: { type: 'int', value: "[f.loop(parameters('x'))]" },
        },
      ],
    });
    checkError('[f.loop(1)]', 'expression-depth', undefined, ctx);
  });

  it('evaluates long variable chains', () => {
    const variables: Record<string, unknown> = { v0: "['x']" };
    for (let i = 1; i <= 150; i++) variables[`v${i}`] = `[concat(toLower(variables('v${i - 1}')), '')]`;
    assert.equal(ev("[variables('v150')]", testContext({ variables })), 'x');
  });
});
