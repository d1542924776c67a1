import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonSyntaxError, parseJson } from '../../src/json/parse.ts';

/** Offset of the n-th (0-based) occurrence of `needle`. */
function at(text: string, needle: string, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${needle} #${n} not found`);
  }
  return i;
}

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a syntax error');
}

describe('parseJson', () => {
  it('gives the same values as JSON.parse', () => {
    const text = JSON.stringify({
      a: [1, -2.5e3, 'x', true, false, null, { b: [] }, []],
      'esc\\aped "key"': 'tab\there \u00e9 \ud83d\ude00 \\ / "',
      n: { deep: { deeper: [[[0]]] } },
      '0': 'index-like key',
      empty: {},
    });
    assert.deepEqual(JSON.parse(JSON.stringify(parseJson(text).value)), JSON.parse(text));
  });

  it('records the offset of every member and element', () => {
    const text = '{\n  "a": [10, {"b": 2}],\n  "c": {"d": "x", "e": []}\n}';
    const { value, offsets } = parseJson(text);
    const v = value as { a: unknown[]; c: Record<string, unknown> };
    assert.equal(offsets.member(value, 'a'), at(text, '"a"'));
    assert.equal(offsets.member(value, 'C'), at(text, '"c"'));
    assert.equal(offsets.member(v.a, 0), at(text, '10'));
    assert.equal(offsets.member(v.a, 1), at(text, '{"b"'));
    assert.equal(offsets.member(v.a, '1'), at(text, '{"b"'));
    assert.equal(offsets.member(v.a[1], 'b'), at(text, '"b"'));
    assert.equal(offsets.member(v.c, 'e'), at(text, '"e"'));
    assert.equal(offsets.member(v.c.e, 0), undefined);
    assert.equal(offsets.member(value, 'missing'), undefined);
    assert.deepEqual(offsets.locate(value, ['c', 'd']), { offset: at(text, '"d"'), matched: 2 });
    assert.deepEqual(offsets.locate(value, ['a', 1, 'b', 'x']), { offset: at(text, '"b"'), matched: 3 });
  });

  it('keeps offsets out of keys, for...in and JSON.stringify', () => {
    const { value } = parseJson('{"a": [1, 2], "b": {}}');
    assert.deepEqual(Object.keys(value as object), ['a', 'b']);
    assert.equal(JSON.stringify(value), '{"a":[1,2],"b":{}}');
    const keys: string[] = [];
    for (const k in (value as { a: unknown[] }).a) keys.push(k);
    assert.deepEqual(keys, ['0', '1']);
  });

  it('takes the last of duplicate keys, value and offset', () => {
    const text = '{"a": {"x": 1}, "A": 2, "a": [3]}';
    const { value, offsets } = parseJson(text);
    assert.equal(JSON.stringify(value), '{"a":[3],"A":2}');
    assert.equal(offsets.member(value, 'a'), at(text, '"a"', 1));
    assert.equal(offsets.member((value as { a: unknown }).a, 0), at(text, '3'));
  });

  it('finds keys whose enumeration order differs from source order', () => {
    // Array-index keys enumerate first, whatever their place in the file.
    const text = '{"name": 1, "10": 2, "2": 3, "last": {"k": 4}}';
    const { value, offsets } = parseJson(text);
    assert.deepEqual(Object.keys(value as object), ['2', '10', 'name', 'last']);
    assert.equal(offsets.member(value, 'name'), at(text, '"name"'));
    assert.equal(offsets.member(value, '10'), at(text, '"10"'));
    assert.equal(offsets.member(value, 2), at(text, '"2"'));
    assert.equal(offsets.member(value, 'LAST'), at(text, '"last"'));
    assert.deepEqual(offsets.locate(value, ['last', 'k']), { offset: at(text, '"k"'), matched: 2 });
  });

  it('matches keys case-insensitively, the last in the file winning', () => {
    const text = '{"Name": 1, "name": 2, "other": 3}';
    const { value, offsets } = parseJson(text);
    assert.equal(offsets.member(value, 'name'), at(text, '"name"'));
    assert.equal(offsets.member(value, 'NAME'), at(text, '"name"'));
    assert.equal(offsets.member(value, 'Name'), at(text, '"name"'));
    assert.equal(offsets.member(value, 'Other'), at(text, '"other"'));
  });

  it('knows nothing of values that were not parsed', () => {
    const { value, offsets } = parseJson('{"a": [1]}');
    assert.equal(offsets.member({ a: 1 }, 'a'), undefined);
    assert.equal(offsets.member([1], 0), undefined);
    assert.equal(offsets.member('a', 0), undefined);
    assert.equal(offsets.member((value as { a: unknown[] }).a, 1), undefined);
    assert.equal(offsets.member((value as { a: unknown[] }).a, -1), undefined);
  });

  it('keeps __proto__ as a plain own key', () => {
    const { value, offsets } = parseJson('{"__proto__": {"polluted": true}, "b": 1}');
    const v = value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__', 'b']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(offsets.member(v, '__proto__'), 1);
  });

  it('tolerates comments and trailing commas, reporting the first of each kind', () => {
    const text = '// head\n{\n  "a": [1, 2,],\n  /* block */ "b": {"c": 3,},\n}\n';
    const { value, issues, offsets } = parseJson(text);
    assert.deepEqual(JSON.parse(JSON.stringify(value)), { a: [1, 2], b: { c: 3 } });
    assert.deepEqual(issues, [
      { kind: 'comment', offset: 0 },
      { kind: 'trailing-comma', offset: at(text, ']') },
    ]);
    assert.equal(offsets.member(value, 'b'), at(text, '"b"'));
  });

  it('skips a byte-order mark', () => {
    const { value, offsets } = parseJson('\ufeff{"a": 1}');
    assert.deepEqual(JSON.parse(JSON.stringify(value)), { a: 1 });
    assert.equal(offsets.member(value, 'a'), 2);
  });

  it('maps offsets to lines and columns', () => {
    const text = '{\n  "a": 1,\n\t"b": 2\n}';
    const { value, lines, offsets } = parseJson(text);
    assert.deepEqual(lines.position(offsets.member(value, 'b') as number), { line: 3, column: 2 });
  });

  it('reports syntax errors with line and column', () => {
    const e = syntaxError('{\n  "a": 1\n  "b": 2\n}');
    assert.equal(e.line, 3);
    assert.equal(e.column, 3);
    assert.match(e.message, /expected "," or "}" at line 3, column 3/);
    assert.match(syntaxError('{"a": [1, 2}').message, /expected "," or "]"/);
    assert.match(syntaxError('{"a": "open').message, /unterminated string/);
    assert.match(syntaxError('{"a": 1} x').message, /unexpected content after the JSON value/);
    assert.match(syntaxError('').message, /unexpected end of input/);
  });

  it('refuses nesting deeper than 512 levels', () => {
    assert.match(syntaxError(`${'['.repeat(600)}${']'.repeat(600)}`).message, /nesting deeper than 512/);
    assert.doesNotThrow(() => parseJson(`${'['.repeat(500)}${']'.repeat(500)}`));
  });
});
