import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import type { AzureScanOptions } from '../../../src/azure/scan.ts';
import type { Finding } from '../../../src/core/model.ts';
import { lineOf, runCheck, scanTemplate, templateText } from '../../helpers/arm.ts';

const au = resolveBoundary('au');
const sg = resolveBoundary('sg');

const storage = (location: unknown, sku: unknown = 'Standard_LRS', name = 'stdata') => ({
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: '2023-01-01',
  name,
  location,
  sku: { name: sku },
  kind: 'StorageV2',
  properties: {},
});

async function run(
  checkId: string,
  resources: unknown[],
  scan: AzureScanOptions,
  extra: Record<string, unknown> = {},
): Promise<{ text: string; findings: Finding[] }> {
  const text = templateText(resources, extra);
  return { text, findings: await runCheck(checkId, text, scan) };
}

const statuses = (findings: Finding[]) => findings.map((f) => `${f.status}@${f.location.line}`).sort();

describe('AZ-RES-001', () => {
  it('passes a resource in a region inside the boundary, by programmatic or display name', async () => {
    for (const location of ['australiaeast', 'Australia Southeast']) {
      const { text, findings } = await run('AZ-RES-001', [storage(location)], { boundary: au });
      assert.deepEqual(statuses(findings), [`pass@${lineOf(text, '"location"')}`]);
    }
  });

  it('fails a resource outside the boundary, naming the region and where it is', async () => {
    const { text, findings } = await run('AZ-RES-001', [storage('eastus')], { boundary: au });
    assert.deepEqual(statuses(findings), [`fail@${lineOf(text, '"location": "eastus"')}`]);
    assert.match(findings[0]!.message, /East US \(eastus\), Virginia, is outside boundary au/);
  });

  it('is unknown when the location is resourceGroup().location and the run does not set it', async () => {
    const resources = [storage('[resourceGroup().location]')];
    const { text, findings } = await run('AZ-RES-001', resources, { boundary: au });
    assert.deepEqual(statuses(findings), [`unknown@${lineOf(text, '"location"')}`]);
    assert.match(findings[0]!.message, /resourceGroup\(\)\.location.*--location/);
  });

  it('judges resourceGroup().location by the configured resource-group location', async () => {
    const resources = [storage('[resourceGroup().location]')];
    const inside = await run('AZ-RES-001', resources, {
      boundary: au,
      scope: { resourceGroupLocation: 'australiaeast' },
    });
    assert.equal(inside.findings[0]!.status, 'pass');
    const outside = await run('AZ-RES-001', resources, {
      boundary: au,
      scope: { resourceGroupLocation: 'westeurope' },
    });
    assert.equal(outside.findings[0]!.status, 'fail');
  });

  it('is unknown, with the reason, when the location is a parameter with no value', async () => {
    const { text, findings } = await run(
      'AZ-RES-001',
      [storage("[parameters('where')]")],
      { boundary: au },
      { parameters: { where: { type: 'string' } } },
    );
    assert.deepEqual(statuses(findings), [`unknown@${lineOf(text, '"location": "[parameters')}`]);
    assert.match(findings[0]!.message, /where/);
  });

  it('is unknown for a region assay does not know, and silent for global and location-less resources', async () => {
    const { findings } = await run(
      'AZ-RES-001',
      [
        storage('marsnorth'),
        {
          type: 'Microsoft.Network/dnsZones',
          apiVersion: '2018-05-01',
          name: 'gov.example',
          location: 'global',
        },
        {
          type: 'Microsoft.Authorization/locks',
          apiVersion: '2020-05-01',
          name: 'lock',
          properties: { level: 'CanNotDelete' },
        },
      ],
      { boundary: au },
    );
    assert.deepEqual(
      findings.map((f) => f.status),
      ['unknown'],
    );
    assert.match(findings[0]!.message, /marsnorth/);
  });

  it('judges resource groups and deployments that declare a location', async () => {
    const text = JSON.stringify(
      {
        $schema:
          'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.Resources/resourceGroups',
            apiVersion: '2022-09-01',
            name: 'rg-app',
            location: 'eastus',
          },
          {
            type: 'Microsoft.Resources/deployments',
            apiVersion: '2022-09-01',
            name: 'policies',
            location: 'australiaeast',
            properties: {
              mode: 'Incremental',
              template: {
                $schema:
                  'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
                contentVersion: '1.0.0.0',
                resources: [],
              },
            },
          },
        ],
      },
      null,
      2,
    );
    const findings = await runCheck('AZ-RES-001', text, { boundary: au });
    assert.deepEqual(statuses(findings), [
      `fail@${lineOf(text, '"location": "eastus"')}`,
      `pass@${lineOf(text, '"location": "australiaeast"')}`,
    ]);
    assert.match(findings.find((f) => f.status === 'pass')!.message, /deployment location/);
  });

  it('judges Azure AD B2C by its data-residency geography', async () => {
    const b2c = (location: string) => ({
      type: 'Microsoft.AzureActiveDirectory/b2cDirectories',
      apiVersion: '2021-04-01',
      name: 'agency.onmicrosoft.com',
      location,
      sku: { name: 'PremiumP1', tier: 'A0' },
      properties: { createTenantProperties: { countryCode: 'AU', displayName: 'agency' } },
    });
    assert.equal((await run('AZ-RES-001', [b2c('Australia')], { boundary: au })).findings[0]!.status, 'pass');
    assert.equal(
      (await run('AZ-RES-001', [b2c('United States')], { boundary: au })).findings[0]!.status,
      'fail',
    );
    assert.equal((await run('AZ-RES-001', [b2c('Europe')], { boundary: au })).findings[0]!.status, 'unknown');
  });

  it('does not run without a boundary', async () => {
    const result = await scanTemplate(templateText([storage('eastus')]), { checkIds: ['AZ-RES-001'] });
    assert.deepEqual(result.findings, []);
  });
});

describe('AZ-RES-002', () => {
  it('passes Standard_RAGRS in Australia East against au: the pair is Australia Southeast', async () => {
    const { text, findings } = await run('AZ-RES-002', [storage('australiaeast', 'Standard_RAGRS')], {
      boundary: au,
    });
    assert.deepEqual(statuses(findings), [`pass@${lineOf(text, '"name": "Standard_RAGRS"')}`]);
    assert.match(findings[0]!.message, /Australia Southeast/);
  });

  it('fails Standard_RAGRS in Southeast Asia against sg, naming East Asia as the replica region', async () => {
    const { text, findings } = await run('AZ-RES-002', [storage('southeastasia', 'Standard_RAGRS')], {
      boundary: sg,
    });
    assert.deepEqual(statuses(findings), [`fail@${lineOf(text, '"name": "Standard_RAGRS"')}`]);
    assert.match(findings[0]!.message, /replicates to East Asia \(eastasia\), Hong Kong/);
    assert.equal(findings[0]!.evidence?.secondary, 'eastasia');
  });

  it('passes locally and zone-redundant SKUs anywhere', async () => {
    for (const sku of ['Standard_LRS', 'Standard_ZRS', 'Premium_ZRS']) {
      const { findings } = await run('AZ-RES-002', [storage('southeastasia', sku)], { boundary: sg });
      assert.equal(findings[0]!.status, 'pass', sku);
    }
  });

  it('fails Brazil South GRS against a Brazil boundary from config: the pair is in the US', async () => {
    const br = resolveBoundary('br', { br: { countries: ['BR'] } });
    const { findings } = await run('AZ-RES-002', [storage('brazilsouth', 'Standard_GRS')], { boundary: br });
    assert.equal(findings[0]!.status, 'fail');
    assert.match(findings[0]!.message, /South Central US/);
  });

  it('reads the replication of pre-2016 API versions from properties.accountType', async () => {
    const old = (location: string, accountType: string) => ({
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2015-06-15',
      name: 'stold',
      location,
      properties: { accountType },
    });
    const geo = await run('AZ-RES-002', [old('southeastasia', 'Standard_GRS')], { boundary: sg });
    assert.deepEqual(statuses(geo.findings), [`fail@${lineOf(geo.text, '"accountType"')}`]);
    assert.match(geo.findings[0]!.message, /East Asia/);
    const local = await run('AZ-RES-002', [old('southeastasia', 'Standard_LRS')], { boundary: sg });
    assert.deepEqual(statuses(local.findings), [`pass@${lineOf(local.text, '"accountType"')}`]);
  });

  it('is unknown when the SKU is a parameter with no value, or the region has no pair', async () => {
    const { text, findings } = await run(
      'AZ-RES-002',
      [storage('australiaeast', "[parameters('sku')]")],
      { boundary: au },
      { parameters: { sku: { type: 'string' } } },
    );
    assert.deepEqual(statuses(findings), [`unknown@${lineOf(text, '"name": "[parameters')}`]);
    const nz = await run('AZ-RES-002', [storage('newzealandnorth', 'Standard_GRS')], {
      boundary: resolveBoundary('nz'),
    });
    assert.equal(nz.findings[0]!.status, 'unknown');
    assert.match(nz.findings[0]!.message, /no paired region/);
  });
});

const cosmos = (properties: Record<string, unknown>, location = 'australiaeast') => ({
  type: 'Microsoft.DocumentDB/databaseAccounts',
  apiVersion: '2024-05-15',
  name: 'cosmos-app',
  location,
  properties: { databaseAccountOfferType: 'Standard', ...properties },
});

describe('AZ-RES-003', () => {
  it('fails a replica location outside the boundary and says writes go there with multi-region writes', async () => {
    const { text, findings } = await run(
      'AZ-RES-003',
      [
        cosmos({
          enableMultipleWriteLocations: true,
          backupPolicy: { type: 'Continuous' },
          locations: [
            { locationName: 'australiaeast', failoverPriority: 0 },
            { locationName: 'westus2', failoverPriority: 1 },
          ],
        }),
      ],
      { boundary: au },
    );
    assert.deepEqual(statuses(findings), [`fail@${lineOf(text, '"locationName": "westus2"')}`]);
    assert.match(findings[0]!.message, /accepts writes there/);
  });

  it('fails default (geo-redundant) periodic backups when the pair is outside, passes continuous backup', async () => {
    const periodic = await run('AZ-RES-003', [cosmos({}, 'southeastasia')], { boundary: sg });
    assert.equal(periodic.findings[0]!.status, 'fail');
    assert.match(periodic.findings[0]!.message, /East Asia/);
    const continuous = await run(
      'AZ-RES-003',
      [cosmos({ backupPolicy: { type: 'Continuous' } }, 'southeastasia')],
      {
        boundary: sg,
      },
    );
    assert.deepEqual(
      continuous.findings.map((f) => f.status),
      ['pass'],
    );
  });

  it('is unknown when the locations come from a parameter with no value', async () => {
    const { text, findings } = await run(
      'AZ-RES-003',
      [cosmos({ backupPolicy: { type: 'Continuous' }, locations: "[parameters('regions')]" })],
      { boundary: au },
      { parameters: { regions: { type: 'array' } } },
    );
    assert.deepEqual(statuses(findings), [`unknown@${lineOf(text, '"locations"')}`]);
  });
});

const sqlServer = (name: string, location: string) => ({
  type: 'Microsoft.Sql/servers',
  apiVersion: '2023-05-01-preview',
  name,
  location,
  properties: { administratorLogin: 'x' },
});
const database = (location: string, properties: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Sql/servers/databases',
  apiVersion: '2023-05-01-preview',
  name: 'sql-app/records',
  location,
  properties,
});

describe('AZ-RES-004', () => {
  it('fails a database whose default geo-redundant backups go to a pair outside the boundary', async () => {
    const { text, findings } = await run('AZ-RES-004', [database('southeastasia')], { boundary: sg });
    assert.deepEqual(statuses(findings), [`fail@${lineOf(text, '"location": "southeastasia"')}`]);
    assert.match(findings[0]!.message, /East Asia/);
  });

  it('passes local backup redundancy and geo backups that stay inside', async () => {
    const local = await run(
      'AZ-RES-004',
      [database('southeastasia', { requestedBackupStorageRedundancy: 'Local' })],
      {
        boundary: sg,
      },
    );
    assert.equal(local.findings[0]!.status, 'pass');
    const inside = await run('AZ-RES-004', [database('australiaeast')], { boundary: au });
    assert.equal(inside.findings[0]!.status, 'pass');
  });

  it('fails a failover partner outside the boundary and is unknown for one not in the scan', async () => {
    const group = (partner: string) => ({
      type: 'Microsoft.Sql/servers/failoverGroups',
      apiVersion: '2023-05-01-preview',
      name: 'sql-app/fog',
      properties: {
        readWriteEndpoint: { failoverPolicy: 'Automatic', failoverWithDataLossGracePeriodMinutes: 60 },
        partnerServers: [{ id: `[resourceId('Microsoft.Sql/servers', '${partner}')]` }],
      },
    });
    const { text, findings } = await run(
      'AZ-RES-004',
      [sqlServer('sql-app', 'australiaeast'), sqlServer('sql-dr', 'westus'), group('sql-dr')],
      { boundary: au },
    );
    assert.deepEqual(statuses(findings), [`fail@${lineOf(text, '"id": "[resourceId')}`]);
    assert.match(findings[0]!.message, /West US/);
    const missing = await run('AZ-RES-004', [sqlServer('sql-app', 'australiaeast'), group('sql-elsewhere')], {
      boundary: au,
    });
    assert.equal(missing.findings[0]!.status, 'unknown');
    assert.match(missing.findings[0]!.message, /not in this scan/);
  });
});

const vault = (location: string, redundancySettings?: unknown) => ({
  type: 'Microsoft.RecoveryServices/vaults',
  apiVersion: '2023-04-01',
  name: 'rsv-app',
  location,
  sku: { name: 'RS0', tier: 'Standard' },
  properties: redundancySettings === undefined ? {} : { redundancySettings },
});

describe('AZ-RES-005', () => {
  it('fails a vault that is geo-redundant by default when the pair is outside, mentioning cross-region restore', async () => {
    const byDefault = await run('AZ-RES-005', [vault('southeastasia')], { boundary: sg });
    assert.equal(byDefault.findings[0]!.status, 'fail');
    const crr = await run(
      'AZ-RES-005',
      [
        vault('southeastasia', {
          standardTierStorageRedundancy: 'GeoRedundant',
          crossRegionRestore: 'Enabled',
        }),
      ],
      { boundary: sg },
    );
    assert.equal(crr.findings[0]!.status, 'fail');
    assert.match(crr.findings[0]!.message, /cross-region restore is enabled/);
    assert.equal(crr.findings[0]!.location.line, lineOf(crr.text, '"standardTierStorageRedundancy"'));
  });

  it('passes zone-redundant vault storage', async () => {
    const { findings } = await run(
      'AZ-RES-005',
      [vault('southeastasia', { standardTierStorageRedundancy: 'ZoneRedundant' })],
      {
        boundary: sg,
      },
    );
    assert.equal(findings[0]!.status, 'pass');
  });

  it('is unknown when the redundancy is a parameter with no value', async () => {
    const { text, findings } = await run(
      'AZ-RES-005',
      [vault('australiaeast', { standardTierStorageRedundancy: "[parameters('redundancy')]" })],
      { boundary: au },
      { parameters: { redundancy: { type: 'string' } } },
    );
    assert.deepEqual(statuses(findings), [`unknown@${lineOf(text, '"standardTierStorageRedundancy"')}`]);
  });
});

const workspace = (name: string, location: string) => ({
  type: 'Microsoft.OperationalInsights/workspaces',
  apiVersion: '2022-10-01',
  name,
  location,
  properties: { sku: { name: 'PerGB2018' } },
});
const diagnostics = (workspaceName: string) => ({
  type: 'Microsoft.Insights/diagnosticSettings',
  apiVersion: '2021-05-01-preview',
  name: 'to-logs',
  scope: 'Microsoft.Storage/storageAccounts/stdata',
  properties: {
    workspaceId: `[resourceId('Microsoft.OperationalInsights/workspaces', '${workspaceName}')]`,
    logs: [{ categoryGroup: 'audit', enabled: true }],
  },
});

describe('AZ-RES-006', () => {
  it('fails logs sent to a workspace outside the boundary', async () => {
    const { text, findings } = await run(
      'AZ-RES-006',
      [storage('australiaeast'), workspace('logs-us', 'eastus'), diagnostics('logs-us')],
      { boundary: au },
    );
    assert.deepEqual(statuses(findings), [`fail@${lineOf(text, '"workspaceId"')}`]);
    assert.match(findings[0]!.message, /another region than stdata/);
  });

  it('passes a workspace in another region inside the boundary, saying so', async () => {
    const { findings } = await run(
      'AZ-RES-006',
      [storage('australiaeast'), workspace('logs-au', 'australiasoutheast'), diagnostics('logs-au')],
      { boundary: au },
    );
    assert.equal(findings[0]!.status, 'pass');
    assert.match(findings[0]!.message, /another region/);
  });

  it('is unknown when the destination is not in the scan', async () => {
    const { findings } = await run('AZ-RES-006', [storage('australiaeast'), diagnostics('central-logs')], {
      boundary: au,
    });
    assert.equal(findings[0]!.status, 'unknown');
    assert.match(findings[0]!.message, /central-logs is not in this scan/);
  });
});

describe('AZ-RES-007', () => {
  it('reports global services as informational findings, and nothing for regional resources', async () => {
    const { text, findings } = await run(
      'AZ-RES-007',
      [
        storage('australiaeast'),
        {
          type: 'Microsoft.Network/trafficManagerProfiles',
          apiVersion: '2022-04-01',
          name: 'tm-portal',
          location: 'global',
          properties: { trafficRoutingMethod: 'Priority' },
        },
        {
          type: 'Microsoft.Cdn/profiles',
          apiVersion: '2023-05-01',
          name: 'fd',
          location: 'Global',
          sku: { name: 'Premium_AzureFrontDoor' },
        },
      ],
      { boundary: au },
    );
    assert.deepEqual(
      statuses(findings),
      [
        `not-applicable@${lineOf(text, '"location": "global"')}`,
        `not-applicable@${lineOf(text, '"location": "Global"')}`,
      ].sort(),
    );
    for (const f of findings) {
      assert.equal(f.severity, 'info');
      assert.match(f.message, /^note: global service: /);
      assert.equal(f.evidence?.register, true);
    }
  });

  it('is never unknown: a global service is reported whatever its location value', async () => {
    const { findings } = await run(
      'AZ-RES-007',
      [
        {
          type: 'Microsoft.Network/dnsZones',
          apiVersion: '2018-05-01',
          name: 'x.example',
          location: "[parameters('l')]",
        },
      ],
      { boundary: au },
      { parameters: { l: { type: 'string' } } },
    );
    assert.deepEqual(
      findings.map((f) => f.status),
      ['not-applicable'],
    );
  });
});
