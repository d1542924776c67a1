import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AZURE_MODEL_SCHEMA, azureModelJson } from '../../src/azure/model-json.ts';
import { scanAzure } from '../../src/azure/scan.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-model-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function model(paths: string[]) {
  const { assessment, resources } = await scanAzure(paths, {
    root: repo,
    checks: [],
    now: '2025-01-01T00:00:00Z',
  });
  return JSON.parse(JSON.stringify(azureModelJson(resources, assessment))) as ReturnType<
    typeof azureModelJson
  >;
}

describe('the normalised Azure model (assay expand)', () => {
  it('lists every resource instance of the bundled examples with its source and relations', async () => {
    const m = await model([join(repo, 'examples/azure')]);
    assert.equal(m.schema, AZURE_MODEL_SCHEMA);
    assert.equal(m.resources.length, 14);
    const byType = (t: string) => m.resources.filter((r) => r.type === t);
    const [server] = byType('Microsoft.Sql/servers');
    const [rule] = byType('Microsoft.Sql/servers/firewallRules');
    assert.equal(rule.relations.parent, server.id);
    assert.equal(rule.relations.parentDeclared, true);
    assert.equal(rule.source.file, 'examples/azure/web-app/modules/sql.json');
    assert.equal(rule.source.line, 24);
    const [vault] = byType('Microsoft.KeyVault/vaults');
    const [diag] = byType('Microsoft.KeyVault/vaults/providers/diagnosticSettings');
    assert.equal(diag.relations.parent, vault.id, 'an extension resource belongs to its scope');
    const [site] = byType('Microsoft.Web/sites');
    const [plan] = byType('Microsoft.Web/serverfarms');
    assert.deepEqual(site.relations.references, [plan.id]);
    assert.equal(byType('Microsoft.Network/networkSecurityGroups').length, 3, 'one entry per copy instance');
  });

  it('writes a value the template cannot decide as $unknown with its reason', async () => {
    const file = join(work, 'unknown.json');
    writeFileSync(
      file,
      JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        parameters: { tls: { type: 'string' } },
        resources: [
          {
            type: 'Microsoft.Storage/storageAccounts',
            apiVersion: '2023-01-01',
            name: 'st1',
            location: 'australiaeast',
            kind: 'StorageV2',
            sku: { name: 'Standard_LRS' },
            properties: { minimumTlsVersion: "[parameters('tls')]" },
          },
        ],
      }),
    );
    const m = await model([file]);
    const body = m.resources[0].body as { properties: { minimumTlsVersion: unknown } };
    assert.deepEqual(Object.keys(body.properties.minimumTlsVersion as object), ['$unknown']);
    assert.match((body.properties.minimumTlsVersion as { $unknown: string }).$unknown, /tls/);
  });
});
