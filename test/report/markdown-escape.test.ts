import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPortal } from '../../src/innersource/portal.ts';
import { renderInnerSourceMarkdown } from '../../src/innersource/report.ts';
import { markdownCell, markdownLink, markdownText, markdownUrl } from '../../src/report/markdown-escape.ts';
import { peopleReport } from '../innersource/report-fixture.ts';

const IMG = '<img src=x onerror=alert(1)>';

/** The cells of a Markdown table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('markdown escaper', () => {
  it('makes HTML inert and escapes Markdown punctuation', () => {
    assert.equal(markdownText(IMG), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(markdownText('![x](javascript:alert(1))'), '\\!\\[x\\](javascript:alert(1))');
    assert.equal(markdownText('# *b* _c_ `d` ~e~ a|b \\'), '\\# \\*b\\* \\_c\\_ \\`d\\` \\~e\\~ a\\|b \\\\');
    assert.equal(markdownText('AT&T'), 'AT&amp;T');
  });

  it('keeps a table cell on one line and an inline run on one line', () => {
    assert.equal(markdownCell('a\nb\r\nc'), 'a<br>b<br>c');
    assert.equal(markdownText('a\nb\u2028c'), 'a b c');
    assert.equal(markdownText('ok\u0007\u001b[31m'), 'ok\\[31m');
  });

  it('leaves plain text as it is', () => {
    const plain = 'Storage account st1 allows public network access (australiaeast, 2024-03-01)';
    assert.equal(markdownText(plain), plain);
    assert.equal(markdownCell(plain), plain);
  });

  it('allows only http, https, mailto and relative link targets, encoded', () => {
    assert.equal(markdownUrl('https://e.test/a b(c)'), 'https://e.test/a%20b%28c%29');
    assert.equal(markdownUrl('https://e.test/x\n) [y](z'), 'https://e.test/x%29%20%5By%5D%28z');
    assert.equal(markdownUrl('docs/CONTRIBUTING.md'), 'docs/CONTRIBUTING.md');
    assert.equal(markdownUrl('mailto:a@e.test'), 'mailto:a@e.test');
    assert.equal(markdownUrl('javascript:alert(1)'), undefined);
    assert.equal(markdownUrl(' JaVaScRiPt:alert(1)'), undefined);
    assert.equal(markdownUrl('data:text/html,<b>'), undefined);
    assert.equal(markdownUrl('//evil.test/x'), undefined);
    assert.equal(markdownLink('x', 'javascript:alert(1)'), 'x');
    assert.equal(markdownLink('a]b', 'https://e.test/'), '[a\\]b](https://e.test/)');
  });
});

describe('Markdown outputs', () => {
  it('InnerSource people table: a hostile git author stays one inert cell', () => {
    const md = renderInnerSourceMarkdown(
      peopleReport({ person: `${IMG} | x\n## Owned`, team: '[t](javascript:x)' }),
      {
        color: false,
      },
    );
    assert.doesNotMatch(md, /<img/i);
    assert.doesNotMatch(md, /^## Owned/m);
    assert.doesNotMatch(md, /(?<!\\)\]\(javascript:/);
    const header = md.split('\n').findIndex((l) => l.startsWith('| repository | person |'));
    const row = md.split('\n')[header + 2];
    assert.equal(cells(row).length, 7, row);
    assert.match(row, /&lt;img src=x onerror=alert\(1\)&gt; \\\| x<br>\\#\\# Owned/);
  });

  it('portal: raw HTML in a description and newlines in a remote URL are inert', () => {
    const md = renderPortal(
      'markdown',
      peopleReport({
        description: `${IMG}\n# Heading`,
        remote: 'https://github.com/o/r\n)](javascript:alert(1))',
        guide: 'javascript:alert(2)',
      }),
    );
    assert.doesNotMatch(md, /<img/i);
    assert.doesNotMatch(md, /^# Heading/m);
    assert.doesNotMatch(md, /(?<!\\)\]\(javascript:/);
    const row = md
      .split('\n')
      .find((l) => l.startsWith('| [payments-api]') || l.startsWith('| payments-api'));
    assert.ok(row, md);
    assert.equal(cells(row).length, 7, row);
    // The remote's newline and parentheses cannot end the link early: its target stays one encoded URL.
    assert.match(
      row,
      /^\| \[payments-api\]\(https:\/\/github\.com\/o\/r%29%5D%28javascript:alert%281%29%29\) \|/,
    );
  });
});
