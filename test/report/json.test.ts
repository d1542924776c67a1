import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Assessment } from '../../src/core/model.ts';
import { render } from '../../src/report/index.ts';
import { makeAssessment } from './fixture.ts';

test('round-trips: parsing the report gives the assessment back', () => {
  const a = makeAssessment();
  const parsed = JSON.parse(render('json', a, { color: false })) as Assessment;
  assert.deepEqual(parsed, a);
});

test('top-level keys in model order; pretty-printed with a final newline', () => {
  const out = render('json', makeAssessment(), { color: false });
  assert.ok(out.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "assay",'));
  assert.ok(out.endsWith('}\n'));
  assert.deepEqual(Object.keys(JSON.parse(out)), [
    'schemaVersion',
    'tool',
    'id',
    'startedAt',
    'finishedAt',
    'domain',
    'root',
    'inputs',
    'checks',
    'subjects',
    'findings',
    'errors',
    'notes',
    'summary',
  ]);
});

/** The same data with every object's keys inserted in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

test('stable key order whatever order objects were built in', () => {
  const a = makeAssessment();
  const b = reverseKeys(a);
  assert.notDeepEqual(Object.keys(b), Object.keys(a));
  assert.equal(render('json', b, { color: false }), render('json', a, { color: false }));
  const finding = JSON.parse(render('json', b, { color: false })).findings[0];
  assert.deepEqual(Object.keys(finding), [
    'checkId',
    'title',
    'severity',
    'status',
    'message',
    'subject',
    'location',
    'controls',
  ]);
  assert.deepEqual(Object.keys(finding.location), ['file', 'line', 'column']);
});

test('evidence keys are sorted and unknown keys kept', () => {
  const a = makeAssessment();
  a.findings = [{ ...a.findings[0], evidence: { z: 1, a: { y: 2, b: [{ d: 1, c: 2 }] } } }];
  (a as unknown as Record<string, unknown>).extra = { later: true };
  const out = render('json', a, { color: false });
  const parsed = JSON.parse(out);
  assert.deepEqual(Object.keys(parsed.findings[0].evidence), ['a', 'z']);
  assert.deepEqual(Object.keys(parsed.findings[0].evidence.a.b[0]), ['c', 'd']);
  assert.deepEqual(parsed.extra, { later: true });
  assert.equal(Object.keys(parsed).at(-1), 'extra');
});
