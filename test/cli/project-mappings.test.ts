/**
 * A project's own control mapping (`.assay/mappings/*.json`) reaches the findings of every
 * report, not only the compliance matrices: the pipeline maps the checks before they run.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-mappings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('project control mappings in the findings', () => {
  it('adds the project framework ids to the findings of the checks it maps (JSON and SARIF)', async () => {
    mkdirSync(join(dir, '.assay', 'mappings'), { recursive: true });
    writeFileSync(
      join(dir, '.assay', 'mappings', 'acme.json'),
      JSON.stringify({
        framework: 'acme',
        title: 'ACME security standard',
        checks: { 'AZ-STORAGE-001': { controls: ['acme-7'] } },
      }),
    );
    writeFileSync(
      join(dir, 'main.json'),
      JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.Storage/storageAccounts',
            apiVersion: '2023-01-01',
            name: 'weak',
            location: 'australiaeast',
            kind: 'StorageV2',
            sku: { name: 'Standard_LRS' },
            properties: { supportsHttpsTrafficOnly: false },
          },
        ],
      }),
    );
    const cwd = process.cwd();
    const exitCode = process.exitCode;
    process.chdir(dir);
    let code: number;
    try {
      code = await main([
        'scan',
        'main.json',
        '--checks',
        'AZ-STORAGE-001,AZ-STORAGE-002',
        '--no-save',
        '--no-progress',
        '-f',
        'json',
        '-o',
        'out.json',
        '--report',
        'sarif=out.sarif',
      ]);
    } finally {
      process.chdir(cwd);
      process.exitCode = exitCode;
    }
    assert.equal(code, 1, 'the HTTPS check fails');
    const a = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
      findings: { checkId: string; controls: string[] }[];
    };
    const https = a.findings.find((f) => f.checkId === 'AZ-STORAGE-001');
    const tls = a.findings.find((f) => f.checkId === 'AZ-STORAGE-002');
    assert.ok(https?.controls.includes('acme-7'), `mapped: ${https?.controls}`);
    assert.ok(
      https?.controls.some((c) => c.startsWith('ism-')),
      'the built-in ids stay',
    );
    assert.ok(tls && !tls.controls.includes('acme-7'), 'an unmapped check gets no project id');
    assert.match(readFileSync(join(dir, 'out.sarif'), 'utf8'), /acme-7/);
  });
});
