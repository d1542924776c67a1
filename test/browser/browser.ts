/**
 * Shared set-up of the browser tests: Debian's Chromium through playwright-core (CI installs
 * it in .ci/run), a watch on what a page does that a person would not want (dialogs, script
 * errors, CSP violations, requests), and screenshots under test-output/browser/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromiumProblem, launchChromium } from '../../src/report/chromium.ts';

export const OUT_DIR = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));

/** `false`, or why the browser tests are skipped (printed once, so a skip is never silent). */
export const SKIP = chromiumProblem() ?? false;
if (SKIP) process.stderr.write(`browser tests skipped: ${SKIP}\n`);

export function launch(): Promise<Browser> {
  return launchChromium();
}

export interface PageWatch {
  dialogs: string[];
  errors: string[];
  /** Console messages about a Content-Security-Policy violation. */
  csp: string[];
  requests: string[];
}

export function watch(page: Page): PageWatch {
  const w: PageWatch = { dialogs: [], errors: [], csp: [], requests: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) w.csp.push(m.text());
    else if (m.type() === 'error') w.errors.push(m.text());
  });
  page.on('request', (r) => w.requests.push(r.url()));
  return w;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, `${name}.png`), fullPage: true });
}

/** Waits until a view has its data on screen. */
export async function ready(page: Page, view: string): Promise<void> {
  await page.waitForSelector(`[data-view="${view}"][data-state="ready"]`, { timeout: 20_000 });
}

/**
 * The page globals the predicates below read. They run in the page (functions, not strings:
 * the pages' CSP forbids eval), and the tests are type-checked without DOM types.
 */
interface PageGlobals {
  location: { hash: string };
  document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null };
}

/** Waits until the address bar's hash contains (or, with `present` false, lacks) `text`. */
export async function hashHas(page: Page, text: string, present = true): Promise<void> {
  await page.waitForFunction(
    ([t, p]) => (globalThis as unknown as PageGlobals).location.hash.includes(t) === p,
    [text, present] as const,
    { timeout: 20_000 },
  );
}

/** Waits until the findings explorer shows the answer to the filter now in the address bar. */
export async function findingsReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const g = globalThis as unknown as PageGlobals;
      const view = g.document.querySelector('[data-view="findings"]');
      const hash = g.location.hash;
      const q = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
      return !!view && view.dataset.state === 'ready' && (view.dataset.query ?? '') === q;
    },
    undefined,
    { timeout: 20_000 },
  );
}

/** A locator's text, trimmed ('' when it has none). */
export async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}
