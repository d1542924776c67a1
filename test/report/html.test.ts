import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  htmlDocumentPieces,
  inlineScript,
  renderHtmlDocument,
  reportData,
  scriptSafeJson,
} from '../../src/report/html.ts';
import { getWebAssets } from '../../src/report/web-assets.ts';
import { EMBEDDED_FORMAT, unpack } from '../../web/embedded.ts';
import { filterFindings } from '../../web/filter.ts';
import { findings, HOSTILE_MESSAGE, HOSTILE_NAME, makeAssessment } from './fixture.ts';

const fakeAssets = {
  js: 'var s="</script><!--";document.title="x"',
  css: 'body{color:red}',
  hash: '0'.repeat(64),
};
const b64 = (s: string) => createHash('sha256').update(s).digest('base64');

/** The text of the element that starts with `open` and ends at the next `</script>`. */
function between(html: string, open: string): string {
  const start = html.indexOf(open);
  assert.ok(start >= 0, `${open} not found`);
  const from = start + open.length;
  return html.slice(from, html.indexOf('</script>', from));
}

describe('single-file HTML report', () => {
  it('round-trips findings through the packed format, hostile strings included', () => {
    const data = reportData({
      assessment: makeAssessment(),
      sources: false,
      generatedAt: '2026-01-01T00:00:00Z',
    });
    assert.equal(data.format, EMBEDDED_FORMAT);
    const back = unpack(JSON.parse(scriptSafeJson(data)));
    assert.deepEqual(back.findings, findings);
    assert.equal(back.meta.run, 1);
    assert.equal(back.runs.length, 1);
    assert.ok(back.subjects.some((s) => s.name === HOSTILE_NAME));
  });

  it('escapes the data so that no string can close its script element', () => {
    const json = scriptSafeJson({ a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: '\u2028&' });
    assert.doesNotMatch(json, /[<>&\u2028]/);
    assert.deepEqual(JSON.parse(json), {
      a: '</script><script>alert(1)</script>',
      b: '<!-- x -->',
      c: '\u2028&',
    });
    assert.equal(inlineScript('x="</SCRIPT>";y="<!--"'), 'x="<\\/SCRIPT>";y="<\\!--"');
  });

  it('written in pieces, the page is the same and its data as script-safe as written whole', () => {
    const many = Array.from({ length: 600 }, (_, i) => ({
      ...findings[1],
      subject: { ...findings[1].subject, id: `</script><!--${i}` },
    }));
    const data = reportData({ assessment: makeAssessment({ findings: many }), sources: false });
    const pieces = [...htmlDocumentPieces(data, fakeAssets, { compress: false })];
    assert.ok(pieces.length > 600, `${pieces.length} pieces`);
    const html = pieces.join('');
    assert.equal(
      html,
      `${html.slice(0, html.indexOf('id="assay-data">') + 16)}${scriptSafeJson(data)}${html.slice(html.indexOf('</script>'))}`,
    );
    assert.doesNotMatch(
      html.slice(html.indexOf('id="assay-data">'), html.lastIndexOf('<script>')),
      /<\/script>[\s\S]*<\/script>/,
    );
  });

  it('holds exactly one data block and one script, allowed by their hashes, and no URL to load', () => {
    const data = reportData({ assessment: makeAssessment(), sources: false });
    const html = renderHtmlDocument(data, fakeAssets, { compress: false });
    assert.equal(html.match(/<script/g)?.length, 2);
    assert.ok(!html.includes(HOSTILE_NAME), 'the hostile name only appears escaped');
    const markup = html.slice(0, html.indexOf('<script type'));
    assert.doesNotMatch(markup, /\b(src|href)=/i, 'nothing to fetch: no src or href attributes');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    const script = between(html, '<script>');
    assert.ok(csp.includes(`'sha256-${b64(script)}'`), 'the inline script is allowed by its hash');
    const style = html.slice(html.indexOf('<style>') + 7, html.indexOf('</style>'));
    assert.ok(csp.includes(`'sha256-${b64(style)}'`), 'the stylesheet is allowed by its hash');
    const json = between(html, '<script type="application/json" id="assay-data">');
    assert.deepEqual(unpack(JSON.parse(json)).findings, findings);
    assert.ok(JSON.parse(json).findings.some((f: unknown[]) => f[2] === HOSTILE_MESSAGE));
  });

  it('embeds the lines around each finding, and says when a file changed since the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-html-'));
    try {
      const text = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
      writeFileSync(join(dir, 'main.json'), text);
      const sha256 = createHash('sha256').update(text).digest('hex');
      const f = { ...findings[1], location: { file: 'main.json', line: 12, column: 1 } };
      const assessment = makeAssessment({
        root: dir,
        inputs: [{ file: 'main.json', kind: 'arm-template', sha256 }],
        findings: [f, { ...f, location: { file: 'main.json', line: 14, column: 1 } }],
      });
      const back = unpack(reportData({ assessment }));
      assert.deepEqual(back.snippet('main.json', 12), {
        startLine: 10,
        lines: ['line 10', 'line 11', 'line 12', 'line 13', 'line 14'],
      });
      assert.deepEqual(back.snippet('main.json', 14).valueOf(), {
        startLine: 12,
        lines: ['line 12', 'line 13', 'line 14', 'line 15', 'line 16'],
      });
      const changed = makeAssessment({
        root: dir,
        inputs: [{ file: 'main.json', kind: 'arm-template', sha256: 'x' }],
        findings: [f],
      });
      assert.match(
        JSON.stringify(unpack(reportData({ assessment: changed })).snippet('main.json', 12)),
        /changed since this run/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('packs 10,000 findings into much less than their JSON', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      ...findings[i % findings.length],
      location: { file: `templates/t${i % 300}.json`, line: (i % 500) + 1, column: 3 },
    }));
    const assessment = makeAssessment({ findings: many });
    const packed = scriptSafeJson(reportData({ assessment, sources: false }));
    assert.ok(packed.length < JSON.stringify(many).length / 3, `${packed.length} bytes`);
  });

  it('filters embedded findings as the store does', () => {
    const page = filterFindings(findings, {
      severity: ['high'],
      status: ['fail'],
      subject: '<IMG',
      limit: 10,
    });
    assert.deepEqual(
      page.findings.map((f) => f.subject.name),
      [HOSTILE_NAME],
    );
    assert.equal(filterFindings(findings, { text: 'SECURE', offset: 1, limit: 1 }).findings.length, 1);
    assert.equal(filterFindings(findings, { file: 'SUB DIR' }).total, 3);
    assert.equal(filterFindings(findings, { control: 'ism-1416' }).total, 3);
  });

  it('builds the real UI bundle: no inline-script hazards, no eval', async () => {
    const assets = await getWebAssets();
    assert.ok(assets.js.length > 100_000 && assets.js.length < 1_500_000, `${assets.js.length} bytes`);
    assert.doesNotMatch(assets.js, /<\/script/i);
    assert.doesNotMatch(assets.js, /\beval\(|new Function\(/);
    assert.doesNotMatch(assets.css, /url\(\s*['"]?(https?:)?\/\//);
  });
});
