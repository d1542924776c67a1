import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDiffMarkdown } from '../../src/cli/diff.ts';
import type { Finding } from '../../src/core/model.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { diffAssessments } from '../../src/store/diff.ts';
import type { RunSummary } from '../../src/store/store.ts';
import { makeAssessment } from '../report/fixture.ts';

const HOSTILE = 'web|app `tick` <script>alert(1)</script>\nnext line';

const finding: Finding = {
  checkId: 'AZ-X|`1`',
  title: 'hostile',
  severity: 'high',
  status: 'fail',
  message: `message ${HOSTILE}`,
  subject: { id: '/r/hostile', name: HOSTILE, type: 'T', kind: 'azure-resource' },
  location: { file: 'dir|`a`/<b>.json', line: 3, column: 1 },
  controls: [],
};

const run = (n: number, label?: string) =>
  ({ run: n, startedAt: '2025-01-01T00:00:00Z', ...(label ? { label } : {}) }) as RunSummary;

/** The cells of a Markdown table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The one table row that holds the hostile finding. */
function hostileRow(md: string): string[] {
  const rows = md.split('\n').filter((l) => l.startsWith('|') && l.includes('script'));
  assert.equal(rows.length, 1, md);
  return cells(rows[0]);
}

describe('assay diff --format markdown escapes as the Markdown report does', () => {
  const before = makeAssessment({ findings: [] });
  const after = makeAssessment({ findings: [finding] });
  const diffMd = renderDiffMarkdown(run(1, 'a <b>|`c`'), run(2), diffAssessments(before, after));
  const reportMd = renderMarkdown(after, { color: false });

  it('keeps a hostile value inert, in one row of five cells', () => {
    assert.doesNotMatch(diffMd, /<script>|<b>/);
    assert.doesNotMatch(diffMd, /next line\n/);
    assert.match(diffMd, /^## assay diff: run 1 \(2025-01-01 00:00, a &lt;b&gt;\\\|\\`c\\`\) → run 2/m);
    const row = hostileRow(diffMd);
    assert.equal(row.length, 5);
    assert.equal(row[0], 'high');
  });

  it('gives check, subject, location and message the cells the report gives them', () => {
    const [, check, subject, location, detail] = hostileRow(diffMd);
    const [, reportCheck, reportSubject, reportLocation, reportMessage] = hostileRow(reportMd);
    assert.equal(check, reportCheck);
    assert.equal(subject, reportSubject);
    assert.equal(location, reportLocation);
    assert.equal(detail, `${reportMessage} (new)`);
    assert.equal(subject, 'web\\|app \\`tick\\` &lt;script&gt;alert(1)&lt;/script&gt;<br>next line');
  });
});
