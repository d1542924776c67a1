/**
 * Issue 17 acceptance: the bundled example's TRA (as the README runs it, `--boundary au`) shows at
 * least one internal data flow and one trust boundary, in the document and in its diagram (the
 * Markdown's Mermaid, the HTML's SVG).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../helpers/cli.ts';

const example = fileURLToPath(new URL('../../../examples/azure', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-tra-example-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe("the bundled example's TRA", () => {
  it('lists a flow and the trust boundaries in the document, and draws both in the Mermaid diagram', async () => {
    const out = join(work, 'tra.md');
    const r = await runCli(['tra', example, '--boundary', 'au', '--no-save', '-f', 'markdown', '-o', out]);
    assert.equal(r.code, 0, r.err);
    const md = readFileSync(out, 'utf8');
    const section = md.slice(md.indexOf('## Data flows and trust boundaries'));
    assert.ok(section.length > 40, 'the section is there');
    assert.match(section, /\| dta-vnet \| virtual network \|/);
    assert.match(section, /\| sovereign boundary au \| sovereign \|/);
    assert.match(section, /\| F1 \| diagnostics: diagnostic logs \| dta-kv-\w+ \| dta-logs \|/);
    const mermaid = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));
    assert.match(mermaid, /subgraph b\d+\["sovereign boundary au"\]/);
    assert.match(mermaid, /-\.->\|"F1 diagnostic logs"\|/);
  });

  it("draws the flow and a boundary box in the HTML document's SVG diagram", async () => {
    const out = join(work, 'tra.html');
    const r = await runCli(['tra', example, '--boundary', 'au', '--no-save', '-f', 'html', '-o', out]);
    assert.equal(r.code, 0, r.err);
    const html = readFileSync(out, 'utf8');
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    assert.match(svg, /<title>trust boundary sovereign boundary au: [^<]*dta-logs/);
    assert.match(svg, /<title>F1 diagnostic logs<\/title>/);
  });
});
