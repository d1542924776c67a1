import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import { renderTraHtml, renderTraMarkdown, type TraReportInput } from '../../../src/azure/tra/document.ts';
import { matrixRows, rate, ratingOf } from '../../../src/azure/tra/matrix.ts';
import { REGISTER_COLUMNS, renderRegisterCsv, renderRegisterJson } from '../../../src/azure/tra/register.ts';
import { csvCell } from '../../../src/report/csv-cell.ts';
import { templateText } from '../../helpers/arm.ts';
import { jumpBoxTemplate, traOf } from './templates.ts';

const HOSTILE = '<script>alert(1)</script>';

async function hostileInput(): Promise<TraReportInput> {
  const text = jumpBoxTemplate({ rdpSource: '*' }).replaceAll('vm-jump', `vm${HOSTILE}`);
  const withStore = JSON.parse(text) as { resources: unknown[] };
  withStore.resources.push({
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-01-01',
    name: '=cmd|calc',
    location: 'eastasia',
    sku: { name: 'Standard_GRS' },
    kind: 'StorageV2',
    properties: {},
  });
  const result = await traOf(JSON.stringify(withStore, null, 2), { boundary: resolveBoundary('au') });
  return { ...result, appetite: result.appetite, generatedAt: '2026-01-01T00:00:00Z' };
}

describe('TRA documents', () => {
  it('escapes every template string in the HTML, which loads nothing and runs nothing', async () => {
    const html = renderTraHtml(await hostileInput());
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /vm&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.match(html, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(html, /\s(src|href)=/);
  });

  it('marks internet exposure and boundary breaches in the diagrams', async () => {
    const input = await hostileInput();
    const md = renderTraMarkdown(input);
    const mermaid = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));
    assert.match(mermaid, /internet-exposed/);
    assert.match(mermaid, /outside boundary: East Asia/);
    assert.match(mermaid, /class n\d+(,n\d+)* breach/);
    assert.doesNotMatch(mermaid, /<script/, 'angle brackets in names become entities');
    assert.match(md, /vm&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'Markdown escapes angle brackets');
    const svg = renderTraHtml(input);
    assert.match(svg, /outside boundary: East Asia/);
    assert.match(svg, /stroke="#c62828" stroke-width="3"/);
  });

  it('writes the register as CSV with a header, one row per threat, and formula-safe cells', async () => {
    const input = await hostileInput();
    const csv = renderRegisterCsv(input);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], REGISTER_COLUMNS.join(','));
    assert.equal(lines.length, input.threats.length + 1);
    assert.ok(
      lines.some((l) => l.includes("'=cmd|calc")),
      'a leading = is neutralised',
    );
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('-1+1'), "'-1+1");
    assert.equal(csvCell(12), '12');
  });

  it('writes the JSON register deterministically', async () => {
    const input = await hostileInput();
    const a = renderRegisterJson(input);
    assert.equal(renderRegisterJson(input), a);
    const doc = JSON.parse(a) as {
      threats: { id: string }[];
      boundary: { name: string };
      summary: { boundaryBreaches: number };
    };
    assert.equal(doc.threats.length, input.threats.length);
    assert.equal(doc.boundary.name, 'au');
    assert.equal(doc.summary.boundaryBreaches, 1);
  });

  it('says residency was not assessed without a boundary', async () => {
    const result = await traOf(templateText([]));
    const md = renderTraMarkdown({ ...result, appetite: result.appetite });
    assert.match(md, /No boundary was given, so the residency checks did not run/);
  });
});

describe('risk matrix', () => {
  it('rates by the documented bands', () => {
    assert.equal(ratingOf(4), 'Low');
    assert.equal(ratingOf(5), 'Medium');
    assert.equal(ratingOf(9), 'Medium');
    assert.equal(ratingOf(10), 'High');
    assert.equal(ratingOf(16), 'High');
    assert.equal(ratingOf(20), 'Extreme');
    assert.deepEqual(rate(7, 0), { likelihood: 5, consequence: 1, score: 5, rating: 'Medium' });
    assert.deepEqual(matrixRows()[0]?.cells, ['Medium', 'High', 'High', 'Extreme', 'Extreme']);
  });
});
