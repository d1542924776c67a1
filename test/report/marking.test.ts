/**
 * The protective marking (`--classification`) on every human-readable output, at the top and
 * the bottom: the Markdown report, the document pages (TRA, readiness brief) in Markdown and
 * HTML, and the PDF page templates. OSCAL carries it in test/report/oscal.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderTraHtml, renderTraMarkdown } from '../../src/azure/tra/document.ts';
import { parseMarking } from '../../src/core/marking.ts';
import { renderDocumentHtml } from '../../src/report/document.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { pageTemplates } from '../../src/report/pdf.ts';
import { jumpBoxTemplate, traOf } from '../azure/tra/templates.ts';
import { runCli } from '../helpers/cli.ts';
import { embeddedData } from '../helpers/report-data.ts';
import { makeAssessment } from './fixture.ts';

const marking = parseMarking({ classification: 'protected', caveats: ['AUSTEO'], imms: ['legal-privilege'] })
  .marking as NonNullable<ReturnType<typeof parseMarking>['marking']>;
const TEXT = 'PROTECTED // AUSTEO // Legal-Privilege';
const LINE = `<p align="center"><strong>${TEXT}</strong></p>`;

/** The first and last non-blank lines. */
function ends(text: string): [string, string] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return [lines[0] as string, lines[lines.length - 1] as string];
}

describe('markings on the human-readable outputs', () => {
  it('the Markdown report opens and closes with the marking, and has none by default', () => {
    const md = renderMarkdown(makeAssessment({ marking }), { color: false });
    assert.deepEqual(ends(md), [LINE, LINE]);
    const plain = renderMarkdown(makeAssessment(), { color: false });
    assert.doesNotMatch(plain, /align="center"/);
    assert.match(ends(plain)[0], /^# assay/);
  });

  it('a document page shows the marking first and last in its body, escaped', () => {
    const html = renderDocumentHtml([{ kind: 'heading', level: 1, text: 'T' }], {
      marking: 'SECRET <b>&</b>',
    });
    const body = html
      .slice(html.indexOf('<body>') + 6, html.indexOf('</body>'))
      .trim()
      .split('\n');
    const expected = '<div class="marking marking-top" role="note">SECRET &lt;b&gt;&amp;&lt;/b&gt;</div>';
    assert.equal(body[0], expected);
    assert.equal(body[body.length - 1], expected.replace('marking-top', 'marking-bottom'));
    assert.doesNotMatch(renderDocumentHtml([{ kind: 'paragraph', text: 'x' }]), /class="marking/);
  });

  it('the TRA document, in Markdown and HTML, is marked at top and bottom', async () => {
    const result = await traOf(jumpBoxTemplate({ rdpSource: '*' }));
    result.assessment.marking = marking;
    const input = { ...result, appetite: result.appetite, generatedAt: '2026-01-01T00:00:00Z' };
    assert.deepEqual(ends(renderTraMarkdown(input)), [LINE, LINE]);
    const html = renderTraHtml(input);
    const tops = html.match(/<div class="marking marking-(top|bottom)" role="note">([^<]*)<\/div>/g) ?? [];
    assert.equal(tops.length, 2);
    assert.ok(html.indexOf('marking-top') < html.indexOf('<h1>'));
    assert.ok(html.indexOf('marking-bottom') > html.lastIndexOf('</table>'));
    for (const t of tops) assert.ok(t.includes(TEXT));
  });

  it('the PDF page templates carry the marking at top and bottom and "page X of Y", escaped', () => {
    const t = pageTemplates('<i>SECRET</i>');
    assert.match(t.headerTemplate, /&lt;i&gt;SECRET&lt;\/i&gt;/);
    assert.match(t.footerTemplate, /&lt;i&gt;SECRET&lt;\/i&gt;/);
    assert.match(
      t.footerTemplate,
      /page <span class="pageNumber"><\/span> of <span class="totalPages"><\/span>/,
    );
    assert.doesNotMatch(pageTemplates(undefined).headerTemplate, /assay-marking/);
    assert.doesNotMatch(t.headerTemplate, /<i>/);
  });

  it('assay report embeds the marking the run recorded, and its own --classification wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-marking-'));
    try {
      const from = join(dir, 'a.json');
      writeFileSync(from, JSON.stringify(makeAssessment({ marking })));
      const embedded = async (extra: string[]) => {
        const out = join(dir, 'r.html');
        const r = await runCli(['report', '--from', from, '--html', out, '--no-sources', ...extra], {
          cwd: dir,
        });
        assert.equal(r.code, 0, r.err);
        const data = JSON.stringify(embeddedData(readFileSync(out, 'utf8')));
        return JSON.parse(/"marking":(\{[^}]*\})/.exec(data)?.[1] ?? 'null') as { text: string } | null;
      };
      assert.equal((await embedded([]))?.text, TEXT);
      assert.equal((await embedded(['--classification', 'secret']))?.text, 'SECRET');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
