import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHistory } from '../../src/cli/history.ts';
import { sparkline } from '../../src/cli/text-table.ts';
import { buildTrend, renderTrend } from '../../src/cli/trend.ts';
import type { RunSummary } from '../../src/store/store.ts';

function run(n: number, score: number | null, met: number, root = '/repo', checkSet = 'c1'): RunSummary {
  return {
    run: n,
    assessmentId: `id${n}`,
    domain: 'azure',
    kind: 'scan',
    series: `azure scan ${root}`,
    checkSet,
    root,
    startedAt: `2025-01-0${n}T10:30:00.000Z`,
    finishedAt: `2025-01-0${n}T10:30:01.000Z`,
    ...(n === 2 ? { label: 'v2' } : {}),
    subjects: 10,
    findings: 40,
    byStatus: { pass: 30, fail: 8, unknown: 1, error: 1, waived: 0, 'not-applicable': 0 },
    failedBySeverity: { critical: 1, high: 2, medium: 3, low: 2, info: 0 },
    score,
    scoreBeforeWaivers: score,
    baselines: [
      {
        name: 'ism-protected',
        title: 'ISM PROTECTED',
        total: 100,
        automated: 50,
        assessed: 40,
        met,
        notMet: 40 - met,
        partiallyMet: 0,
        unknown: 0,
        waived: 0,
        notAssessed: 60,
      },
    ],
  };
}

// Newest first, as listRuns returns them.
const runs = [run(3, 80, 30), run(2, null, 20), run(1, 60, 10)];

describe('history and trend rendering', () => {
  it('history: one row per run, the root once, baselines and labels when present', () => {
    const text = renderHistory(runs);
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'root /repo');
    assert.match(lines[1], /^RUN\s+DATE \(UTC\).*BASELINES\s+LABEL$/);
    assert.match(
      lines[2],
      /^\s*3\s+2025-01-03 10:30\s+azure scan\s+10\s+40\s+8\s+2\s+80\.0%\s+80\.0%\s+ism-protected 30\/40 met, 10 not met$/,
    );
    assert.match(lines[3], /^\s*2\s.*\s-\s+-\s+ism-protected 20\/40 met, 20 not met\s+v2$/);
    const twoRoots = renderHistory([run(1, 50, 1, '/a'), run(2, 50, 1, '/b')]);
    assert.match(twoRoots, /ROOT\s+SERIES\n.*\/a\s+s1\n.*\/b\s+s2\n$/);
    assert.match(
      twoRoots,
      /^2 series: s1 azure scan \/a; s2 azure scan \/b\ndiff and trend compare runs within one series/,
    );
    assert.match(renderHistory([]), /no runs saved yet/);
  });

  it('trend: score oldest first, skipping undecided values in the sparkline', () => {
    const t = buildTrend(runs);
    assert.deepEqual(
      t.points.map((p) => [p.run, p.value]),
      [
        [1, 60],
        [2, null],
        [3, 80],
      ],
    );
    const text = renderTrend(t);
    assert.match(text, /^score {2}▁█ {2}60\.0% -> 80\.0% over 3 run\(s\)/);
    assert.match(text, /\n\s*3\s+2025-01-03 10:30\s+80\.0%\s+\+20\.0\s+█{16}░{4}/);
  });

  it('trend --baseline: controls met as a share of those assessed', () => {
    const t = buildTrend(runs, 'ism-protected');
    assert.deepEqual(
      t.points.map((p) => [p.run, p.value, p.met, p.assessed, p.total]),
      [
        [1, 25, 10, 40, 100],
        [2, 50, 20, 40, 100],
        [3, 75, 30, 40, 100],
      ],
    );
    assert.match(renderTrend(t), /^ism-protected controls met \(of assessed\) {2}▁▅█/);
    assert.throws(
      () => buildTrend(runs, 'e8-ml2'),
      /no saved run has baseline 'e8-ml2'; runs have: ism-protected/,
    );
  });

  it('sparkline scales between the smallest and largest value', () => {
    assert.equal(sparkline([0, 50, 100]), '▁▅█');
    assert.equal(sparkline([7, 7]), '▄▄');
    assert.equal(sparkline([]), '');
  });
});
