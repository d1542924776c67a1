import { runCases } from '../../helpers/check-cases.ts';

const API = '2023-08-01';
const server = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Sql/servers',
  apiVersion: API,
  name: 'sql-data',
  location: 'australiaeast',
  ...extra,
  properties: { version: '12.0', ...properties },
});
const child = (type: string, name: string, properties: Record<string, unknown>) => ({
  type: `Microsoft.Sql/servers/${type}`,
  apiVersion: API,
  name: `sql-data/${name}`,
  dependsOn: ['sql-data'],
  properties,
});
const firewallRule = (start: unknown, end: unknown) =>
  child('firewallRules', 'rule1', { startIpAddress: start, endIpAddress: end });
const stringParam = { p: { type: 'string' } };
const boolParam = { p: { type: 'bool' } };

runCases('AZ-SQL-001', [
  {
    name: 'passes when administrators set Entra-only authentication',
    resources: [
      server({
        administrators: {
          administratorType: 'ActiveDirectory',
          login: 'sql-admins',
          sid: '00000000-0000-0000-0000-000000000000',
          azureADOnlyAuthentication: true,
        },
      }),
    ],
    expect: [{ status: 'pass', at: '"azureADOnlyAuthentication"' }],
  },
  {
    name: 'passes with an azureADOnlyAuthentications child resource',
    resources: [
      server({ administratorLogin: 'admin' }),
      child('azureADOnlyAuthentications', 'Default', { azureADOnlyAuthentication: true }),
    ],
    expect: [{ status: 'pass', at: '"azureADOnlyAuthentication"' }],
  },
  {
    name: 'fails with SQL authentication only',
    resources: [server({ administratorLogin: 'admin', administratorLoginPassword: "[parameters('p')]" })],
    parameters: { p: { type: 'securestring' } },
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'fails when Entra-only is false',
    resources: [server({ administrators: { azureADOnlyAuthentication: false } })],
    expect: [{ status: 'fail', at: '"azureADOnlyAuthentication"' }],
  },
  {
    name: 'fails when the child resource sets false',
    resources: [
      server({}),
      child('azureADOnlyAuthentications', 'Default', { azureADOnlyAuthentication: false }),
    ],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"sql-data"' } }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [server({ administrators: { azureADOnlyAuthentication: "[parameters('p')]" } })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"azureADOnlyAuthentication"' }],
  },
]);

runCases('AZ-SQL-002', [
  {
    name: "passes on '1.2'",
    resources: [server({ minimalTlsVersion: '1.2' })],
    expect: [{ status: 'pass', at: '"minimalTlsVersion"' }],
  },
  {
    name: "fails on '1.0'",
    resources: [server({ minimalTlsVersion: '1.0' })],
    expect: [{ status: 'fail', at: '"minimalTlsVersion"' }],
  },
  {
    name: 'passes when absent: Azure SQL has accepted only TLS 1.2 and later since 2025-08-31 (docs/calibration.md)',
    resources: [server({})],
    expect: [{ status: 'pass', at: '"properties"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [server({ minimalTlsVersion: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"minimalTlsVersion"' }],
  },
]);

runCases('AZ-SQL-003', [
  {
    name: 'passes when disabled',
    resources: [server({ publicNetworkAccess: 'Disabled' })],
    expect: [{ status: 'pass', at: '"publicNetworkAccess"' }],
  },
  {
    name: 'fails when enabled',
    resources: [server({ publicNetworkAccess: 'Enabled' })],
    expect: [{ status: 'fail', at: '"publicNetworkAccess"' }],
  },
  {
    name: 'fails when absent (enabled by default)',
    resources: [server({})],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'is unknown from reference()',
    resources: [server({ publicNetworkAccess: "[reference('net').access]" })],
    expect: [{ status: 'unknown', at: '"publicNetworkAccess"' }],
  },
]);

runCases('AZ-SQL-004', [
  {
    name: 'passes for a narrow range',
    resources: [firewallRule('203.0.113.10', '203.0.113.20')],
    expect: [{ status: 'pass', at: '"startIpAddress"' }],
  },
  {
    name: 'fails for 0.0.0.0-255.255.255.255',
    resources: [firewallRule('0.0.0.0', '255.255.255.255')],
    expect: [{ status: 'fail', at: '"startIpAddress"' }],
  },
  {
    name: 'fails for an inline child rule covering half the internet',
    resources: [
      server(
        {},
        {
          resources: [
            {
              type: 'firewallRules',
              apiVersion: API,
              name: 'wide',
              dependsOn: ['sql-data'],
              properties: { startIpAddress: '0.0.0.0', endIpAddress: '127.255.255.255' },
            },
          ],
        },
      ),
    ],
    expect: [{ status: 'fail', at: '"startIpAddress"' }],
  },
  {
    name: 'is unknown when the end address is a parameter without a value',
    resources: [firewallRule('0.0.0.0', "[parameters('p')]")],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"endIpAddress"' }],
  },
]);

runCases('AZ-SQL-005', [
  {
    name: 'passes for an ordinary rule',
    resources: [firewallRule('203.0.113.10', '203.0.113.10')],
    expect: [{ status: 'pass', at: '"startIpAddress"' }],
  },
  {
    name: 'fails for the allow-Azure-services rule',
    resources: [firewallRule('0.0.0.0', '0.0.0.0')],
    expect: [{ status: 'fail', at: '"startIpAddress"' }],
  },
  {
    name: 'is unknown when the start address comes from reference()',
    resources: [firewallRule("[reference('pip').ipAddress]", '0.0.0.0')],
    expect: [{ status: 'unknown', at: '"startIpAddress"' }],
  },
]);

runCases('AZ-SQL-006', [
  {
    name: 'passes with auditing enabled',
    resources: [
      server({}),
      child('auditingSettings', 'default', { state: 'Enabled', isAzureMonitorTargetEnabled: true }),
    ],
    expect: [{ status: 'pass', at: '"state"' }],
  },
  {
    name: 'passes with extended auditing enabled',
    resources: [server({}), child('extendedAuditingSettings', 'default', { state: 'Enabled' })],
    expect: [{ status: 'pass', at: '"state"' }],
  },
  {
    name: 'fails with auditing disabled',
    resources: [server({}), child('auditingSettings', 'default', { state: 'Disabled' })],
    expect: [{ status: 'fail', at: '"state"' }],
  },
  {
    name: 'fails when no auditing settings are declared',
    resources: [server({})],
    expect: [{ status: 'fail', at: { resource: 'sql-data' } }],
  },
  {
    name: "ignores another server's auditing",
    resources: [
      server({}),
      {
        ...child('auditingSettings', 'default', { state: 'Enabled' }),
        name: 'sql-other/default',
        dependsOn: [],
      },
    ],
    expect: [{ status: 'fail', at: { resource: 'sql-data' } }],
  },
  {
    name: 'is unknown when the state is a parameter without a value',
    resources: [server({}), child('auditingSettings', 'default', { state: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"state"' }],
  },
]);

const tde = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Sql/servers/databases/transparentDataEncryption',
  apiVersion: API,
  name: 'sql-data/appdb/current',
  properties,
});

runCases('AZ-SQL-007', [
  {
    name: 'passes when enabled',
    resources: [tde({ state: 'Enabled' })],
    expect: [{ status: 'pass', at: '"state"' }],
  },
  {
    name: 'fails when disabled',
    resources: [tde({ state: 'Disabled' })],
    expect: [{ status: 'fail', at: '"state"' }],
  },
  {
    name: 'reads the older status property',
    resources: [{ ...tde({ status: 'Disabled' }), apiVersion: '2014-04-01' }],
    expect: [{ status: 'fail', at: '"status"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [tde({ state: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"state"' }],
  },
]);

runCases('AZ-SQL-008', [
  {
    name: 'passes with security alert policies enabled',
    resources: [server({}), child('securityAlertPolicies', 'Default', { state: 'Enabled' })],
    expect: [{ status: 'pass', at: '"state"' }],
  },
  {
    name: 'passes with advanced threat protection enabled',
    resources: [server({}), child('advancedThreatProtectionSettings', 'Default', { state: 'Enabled' })],
    expect: [{ status: 'pass', at: '"state"' }],
  },
  {
    name: 'fails when disabled',
    resources: [server({}), child('securityAlertPolicies', 'Default', { state: 'Disabled' })],
    expect: [{ status: 'fail', at: '"state"' }],
  },
  {
    name: 'fails when not declared',
    resources: [server({})],
    expect: [{ status: 'fail', at: { resource: 'sql-data' } }],
  },
  {
    name: 'is unknown from reference()',
    resources: [server({}), child('securityAlertPolicies', 'Default', { state: "[reference('x').state]" })],
    expect: [{ status: 'unknown', at: '"state"' }],
  },
]);

/** Auditing to a storage account that keeps logs for `retentionDays`. */
const storageAudit = (retentionDays: number) =>
  child('auditingSettings', 'default', {
    state: 'Enabled',
    storageEndpoint: 'https://staudit.blob.core.windows.net/',
    retentionDays,
  });

runCases('AZ-SQL-009', [
  {
    name: 'passes with a year of retention',
    resources: [storageAudit(365)],
    expect: [{ status: 'pass', at: '"retentionDays"' }],
  },
  {
    name: 'passes with unlimited retention (0)',
    resources: [storageAudit(0)],
    expect: [{ status: 'pass', at: '"retentionDays"' }],
  },
  {
    name: 'fails with 30 days',
    resources: [storageAudit(30)],
    expect: [{ status: 'fail', at: '"retentionDays"' }],
  },
  {
    name: 'is not applicable without a storage destination',
    resources: [
      child('auditingSettings', 'default', { state: 'Enabled', isAzureMonitorTargetEnabled: true }),
    ],
    expect: [{ status: 'not-applicable', at: { resource: 'sql-data/default' } }],
  },
  {
    name: 'fails a year of retention when the project asks for 400 days (option minRetentionDays)',
    resources: [storageAudit(365)],
    options: { minRetentionDays: 400 },
    expect: [{ status: 'fail', at: '"retentionDays"' }],
  },
  {
    name: 'still passes unlimited retention (0) whatever the minimum',
    resources: [storageAudit(0)],
    options: { minRetentionDays: 3650 },
    expect: [{ status: 'pass', at: '"retentionDays"' }],
  },
  {
    name: 'is unknown when retention is a parameter without a value',
    resources: [
      child('auditingSettings', 'default', {
        state: 'Enabled',
        storageEndpoint: 'https://staudit.blob.core.windows.net/',
        retentionDays: "[parameters('p')]",
      }),
    ],
    parameters: { p: { type: 'int' } },
    expect: [{ status: 'unknown', at: '"retentionDays"' }],
  },
]);
