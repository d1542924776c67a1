import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const workspace = (properties: unknown) => ({
  type: 'Microsoft.OperationalInsights/workspaces',
  apiVersion: '2023-09-01',
  name: 'law',
  location: 'australiaeast',
  properties,
});
const WORKSPACE_ID = "[resourceId('Microsoft.OperationalInsights/workspaces', 'law')]";
const setting = (properties: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Insights/diagnosticSettings',
  apiVersion: '2021-05-01-preview',
  name: 'to-law',
  ...extra,
  properties,
});
const vault = (resources: unknown[] = []) => ({
  type: 'Microsoft.KeyVault/vaults',
  apiVersion: '2023-07-01',
  name: 'kv',
  location: 'australiaeast',
  properties: { tenantId: '[subscription().tenantId]', sku: { family: 'A', name: 'standard' } },
  resources,
});
const auditLogs = { logs: [{ categoryGroup: 'audit', enabled: true }], workspaceId: WORKSPACE_ID };

runCases('AZ-LOG-001', [
  {
    name: 'passes with 365 days retention',
    resources: [workspace({ retentionInDays: 365, sku: { name: 'PerGB2018' } })],
    expect: [['pass', '"retentionInDays"']],
  },
  {
    name: 'fails with 90 days retention (below the ISM 12 months)',
    resources: [workspace({ retentionInDays: 90 })],
    expect: [['fail', '"retentionInDays"']],
  },
  {
    name: 'fails when not set (default 30 days)',
    resources: [workspace({ sku: { name: 'PerGB2018' } })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when retention comes from a parameter without a value',
    resources: [workspace({ retentionInDays: P })],
    parameters: noValue('int'),
    expect: [['unknown', '"retentionInDays"']],
  },
  {
    name: 'fails 365 days when the project asks for two years (option minRetentionDays)',
    resources: [workspace({ retentionInDays: 365, sku: { name: 'PerGB2018' } })],
    options: { minRetentionDays: 730 },
    expect: [['fail', '"retentionInDays"']],
  },
  {
    name: 'passes at exactly the minimum the option sets',
    resources: [workspace({ retentionInDays: 730 })],
    options: { minRetentionDays: 730 },
    expect: [['pass', '"retentionInDays"']],
  },
  {
    name: 'passes 90 days when the project lowers the minimum to 90',
    resources: [workspace({ retentionInDays: 90 })],
    options: { minRetentionDays: 90 },
    expect: [['pass', '"retentionInDays"']],
  },
]);

runCases('AZ-LOG-002', [
  {
    name: 'passes when public ingestion and query are disabled',
    resources: [
      workspace({ publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Disabled' }),
    ],
    expect: [['pass', '"publicNetworkAccessForQuery"']],
  },
  {
    name: 'fails when public query stays enabled',
    resources: [
      workspace({ publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Enabled' }),
    ],
    expect: [['fail', '"publicNetworkAccessForQuery"']],
  },
  {
    name: 'fails when public ingestion is enabled',
    resources: [
      workspace({ publicNetworkAccessForIngestion: 'Enabled', publicNetworkAccessForQuery: 'Disabled' }),
    ],
    expect: [['fail', '"publicNetworkAccessForIngestion"']],
  },
  {
    name: 'is unknown when ingestion access comes from a parameter without a value',
    resources: [workspace({ publicNetworkAccessForIngestion: P, publicNetworkAccessForQuery: 'Disabled' })],
    parameters: noValue('string'),
    expect: [['unknown', '"publicNetworkAccessForIngestion"']],
  },
]);

runCases('AZ-LOG-003', [
  {
    name: 'passes when local authentication is disabled',
    resources: [workspace({ features: { disableLocalAuth: true } })],
    expect: [['pass', '"disableLocalAuth"']],
  },
  {
    name: 'fails when local authentication is enabled',
    resources: [workspace({ features: { disableLocalAuth: false } })],
    expect: [['fail', '"disableLocalAuth"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [workspace({ features: { disableLocalAuth: P } })],
    parameters: noValue('bool'),
    expect: [['unknown', '"disableLocalAuth"']],
  },
]);

runCases('AZ-LOG-004', [
  {
    name: 'passes when a log category is enabled and sent to a workspace',
    resources: [setting(auditLogs, { scope: 'Microsoft.KeyVault/vaults/kv' })],
    expect: [['pass', '"workspaceId"']],
  },
  {
    name: 'fails when only metrics are collected',
    resources: [setting({ metrics: [{ category: 'AllMetrics', enabled: true }], workspaceId: WORKSPACE_ID })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'fails when every log category is disabled',
    resources: [setting({ logs: [{ categoryGroup: 'allLogs', enabled: false }], workspaceId: WORKSPACE_ID })],
    expect: [['fail', '"logs"']],
  },
  {
    name: 'fails when no destination is named',
    resources: [setting({ logs: [{ categoryGroup: 'allLogs', enabled: true }] })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'checks the legacy providers/diagnosticSettings child form',
    resources: [
      vault([
        {
          type: 'providers/diagnosticSettings',
          apiVersion: '2021-05-01-preview',
          name: 'Microsoft.Insights/d',
          dependsOn: ['kv'],
          properties: { logs: [{ category: 'AuditEvent', enabled: true }] },
        },
      ]),
    ],
    expect: [['fail', { needle: '"properties"', from: '"providers/diagnosticSettings"' }]],
  },
  {
    name: 'is unknown when the destination comes from a parameter without a value',
    resources: [setting({ logs: [{ categoryGroup: 'allLogs', enabled: true }], workspaceId: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"workspaceId"']],
  },
  {
    name: 'is unknown when enabled comes from reference()',
    resources: [setting({ logs: [{ categoryGroup: 'allLogs', enabled: REF }], workspaceId: WORKSPACE_ID })],
    expect: [['unknown', '"logs"']],
  },
]);

runCases('AZ-LOG-005', [
  {
    name: 'passes with an extension diagnostic setting scoped to the vault (relative form)',
    resources: [vault(), setting(auditLogs, { scope: 'Microsoft.KeyVault/vaults/kv', dependsOn: ['kv'] })],
    expect: [['pass', { resource: 'kv' }]],
  },
  {
    name: 'passes with a diagnostic setting scoped by full resource id',
    resources: [vault(), setting(auditLogs, { scope: "[resourceId('Microsoft.KeyVault/vaults', 'kv')]" })],
    expect: [['pass', { resource: 'kv' }]],
  },
  {
    name: 'passes with a nested providers/diagnosticSettings child',
    resources: [
      vault([
        {
          type: 'providers/diagnosticSettings',
          apiVersion: '2021-05-01-preview',
          name: 'Microsoft.Insights/audit',
          dependsOn: ['kv'],
          properties: auditLogs,
        },
      ]),
    ],
    expect: [['pass', { resource: 'kv' }]],
  },
  {
    name: 'fails when no diagnostic setting watches the vault',
    resources: [vault(), setting(auditLogs, { scope: 'Microsoft.KeyVault/vaults/another' })],
    expect: [['fail', { resource: 'kv' }]],
  },
  {
    name: 'fails when the only diagnostic setting has no scope (deployment scope)',
    resources: [vault(), setting(auditLogs)],
    expect: [['fail', { resource: 'kv' }]],
  },
  {
    name: 'is unknown when the scope comes from a parameter without a value',
    resources: [vault(), setting(auditLogs, { scope: P })],
    parameters: noValue('string'),
    expect: [['unknown', { resource: 'kv' }]],
  },
]);
