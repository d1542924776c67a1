/**
 * The library entry point, used the way an external project uses it: a separate folder whose
 * node_modules/assay is this package, importing `assay` by name, adding its own check to the
 * built-in ones and rendering a report.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-consumer-'));
after(() => rmSync(work, { recursive: true, force: true }));

const CONSUMER = `
import { azureChecks, defineCheck, fail, pass, renderers, scan, VERSION } from 'assay';

const tagged = defineCheck({
  id: 'ACME-001',
  title: 'Storage accounts carry an owner tag',
  severity: 'low',
  rationale: 'Every account needs an accountable owner.',
  remediation: 'Add tags.owner.',
  controls: ['acme-owner'],
  resourceTypes: ['Microsoft.Storage/storageAccounts'],
  evaluate: (r) => (r.body.tags && typeof r.body.tags === 'object' && 'owner' in r.body.tags ? pass(r, 'owner tag set') : fail(r, 'no owner tag', 'tags')),
});

const { assessment } = await scan([process.argv[2]], { checks: [...azureChecks, tagged], now: '2025-01-01T00:00:00Z' });
const sarif = JSON.parse(renderers.sarif(assessment));
const mine = assessment.findings.filter((f) => f.checkId === 'ACME-001');
console.log(JSON.stringify({
  version: VERSION,
  findings: assessment.findings.length,
  mine: mine.map((f) => [f.status, f.location.file, f.location.line]),
  sarifRules: sarif.runs[0].tool.driver.rules.some((r) => r.id === 'ACME-001'),
}));
`;

describe('library entry point', () => {
  it("is imported by name from another project, runs a user's check beside the built-in ones and renders SARIF", () => {
    mkdirSync(join(work, 'node_modules'), { recursive: true });
    symlinkSync(repo, join(work, 'node_modules', 'assay'), 'dir');
    writeFileSync(join(work, 'package.json'), '{"type":"module","private":true}');
    writeFileSync(join(work, 'consumer.ts'), CONSUMER);
    const tsx = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
    const result = spawnSync(
      process.execPath,
      ['--import', tsx, 'consumer.ts', join(repo, 'examples', 'azure')],
      {
        cwd: work,
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as {
      version: string;
      findings: number;
      mine: [string, string, number][];
      sarifRules: boolean;
    };
    assert.match(out.version, /^\d+\.\d+\.\d+/);
    assert.ok(out.findings > 20);
    assert.equal(out.mine.length, 1, 'the example has one storage account');
    assert.equal(out.mine[0][0], 'fail');
    assert.match(out.mine[0][1], /landing-zone\/azuredeploy\.json$/);
    assert.ok(out.sarifRules, 'the user check is a SARIF rule');
  });
});
