import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateError } from '../../src/azure/expressions/context.ts';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { checkCases, checkError, checkUnknown, ev, testContext } from './context.ts';

const secret = new Unknown('parameter secret has no value');
const ctx = () => testContext({ parameters: { secret, flag: true, n: 4 } });

describe('comparison functions', () => {
  it('coalesce skips nulls and stops at the first value', () => {
    checkCases([
      ["[coalesce(null(), null(), 'default')]", 'default'],
      ['[coalesce(null(), 1, nosuch())]', 1],
      ['[coalesce(null(), null())]', null],
      ["[coalesce(createObject('a', null()).a, createArray(1))]", [1]],
    ]);
    checkUnknown("[coalesce(null(), parameters('secret'), 'x')]", 'secret', ctx());
    checkCases([["[coalesce('first', parameters('secret'))]", 'first']], ctx());
  });

  it('equals compares deeply', () => {
    checkCases([
      ['[equals(1, 1)]', true],
      ["[equals('a', 'A')]", false],
      ["[equals(createArray('a', 'b'), createArray('a', 'b'))]", true],
      ["[equals(createObject('a', 'b'), createObject('a', 'b'))]", true],
      ["[equals(createObject('a', 'b'), createObject('a', 'c'))]", false],
      ["[equals(1, '1')]", false],
      ['[not(equals(1, 2))]', true],
    ]);
  });

  it('equals is decided by the known parts when Unknowns cannot change the answer', () => {
    checkCases(
      [
        // Lengths, key sets, types or a known element differ: unequal whatever the unknown holds.
        ["[equals(createArray(parameters('secret'), 1), createArray(parameters('secret'), 1, 2))]", false],
        ["[equals(createArray(parameters('secret'), 1), createArray('x', 2))]", false],
        ["[equals(createObject('a', parameters('secret')), createObject('b', 1))]", false],
        ["[equals(createObject('a', parameters('secret'), 'b', 1), createObject('A', 0, 'b', 2))]", false],
        ["[equals(createArray(parameters('secret')), 'x')]", false],
        ["[not(equals(createArray(parameters('secret')), createArray()))]", true],
      ],
      ctx(),
    );
    // Every known part equal: only the deployment can tell.
    checkUnknown("[equals(createArray(parameters('secret'), 1), createArray('x', 1))]", 'secret', ctx());
    checkUnknown("[equals(createObject('a', parameters('secret')), createObject('A', 1))]", 'secret', ctx());
    checkUnknown("[equals(parameters('secret'), createArray())]", 'secret', ctx());
  });

  it('greater, greaterOrEquals, less, lessOrEquals (docs examples)', () => {
    checkCases([
      ['[greater(1, 2)]', false],
      ["[greater('A', 'a')]", true],
      ['[greater(3, 2)]', true],
      ['[greaterOrEquals(1, 2)]', false],
      ["[greaterOrEquals('A', 'a')]", true],
      ['[greaterOrEquals(2, 2)]', true],
      ['[less(1, 2)]', true],
      ["[less('A', 'a')]", false],
      ["[less('a', 'b')]", true],
      ['[lessOrEquals(1, 2)]', true],
      ["[lessOrEquals('A', 'a')]", false],
      ['[lessOrEquals(2, 2)]', true],
    ]);
    checkError("[greater(1, 'a')]", 'function-arguments', "'greater'");
  });
});

describe('logical functions', () => {
  it('and and or, with short circuits', () => {
    checkCases(
      [
        ['[and(true(), true())]', true],
        ['[and(true(), false())]', false],
        ['[and(true(), true(), false())]', false],
        ['[and(false(), nosuch())]', false],
        ['[or(false(), false())]', false],
        ['[or(false(), true())]', true],
        ['[or(true(), nosuch())]', true],
        ["[or(true(), parameters('secret'))]", true],
        ["[or(parameters('secret'), true())]", true],
        ["[and(false(), parameters('secret'))]", false],
        ["[and(parameters('secret'), false())]", false],
      ],
      ctx(),
    );
    checkUnknown("[and(true(), parameters('secret'))]", 'secret', ctx());
    checkUnknown("[or(false(), parameters('secret'))]", 'secret', ctx());
    checkError("[and(true(), 'x')]", 'function-arguments', "'and'");
    checkError('[or(true())]', 'function-arguments', "'or'");
  });

  it('bool', () => {
    checkCases([
      ["[bool('true')]", true],
      ["[bool('False')]", false],
      ['[bool(1)]', true],
      ['[bool(0)]', false],
      ['[bool(true())]', true],
    ]);
    checkError("[bool('yes')]", 'function-arguments', "'bool'");
  });

  it('true and false', () => {
    checkCases([
      ['[true()]', true],
      ['[false()]', false],
      ['[equals(true(), not(false()))]', true],
    ]);
  });

  it('not', () => {
    checkCases([
      ['[not(true())]', false],
      ['[not(false())]', true],
      ['[not(equals(1, 2))]', true],
    ]);
    checkUnknown("[not(parameters('secret'))]", 'secret', ctx());
    checkError('[not(1)]', 'function-arguments', "'not'");
  });

  it('if evaluates only the chosen branch', () => {
    checkCases(
      [
        ["[if(equals('a', 'a'), 'yes', 'no')]", 'yes'],
        ["[if(equals('a', 'b'), 'yes', 'no')]", 'no'],
        ["[if(true(), 1, createObject('a', 1).missing)]", 1],
        ["[if(false(), nosuch(), 'safe')]", 'safe'],
        ["[if(parameters('flag'), createObject('a', 1), null())]", { a: 1 }],
        ["[if(parameters('secret'), 'same', 'same')]", 'same'],
      ],
      ctx(),
    );
    checkUnknown("[if(parameters('secret'), 'a', 'b')]", 'secret', ctx());
    // Branches that share structure: the shared parts are known, only the differing ones are not.
    const merged = ev(
      "[if(parameters('secret'), createObject('enabled', true(), 'tier', 'a', 'tags', createArray(1, 2)), createObject('enabled', true(), 'tier', 'b', 'tags', createArray(1, 3)))]",
      ctx(),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(merged)), {
      enabled: true,
      tier: { $unknown: 'parameter secret has no value' },
      tags: [1, { $unknown: 'parameter secret has no value' }],
    });
    checkCases(
      [
        ["[length(if(parameters('secret'), createArray(1, 2), createArray(3, 4)))]", 2],
        ["[if(parameters('secret'), createObject('a', 1), createObject('A', 1)).a]", 1],
        ["[contains(if(parameters('secret'), createObject('a', 1), createObject('a', 2)), 'a')]", true],
      ],
      ctx(),
    );
    // Different lengths, key sets or types leave nothing in common.
    checkUnknown("[if(parameters('secret'), createArray(1), createArray(1, 2))]", 'secret', ctx());
    checkUnknown("[if(parameters('secret'), createObject('a', 1), createObject('b', 1))]", 'secret', ctx());
    checkUnknown("[if(parameters('secret'), createObject('a', 1), 'x')]", 'secret', ctx());
    checkUnknown("[if(parameters('secret'), 'a', nosuch())]", 'secret', ctx());
    checkError("[if('x', 1, 2)]", 'function-arguments', "'if'");
  });
});

describe('numeric functions', () => {
  it('add, sub, mul', () => {
    checkCases([
      ['[add(5, 3)]', 8],
      ['[add(-5, 3)]', -2],
      ['[add(0, 0)]', 0],
      ['[sub(7, 3)]', 4],
      ['[sub(3, 7)]', -4],
      ['[sub(-1, -1)]', 0],
      ['[mul(5, 3)]', 15],
      ['[mul(-2, 3)]', -6],
      ['[mul(0, 9)]', 0],
    ]);
    checkError("[add(1, '2')]", 'function-arguments', "'add'");
  });

  it('div truncates toward zero and rejects zero', () => {
    checkCases([
      ['[div(8, 3)]', 2],
      ['[div(-8, 3)]', -2],
      ['[div(9, -3)]', -3],
      ['[div(0, 5)]', 0],
    ]);
    checkError('[div(1, 0)]', 'division-by-zero', 'div(1, 0)');
  });

  it('a division by zero on known values is a template fault; an unknown operand stays unknown', () => {
    assert.throws(
      () => ev('[div(7, sub(2, 2))]'),
      (e: unknown) => e instanceof TemplateError && e.fault && e.code === 'division-by-zero',
    );
    assert.throws(
      () => ev('[mod(7, 0)]'),
      (e: unknown) => e instanceof TemplateError && e.fault && e.code === 'division-by-zero',
    );
    // A wrong argument type is not a fault: the same function, a different problem.
    assert.throws(
      () => ev("[div(1, 'a')]"),
      (e: unknown) => e instanceof TemplateError && !e.fault && e.code === 'function-arguments',
    );
    checkUnknown("[div(1, parameters('secret'))]", 'secret', ctx());
    checkUnknown("[mod(parameters('secret'), 0)]", 'secret', ctx());
  });

  it('mod follows the dividend sign', () => {
    checkCases([
      ['[mod(7, 3)]', 1],
      ['[mod(-7, 3)]', -1],
      ['[mod(7, -3)]', 1],
      ['[mod(6, 3)]', 0],
    ]);
    checkError('[mod(1, 0)]', 'division-by-zero', 'mod(1, 0)');
  });

  it('float and int', () => {
    checkCases([
      ["[float('3.5')]", 3.5],
      ['[float(3)]', 3],
      ["[float('-0.25')]", -0.25],
      ["[int('4')]", 4],
      ["[int(' -12 ')]", -12],
      ['[int(4)]', 4],
    ]);
    checkError("[int('4.5')]", 'function-arguments', "'int'");
    checkError("[float('abc')]", 'function-arguments', "'float'");
  });

  it('min and max over arrays or argument lists', () => {
    checkCases([
      ['[min(createArray(0, 3, 2, 5, 4))]', 0],
      ['[min(0, 3, 2, 5, 4)]', 0],
      ['[min(-1)]', -1],
      ['[max(createArray(0, 3, 2, 5, 4))]', 5],
      ['[max(0, 3, 2, 5, 4)]', 5],
      ['[max(7)]', 7],
    ]);
    checkError('[max(createArray())]', 'function-arguments', "'max'");
    checkError("[min(1, 'a')]", 'function-arguments', "'min'");
  });

  it('min and max over an array longer than the engine allows as arguments', () => {
    // 300,000 values: spread into Math.max they threw a RangeError.
    const big = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_001);
    const c = testContext({ parameters: { big } });
    assert.equal(
      ev("[max(parameters('big'))]", c),
      big.reduce((m, v) => Math.max(m, v), 0),
    );
    assert.equal(ev("[min(parameters('big'))]", c), 0);
  });
});

describe('unknown propagation', () => {
  it('functions that read an Unknown return it with its reason', () => {
    const c = ctx();
    for (const e of [
      "[toLower(parameters('secret'))]",
      "[concat('a', parameters('secret'))]",
      "[format('{0}', parameters('secret'))]",
      "[resourceId('Microsoft.Storage/storageAccounts', parameters('secret'))]",
      "[uniqueString(parameters('secret'))]",
      "[equals(parameters('secret'), 1)]",
      "[string(createObject('a', parameters('secret')))]",
      "[contains(createArray(parameters('secret')), 'x')]",
      "[add(parameters('n'), parameters('secret'))]",
      "[empty(parameters('secret'))]",
      "[length(parameters('secret'))]",
    ]) {
      const v = ev(e, c);
      assert.ok(v instanceof Unknown, e);
      assert.equal(v.reason, 'parameter secret has no value', e);
    }
  });

  it('functions that do not read the unknown part stay known', () => {
    checkCases(
      [
        ["[length(createArray(parameters('secret'), 2))]", 2],
        ["[empty(createArray(parameters('secret')))]", false],
        ["[contains(createArray('x', parameters('secret')), 'x')]", true],
        ["[length(union(createObject('a', parameters('secret')), createObject('b', 1)))]", 2],
        ["[first(createArray(1, parameters('secret')))]", 1],
        ["[createObject('k', parameters('secret')).k]", { $unknown: 'parameter secret has no value' }],
        [
          "[concat(createArray(parameters('secret')), createArray(1))]",
          [{ $unknown: 'parameter secret has no value' }, 1],
        ],
        ["[indexOf(createArray('a', parameters('secret')), 'a')]", 0],
      ],
      ctx(),
    );
  });
});
