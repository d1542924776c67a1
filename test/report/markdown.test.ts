import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../src/report/index.ts';
import { markdownCell as escapeMarkdown } from '../../src/report/markdown-escape.ts';
import { makeAssessment } from './fixture.ts';

const md = render('markdown', makeAssessment(), { color: false });
const lines = md.split('\n');

/** Cells of a table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

test('title, root, score and counts', () => {
  assert.equal(lines[0], '# assay azure assessment');
  assert.ok(lines.includes('- **Scan root:** examples/app'));
  assert.match(md, /- \*\*Score:\*\* 50% /);
  assert.ok(lines.includes('| Fail | 2 |'));
  assert.ok(lines.includes('| Unknown | 1 |'));
  assert.ok(lines.includes('| High | 1 |'));
  assert.ok(lines.includes('| Medium | 1 |'));
});

test('hostile names and messages cannot inject HTML or break tables', () => {
  assert.ok(!md.includes('<img'));
  assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!md.includes('\u0001'));
  // Every row of every table has as many cells as its header.
  let width = 0;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      width = 0;
      continue;
    }
    const n = cells(line).length;
    if (width === 0) width = n;
    else assert.equal(n, width, line);
  }
  const row = lines.find((l) => l.startsWith('| Medium | AZ-TEST-002'));
  assert.ok(row);
  assert.deepEqual(cells(row).slice(0, 4), [
    'Medium',
    'AZ-TEST-002',
    'a\\|b<br>c\\`d\\`',
    'templates/sub dir/net.json:5',
  ]);
});

test('failed findings table has severity, check, subject, location and message', () => {
  const header = lines.indexOf('| Severity | Check | Subject | Location | Message |');
  assert.ok(header > 0);
  assert.equal(
    lines[header + 2],
    '| High | AZ-TEST-001 | &lt;img src=x onerror=alert(1)&gt; | templates/main.json:12 | supportsHttpsTrafficOnly is false |',
  );
});

test('unknowns with reasons, check errors, waivers, input errors', () => {
  assert.ok(
    lines.some((l) => l.includes('| dynstore |') && l.includes('| reference() to a deployment-time value |')),
  );
  assert.ok(lines.some((l) => l.startsWith('| AZ-TEST-002 | nsg-broken |')));
  assert.ok(
    lines.some(
      (l) =>
        l.includes('| legacystore |') && l.includes('Legacy client; retired by 2026-12; expires 2026-12-31'),
    ),
  );
  assert.ok(
    lines.includes('| templates/bad.json:3:9 | json-syntax | unexpected token } &amp; "quote" &lt;x&gt; |'),
  );
  assert.ok(!md.includes('okstore'), 'passes only with verbose');
  assert.ok(render('markdown', makeAssessment(), { color: false, verbose: true }).includes('| okstore |'));
});

test('escapeMarkdown neutralises links, images, emphasis, code and HTML', () => {
  assert.equal(escapeMarkdown('![x](http://e/a.png)'), '\\!\\[x\\](http://e/a.png)');
  assert.equal(escapeMarkdown('*a* _b_ ~c~ `d` #e \\'), '\\*a\\* \\_b\\_ \\~c\\~ \\`d\\` \\#e \\\\');
  assert.equal(escapeMarkdown('<script>&amp;'), '&lt;script&gt;&amp;amp;');
  assert.equal(escapeMarkdown('a\r\nb\nc\rd'), 'a<br>b<br>c<br>d');
  assert.equal(escapeMarkdown('x|y'), 'x\\|y');
});

test('stable whatever the finding order', () => {
  const shuffled = makeAssessment();
  shuffled.findings = [...shuffled.findings].reverse();
  assert.equal(render('markdown', shuffled, { color: false }), md);
});
