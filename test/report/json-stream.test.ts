import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonChunks, lazyJsonArray } from '../../src/report/json-stream.ts';

/** Large enough (over 256 elements) to be written element by element, with every awkward value. */
const big = Array.from({ length: 300 }, (_, i) => ({
  i,
  text: 'quote " newline \n tab \t',
  missing: undefined,
  fn: () => 1,
  nested: [1, { empty: [] }, undefined],
  when: new Date(0),
}));

const documents: [string, unknown][] = [
  ['an object holding large arrays', { a: big, b: { c: [undefined, big, () => 1] }, e: {}, g: [], h: 'z' }],
  ['an array of large arrays', [big, big]],
  ['a large array', big],
  ['a small object', { a: 1 }],
  ['a first key that is left out', { skip: undefined, list: big }],
  [
    'lazy arrays',
    {
      a: lazyJsonArray([1, 2, 3], (x) => ({ x })),
      b: lazyJsonArray([], (x) => x),
      c: [lazyJsonArray(big, (x) => x.i)],
    },
  ],
];

describe('jsonChunks', () => {
  for (const [name, value] of documents)
    it(`writes ${name} as JSON.stringify does, at every indent`, () => {
      for (const indent of [0, 2, 4])
        assert.equal([...jsonChunks(value, indent)].join(''), JSON.stringify(value, null, indent));
    });

  it('writes a large array in many pieces', () => {
    assert.ok([...jsonChunks(big, 2)].length > big.length);
  });
});
