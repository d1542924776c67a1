import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Assessment } from '../../src/core/model.ts';
import { type RunningServer, startServer } from '../../src/server/listen.ts';
import { openStore } from '../../src/store/duckdb.ts';
import type { Store } from '../../src/store/store.ts';
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
  type PageWatch,
  ready,
  SKIP,
  screenshot,
  text,
  watch,
} from './browser.ts';

describe('dashboard in Chromium', { skip: SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-dash-'));
  let store: Store;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;
  let first: Assessment;

  before(async () => {
    const path = join(dir, 'assay.duckdb');
    const writer = await openStore(path);
    writeProject(join(dir, 'project'));
    first = withCompliance(await scanProject(join(dir, 'project')));
    await writer.saveAssessment(first, { label: 'first' });
    writeProject(join(dir, 'project'), true);
    await writer.saveAssessment(withCompliance(await scanProject(join(dir, 'project'))), { label: 'fixed' });
    // The first run again, so the latest run is the one with the hostile findings failing.
    writeProject(join(dir, 'project'));
    await writer.saveAssessment(withCompliance(await scanProject(join(dir, 'project'))), {
      label: 'regressed',
    });
    await writer.close();
    store = await openStore(path, { readOnly: true });
    server = await startServer(store, { port: 0 });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    seen = watch(page);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the overview of the newest run series, and says which', async () => {
    await page.goto(server.url);
    await ready(page, 'overview');
    const card = page.locator('[data-domain="azure"]');
    await card.waitFor();
    assert.match(await text(card.locator('header')), /run #3/);
    assert.match(await text(page.locator('.series-current')), /^Series: azure scan of /);
    assert.match(await text(card.locator('[data-kpi="score"]')), /^\d+(\.\d)?%$/);
    assert.ok(Number(await text(card.locator('[data-kpi="failed"]'))) > 0);
    await page.waitForSelector('[data-domain="azure"] .chart svg');
    await screenshot(page, 'dashboard-overview');
  });

  it('filters findings by severity, status, check, text and subject, and clears', async () => {
    await page.getByRole('link', { name: 'Findings', exact: true }).first().click();
    await findingsReady(page);
    const count = page.locator('p.count');
    const total = Number(await count.getAttribute('data-total'));
    assert.equal(total, first.findings.length);

    await page.locator('[data-filter="severity"] button', { hasText: 'high' }).click();
    await hashHas(page, 'severity=high');
    await findingsReady(page);
    const high = first.findings.filter((f) => f.severity === 'high').length;
    assert.equal(Number(await count.getAttribute('data-total')), high);
    const badges = await page.locator('table.findings tbody td:first-child').allInnerTexts();
    assert.ok(badges.length > 0 && badges.every((b) => b.trim() === 'high'), badges.join(','));

    await page.locator('[data-filter="status"] button', { hasText: 'fail' }).click();
    await hashHas(page, 'status=fail');
    await findingsReady(page);
    const highFail = first.findings.filter((f) => f.severity === 'high' && f.status === 'fail').length;
    assert.equal(Number(await count.getAttribute('data-total')), highFail);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await hashHas(page, 'severity', false);
    await findingsReady(page);

    const check = first.findings.find((f) => f.status === 'fail')!.checkId;
    await page.locator('select[name="check"]').selectOption(check);
    await hashHas(page, `check=${check}`);
    await findingsReady(page);
    const checks = await page.locator('table.findings td.check code').allInnerTexts();
    assert.ok(checks.length > 0 && checks.every((c) => c === check));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await hashHas(page, 'check=', false);

    await page.locator('input[name="text"]').fill('HTTPS');
    await hashHas(page, 'text=HTTPS');
    await findingsReady(page);
    const messages = await page.locator('table.findings td.message').allInnerTexts();
    const titles = await page.locator('table.findings td.check').allInnerTexts();
    assert.ok(messages.length > 0);
    for (const [i, m] of messages.entries()) assert.match(`${m} ${titles[i]}`, /https/i);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await hashHas(page, 'text=', false);

    await page.locator('input[name="subject"]').fill('<img');
    await hashHas(page, 'subject=');
    await findingsReady(page);
    const names = await page.locator('table.findings td.subject a').allInnerTexts();
    assert.ok(names.length > 0);
    for (const n of names) assert.equal(n, HOSTILE_NAME, 'the hostile resource name is shown as text');
    assert.equal(
      await page.locator('table.findings img').count(),
      0,
      'no <img> element was created from data',
    );
    await screenshot(page, 'dashboard-findings');
  });

  it('opens the subject page with the source lines of each finding', async () => {
    await page.locator('table.findings td.subject a').first().click();
    await ready(page, 'subject');
    assert.equal(await text(page.locator('h1')), HOSTILE_NAME);
    await page.waitForSelector('figure.source pre .line.hit');
    const hit = await text(page.locator('figure.source pre .line.hit').first());
    assert.match(hit, /^\s*\d+/);
    const expected = first.findings.filter((f) => f.subject.name === HOSTILE_NAME).length;
    assert.equal(await page.locator('article.finding').count(), expected, 'one card per finding');
    await page
      .locator('figure.source pre')
      .nth(expected - 1)
      .waitFor();
    assert.equal(await page.locator('figure.source pre').count(), expected, 'source lines for every finding');
    assert.equal(await page.locator('main img').count(), 0);
    await screenshot(page, 'dashboard-subject');
  });

  it('shows the compliance matrix as a heatmap and links a control to its findings', async () => {
    await page.getByRole('link', { name: 'Compliance' }).first().click();
    await ready(page, 'matrix');
    await page.waitForSelector('.matrix .chart svg');
    const legend = await text(page.locator('.legend'));
    assert.match(legend, /not-met/);
    assert.match(legend, /not-assessed/);
    assert.ok((await page.getByText(HOSTILE_TITLE).count()) >= 0);
    await page.locator('.legend a', { hasText: 'not-assessed' }).click();
    await hashHas(page, 'cstatus=not-assessed');
    assert.equal(
      await page.getByRole('cell', { name: HOSTILE_TITLE }).count(),
      1,
      'the hostile title is a text cell',
    );
    await page.locator('.legend a', { hasText: 'not-met' }).first().click();
    await hashHas(page, 'cstatus=not-met');
    await screenshot(page, 'dashboard-matrix');
    const control = await text(page.locator('table.controls tbody tr td:first-child').first());
    await page.locator('table.controls tbody tr td:first-child a').first().click();
    await findingsReady(page);
    assert.equal(await page.locator('select[name="control"]').inputValue(), control);
  });

  it('shows trends over the three runs', async () => {
    await page.getByRole('link', { name: 'Trends' }).first().click();
    await ready(page, 'trends');
    await page.waitForSelector('[data-view="trends"] .chart svg');
    assert.equal(await page.locator('table.runs tbody tr').count(), 3);
    assert.match(await text(page.locator('table.runs')), /fixed/);
    await screenshot(page, 'dashboard-trends');
  });

  it('ran no script from data and raised no error', () => {
    assert.deepEqual(seen.dialogs, [], 'no dialog fired');
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.csp, [], 'no CSP violation');
    const origin = new URL(server.url).origin;
    assert.deepEqual(
      seen.requests.filter((u) => !u.startsWith(origin)),
      [],
      'only the dashboard itself was asked for anything',
    );
  });
});

describe('dashboard with a token in Chromium', { skip: SKIP }, () => {
  const token = 'a-long-enough-test-token-1234';
  let server: RunningServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'assay-dash-token-'));

  before(async () => {
    const { MemoryStore } = await import('../helpers/memory-store.ts');
    const store = new MemoryStore();
    writeProject(dir);
    await store.saveAssessment(await scanProject(dir));
    server = await startServer(store, { port: 0, token });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the token, then shows the runs', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-view="token"]');
    await page.locator('input[name="token"]').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await ready(page, 'overview');
    assert.match(await text(page.locator('[data-domain="azure"] header')), /run #1/);
  });

  it('takes the token from the #token= fragment and drops it from the address bar', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}#token=${token}`);
    await ready(page, 'overview');
    assert.equal(new URL(page.url()).hash, '#/');
  });
});
