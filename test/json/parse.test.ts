import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonSyntaxError, locatePath, memberOffset, parseJson } from '../../src/json/parse.ts';

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
    const { value } = parseJson(text);
    const v = value as { a: unknown[]; c: Record<string, unknown> };
    assert.equal(memberOffset(value, 'a'), at(text, '"a"'));
    assert.equal(memberOffset(value, 'C'), at(text, '"c"'));
    assert.equal(memberOffset(v.a, 0), at(text, '10'));
    assert.equal(memberOffset(v.a, 1), at(text, '{"b"'));
    assert.equal(memberOffset(v.a, '1'), at(text, '{"b"'));
    assert.equal(memberOffset(v.a[1], 'b'), at(text, '"b"'));
    assert.equal(memberOffset(v.c, 'e'), at(text, '"e"'));
    assert.equal(memberOffset(v.c.e, 0), undefined);
    assert.equal(memberOffset(value, 'missing'), undefined);
    assert.deepEqual(locatePath(value, ['c', 'd']), { offset: at(text, '"d"'), matched: 2 });
    assert.deepEqual(locatePath(value, ['a', 1, 'b', 'x']), { offset: at(text, '"b"'), matched: 3 });
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
    const { value } = parseJson(text);
    assert.equal(JSON.stringify(value), '{"a":[3],"A":2}');
    assert.equal(memberOffset(value, 'a'), at(text, '"a"', 1));
    assert.equal(memberOffset((value as { a: unknown }).a, 0), at(text, '3'));
  });

  it('keeps __proto__ as a plain own key', () => {
    const { value } = parseJson('{"__proto__": {"polluted": true}, "b": 1}');
    const v = value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__', 'b']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(memberOffset(v, '__proto__'), 1);
  });

  it('tolerates comments and trailing commas, reporting the first of each kind', () => {
    const text = '// head\n{\n  "a": [1, 2,],\n  /* block */ "b": {"c": 3,},\n}\n';
    const { value, issues } = parseJson(text);
    assert.deepEqual(JSON.parse(JSON.stringify(value)), { a: [1, 2], b: { c: 3 } });
    assert.deepEqual(issues, [
      { kind: 'comment', offset: 0 },
      { kind: 'trailing-comma', offset: at(text, ']') },
    ]);
    assert.equal(memberOffset(value, 'b'), at(text, '"b"'));
  });

  it('skips a byte-order mark', () => {
    const { value } = parseJson('\ufeff{"a": 1}');
    assert.deepEqual(JSON.parse(JSON.stringify(value)), { a: 1 });
    assert.equal(memberOffset(value, 'a'), 2);
  });

  it('maps offsets to lines and columns', () => {
    const text = '{\n  "a": 1,\n\t"b": 2\n}';
    const { value, lines } = parseJson(text);
    assert.deepEqual(lines.position(memberOffset(value, 'b') as number), { line: 3, column: 2 });
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
