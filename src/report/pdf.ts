/**
 * The PDF report: the single-file HTML report's print view (`#/print`), printed by the
 * system's Chromium. The HTML goes to a temporary file so the page has the same `file:`
 * origin and CSP as when a person opens the report. Every page carries the protective marking
 * centred at its top and bottom and "page X of Y", through Chromium's header and footer templates.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeFileAtomic } from '../cli/atomic-write.ts';
import { launchChromium } from './chromium.ts';
import { escapeHtml } from './html-escape.ts';
import { destinationPages } from './pdf-destinations.ts';

/** Class set on the page when assay prints it: the page's own marking lines give way to the page templates. */
export const PRINTED_CLASS = 'assay-printed';

/**
 * Chromium's header and footer templates: the marking centred at top and bottom, the page
 * number at the bottom right. They are rendered apart from the page (no page CSS), so they
 * carry their own style; `pageNumber` and `totalPages` are filled in by Chromium.
 */
export function pageTemplates(marking: string | undefined): {
  headerTemplate: string;
  footerTemplate: string;
} {
  const base =
    'font-family: system-ui, sans-serif; font-size: 9px; color: #222; width: 100%; margin: 0 10mm;';
  const mark = marking
    ? `<span class="assay-marking" style="font-weight: 700; letter-spacing: 0.04em;">${escapeHtml(marking)}</span>`
    : '';
  return {
    headerTemplate: `<div style="${base} text-align: center;">${mark}</div>`,
    footerTemplate: `<div style="${base} display: flex;"><span style="flex: 1;"></span><span style="flex: 2; text-align: center;">${mark}</span><span style="flex: 1; text-align: right;">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

/**
 * Prints an HTML page to a PDF through the system's Chromium. The page is loaded from a
 * temporary file (a `file:` origin, as when a person opens it), optionally at a fragment,
 * and `ready` may wait for the page to finish rendering before printing.
 */
export async function printHtml(
  html: string,
  out: string,
  options: {
    fragment?: string;
    ready?: (page: Page) => Promise<unknown>;
    marking?: string | undefined;
    /** Fill each `[data-toc-page=ID]` with the page ID lands on, from a first print. */
    numberContents?: boolean;
  } = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-pdf-'));
  const browser = await launchChromium();
  try {
    const file = join(dir, 'page.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(file).href}${options.fragment ?? ''}`, { waitUntil: 'load' });
    await options.ready?.(page);
    await page.evaluate(`document.documentElement.classList.add(${JSON.stringify(PRINTED_CLASS)})`);
    await page.emulateMedia({ media: 'print' });
    // Printed to memory, then written whole or not at all (no partial PDF on a full disk).
    const print = () =>
      page.pdf({
        format: 'A4',
        landscape: true,
        printBackground: true,
        displayHeaderFooter: true,
        ...pageTemplates(options.marking),
        margin: { top: '16mm', bottom: '16mm', left: '10mm', right: '10mm' },
      });
    let pdf = await print();
    if (options.numberContents) {
      // The contents keep room for their numbers, so the second print paginates as the first.
      const filled = await page.evaluate(fillContentsScript(destinationPages(pdf)));
      if (typeof filled === 'number' && filled > 0) pdf = await print();
    }
    writeFileAtomic(out, pdf);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page script: each contents entry gets its page number; returns how many were filled. */
function fillContentsScript(pages: Map<string, number>): string {
  return `(() => {
    const pages = ${JSON.stringify(Object.fromEntries(pages))};
    let n = 0;
    for (const el of document.querySelectorAll('[data-toc-page]')) {
      const p = pages[el.getAttribute('data-toc-page')];
      if (p === undefined) continue;
      el.textContent = String(p);
      el.classList.add('filled');
      n++;
    }
    return n;
  })()`;
}

/** The single-file report's print view, once the app says it is ready. */
export async function writePdf(
  html: string,
  out: string,
  options: { timeoutMs?: number; marking?: string | undefined } = {},
): Promise<void> {
  await printHtml(html, out, {
    marking: options.marking,
    fragment: '#/print',
    numberContents: true,
    ready: (page) =>
      page.waitForSelector('[data-view="print"][data-state="ready"]', {
        timeout: options.timeoutMs ?? 60_000,
      }),
  });
}
