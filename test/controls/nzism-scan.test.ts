/**
 * `assay scan --catalog nzism.xml --baseline nzism` in process: an NZISM XML catalog with a
 * few real controls (CIDs as in src/controls/mappings/nzism.json), the bundled Azure example
 * scanned, and the matrix built the way the scan command builds it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import { complianceFor, prepareBaselines } from '../../src/cli/controls.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assay-nzism-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** [CID, paragraph, compliance, text]: controls the NZISM mapping cites, and one no check evidences (4385). */
const CONTROLS: [string, string, string, string][] = [
  ['4385', '13.6.6.C.01', 'Must', 'Agencies MUST sanitise media before reuse.'],
  ['2598', '17.4.16.C.01', 'Should', 'Agencies SHOULD use the current version of TLS.'],
  ['2090', '17.1.55.C.02', 'Must', 'Information in transit is encrypted.'],
  ['7466', '23.4.10.C.01', 'Must', 'Data in public cloud is accessible only as intended.'],
  ['3562', '19.1.12.C.01', 'Must', 'Gateways are configured to limit access.'],
  ['2013', '16.6.10.C.02', 'Should', 'Additional events are logged.'],
  ['7542', '16.1.27.C.02', 'Must Not', 'Agencies MUST NOT use shared credentials for privileged access.'],
];

function nzismXml(): string {
  const paragraphs = CONTROLS.map(
    ([cid, n, level, text]) =>
      `<paragraph title="${n}." classification="All Classifications" compliance="${level}" cid="${cid}"><![CDATA[<p>${text}</p>]]></paragraph>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xml version="3.9"><chapter title="Test"><section title="Test"><subsection title="Rationale &amp; Controls"><block title="Controls">\n${paragraphs}\n</block></subsection></section></chapter></xml>\n`;
}

describe('scan --catalog nzism.xml --baseline nzism', () => {
  it('shows the NZISM controls the checks evidence as assessed, the others not assessed', async () => {
    const catalogFile = join(dir, 'nzism.xml');
    writeFileSync(catalogFile, nzismXml());
    const checks = azureChecks.filter((c) => !c.meta.tags?.includes('residency'));
    const prepared = prepareBaselines(
      ['nzism'],
      catalogFile,
      checks.map((c) => c.meta),
    );
    assert.equal(prepared.baselines[0].withoutCatalog, false);
    const { assessment } = await scanAzure([join(repo, 'examples', 'azure')], {
      root: repo,
      now: '2026-01-01T00:00:00Z',
      checks,
    });
    const [matrix] = complianceFor(prepared, assessment, []);
    assert.equal(matrix.controls.length, CONTROLS.length);
    const status = Object.fromEntries(matrix.controls.map((c) => [c.id, c.status]));
    assert.equal(status['nzism-4385'], 'not-assessed', 'no check evidences media sanitisation');
    const assessed = matrix.controls.filter((c) => c.id !== 'nzism-4385');
    for (const c of assessed) {
      assert.notEqual(c.status, 'not-assessed', `${c.id} is assessed`);
      assert.ok(c.findings.length > 0, `${c.id} has findings`);
    }
    assert.equal(matrix.coverage.assessed, CONTROLS.length - 1);
    const tls = matrix.controls.find((c) => c.id === 'nzism-2598');
    assert.ok(tls?.checks.includes('AZ-STORAGE-002'));
    assert.match(tls?.statement ?? '', /current version of TLS/);
  });
});
