/**
 * The PDF and HTML documents as printed by Chromium: every page of the report PDF and of the
 * TRA PDF carries the protective marking at top and bottom and "page X of Y" (read back from
 * the PDF, page by page); the report opens with a title page and contents and lists control
 * ids; TRA table headers and ids never break inside a word. Page images go to test-output/browser/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderTraHtml } from '../../src/azure/tra/document.ts';
import { writeTraPdf } from '../../src/azure/tra/pdf.ts';
import { parseMarking } from '../../src/core/marking.ts';
import { renderHtmlReport } from '../../src/report/html.ts';
import { writePdf } from '../../src/report/pdf.ts';
import { destinationPages } from '../../src/report/pdf-destinations.ts';
import { jumpBoxTemplate, traOf } from '../azure/tra/templates.ts';
import { scanProject, withCompliance, writeProject } from '../helpers/dashboard.ts';
import { pdfPageTexts, squeeze } from '../helpers/pdf-text.ts';
import { launch, OUT_DIR, SKIP } from './browser.ts';

const MARKING = parseMarking({ classification: 'OFFICIAL: Sensitive', imms: ['Legal-Privilege'] })
  .marking as {
  text: string;
};
const MARK = squeeze(MARKING.text);

/** Asserts every page shows the marking twice (header and footer) and its "page X of Y". */
function assertPagesMarked(pdf: string): string[] {
  const pages = pdfPageTexts(readFileSync(pdf));
  assert.ok(pages.length >= 2, `expected several pages, got ${pages.length}`);
  pages.forEach((text, i) => {
    const page = squeeze(text);
    assert.ok(page.split(MARK).length - 1 >= 2, `page ${i + 1} shows the marking at top and bottom: ${text}`);
    assert.ok(
      page.includes(`page${i + 1}of${pages.length}`),
      `page ${i + 1} is numbered: ${text.slice(-80)}`,
    );
  });
  return pages;
}

/** Saves an image of a PDF page as Chromium's viewer shows it, for a person to look at. */
async function pageImage(browser: Browser, pdf: string, page: number, name: string): Promise<void> {
  const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    await tab.goto(`${pathToFileURL(pdf).href}#page=${page}`, { waitUntil: 'load' });
    await tab.waitForTimeout(1500);
    await tab.screenshot({ path: join(OUT_DIR, `${name}.png`) });
  } finally {
    await tab.close();
  }
}

describe('printed documents in Chromium', { skip: SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-documents-'));
  let browser: Browser;
  before(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the report PDF: title page, contents, control ids, and the marking and page number on every page', async () => {
    writeProject(join(dir, 'project'));
    const assessment = { ...withCompliance(await scanProject(join(dir, 'project'))), marking: MARKING };
    const pdf = join(OUT_DIR, 'report-marked.pdf');
    await writePdf(await renderHtmlReport({ assessment }), pdf, { marking: MARKING.text });
    const pages = assertPagesMarked(pdf);
    const first = squeeze(pages[0] as string);
    assert.ok(
      first.includes('assayassessmentreport') && first.includes('Contents'),
      'page 1 is the title page',
    );
    assert.ok(!first.includes('CONTROLS'), 'the findings start after the title page');
    assert.ok(
      pages.slice(1).some((p) => /ism-\d{4}/.test(p)),
      'findings list their control ids',
    );
    // The contents give each section's page: the page its named destination lands on, and the
    // page whose text starts that section.
    const dests = destinationPages(readFileSync(pdf));
    assert.ok(dests.size >= 3, `named destinations: ${[...dests.keys()].join(', ')}`);
    const contents = first.slice(first.indexOf('Contents'));
    for (const [id, page] of dests) {
      assert.ok(page >= 2 && page <= pages.length, `${id} is on page ${page} of ${pages.length}`);
      if (id.startsWith('findings-')) {
        const heading = `${id.slice('findings-'.length)}findings`;
        const listed = new RegExp(`${heading}(\\d+)`, 'i').exec(contents);
        assert.equal(Number(listed?.[1]), page, `contents give ${heading} page ${page}: ${contents}`);
        assert.ok(
          squeeze(pages[page - 1] as string)
            .replaceAll('\ufb01', 'fi')
            .toLowerCase()
            .includes(heading),
          `${heading} is on page ${page}`,
        );
      }
    }
    assert.equal(/Summary(\d+)/.exec(contents)?.[1], String(dests.get('summary')), contents);
    await pageImage(browser, pdf, 1, 'report-pdf-page-1');
    await pageImage(browser, pdf, 2, 'report-pdf-page-2');
  });

  it('the HTML report shows the marking as a banner at the top and bottom of the page', async () => {
    writeProject(join(dir, 'banner'));
    const assessment = { ...(await scanProject(join(dir, 'banner'))), marking: MARKING };
    const file = join(dir, 'banner.html');
    writeFileSync(file, await renderHtmlReport({ assessment }));
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('.shell > .marking-bottom', { timeout: 20_000 });
      assert.equal(await page.locator('.shell > :first-child').getAttribute('class'), 'marking marking-top');
      assert.equal(
        await page.locator('.shell > :last-child').getAttribute('class'),
        'marking marking-bottom',
      );
      for (const where of ['top', 'bottom'])
        assert.equal((await page.locator(`.marking-${where}`).textContent())?.trim(), MARKING.text);
    } finally {
      await page.close();
    }
  });

  it('the TRA PDF: the marking and page number on every page', async () => {
    const result = await traOf(jumpBoxTemplate({ rdpSource: '*' }));
    result.assessment.marking = MARKING;
    const pdf = join(OUT_DIR, 'tra-marked.pdf');
    await writeTraPdf(renderTraHtml({ ...result, appetite: result.appetite }), pdf, MARKING.text);
    assertPagesMarked(pdf);
    await pageImage(browser, pdf, 1, 'tra-pdf-page-1');
  });

  for (const width of [1046, 720])
    it(`TRA table headers and threat ids never break inside a word (${width}px, print)`, async () => {
      const result = await traOf(jumpBoxTemplate({ rdpSource: '*' }));
      const file = join(dir, `tra-${width}.html`);
      writeFileSync(file, renderTraHtml({ ...result, appetite: result.appetite }));
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.emulateMedia({ media: 'print' });
        await page.goto(pathToFileURL(file).href);
        // Each word of each header cell, and each threat id cell, on one line: one client rect per word.
        const split = await page.evaluate(() => {
          interface TextNode {
            textContent: string;
          }
          interface Cell {
            textContent: string | null;
            firstChild: TextNode | null;
            tagName: string;
          }
          interface Range {
            setStart(node: TextNode, offset: number): void;
            setEnd(node: TextNode, offset: number): void;
            getClientRects(): Iterable<{ top: number; width: number }>;
          }
          const d = (
            globalThis as unknown as {
              document: { querySelectorAll(s: string): Iterable<Cell>; createRange(): Range };
            }
          ).document;
          const cells = [
            ...d.querySelectorAll('th'),
            ...[...d.querySelectorAll('td:first-child')].filter((c) => /^T\d{3}$/.test(c.textContent ?? '')),
          ];
          const broken: string[] = [];
          let words = 0;
          for (const cell of cells) {
            const node = cell.firstChild;
            if (!node) continue;
            for (const m of node.textContent.matchAll(/\S+/g)) {
              words++;
              const range = d.createRange();
              range.setStart(node, m.index ?? 0);
              range.setEnd(node, (m.index ?? 0) + m[0].length);
              const lines = new Set(
                [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
              );
              if (lines.size > 1) broken.push(`${cell.tagName} '${m[0]}' on ${lines.size} lines`);
            }
          }
          return { broken, words };
        });
        assert.ok(split.words > 20, `measured ${split.words} words`);
        assert.deepEqual(split.broken, []);
      } finally {
        await page.close();
      }
    });
});
