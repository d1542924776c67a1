/**
 * The TRA as PDF: the HTML document (document.ts) printed by the system's Chromium, through
 * the same launcher as `assay report --pdf`. The dashboard's writePdf waits for its own
 * print view, which a free-form document does not have, so the page is loaded here directly.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../../report/chromium.ts';

export async function writeTraPdf(html: string, out: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-tra-'));
  const browser = await launchChromium();
  try {
    const file = join(dir, 'tra.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    mkdirSync(dirname(resolve(out)), { recursive: true });
    await page.pdf({
      path: out,
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
