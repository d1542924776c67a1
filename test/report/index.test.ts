import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORMATS, isReportFormat, type ReportFormat, render } from '../../src/report/index.ts';
import { makeAssessment } from './fixture.ts';

test('every format renders a non-empty document ending in a newline', () => {
  for (const format of FORMATS) {
    const out = render(format, makeAssessment(), { color: false });
    assert.ok(out.length > 0, format);
    assert.ok(out.endsWith('\n'), format);
  }
});

test('format names', () => {
  assert.deepEqual(
    [...FORMATS],
    ['table', 'json', 'sarif', 'junit', 'markdown', 'csv', 'oscal-ar', 'oscal-poam', 'compact', 'github'],
  );
  assert.ok(isReportFormat('sarif'));
  assert.ok(!isReportFormat('html'));
  assert.throws(
    () => render('html' as ReportFormat, makeAssessment(), { color: false }),
    /unknown report format 'html'/,
  );
});

test('only the table uses colour', () => {
  for (const format of FORMATS) {
    if (format === 'table') continue;
    assert.equal(
      render(format, makeAssessment(), { color: true }),
      render(format, makeAssessment(), { color: false }),
      format,
    );
  }
});
