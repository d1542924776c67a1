import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMatrix } from '../../src/core/compliance.ts';
import type { Assessment } from '../../src/core/model.ts';
import { renderCsv } from '../../src/report/csv.ts';
import { renderJson } from '../../src/report/json.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderTable } from '../../src/report/table.ts';
import { makeAssessment } from './fixture.ts';

const HOSTILE = '<script>x</script> | =cmd() **bold**\nnext line';

function withMatrix(): Assessment {
  const a = makeAssessment();
  a.compliance = [
    buildMatrix(a, {
      name: 'tiny',
      title: 'Tiny baseline',
      catalog: { title: 'Test catalog', version: '1' },
      controls: [
        { id: 'ism-1139', title: 'TLS', statement: 'Only the latest TLS is used.' },
        { id: 'ism-1416', title: 'Firewalls', statement: HOSTILE },
        { id: 'ism-0001', title: 'Uncovered' },
        { id: 'ism-principle-gov-01', title: 'Accountability', class: 'ISM-principle', manual: true },
      ],
    }),
  ];
  return a;
}

describe('compliance matrix in reports', () => {
  it('markdown: one row per control, the coverage line, and escaped catalog text', () => {
    const md = renderMarkdown(withMatrix(), { color: false });
    assert.match(md, /## Compliance: Tiny baseline \(tiny\)/);
    assert.match(
      md,
      /\*\*Coverage:\*\* 4 controls; 2 \(50%\) with an automated check; 2 assessed: 0 met, 1 not met, 1 partially met, 0 unknown, 0 waived; 1 not assessed; 1 manual/,
    );
    const rows = md.split('\n').filter((l) => /^\| ism-/.test(l));
    assert.equal(rows.length, 4);
    assert.match(
      rows[0],
      /^\| ism-1139 \| partially met \| TLS \| Only the latest TLS is used\. \| 4 \(1 fail, 1 unknown, 1 waived, 1 pass\) \|$/,
    );
    assert.ok(!md.includes('<script>'), 'HTML from a catalog is escaped');
    assert.match(rows[1], /&lt;script&gt;x&lt;\/script&gt; \\\| =cmd\(\) \\\*\\\*bold\\\*\\\* next line/);
    assert.match(md, /Score before waivers:\*\* 25%/);
  });

  it('markdown without a catalog says so', () => {
    const a = makeAssessment();
    a.compliance = [
      buildMatrix(a, { name: 'ism-protected', title: 'ISM PROTECTED', controls: [{ id: 'ism-1139' }] }),
    ];
    assert.match(renderMarkdown(a, { color: false }), /\*\*Catalog:\*\* none loaded/);
  });

  it('table: coverage and the controls not met, one line each', () => {
    const out = renderTable(withMatrix(), { color: false });
    assert.match(
      out,
      /Compliance: Tiny baseline \(tiny\)\n {2}Catalog: Test catalog 1\n {2}4 controls; 2 \(50%\)/,
    );
    assert.match(
      out,
      /Not met or partially met \(2\):\n {4}ism-1139 {2}partially met {2}1 fail, 1 unknown, 1 waived, 1 pass {2}Only the latest TLS is used\./,
    );
    assert.match(out, /ism-1416 {2}not met +1 fail, 1 error, 1 not-applicable/);
    assert.ok(!out.includes('\nnext line'), 'catalog text cannot break the line');
  });

  it('csv: the matrix when there is one, quoted, formulas defused', () => {
    const csv = renderCsv(withMatrix(), { color: false });
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'baseline,control,status,class,title,statement,checks,findings,finding_statuses');
    assert.equal(
      lines[1],
      'tiny,ism-1139,partially-met,,TLS,Only the latest TLS is used.,AZ-TEST-001,4,"1 fail, 1 unknown, 1 waived, 1 pass"',
    );
    assert.ok(csv.includes('"<script>x</script> | =cmd() **bold**\nnext line"'));
    assert.equal(lines.filter((l) => l.startsWith('tiny,')).length, 4);
    const hostile = makeAssessment();
    hostile.compliance = [
      buildMatrix(hostile, { name: 'b', title: 'B', controls: [{ id: 'c', statement: '=HYPERLINK("x")' }] }),
    ];
    assert.match(renderCsv(hostile, { color: false }), /,"'=HYPERLINK\(""x""\)",/);
  });

  it('csv: the findings when there is no baseline', () => {
    const csv = renderCsv(makeAssessment(), { color: false });
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'check,severity,status,original_status,subject,subject_id,subject_type,file,line,column,controls,message,waiver',
    );
    assert.equal(lines.length, 8);
    assert.ok(lines.some((l) => l.includes(',waived,fail,') && l.endsWith(',W-1')));
  });

  it('json: the matrix is assessment.compliance', () => {
    const parsed = JSON.parse(renderJson(withMatrix(), { color: false }));
    assert.equal(parsed.compliance[0].baseline.name, 'tiny');
    assert.equal(parsed.compliance[0].controls.length, 4);
    assert.equal(parsed.compliance[0].coverage.total, 4);
  });
});
