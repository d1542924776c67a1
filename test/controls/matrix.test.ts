import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMatrix, type ControlInfo, controlStatus, manualCount } from '../../src/core/compliance.ts';
import type { CheckMeta, Finding, Status } from '../../src/core/model.ts';

function check(id: string, controls: string[]): CheckMeta {
  return {
    id,
    title: id,
    severity: 'high',
    rationale: 'r',
    remediation: 'fix it',
    controls,
    subjectKind: 'azure-resource',
    subjectTypes: [],
  };
}

function finding(checkId: string, controls: string[], status: Status, subject = 's1'): Finding {
  return {
    checkId,
    title: checkId,
    severity: 'high',
    status,
    ...(status === 'waived' ? { originalStatus: 'fail' as Status } : {}),
    message: '',
    subject: { id: subject, name: subject, type: 'T', kind: 'azure-resource' },
    location: { file: 'a.json', line: 1, column: 1 },
    controls,
  };
}

/** One control `c-1` cited by one check, with findings of the given statuses. */
function statusOf(statuses: Status[], info: Partial<ControlInfo> = {}): string {
  const matrix = buildMatrix(
    {
      checks: [check('CHK-1', ['c-1'])],
      findings: statuses.map((s, i) => finding('CHK-1', ['c-1'], s, `s${i}`)),
    },
    { name: 'b', title: 'B', controls: [{ id: 'c-1', ...info }] },
  );
  return matrix.controls[0].status;
}

describe('control status rules', () => {
  it('met: every decided finding passes; not-applicable ones are ignored', () => {
    assert.equal(statusOf(['pass']), 'met');
    assert.equal(statusOf(['pass', 'pass']), 'met');
    assert.equal(statusOf(['pass', 'not-applicable']), 'met');
  });

  it('not-met: every decided finding fails (unknowns beside them do not soften it)', () => {
    assert.equal(statusOf(['fail']), 'not-met');
    assert.equal(statusOf(['fail', 'fail']), 'not-met');
    assert.equal(statusOf(['fail', 'unknown']), 'not-met');
    assert.equal(statusOf(['fail', 'waived']), 'not-met', 'a waiver on one subject does not cover another');
  });

  it('partially-met: some pass and some fail', () => {
    assert.equal(statusOf(['pass', 'fail']), 'partially-met');
    assert.equal(statusOf(['pass', 'fail', 'unknown', 'waived']), 'partially-met');
  });

  it('unknown: no failure and something undecided (unknown or a check error)', () => {
    assert.equal(statusOf(['unknown']), 'unknown');
    assert.equal(statusOf(['error']), 'unknown');
    assert.equal(statusOf(['pass', 'unknown']), 'unknown', 'never a silent pass');
    assert.equal(statusOf(['waived', 'unknown']), 'unknown');
  });

  it('waived: the failing findings are all waived', () => {
    assert.equal(statusOf(['waived']), 'waived');
    assert.equal(statusOf(['pass', 'waived']), 'waived');
  });

  it('not-assessed: no finding decides anything (no check cites it, or only not-applicable results)', () => {
    assert.equal(statusOf([]), 'not-assessed');
    assert.equal(statusOf(['not-applicable']), 'not-assessed');
  });

  it('manual: a principle or manual control with nothing decided; findings still decide when a check cites one', () => {
    assert.equal(statusOf([], { manual: true }), 'manual');
    assert.equal(statusOf(['fail'], { manual: true }), 'not-met');
    assert.equal(controlStatus([], true), 'manual');
  });
});

describe('buildMatrix', () => {
  const checks = [
    check('CHK-1', ['ism-0001', 'ism-0002']),
    check('CHK-2', ['ISM-0002']),
    check('CHK-3', ['ism-0099']),
  ];
  const findings = [
    finding('CHK-1', ['ism-0001', 'ism-0002'], 'pass', 'a'),
    finding('CHK-1', ['ism-0001', 'ism-0002'], 'fail', 'b'),
    finding('CHK-2', ['ISM-0002'], 'fail', 'a'),
    finding('CHK-3', ['ism-0099'], 'not-applicable', 'a'),
  ];
  const matrix = buildMatrix(
    { checks, findings },
    {
      name: 'tiny',
      title: 'Tiny',
      source: 'test',
      catalog: { title: 'Cat', version: '1' },
      controls: [
        { id: 'ism-0001', title: 'One', statement: 'S1', class: 'ISM-control' },
        { id: 'ism-0002' },
        { id: 'ism-0099' },
        { id: 'ism-0100' },
        { id: 'ism-principle-gov-01', class: 'ISM-principle', manual: true },
        { id: 'ISM-0001' },
      ],
    },
  );

  it('one row per control of the baseline (ids compare case-insensitively), in baseline order', () => {
    assert.deepEqual(
      matrix.controls.map((c) => [c.id, c.status]),
      [
        ['ism-0001', 'partially-met'],
        ['ism-0002', 'partially-met'],
        ['ism-0099', 'not-assessed'],
        ['ism-0100', 'not-assessed'],
        ['ism-principle-gov-01', 'manual'],
      ],
    );
  });

  it('lists the checks and findings that evidence each control, and the catalog text', () => {
    const c2 = matrix.controls[1];
    assert.deepEqual(c2.checks, ['CHK-1', 'CHK-2']);
    assert.deepEqual(c2.findings, [
      { checkId: 'CHK-1', subjectId: 'a', status: 'pass' },
      { checkId: 'CHK-1', subjectId: 'b', status: 'fail' },
      { checkId: 'CHK-2', subjectId: 'a', status: 'fail' },
    ]);
    assert.equal(matrix.controls[0].statement, 'S1');
    assert.equal(matrix.controls[0].title, 'One');
    assert.equal(matrix.controls[0].class, 'ISM-control');
    assert.equal(matrix.controls[1].statement, undefined, 'no catalog text, no statement field');
    assert.deepEqual(matrix.baseline, { name: 'tiny', title: 'Tiny', source: 'test' });
    assert.deepEqual(matrix.catalog, { title: 'Cat', version: '1' });
  });

  it('coverage: automated = cited by a check; assessed = a finding other than not-applicable', () => {
    assert.deepEqual(matrix.coverage, {
      total: 5,
      automated: 3,
      assessed: 2,
      met: 0,
      notMet: 0,
      partiallyMet: 2,
      unknown: 0,
      waived: 0,
      notAssessed: 2,
    });
    assert.equal(manualCount(matrix), 1);
  });
});
