import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { assessReadiness, type ReadinessResult } from '../../src/readiness/assess.ts';
import { renderBrief, renderBriefHtml } from '../../src/readiness/brief.ts';
import { chromiumProblem, launchChromium } from '../../src/report/chromium.ts';
import { runCli } from '../helpers/cli.ts';

const root = new URL('../../', import.meta.url);
const FRAMEWORK = new URL('examples/readiness/framework.yaml', root).pathname;
const CASES = new URL('examples/readiness/cases.csv', root).pathname;
/** `assay readiness brief` of the example framework and cases. */
const BRIEF_EXAMPLE = ['readiness', 'brief', FRAMEWORK, '--cases', CASES, '--now', '2025-06-02'];
const HOSTILE = '<img src=x onerror=alert(1)>';

/** Runs the CLI in this process (no tsx start-up per run). */
async function assay(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  return runCli(argv, { env: { NO_COLOR: '1', ...env } });
}

// Why the Chromium tests are skipped, printed so a skip is never silent (as test/browser does).
const SKIP = chromiumProblem() ?? false;
if (SKIP) process.stderr.write(`readiness brief PDF and browser tests skipped: ${SKIP}\n`);

/** A framework whose cloud, partner, owner and criterion carry markup. */
function hostileFramework(dir: string): string {
  const file = join(dir, 'framework.yaml');
  const q = JSON.stringify(HOSTILE);
  writeFileSync(
    file,
    `framework: { id: t, title: ${JSON.stringify(`Readiness ${HOSTILE}`)} }
levels:
  - { level: 1, name: Foundation }
clouds:
  - { id: c1, name: ${q}, sovereignBoundary: ${q}, launchDate: '2025-07-01', operatingPartner: ${q}, owner: ${q} }
criteria:
  - { id: l1-a, pillar: people, level: 1, title: ${q}, control: rdy-people-oncall, owner: ${q} }
`,
  );
  return file;
}

describe('readiness brief as HTML', () => {
  let dir: string;
  let hostile: ReadinessResult;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assay-rdy-brief-'));
    hostile = await assessReadiness(hostileFramework(dir), {
      now: new Date('2025-06-02T00:00:00Z'),
      root: dir,
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the example brief as a standalone page with the cloud names as text', async () => {
    const r = await assay([...BRIEF_EXAMPLE, '-f', 'html']);
    assert.equal(r.code, 0, r.err);
    const html = r.out;
    assert.match(html, /^<!doctype html>/);
    for (const name of ['France partner cloud', 'Germany partner cloud', 'Singapore government cloud'])
      assert.match(html, new RegExp(`<h2>${name} \\(`));
    assert.match(html, /<td>France partner cloud<\/td>/);
    assert.match(html, /France partner cloud holds level 1 \(Foundation\) of 3/);
    assert.match(html, /<td class="risk-critical">20 critical<\/td>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(html, /<script/i);
    // Nothing to fetch: no src or href attribute anywhere.
    assert.doesNotMatch(html, /\s(src|href)=/);
  });

  it('marks the brief at top and bottom with --classification, in Markdown and HTML', async () => {
    const md = await assay([...BRIEF_EXAMPLE, '--classification', 'in-confidence']);
    assert.equal(md.code, 0, md.err);
    const lines = md.out.trim().split('\n');
    const line = '<p align="center"><strong>IN-CONFIDENCE</strong></p>';
    assert.equal(lines[0], line);
    assert.equal(lines[lines.length - 1], line);
    const html = await assay([...BRIEF_EXAMPLE, '--classification', 'in-confidence', '-f', 'html']);
    assert.equal(html.code, 0, html.err);
    const body = html.out
      .slice(html.out.indexOf('<body>') + 6, html.out.indexOf('</body>'))
      .trim()
      .split('\n');
    assert.equal(body[0], '<div class="marking marking-top" role="note">IN-CONFIDENCE</div>');
    assert.equal(
      body[body.length - 1],
      '<div class="marking marking-bottom" role="note">IN-CONFIDENCE</div>',
    );
  });

  it('escapes markup in the framework', async () => {
    const html = renderBriefHtml(hostile);
    assert.match(html, /<h2>&lt;img src=x onerror=alert\(1\)&gt; \(c1\)<\/h2>/);
    assert.match(html, /<title>Readiness &lt;img src=x onerror=alert\(1\)&gt;: executive brief/);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<script/i);
    // The Markdown rendering escapes the same name: no raw HTML reaches a Markdown viewer either.
    const md = renderBrief(hostile);
    assert.match(md, /^## &lt;img src=x onerror=alert\(1\)&gt; \(c1\)$/m);
    assert.doesNotMatch(md, /<img/i);
  });

  it('shows the hostile name as text in Chromium, with no image and no dialog', { skip: SKIP }, async () => {
    const file = join(dir, 'brief.html');
    writeFileSync(file, renderBriefHtml(hostile));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      const requests: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      assert.equal(await page.locator('img').count(), 0);
      assert.equal((await page.locator('h2').first().textContent())?.trim(), `${HOSTILE} (c1)`);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(requests, [pathToFileURL(file).href]);
    } finally {
      await browser.close();
    }
  });

  it('prints the brief as PDF through the system Chromium', { skip: SKIP }, async () => {
    const out = join(dir, 'brief.pdf');
    const r = await assay([...BRIEF_EXAMPLE, '-f', 'pdf', '-o', out]);
    assert.equal(r.code, 0, r.err);
    assert.equal(readFileSync(out).subarray(0, 5).toString(), '%PDF-');
  });

  it('says why when there is no Chromium, before any work (exit 2)', async () => {
    const out = join(dir, 'none.pdf');
    const r = await assay(['readiness', 'brief', FRAMEWORK, '--now', '2025-06-02', '-f', 'pdf', '-o', out], {
      ASSAY_CHROMIUM: join(dir, 'no-such-chromium'),
    });
    assert.equal(r.code, 2);
    assert.match(r.err, /Chromium not found at ASSAY_CHROMIUM=.*no-such-chromium/);
    assert.equal(existsSync(out), false);
  });

  it('needs --output for PDF and a known format (exit 2)', async () => {
    const pdf = await assay(['readiness', 'brief', FRAMEWORK, '-f', 'pdf']);
    assert.equal(pdf.code, 2);
    assert.match(pdf.err, /--format pdf needs --output FILE/);
    const bad = await assay(['readiness', 'brief', FRAMEWORK, '-f', 'docx']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format expects one of markdown, html, pdf; got 'docx'/);
  });
});
