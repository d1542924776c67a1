import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { checkCases, checkError, ev, testContext } from './context.ts';

const ctx = () =>
  testContext({
    parameters: {
      arr: ['one', 'two', 'three'],
      obj: { one: 'a', two: 'b', three: 'c' },
      nested: [['one', 'two'], ['three']],
      secret: new Unknown('secret has no value'),
    },
    variables: {
      firstObject: { property: { one: 'a', two: 'b', three: 'c1' }, nestedArray: [1, 2] },
      secondObject: { property: { three: 'c2', four: 'd', five: 'e' }, nestedArray: [3, 4] },
      entities: {
        item002: { enabled: false, displayName: 'Example item 2', number: 200 },
        item001: { enabled: true, displayName: 'Example item 1', number: 300 },
      },
    },
  });

describe('array functions', () => {
  it('array', () => {
    checkCases([
      ['[array(1)]', [1]],
      ["[array('efgh')]", ['efgh']],
      ["[array(createObject('a', 'b', 'c', 'd'))]", [{ a: 'b', c: 'd' }]],
      ['[array(createArray(1, 2))]', [1, 2]],
    ]);
  });

  it('concat arrays', () => {
    checkCases(
      [
        ["[concat(createArray('1-1', '1-2'), createArray('2-1'))]", ['1-1', '1-2', '2-1']],
        ['[concat(createArray(), createArray(1))]', [1]],
        ["[concat(parameters('arr'), createArray('four'), createArray())]", ['one', 'two', 'three', 'four']],
      ],
      ctx(),
    );
    checkError("[concat(createArray(1), 'x')]", 'function-arguments', "'concat'");
  });

  it('contains on arrays and objects', () => {
    checkCases(
      [
        ["[contains(parameters('arr'), 'three')]", true],
        ["[contains(parameters('arr'), 'four')]", false],
        ["[contains(parameters('arr'), 'THREE')]", false],
        ["[contains(parameters('obj'), 'one')]", true],
        ["[contains(parameters('obj'), 'ONE')]", true],
        ["[contains(parameters('obj'), 'a')]", false],
        ['[contains(createArray(createArray(1)), createArray(1))]', true],
      ],
      ctx(),
    );
  });

  it('createArray', () => {
    checkCases([
      ["[createArray('a', 'b', 'c')]", ['a', 'b', 'c']],
      ['[createArray(1, 2, 3)]', [1, 2, 3]],
      ["[createArray(createObject('one', 'a'), createArray(1))]", [{ one: 'a' }, [1]]],
      ['[createArray()]', []],
    ]);
  });

  it('empty on arrays, objects and null', () => {
    checkCases([
      ['[empty(createArray())]', true],
      ['[empty(createArray(1))]', false],
      ['[empty(createObject())]', true],
      ["[empty(createObject('a', 1))]", false],
      ['[empty(null())]', true],
    ]);
    checkError('[empty(1)]', 'function-arguments', "'empty'");
  });

  it('first and last on arrays', () => {
    checkCases(
      [
        ["[first(parameters('arr'))]", 'one'],
        ['[first(createArray())]', null],
        ['[first(createArray(createArray(1)))]', [1]],
        ["[last(parameters('arr'))]", 'three'],
        ['[last(createArray())]', null],
        ['[last(createArray(1, 2))]', 2],
      ],
      ctx(),
    );
  });

  it('flatten', () => {
    checkCases(
      [
        ["[flatten(parameters('nested'))]", ['one', 'two', 'three']],
        ['[flatten(createArray())]', []],
        ['[flatten(createArray(createArray(1), createArray(), createArray(createArray(2))))]', [1, [2]]],
      ],
      ctx(),
    );
    checkError('[flatten(createArray(1))]', 'function-arguments', "'flatten'");
  });

  it('indexOf and lastIndexOf on arrays', () => {
    checkCases([
      ["[indexOf(createArray('a', 'b', 'a'), 'a')]", 0],
      ["[lastIndexOf(createArray('a', 'b', 'a'), 'a')]", 2],
      ['[indexOf(createArray(1, 2, 3), 4)]', -1],
      ['[lastIndexOf(createArray(1, 2, 3), 4)]', -1],
      ["[indexOf(createArray(createArray('x')), createArray('x'))]", 0],
      ["[indexOf(createArray('A'), 'a')]", -1],
    ]);
  });

  it('intersection of arrays and objects', () => {
    checkCases([
      ["[intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))]", ['two', 'three']],
      [
        "[intersection(createObject('one', 'a', 'two', 'b', 'three', 'c'), createObject('one', 'a', 'two', 'z', 'three', 'c'))]",
        { one: 'a', three: 'c' },
      ],
      ['[intersection(createArray(1, 1, 2), createArray(1, 2), createArray(2, 1))]', [1, 2]],
      ['[intersection(createArray(1), createArray(2))]', []],
    ]);
    checkError(
      "[intersection(createArray(1), createObject('a', 1))]",
      'function-arguments',
      "'intersection'",
    );
  });

  it('length on arrays and objects', () => {
    checkCases(
      [
        ["[length(parameters('arr'))]", 3],
        ["[length(parameters('obj'))]", 3],
        ['[length(createArray())]', 0],
        ["[length(createArray(parameters('secret'), 1))]", 2],
      ],
      ctx(),
    );
    checkError('[length(1)]', 'function-arguments', "'length'");
  });

  it('range', () => {
    checkCases([
      ['[range(1, 3)]', [1, 2, 3]],
      ['[range(5, 0)]', []],
      ['[range(-2, 3)]', [-2, -1, 0]],
    ]);
    checkError('[range(0, 10001)]', 'function-evaluation', "'range'");
    checkError('[range(0, -1)]', 'function-evaluation', "'range'");
  });

  it('skip and take on arrays', () => {
    checkCases(
      [
        ["[skip(parameters('arr'), 2)]", ['three']],
        ['[skip(createArray(1, 2), 5)]', []],
        ['[skip(createArray(1, 2), 0)]', [1, 2]],
        ["[take(parameters('arr'), 2)]", ['one', 'two']],
        ['[take(createArray(1, 2), 5)]', [1, 2]],
        ['[take(createArray(1, 2), 0)]', []],
      ],
      ctx(),
    );
  });

  it('union of arrays', () => {
    checkCases(
      [
        [
          "[union(createArray('one', 'two', 'three'), createArray('three', 'four'))]",
          ['one', 'two', 'three', 'four'],
        ],
        [
          "[union(parameters('nested'), createArray(createArray('three'), createArray('four', 'two')))]",
          [['one', 'two'], ['three'], ['four', 'two']],
        ],
        ['[union(createArray(1, 1), createArray())]', [1]],
      ],
      ctx(),
    );
  });

  it('indexFromEnd and tryIndexFromEnd', () => {
    checkCases([
      ['[indexFromEnd(createArray(1, 2, 3), 1)]', 3],
      ['[indexFromEnd(createArray(1, 2, 3), 3)]', 1],
      ['[tryIndexFromEnd(createArray(1, 2, 3), 2)]', 2],
      ['[tryIndexFromEnd(createArray(1, 2, 3), 4)]', null],
      ['[tryIndexFromEnd(createArray(), 1)]', null],
    ]);
    checkError('[indexFromEnd(createArray(1), 2)]', 'function-evaluation', "'indexFromEnd'");
  });
});

describe('object functions', () => {
  it('createObject', () => {
    checkCases([
      [
        "[createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(), 'arrayProp', createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))]",
        {
          intProp: 1,
          stringProp: 'abc',
          boolProp: true,
          arrayProp: ['a', 'b', 'c'],
          objectProp: { key1: 'value1' },
        },
      ],
      ['[createObject()]', {}],
      ["[createObject('a', null())]", { a: null }],
    ]);
    checkError("[createObject('a')]", 'function-arguments', 'key/value pairs');
    checkError("[createObject(1, 'a')]", 'function-arguments', "'createObject'");
  });

  it('createObject keeps __proto__ as data', () => {
    const v = ev("[createObject('__proto__', 1)]");
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v as object), ['__proto__']);
  });

  it('items sorts by key', () => {
    checkCases(
      [
        [
          "[items(variables('entities'))]",
          [
            { key: 'item001', value: { enabled: true, displayName: 'Example item 1', number: 300 } },
            { key: 'item002', value: { enabled: false, displayName: 'Example item 2', number: 200 } },
          ],
        ],
        ['[items(createObject())]', []],
        ["[items(createObject('b', 1, 'a', 2))[0].key]", 'a'],
      ],
      ctx(),
    );
    checkError('[items(createArray())]', 'function-arguments', "'items'");
  });

  it('json', () => {
    checkCases([
      ['[json(\'{"a": "b"}\')]', { a: 'b' }],
      ["[json('null')]", null],
      ["[json('[1, 2, 3]')]", [1, 2, 3]],
      ["[json('true')]", true],
      ["[json(concat('{\"a\": \"', 'demo value', '\"}'))]", { a: 'demo value' }],
    ]);
    checkError("[json('{')]", 'function-evaluation', "'json'");
  });

  it('null', () => {
    checkCases([
      ['[null()]', null],
      ['[empty(null())]', true],
      ['[coalesce(null(), 1)]', 1],
    ]);
  });

  it('objectKeys', () => {
    checkCases([
      ["[objectKeys(createObject('a', 1, 'b', 2))]", ['a', 'b']],
      ['[objectKeys(createObject())]', []],
      ["[length(objectKeys(createObject('x', createObject('y', 1))))]", 1],
    ]);
    checkError("[objectKeys('a')]", 'function-arguments', "'objectKeys'");
  });

  it('shallowMerge', () => {
    checkCases([
      [
        "[shallowMerge(createArray(createObject('one', 'a'), createObject('two', 'b'), createObject('two', 'c')))]",
        { one: 'a', two: 'c' },
      ],
      [
        "[shallowMerge(createArray(createObject('one', 'a', 'nested', createObject('a', 1, 'nested', createObject('c', 3))), createObject('two', 'b', 'nested', createObject('b', 2))))]",
        { one: 'a', nested: { b: 2 }, two: 'b' },
      ],
      ['[shallowMerge(createArray())]', {}],
    ]);
  });

  it('tryGet', () => {
    checkCases([
      ["[tryGet(createObject('a', 1), 'a')]", 1],
      ["[tryGet(createObject('a', 1), 'b')]", null],
      ["[tryGet(createObject('a', createObject('b', 2)), 'a', 'b')]", 2],
      ["[tryGet(createObject('a', createObject('b', 2)), 'x', 'b')]", null],
      ['[tryGet(createArray(1, 2), 1)]', 2],
      ['[tryGet(createArray(1, 2), 5)]', null],
    ]);
  });

  it('union of objects merges nested objects and replaces arrays', () => {
    checkCases(
      [
        [
          "[union(parameters('obj'), createObject('three', 'c2', 'four', 'd', 'five', 'e'))]",
          { one: 'a', two: 'b', three: 'c2', four: 'd', five: 'e' },
        ],
        [
          "[union(variables('firstObject'), variables('secondObject'))]",
          { property: { one: 'a', two: 'b', three: 'c2', four: 'd', five: 'e' }, nestedArray: [3, 4] },
        ],
        ["[union(createObject('a', 1), createObject('A', 2))]", { a: 2 }],
      ],
      ctx(),
    );
    checkError("[union(createObject(), 'a')]", 'function-arguments', "'union'");
  });
});
