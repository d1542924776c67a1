/**
 * The TRA of the bundled example lists every internet-exposed path, and only those: checked
 * against what the templates declare (examples/azure).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import { renderTraMarkdown } from '../../../src/azure/tra/document.ts';
import { renderRegisterJson } from '../../../src/azure/tra/register.ts';
import { runTra } from '../../../src/azure/tra/run.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * What the example templates expose to the internet, read from them by hand:
 * - landing-zone: the Log Analytics workspace sets neither publicNetworkAccessForIngestion
 *   nor ...ForQuery (both Enabled by default); the storage account denies by default
 *   (restricted) and the Key Vault disables public access (private). Its NSGs allow 443
 *   and 3389 from the internet, but no public IP or gateway leads to those subnets.
 * - web-app: the App Service has publicNetworkAccess Enabled and httpsOnly (443); the SQL
 *   server (linked module) has publicNetworkAccess Enabled and a firewall rule allowing
 *   0.0.0.0 - 255.255.255.255 (1433).
 */
const KNOWN_EXPOSURE = [
  { target: 'dta-logs', kind: 'public-endpoint', ports: '443' },
  { target: 'citizen-portal', kind: 'public-endpoint', ports: '443' },
  { target: 'citizen-portal-sql-*', kind: 'public-endpoint', ports: '1433' },
];

describe('TRA of the bundled example', async () => {
  const result = await runTra([join(repo, 'examples', 'azure')], {
    root: repo,
    now: '2026-01-01T00:00:00Z',
    boundary: resolveBoundary('au'),
  });
  const name = (id: string) => result.model.nodes.find((n) => n.id === id)?.name ?? id;
  const open = result.model.paths.filter((p) => p.status === 'open');

  it('finds exactly the known internet-exposed paths', () => {
    const found = open
      .map((p) => ({
        target: name(p.target).replace(/^citizen-portal-sql-.*/, 'citizen-portal-sql-*'),
        kind: p.kind,
        ports: p.ports.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(','),
      }))
      .sort((a, b) => a.target.localeCompare(b.target));
    const expected = [...KNOWN_EXPOSURE].sort((a, b) => a.target.localeCompare(b.target));
    assert.deepEqual(found, expected);
    assert.deepEqual(
      result.model.paths.filter((p) => p.status === 'unknown'),
      [],
      'no path of the example is undecided',
    );
  });

  it('lists every one of them in the Markdown TRA, and no other', () => {
    const md = renderTraMarkdown({
      ...result,
      appetite: result.appetite,
      generatedAt: '2026-01-01T00:00:00Z',
    });
    const section = md.slice(md.indexOf('## Internet exposure'), md.indexOf('## Data residency'));
    const rows = section.split('\n').filter((l) => /^\| P\d+ \|/.test(l));
    assert.deepEqual(rows.map((r) => r.split(' | ')[0]?.slice(2)).sort(), open.map((p) => p.id).sort());
    for (const p of open) assert.match(section, new RegExp(`\\| ${p.id} \\| ${name(p.target)} `));
    // The NSGs that allow RDP from the internet without an entry point are named, not hidden.
    assert.match(section, /NSG dta-nsg-web allows 443, 3389 from the internet/);
    assert.match(md, /```mermaid\nflowchart LR/);
  });

  it('keeps the same paths in the JSON register, with the storage restricted and the vault private', () => {
    const json = JSON.parse(renderRegisterJson({ ...result, appetite: result.appetite })) as {
      paths: { id: string; status: string }[];
      nodes: { name: string; exposure?: string }[];
      summary: { openPaths: number };
    };
    assert.equal(json.summary.openPaths, KNOWN_EXPOSURE.length);
    assert.deepEqual(
      json.paths.filter((p) => p.status === 'open').map((p) => p.id),
      open.map((p) => p.id),
    );
    assert.equal(json.nodes.find((n) => n.name.startsWith('dtast'))?.exposure, 'restricted');
    assert.equal(json.nodes.find((n) => n.name.startsWith('dta-kv'))?.exposure, 'private');
  });

  it('is inside the au boundary everywhere', () => {
    const residency = result.assessment.findings.filter((f) => f.checkId.startsWith('AZ-RES-'));
    assert.ok(residency.length > 0);
    assert.deepEqual(
      residency.filter((f) => f.status !== 'pass').map((f) => `${f.checkId} ${f.subject.name}: ${f.message}`),
      [],
    );
  });
});
