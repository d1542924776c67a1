import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assessment, Finding, Severity, Status } from '../../src/core/model.ts';
import { diffAssessments, newFailuresAtOrAbove } from '../../src/store/diff.ts';
import { resolveRunRef } from '../../src/store/runs.ts';
import type { RunSummary } from '../../src/store/store.ts';

function finding(
  checkId: string,
  subject: string,
  status: Status,
  extra: { line?: number; message?: string; severity?: Severity; file?: string } = {},
): Finding {
  return {
    checkId,
    title: `${checkId} title`,
    severity: extra.severity ?? 'high',
    status,
    message: extra.message ?? `${checkId} on ${subject} is ${status}`,
    subject: { id: `/r/${subject}`, name: subject, type: 'T', kind: 'azure-resource' },
    location: { file: extra.file ?? 'main.json', line: extra.line ?? 1, column: 1 },
    controls: [],
  };
}

function assessment(
  findings: Finding[],
  subjects = [...new Set(findings.map((f) => f.subject.name))],
): Assessment {
  return {
    schemaVersion: 1,
    tool: { name: 'assay', version: 'test' },
    id: 'x',
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:00:00Z',
    domain: 'azure',
    root: '/',
    inputs: [],
    checks: [],
    subjects: subjects.map((s) => ({
      id: `/r/${s}`,
      name: s,
      type: 'T',
      kind: 'azure-resource',
      location: { file: 'main.json', line: 1, column: 1 },
    })),
    findings,
    errors: [],
    notes: [],
    summary: {
      subjects: subjects.length,
      findings: findings.length,
      byStatus: { pass: 0, fail: 0, unknown: 0, error: 0, waived: 0, 'not-applicable': 0 },
      failedBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      score: null,
      scoreBeforeWaivers: null,
    },
  };
}

const keys = (items: { before?: Finding; after?: Finding }[]) =>
  items.map((d) => `${(d.after ?? d.before)!.checkId}@${(d.after ?? d.before)!.subject.name}`);

describe('diffAssessments', () => {
  it('sorts findings into new failures, fixed (saying how), still failing and newly unknown', () => {
    const before = assessment(
      [
        finding('A', 'kept', 'fail'),
        finding('B', 'kept', 'fail'),
        finding('C', 'kept', 'fail'),
        finding('D', 'kept', 'fail'),
        finding('E', 'gone', 'fail'),
        finding('F', 'kept', 'fail'),
        finding('G', 'kept', 'pass'),
        finding('H', 'kept', 'pass'),
        finding('I', 'kept', 'fail'),
        finding('J', 'kept', 'waived'),
      ],
      ['kept', 'gone'],
    );
    const after = assessment(
      [
        finding('A', 'kept', 'fail', { line: 40, message: 'moved and reworded' }),
        finding('B', 'kept', 'pass'),
        finding('C', 'kept', 'waived'),
        finding('D', 'kept', 'not-applicable'),
        // E: its subject is gone; F: the subject stays but the check said nothing.
        finding('G', 'kept', 'fail'),
        finding('H', 'kept', 'unknown'),
        finding('I', 'kept', 'unknown'),
        finding('J', 'kept', 'fail'),
        finding('K', 'new', 'fail'),
        finding('L', 'new', 'error'),
      ],
      ['kept', 'new'],
    );
    const d = diffAssessments(before, after);
    assert.deepEqual(keys(d.stillFailing), ['A@kept'], 'matched across a line move and a new message');
    assert.deepEqual(keys(d.newFailures).sort(), ['G@kept', 'J@kept', 'K@new']);
    assert.deepEqual(d.fixed.map((f) => `${f.before.checkId}:${f.how}`).sort(), [
      'B:passes',
      'C:waived',
      'D:not-applicable',
      'E:subject-removed',
      'F:not-reported',
    ]);
    assert.deepEqual(keys(d.newlyUnknown).sort(), ['H@kept', 'I@kept', 'L@new']);
    const k = d.newFailures.find((x) => x.after?.checkId === 'K');
    assert.equal(k?.before, undefined);
    assert.equal(d.newFailures.find((x) => x.after?.checkId === 'J')?.before?.status, 'waived');
  });

  it('keys on check, subject and file: a finding in another file is new, not the same one', () => {
    const d = diffAssessments(
      assessment([finding('A', 'x', 'fail', { file: 'a.json' })]),
      assessment([finding('A', 'x', 'fail', { file: 'b.json' })]),
    );
    assert.equal(d.stillFailing.length, 0);
    assert.equal(d.newFailures.length, 1);
    assert.equal(d.fixed.length, 1);
    assert.equal(d.fixed[0].how, 'not-reported');
  });

  it('pairs several findings under one key by message first, then in order', () => {
    const rule = (name: string, status: Status) =>
      finding('NSG', 'nsg', status, { message: `rule ${name} ${status === 'fail' ? 'opens' : 'is closed'}` });
    const d = diffAssessments(
      assessment([rule('a', 'fail'), rule('b', 'fail'), rule('c', 'pass')]),
      // Rule b fixed; rule a unchanged; a new failing rule d.
      assessment([rule('c', 'pass'), rule('a', 'fail'), rule('d', 'fail'), rule('b', 'pass')]),
    );
    assert.deepEqual(
      d.stillFailing.map((x) => x.after?.message),
      ['rule a opens'],
    );
    assert.deepEqual(
      d.fixed.map((x) => [x.before.message, x.after?.message]),
      [['rule b opens', 'rule b is closed']],
      'b pairs with its reworded self, by the longest common start',
    );
    assert.deepEqual(
      d.newFailures.map((x) => [x.before, x.after?.message]),
      [[undefined, 'rule d opens']],
    );
  });

  it('counts new failures at or above a severity', () => {
    const d = diffAssessments(
      assessment([]),
      assessment([
        finding('A', 'x', 'fail', { severity: 'critical' }),
        finding('B', 'x', 'fail', { severity: 'medium' }),
        finding('C', 'x', 'fail', { severity: 'info' }),
      ]),
    );
    assert.equal(newFailuresAtOrAbove(d, 'high').length, 1);
    assert.equal(newFailuresAtOrAbove(d, 'low').length, 2);
    assert.equal(newFailuresAtOrAbove(d, 'info').length, 3);
    assert.deepEqual(keys(d.newFailures), ['A@x', 'B@x', 'C@x'], 'most severe first');
  });
});

describe('resolveRunRef', () => {
  const runs = [5, 4, 2].map((run) => ({ run }) as RunSummary);
  const ref = (r: string) => {
    const out = resolveRunRef(runs, r);
    return 'run' in out ? out.run.run : out.error;
  };
  it('accepts numbers, latest, previous, latest~N and -N', () => {
    assert.equal(ref('4'), 4);
    assert.equal(ref('latest'), 5);
    assert.equal(ref('previous'), 4);
    assert.equal(ref('latest~2'), 2);
    assert.equal(ref('-1'), 5);
    assert.equal(ref('-3'), 2);
  });
  it('explains what it cannot resolve', () => {
    assert.match(String(ref('3')), /no run 3/);
    assert.match(String(ref('-4')), /only 3 run\(s\)/);
    assert.match(String(ref('yesterday')), /not a run reference/);
    assert.match(String(ref('-0')), /not a run reference/);
    const none = resolveRunRef([], 'latest');
    assert.ok('error' in none && /no runs saved yet/.test(none.error));
  });
});
