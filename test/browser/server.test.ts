/**
 * assay server in Chromium: a run pushed by `assay scan --push` shows in the org-wide ranking,
 * and its row leads into the project's own findings explorer, with no script run from data.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/listen.ts';
import { startMultiServer } from '../../src/server/multi/listen.ts';
import { Registry, SERVER_MIGRATIONS } from '../../src/server/multi/registry.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';
import { HOSTILE_NAME, writeProject } from '../helpers/dashboard.ts';
import { findingsReady, launch, type PageWatch, ready, SKIP, screenshot, text, watch } from './browser.ts';

describe('assay server in Chromium', { skip: SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-server-ui-'));
  let store: SqlStore;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;
  let read: string;

  before(async () => {
    registerMigrations(SERVER_MIGRATIONS);
    store = await openStore(join(dir, 'server.duckdb'));
    const registry = new Registry(store);
    await registry.addProject('web', HOSTILE_NAME);
    await registry.addProject('api', 'repo:api');
    const push = (await registry.createToken('push', ['web'])).token;
    read = (await registry.createToken('read', ['web', 'api'])).token;
    server = await startMultiServer(store, {
      host: '127.0.0.1',
      port: 0,
      deadLetters: async () => [
        {
          id: 'd1',
          jobId: 'j-web',
          kind: 'scan',
          what: 'scan infra [web]',
          project: 'web',
          reason: HOSTILE_NAME,
          at: '2026-01-02T03:04:05.000Z',
        },
        {
          id: 'd2',
          jobId: 'j-other',
          kind: 'scan',
          what: 'scan x [other]',
          project: 'other',
          reason: 'other-secret',
          at: '2026-01-02T03:04:05.000Z',
        },
      ],
    });
    writeProject(join(dir, 'project'));
    const scan = await runCli(
      ['scan', 'infra', '--no-save', '-f', 'json', '-o', 'out.json', '--push', server.url, '--push-required'],
      { cwd: join(dir, 'project'), env: { ASSAY_TOKEN: push } },
    );
    assert.ok(scan.code === 0 || scan.code === 1, scan.err);
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

  it('ranks the pushed project first in the org view', async () => {
    await page.goto(`${server.url}#token=${read}`);
    await ready(page, 'org');
    const rows = page.locator('table.org-ranking tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.first().getAttribute('data-project'), 'web');
    assert.ok(Number(await text(rows.first().locator('td.num').first())) > 0);
    assert.match(await text(rows.first()), /<img src=x onerror=alert\(1\)>/, 'the scope is shown as text');
    await page.waitForSelector('.view-org .chart svg');
    await screenshot(page, 'server-org');
  });

  it("lists the readable projects' dead letters of the job queue, reasons as text", async () => {
    const rows = page.locator('table.dead-letters-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, 'a project the token does not read is not shown');
    assert.equal(await rows.first().getAttribute('data-dead'), 'j-web');
    assert.match(await text(rows.first()), /<img src=x onerror=alert\(1\)>/);
    assert.doesNotMatch(await text(page.locator('section.dead-letters')), /other-secret/);
  });

  it("drills down into the project's findings explorer", async () => {
    await page.locator('table.org-ranking tbody tr[data-project="web"] a', { hasText: 'findings' }).click();
    await findingsReady(page);
    assert.match(new URL(page.url()).pathname, /^\/projects\/web\/$/);
    assert.ok(Number(await page.locator('p.count').getAttribute('data-total')) > 0);
    await screenshot(page, 'server-project-findings');
  });

  it('ran no script from data and raised no error', () => {
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.csp, []);
  });
});
