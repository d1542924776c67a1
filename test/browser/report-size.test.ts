/**
 * The compressed single-file report of a 14,000-finding run (3,000 files, a 900-control
 * baseline) in Chromium: under 3 MB, it inflates its data in the page and shows the right
 * counts in the explorer and the compliance view; the uncompressed form (plain JSON) still
 * opens and shows the same.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { quickstartAssessment } from '../../bench/report-corpus.ts';
import type { Assessment } from '../../src/core/model.ts';
import { renderHtmlDocument, reportData } from '../../src/report/html.ts';
import { getWebAssets } from '../../src/report/web-assets.ts';
import { findingsReady, launch, OUT_DIR, type PageWatch, ready, SKIP, text, watch } from './browser.ts';

describe('compressed single-file report in Chromium', { skip: SKIP }, () => {
  let assessment: Assessment;
  const files: Record<'compressed' | 'plain', string> = { compressed: '', plain: '' };
  const sizes: Record<'compressed' | 'plain', number> = { compressed: 0, plain: 0 };
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;

  before(async () => {
    assessment = quickstartAssessment(14_000, 3_000);
    const data = reportData({ assessment, sources: false });
    const assets = await getWebAssets();
    mkdirSync(OUT_DIR, { recursive: true });
    for (const form of ['compressed', 'plain'] as const) {
      const html = renderHtmlDocument(data, assets, { compress: form === 'compressed' });
      sizes[form] = Buffer.byteLength(html);
      files[form] = join(OUT_DIR, `report-14k-${form}.html`);
      writeFileSync(files[form], html);
    }
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    seen = watch(page);
  });
  after(async () => {
    await browser?.close();
  });

  const total = () => page.locator('p.count').getAttribute('data-total').then(Number);

  for (const form of ['compressed', 'plain'] as const) {
    it(`the ${form} report opens and shows the right counts`, async () => {
      if (form === 'compressed') assert.ok(sizes.compressed < 3 * 1024 * 1024, `${sizes.compressed} bytes`);
      const url = pathToFileURL(files[form]).href;
      await page.goto(`${url}#/runs/1/findings`);
      await findingsReady(page);
      assert.equal(await total(), 14_000);
      await page.goto(`${url}#/runs/1/findings?status=fail`);
      await findingsReady(page);
      assert.equal(await total(), assessment.findings.filter((f) => f.status === 'fail').length);
      await page.goto(`${url}#/runs/1/matrix?baseline=ism-protected`);
      await ready(page, 'matrix');
      assert.equal(
        await text(page.locator('.kpi', { hasText: 'controls' }).locator('.kpi-value').first()),
        '900',
      );
      // The legend counts the unpacked controls by status: the packed matrix came through whole.
      const controls = assessment.compliance![0].controls;
      for (const status of ['partially-met', 'not-assessed'] as const) {
        const expected = controls.filter((c) => c.status === status).length;
        assert.ok(expected > 0);
        const item = page.locator('.legend li', { hasText: status });
        assert.equal(Number((await text(item.locator('strong'))).replace(/,/g, '')), expected, status);
      }
    });
  }

  it('made no network request and raised no error', () => {
    assert.ok(sizes.compressed < sizes.plain / 2, `${sizes.compressed} vs ${sizes.plain} bytes`);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.csp, []);
    assert.deepEqual(
      seen.requests.filter((u) => !/^(file|data):/.test(u)),
      [],
    );
  });
});
