import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpansionBudget } from '../../src/azure/expressions/budget.ts';
import { ev, plain, testContext } from '../expressions/context.ts';

// union and intersection once compared every pair of items (and scanned every key of an
// object for every key of the other): quadratic on large hostile values. They now hash.

function timed<T>(what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const ms = performance.now() - started;
  assert.ok(ms < 5_000, `${what} took ${Math.round(ms)} ms`);
  return result;
}

describe('union and intersection: same answers, linear time', () => {
  it('keep deep equality: key order and key case do not make two objects different', () => {
    assert.deepEqual(
      plain(
        ev(
          "[union(createArray(createObject('a', 1, 'B', 2)), createArray(createObject('b', 2, 'A', 1), 3, 3))]",
        ),
      ),
      [{ a: 1, B: 2 }, 3],
    );
    assert.deepEqual(plain(ev("[intersection(createArray(1, 2, 2, '2'), createArray('2', 2))]")), [2, '2']);
    assert.deepEqual(
      plain(
        ev(
          "[union(createObject('Name', 1, 'x', createObject('a', 1)), createObject('name', 2, 'X', createObject('b', 2)))]",
        ),
      ),
      { Name: 2, x: { a: 1, b: 2 } },
    );
    assert.deepEqual(
      plain(ev("[intersection(createObject('a', 1, 'b', 2), createObject('A', 1, 'b', 3))]")),
      { a: 1 },
    );
  });

  it('a union of 640,000 items (10,000 distinct) and an intersection of 100,000-key objects end quickly', () => {
    const ctx = testContext({
      variables: {
        r: '[range(0, 10000)]',
        big: "[concat(variables('r'), variables('r'), variables('r'), variables('r'), variables('r'), variables('r'), variables('r'), variables('r'))]",
        keysA:
          "[flatten(map(range(0, 10), lambda('j', map(range(0, 10000), lambda('i', concat('a', string(lambdaVariables('j')), '-', string(lambdaVariables('i'))))))))]",
        a: "[toObject(variables('keysA'), lambda('k', lambdaVariables('k')))]",
        b: "[toObject(map(variables('keysA'), lambda('k', toUpper(lambdaVariables('k')))), lambda('k', lambdaVariables('k')), lambda('k', 'other'))]",
      },
    });
    assert.equal(
      timed('union', () => ev("[length(union(variables('big'), variables('big'), variables('big')))]", ctx)),
      10_000,
    );
    assert.equal(
      timed('intersection', () => ev("[length(intersection(variables('a'), variables('b')))]", ctx)),
      0,
    );
    assert.equal(
      timed('union of objects', () => ev("[length(union(variables('a'), variables('b')))]", ctx)),
      100_000,
    );
  });

  it('split on many delimiters is charged before it runs', () => {
    const ctx = { ...testContext({ variables: { text: "[padLeft('', 16384, 'a')]" } }) };
    ctx.budget = new ExpansionBudget({ maxSteps: 10_000 }, 'template.json');
    assert.throws(
      () =>
        ev(
          "[split(variables('text'), map(range(0, 10000), lambda('i', concat('a', string(lambdaVariables('i'))))))]",
          ctx,
        ),
      (e: Error) => /the steps budget \(10000\) is exceeded/.test(e.message),
    );
  });
});
