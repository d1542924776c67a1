/**
 * The PDF report: the single-file HTML report's print view (`#/print`), printed by the
 * system's Chromium. The HTML goes to a temporary file so the page has the same `file:`
 * origin and CSP as when a person opens the report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeFileAtomic } from '../cli/atomic-write.ts';
import { launchChromium } from './chromium.ts';

/**
 * Prints an HTML page to a PDF through the system's Chromium. The page is loaded from a
 * temporary file (a `file:` origin, as when a person opens it), optionally at a fragment,
 * and `ready` may wait for the page to finish rendering before printing.
 */
export async function printHtml(
  html: string,
  out: string,
  options: { fragment?: string; ready?: (page: Page) => Promise<unknown> } = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-pdf-'));
  const browser = await launchChromium();
  try {
    const file = join(dir, 'page.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(file).href}${options.fragment ?? ''}`, { waitUntil: 'load' });
    await options.ready?.(page);
    await page.emulateMedia({ media: 'print' });
    // Printed to memory, then written whole or not at all (no partial PDF on a full disk).
    const pdf = await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
    writeFileAtomic(out, pdf);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The single-file report's print view, once the app says it is ready. */
export async function writePdf(
  html: string,
  out: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  await printHtml(html, out, {
    fragment: '#/print',
    ready: (page) =>
      page.waitForSelector('[data-view="print"][data-state="ready"]', {
        timeout: options.timeoutMs ?? 60_000,
      }),
  });
}
