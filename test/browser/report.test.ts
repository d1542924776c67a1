import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Assessment } from '../../src/core/model.ts';
import { renderHtmlReport } from '../../src/report/html.ts';
import { writePdf } from '../../src/report/pdf.ts';
import {
  HOSTILE_NAME,
  HOSTILE_TITLE,
  scanProject,
  withCompliance,
  writeProject,
} from '../helpers/dashboard.ts';
import {
  findingsReady,
  hashHas,
  launch,
  OUT_DIR,
  type PageWatch,
  ready,
  SKIP,
  screenshot,
  text,
  watch,
} from './browser.ts';

describe('single-file report in Chromium', { skip: SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-report-'));
  let assessment: Assessment;
  let file: string;
  let html: string;
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;

  before(async () => {
    writeProject(join(dir, 'project'));
    assessment = withCompliance(await scanProject(join(dir, 'project')));
    html = await renderHtmlReport({ assessment });
    // Written away from the project, as an attachment would be: nothing beside it to load.
    mkdirSync(OUT_DIR, { recursive: true });
    file = join(OUT_DIR, 'report.html');
    writeFileSync(file, html);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    seen = watch(page);
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens from a file: URL and shows the overview', async () => {
    await page.goto(pathToFileURL(file).href);
    await ready(page, 'overview');
    assert.match(await text(page.locator('[data-domain="azure"] header')), /run #1/);
    assert.match(await text(page.locator('footer.bottom')), /no network requests/);
    await screenshot(page, 'report-overview');
  });

  it('filters the embedded findings in the browser', async () => {
    await page.getByRole('link', { name: 'Findings', exact: true }).first().click();
    await findingsReady(page);
    const total = () => page.locator('p.count').getAttribute('data-total').then(Number);
    assert.equal(await total(), assessment.findings.length);

    await page.locator('[data-filter="status"] button', { hasText: 'fail' }).click();
    await hashHas(page, 'status=fail');
    await findingsReady(page);
    assert.equal(await total(), assessment.findings.filter((f) => f.status === 'fail').length);

    await page.locator('[data-filter="severity"] button', { hasText: 'medium' }).click();
    await hashHas(page, 'severity=medium');
    await findingsReady(page);
    const mediumFail = assessment.findings.filter((f) => f.status === 'fail' && f.severity === 'medium');
    assert.equal(await total(), mediumFail.length);
    const statuses = await page.locator('table.findings tbody td:nth-child(2)').allInnerTexts();
    assert.ok(statuses.every((s) => s.trim() === 'fail'));

    // The file filter suggests files as you type; picking one filters to it.
    await page.locator('input[name="file"]').fill(assessment.inputs[0].file.slice(0, 3));
    await page.locator('#file-suggestions li', { hasText: assessment.inputs[0].file }).first().click();
    await hashHas(page, `file=${encodeURIComponent(assessment.inputs[0].file)}`);
    await findingsReady(page);
    assert.equal(await total(), mediumFail.length);

    await page.locator('input[name="subject"]').fill('onerror');
    await hashHas(page, 'subject=onerror');
    await findingsReady(page);
    const names = await page.locator('table.findings td.subject a').allInnerTexts();
    assert.ok(names.length > 0 && names.every((n) => n === HOSTILE_NAME));
    assert.equal(await page.locator('table.findings img').count(), 0);
    await screenshot(page, 'report-findings');
  });

  it('shows the subject with its embedded source lines', async () => {
    await page.locator('table.findings td.subject a').first().click();
    await ready(page, 'subject');
    assert.equal(await text(page.locator('h1')), HOSTILE_NAME);
    await page.waitForSelector('figure.source pre .line.hit');
    assert.ok((await text(page.locator('figure.source pre').first())).length > 0);
    await screenshot(page, 'report-subject');
  });

  it('shows the compliance heatmap with catalog strings as text', async () => {
    await page.getByRole('link', { name: 'Compliance' }).first().click();
    await ready(page, 'matrix');
    await page.waitForSelector('.matrix .chart svg');
    await page.locator('.legend a', { hasText: 'not-assessed' }).click();
    await hashHas(page, 'cstatus=not-assessed');
    assert.equal(await page.getByRole('cell', { name: HOSTILE_TITLE }).count(), 1);
    await screenshot(page, 'report-matrix');
    // The heatmap tooltip is HTML built by ECharts: hover the hostile control's cell and read it.
    const matrix = assessment.compliance![0];
    const order = ['not-met', 'partially-met', 'unknown', 'waived', 'met', 'manual', 'not-assessed'];
    const sorted = [...matrix.controls].sort(
      (a, b) => order.indexOf(a.status) - order.indexOf(b.status) || a.id.localeCompare(b.id),
    );
    const index = sorted.findIndex((c) => c.title === HOSTILE_TITLE);
    const box = (await page.locator('.matrix .chart').boundingBox())!;
    const rows = Math.ceil(sorted.length / 40);
    await page.mouse.move(
      box.x + 8 + ((index % 40) + 0.5) * ((box.width - 16) / 40),
      box.y + 8 + (Math.floor(index / 40) + 0.5) * ((box.height - 16) / rows),
    );
    const tooltip = page.locator('.matrix .chart div', { hasText: 'alert(2)' }).last();
    await tooltip.waitFor({ timeout: 5000 });
    assert.match(await text(tooltip), /<script>alert\(2\)<\/script> control/);
    assert.equal(await page.locator('.matrix .chart script').count(), 0);
  });

  it('shows trends, prints to PDF, and never touched the network or ran data as script', async () => {
    await page.getByRole('link', { name: 'Trends' }).first().click();
    await ready(page, 'trends');
    assert.deepEqual(seen.dialogs, [], 'no dialog fired');
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.csp, [], 'no CSP violation');
    const network = seen.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
    assert.deepEqual(network, [], 'only file: and data: requests');
  });

  it('prints the report to PDF', async () => {
    const pdf = join(OUT_DIR, 'report.pdf');
    await writePdf(html, pdf);
    const bytes = readFileSync(pdf);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.ok(bytes.length > 10_000);
    // Where poppler is installed, the page holds the findings as text.
    const probe = spawnSync('pdftotext', ['-v']);
    if (probe.status === 0) {
      const text = execFileSync('pdftotext', [pdf, '-']).toString();
      assert.match(text, /Contents/);
      // The name wraps in its narrow column; as text, it is all there.
      assert.ok(text.replace(/\s+/g, ' ').includes(HOSTILE_NAME));
    }
  });
});
