/**
 * A million findings through the table, JSON and SARIF formatters. The findings share their
 * sub-objects so the input is cheap; the output goes to a counting sink, never one string.
 * Before the formatters wrote pieces, the table threw a RangeError (an array spread into
 * Math.max) and JSON and SARIF ran past V8's longest string.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assessment, Finding } from '../../src/core/model.ts';
import { renderPieces } from '../../src/report/index.ts';
import { checks, makeAssessment } from './fixture.ts';

const COUNT = 1_000_000;

function manyFindings(count: number): Finding[] {
  const check = checks[0];
  const location = { file: 'templates/huge.json', line: 12, column: 7 };
  const controls = check.controls;
  const out: Finding[] = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = {
      checkId: check.id,
      title: check.title,
      severity: check.severity,
      status: 'fail',
      subject: { id: `/sa/s${i}`, type: 'Microsoft.Storage/storageAccounts', name: `s${i}` },
      message: 'supportsHttpsTrafficOnly is false',
      location,
      controls,
    } as Finding;
  }
  return out;
}

/** Reads every piece, keeping only its length, the text's two ends and how often `marker` occurs. */
function countingSink(
  pieces: Iterable<string>,
  marker: string,
): { chars: number; head: string; tail: string; markers: number } {
  let chars = 0;
  let head = '';
  let tail = '';
  let markers = 0;
  for (const piece of pieces) {
    chars += piece.length;
    if (head.length < 400) head += piece.slice(0, 400 - head.length);
    tail = (tail + piece).slice(-400);
    for (let at = piece.indexOf(marker); at >= 0; at = piece.indexOf(marker, at + marker.length)) markers++;
  }
  return { chars, head, tail, markers };
}

describe('a million findings', () => {
  const findings = manyFindings(COUNT);
  const assessment: Assessment = makeAssessment({
    findings,
    errors: [],
    notes: [],
    summary: { ...makeAssessment().summary, findings: COUNT, subjects: COUNT },
  });

  it('table: every failed finding is listed', () => {
    // Rows give line:col under their file's heading.
    const out = countingSink(renderPieces('table', assessment, { color: false }), '  12:7  ');
    assert.equal(out.markers, COUNT);
    assert.match(out.head, /^assay 0\.1\.0: azure assessment/);
    assert.match(out.tail, /Score: .*\n$/);
  });

  it('JSON: every finding is written and the document is complete', () => {
    const out = countingSink(renderPieces('json', assessment, { color: false }), '"checkId": ');
    // Each finding once, plus each check's id in the checks list.
    assert.equal(out.markers, COUNT);
    assert.match(out.head, /^\{\n {2}"schemaVersion": 1,/);
    assert.match(out.tail, /\n\}\n$/);
    assert.ok(out.chars > 512 * 1024 * 1024 * 0.5, `wrote ${out.chars} characters`);
  });

  it('SARIF: every finding is a result and the log is complete', () => {
    const out = countingSink(renderPieces('sarif', assessment, { color: false }), '"ruleId": ');
    assert.equal(out.markers, COUNT);
    assert.match(out.head, /^\{\n {2}"\$schema": /);
    assert.match(out.tail, /\]\n\}\n$/);
  });
});
