/** The robust z-score threshold of the KPI checks is an option (config `checks.options`). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withCheckOptions } from '../../src/cli/check-options.ts';
import type { CheckOutcome } from '../../src/core/model.ts';
import { kpiCheckId, kpiChecks, SERIES_KIND, type SeriesSubject } from '../../src/readiness/checks.ts';

const ID = kpiCheckId('backlog');

/** Median 11, MAD 1: the last week (15) has a robust z of about 2.7. */
function backlog(): SeriesSubject {
  const values = [10, 11, 12, 10, 11, 12, 10, 11, 15];
  return {
    kind: SERIES_KIND,
    id: 'cloud-a/backlog',
    name: 'cloud-a: weekly backlog',
    type: 'backlog',
    location: { file: 'cases.csv', line: 1, column: 1 },
    data: {
      cloud: 'cloud-a',
      kpi: 'backlog',
      weekly: values.map((value, i) => ({
        at: new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10),
        value,
      })),
    },
  };
}

function outcomes(options?: Record<string, unknown>): CheckOutcome[] {
  const checks = withCheckOptions(kpiChecks(), options ? { [ID]: options } : undefined);
  const check = checks.find((c) => c.meta.id === ID)!;
  const out = check.run(backlog(), undefined);
  return Array.isArray(out) ? out : [out];
}

describe('RDY-KPI-* option robustZThreshold', () => {
  it('passes a week with |z| 2.7 at the default 3.5', () => {
    const out = outcomes();
    assert.deepEqual(
      out.map((o) => o.status),
      ['pass'],
    );
    assert.match(out[0]!.message, /no anomaly by robust-z over 9 weeks/);
  });

  it('flags the same week when the project lowers the threshold to 2', () => {
    const out = outcomes({ robustZThreshold: 2 });
    assert.deepEqual(
      out.map((o) => [o.status, o.evidence?.at]),
      [['fail', '2025-03-03']],
    );
    assert.match(out[0]!.message, /robust z = 2\.7, \|z\| > 2\)/);
  });

  it('records the value in effect beside the default on the check', () => {
    const [configured] = withCheckOptions(
      kpiChecks().filter((c) => c.meta.id === ID),
      { [ID]: { robustZThreshold: 2 } },
    );
    assert.deepEqual(
      configured!.meta.options?.map((o) => [o.name, o.default, o.value]),
      [['robustZThreshold', 3.5, 2]],
    );
  });
});
