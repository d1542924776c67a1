/**
 * The findings explorer in Chromium, on a single-file report of a synthetic run (1,500
 * findings over 200 files): the default order, sorting by a column, the file box with
 * suggestions, group-by with counts, CSV and SARIF exports of the current filter (the
 * downloads captured and read back) and the view restored from its URL after a reload.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Browser, Page } from 'playwright-core';
import { syntheticAssessment } from '../../bench/store-corpus.ts';
import type { Assessment, Finding } from '../../src/core/model.ts';
import { renderHtmlReport } from '../../src/report/html.ts';
import { findingMatcher, groupFindings, sortFindingsBy } from '../../web/filter.ts';
import {
  findingsReady,
  hashHas,
  launch,
  OUT_DIR,
  type PageWatch,
  SKIP,
  screenshot,
  text,
  watch,
} from './browser.ts';

const SCHEMA = fileURLToPath(
  new URL('../../../shared/data/sarif-schema/sarif-schema-2.1.0.json', import.meta.url),
);
const FORMULA = '=HYPERLINK("http://example.invalid","click")';

/** What a row shows, to compare the order on screen with the expected one. */
const rowKey = (f: Finding) =>
  `${f.checkId}|${f.subject.name}|${f.location.file.split('/').pop()}:${f.location.line}`;

describe('findings explorer in Chromium', { skip: SKIP }, () => {
  let assessment: Assessment;
  let url: string;
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;

  before(async () => {
    assessment = syntheticAssessment({ findings: 1500 });
    const files = [...new Set(assessment.findings.map((f) => f.location.file))];
    assessment.inputs = files.map((file) => ({ file, kind: 'arm-template', sha256: '0'.repeat(64) }));
    // A message a spreadsheet would run as a formula: the CSV export must neutralise it.
    const failing = assessment.findings.find((f) => f.status === 'fail')!;
    failing.message = FORMULA;
    mkdirSync(OUT_DIR, { recursive: true });
    const file = join(OUT_DIR, 'explorer.html');
    writeFileSync(file, await renderHtmlReport({ assessment, sources: false }));
    url = pathToFileURL(file).href;
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    seen = watch(page);
  });
  after(async () => {
    await browser?.close();
  });

  const total = () => page.locator('p.count').getAttribute('data-total').then(Number);
  const rows = async () => {
    const checks = await page.locator('table.findings td.check code').allInnerTexts();
    const subjects = await page.locator('table.findings td.subject a').allInnerTexts();
    const locs = await page.locator('table.findings td.loc').allInnerTexts();
    return checks.map((c, i) => `${c}|${subjects[i]}|${locs[i].replace(/\s/g, '').split('/').pop()}`);
  };

  it('lists failures first, most severe first, by default', async () => {
    await page.goto(`${url}#/runs/1/findings`);
    await findingsReady(page);
    assert.equal(await total(), assessment.findings.length);
    const expected = sortFindingsBy(assessment.findings, 'risk').slice(0, 100).map(rowKey);
    assert.deepEqual(await rows(), expected);
    const statuses = await page.locator('table.findings tbody td:nth-child(2)').allInnerTexts();
    assert.equal(statuses[0].trim(), 'fail');
  });

  it('sorts by a column on a click, the reverse on the next, stably', async () => {
    await page.locator('th[data-sort="check"] button').click();
    await hashHas(page, 'sort=check');
    await findingsReady(page);
    assert.equal(await page.locator('th[data-sort="check"]').getAttribute('aria-sort'), 'ascending');
    assert.deepEqual(await rows(), sortFindingsBy(assessment.findings, 'check').slice(0, 100).map(rowKey));

    await page.locator('th[data-sort="check"] button').click();
    await hashHas(page, 'sort=-check');
    await findingsReady(page);
    assert.equal(await page.locator('th[data-sort="check"]').getAttribute('aria-sort'), 'descending');
    const desc = sortFindingsBy(assessment.findings, '-check');
    assert.deepEqual(await rows(), desc.slice(0, 100).map(rowKey));
    // Within one check, failures still come first (the tie keeps the risk order).
    const firstCheck = desc[0].checkId;
    const same = desc.filter((f) => f.checkId === firstCheck).map((f) => f.status);
    assert.equal(same[0], 'fail');
    // The next page continues the same order.
    await page.getByRole('button', { name: 'Next ›' }).first().click();
    await hashHas(page, 'offset=100');
    await findingsReady(page);
    assert.deepEqual(await rows(), desc.slice(100, 200).map(rowKey));
  });

  it('searches files as you type and filters to a suggested one', async () => {
    await page.goto(`${url}#/runs/1/findings`);
    await findingsReady(page);
    await page.locator('input[name="file"]').fill('app-01');
    const suggestions = page.locator('#file-suggestions li');
    await suggestions.first().waitFor();
    const offered = await suggestions.allInnerTexts();
    assert.ok(offered.length > 1 && offered.length <= 12, `${offered.length} suggestions`);
    assert.ok(offered.every((s) => s.replace(/\s/g, '').includes('app-01')));
    const target = 'infra/app-017/main.json';
    await suggestions.filter({ hasText: 'app-017' }).click();
    await hashHas(page, `file=${encodeURIComponent(target)}`);
    await findingsReady(page);
    const expected = assessment.findings.filter((f) => f.location.file.includes(target)).length;
    assert.ok(expected > 0);
    assert.equal(await total(), expected);
    const locs = await page.locator('table.findings td.loc').allInnerTexts();
    assert.ok(locs.every((l) => l.replace(/\s/g, '').startsWith(target)));
    await screenshot(page, 'explorer-file-search');
  });

  it('groups by check, file, control and resource type with counts, and drills into a group', async () => {
    await page.goto(`${url}#/runs/1/findings?status=fail`);
    await findingsReady(page);
    const failing = assessment.findings.filter(findingMatcher({ status: ['fail'] }));
    for (const by of ['file', 'control', 'type', 'check'] as const) {
      await page.locator('select[name="group"]').selectOption(by);
      await hashHas(page, `group=${by}`);
      await findingsReady(page);
      const expected = groupFindings(failing, by);
      const keys = await page
        .locator(`table.groups[data-group="${by}"] tbody tr`)
        .evaluateAll((trs) =>
          trs.map((tr) => (tr as unknown as { dataset: Record<string, string> }).dataset.key),
        );
      assert.deepEqual(
        keys,
        expected.slice(0, 200).map((g) => g.key),
        `groups by ${by}`,
      );
      const firstCount = await text(page.locator(`table.groups tbody tr`).first().locator('td.num').first());
      assert.equal(Number(firstCount.replace(/,/g, '')), expected[0].count);
    }
    await screenshot(page, 'explorer-group-check');
    const top = groupFindings(failing, 'check')[0];
    await page.locator('table.groups tbody tr').first().locator('button').click();
    await hashHas(page, `check=${top.key}`);
    await hashHas(page, 'group=', false);
    await findingsReady(page);
    assert.equal(await total(), top.fail);
  });

  it('exports the current filter as CSV (formulas neutralised) and as valid SARIF 2.1.0', async () => {
    await page.goto(`${url}#/runs/1/findings?status=fail&sort=file`);
    await findingsReady(page);
    const expected = sortFindingsBy(assessment.findings.filter(findingMatcher({ status: ['fail'] })), 'file');

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[name="export-csv"]').click(),
    ]);
    assert.match(csvDownload.suggestedFilename(), /\.csv$/);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0].split(',')[0], 'check');
    assert.equal(lines.length, expected.length + 1, 'a header and one row per finding of the view');
    assert.ok(lines[1].startsWith(`${expected[0].checkId},`), 'in the order on screen');
    assert.ok(csv.includes(`"'${FORMULA.replace(/"/g, '""')}"`), 'the formula is neutralised');
    assert.ok(!/(^|,)=HYPERLINK/m.test(csv));

    const [sarifDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[name="export-sarif"]').click(),
    ]);
    assert.match(sarifDownload.suggestedFilename(), /\.sarif$/);
    const sarif = JSON.parse(readFileSync((await sarifDownload.path())!, 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; kind: string; level: string }[];
    assert.equal(results.length, expected.length);
    assert.deepEqual(
      results.map((r) => r.ruleId),
      expected.map((f) => f.checkId),
    );
    assert.ok(results.every((r) => r.kind === 'fail' && r.level !== 'none'));
    if (existsSync(SCHEMA)) {
      const ajv = new AjvDraft04.default();
      ajvFormats.default(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
      assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    } else {
      process.stderr.write(`SARIF schema check skipped: ${SCHEMA} not found\n`);
    }
  });

  it('restores filter, order and grouping from the URL after a reload', async () => {
    const hash = '#/runs/1/findings?status=fail&severity=high&sort=-file&group=type';
    await page.goto(`${url}${hash}`);
    await findingsReady(page);
    await page.reload();
    await findingsReady(page);
    assert.equal(await page.locator('select[name="group"]').inputValue(), 'type');
    assert.equal(await page.locator('th[data-sort="file"]').getAttribute('aria-sort'), 'descending');
    assert.equal(
      await page.locator('[data-filter="status"] button', { hasText: 'fail' }).getAttribute('aria-pressed'),
      'true',
    );
    const filtered = assessment.findings.filter(findingMatcher({ status: ['fail'], severity: ['high'] }));
    assert.equal(await total(), filtered.length);
    assert.deepEqual(await rows(), sortFindingsBy(filtered, '-file').slice(0, 100).map(rowKey));
    assert.equal(
      await page.locator('table.groups[data-group="type"] tbody tr').count(),
      groupFindings(filtered, 'type').length,
    );
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.csp, [], 'no CSP violation');
    assert.deepEqual(
      seen.requests.filter((u) => !/^(file|data|blob):/.test(u)),
      [],
      'no network: the exports are blob: URLs',
    );
  });
});
