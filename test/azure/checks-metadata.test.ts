import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { isEssentialEightId } from '../../src/controls/essential-eight.ts';
import { SEVERITIES } from '../../src/core/model.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const catalogPath = join(repo, '..', 'shared', 'data', 'ism-oscal', 'ISM_catalog.json');

describe('check metadata', () => {
  it('has at least 60 Azure checks with unique, well-formed ids', () => {
    assert.ok(azureChecks.length >= 60, `only ${azureChecks.length} checks`);
    const ids = azureChecks.map((c) => c.meta.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate check ids');
    for (const id of ids) assert.match(id, /^AZ-[A-Z0-9]+-\d{3}$/);
  });

  it('gives every check a title, severity, rationale, remediation, resource types and ISM controls', () => {
    for (const { meta } of azureChecks) {
      assert.ok(meta.title.length > 10, `${meta.id}: title`);
      assert.ok(SEVERITIES.includes(meta.severity), `${meta.id}: severity ${meta.severity}`);
      assert.ok(meta.rationale.length > 40, `${meta.id}: rationale`);
      assert.ok(meta.remediation.length > 20, `${meta.id}: remediation`);
      // Only checks that read `location`, which any resource may carry, apply to every type.
      assert.ok(
        meta.subjectTypes.length > 0 || meta.tags?.includes('every-resource'),
        `${meta.id}: resource types`,
      );
      assert.ok(
        meta.controls.some((c) => c.startsWith('ism-')),
        `${meta.id}: ISM controls`,
      );
      // ISM ids, then NZISM ids (nzism-<CID>) from src/controls/mappings/nzism.json.
      for (const c of meta.controls) assert.match(c, /^(ism-\d{4}|nzism-\d+)$/, `${meta.id}: control ${c}`);
      for (const e of meta.essentialEight ?? [])
        assert.ok(isEssentialEightId(e), `${meta.id}: Essential Eight id ${e}`);
    }
  });

  it('covers the service areas the issue asks for', () => {
    const types = new Set(azureChecks.flatMap((c) => c.meta.subjectTypes.map((t) => t.toLowerCase())));
    for (const t of [
      'microsoft.storage/storageaccounts',
      'microsoft.keyvault/vaults',
      'microsoft.sql/servers',
      'microsoft.web/sites',
      'microsoft.compute/virtualmachines',
      'microsoft.compute/disks',
      'microsoft.network/networksecuritygroups',
      'microsoft.network/publicipaddresses',
      'microsoft.network/applicationgateways',
      'microsoft.containerservice/managedclusters',
      'microsoft.documentdb/databaseaccounts',
      'microsoft.containerregistry/registries',
      'microsoft.dbforpostgresql/flexibleservers',
      'microsoft.dbformysql/flexibleservers',
      'microsoft.cache/redis',
      'microsoft.eventhub/namespaces',
      'microsoft.servicebus/namespaces',
      'microsoft.apimanagement/service',
      'microsoft.operationalinsights/workspaces',
      'microsoft.insights/diagnosticsettings',
      'microsoft.recoveryservices/vaults',
      'microsoft.apimanagement/service/apis',
      'microsoft.apimanagement/service/backends',
      'microsoft.apimanagement/service/namedvalues',
      'microsoft.apimanagement/service/subscriptions',
      'microsoft.automation/automationaccounts/variables',
      'microsoft.servicefabric/clusters',
      'microsoft.servicefabric/managedclusters',
      'microsoft.classiccompute/virtualmachines',
      'microsoft.classicstorage/storageaccounts',
    ]) {
      assert.ok(types.has(t), `no check reads ${t}`);
    }
  });

  it('has test cases for every check: pass, fail and unknown', () => {
    const dir = join(repo, 'test', 'azure', 'checks');
    const text = readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    for (const { meta } of azureChecks)
      assert.ok(text.includes(`'${meta.id}'`), `${meta.id} has no test cases`);
  });

  it('cites only controls that exist in the ISM OSCAL catalog', (t) => {
    if (!existsSync(catalogPath)) {
      t.skip(`ISM catalog not found at ${catalogPath}; control ids checked for form only`);
      return;
    }
    const known = new Set<string>();
    const walk = (g: { groups?: unknown[]; controls?: { id: string; controls?: unknown[] }[] }) => {
      for (const sub of g.groups ?? []) walk(sub as typeof g);
      for (const c of g.controls ?? []) {
        known.add(c.id);
        walk(c as typeof g);
      }
    };
    walk(JSON.parse(readFileSync(catalogPath, 'utf8')).catalog);
    const missing = azureChecks.flatMap((c) =>
      c.meta.controls
        .filter((id) => id.startsWith('ism-') && !known.has(id))
        .map((id) => `${c.meta.id}: ${id}`),
    );
    assert.deepEqual(missing, []);
  });
});
