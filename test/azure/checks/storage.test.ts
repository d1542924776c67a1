import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineOf, runCheck, scanTemplate, templateText } from '../../helpers/arm.ts';
import { resourceLine, runCases } from '../../helpers/check-cases.ts';

const API = '2023-05-01';
const account = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: API,
  name: 'stdata',
  location: 'australiaeast',
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  ...extra,
  properties,
});
const blobServices = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Storage/storageAccounts/blobServices',
  apiVersion: API,
  name: 'stdata/default',
  dependsOn: ['stdata'],
  properties,
});
const stringParam = { p: { type: 'string' } };
const boolParam = { p: { type: 'bool' } };

runCases('AZ-STORAGE-001', [
  {
    name: 'passes when supportsHttpsTrafficOnly is true',
    resources: [account({ supportsHttpsTrafficOnly: true })],
    expect: [{ status: 'pass', at: '"supportsHttpsTrafficOnly"' }],
  },
  {
    name: 'passes when absent on apiVersion 2019-04-01 or later (default true)',
    resources: [account({ minimumTlsVersion: 'TLS1_2' })],
    expect: [{ status: 'pass', at: '"properties"' }],
  },
  {
    name: 'fails when absent on an older apiVersion (default false)',
    resources: [{ ...account({ minimumTlsVersion: 'TLS1_2' }), apiVersion: '2018-07-01' }],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'fails when false',
    resources: [account({ supportsHttpsTrafficOnly: false })],
    expect: [{ status: 'fail', at: '"supportsHttpsTrafficOnly"' }],
  },
  {
    name: 'is unknown when set from a parameter without a value',
    resources: [account({ supportsHttpsTrafficOnly: "[parameters('p')]" })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"supportsHttpsTrafficOnly"' }],
  },
]);

runCases('AZ-STORAGE-002', [
  {
    name: 'passes on TLS1_2',
    resources: [account({ minimumTlsVersion: 'TLS1_2' })],
    expect: [{ status: 'pass', at: '"minimumTlsVersion"' }],
  },
  {
    name: 'matches property names and values case-insensitively',
    resources: [account({ MinimumTLSVersion: 'tls1_2' })],
    expect: [{ status: 'pass', at: '"MinimumTLSVersion"' }],
  },
  {
    name: 'fails on TLS1_0',
    resources: [account({ minimumTlsVersion: 'TLS1_0' })],
    expect: [{ status: 'fail', at: '"minimumTlsVersion"' }],
  },
  {
    name: 'fails when absent (treated as TLS 1.0)',
    resources: [account({ supportsHttpsTrafficOnly: true })],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'is unknown from reference()',
    resources: [account({ minimumTlsVersion: "[reference('other').tls]" })],
    expect: [{ status: 'unknown', at: '"minimumTlsVersion"' }],
  },
]);

runCases('AZ-STORAGE-003', [
  {
    name: 'passes when false',
    resources: [account({ allowBlobPublicAccess: false })],
    expect: [{ status: 'pass', at: '"allowBlobPublicAccess"' }],
  },
  {
    name: 'passes when absent on apiVersion 2023-01-01 or later',
    resources: [account({ minimumTlsVersion: 'TLS1_2' })],
    expect: [{ status: 'pass', at: '"properties"' }],
  },
  {
    name: 'is unknown when absent on an older apiVersion (the default changed by creation date, docs/calibration.md)',
    resources: [{ ...account({ minimumTlsVersion: 'TLS1_2' }), apiVersion: '2021-09-01' }],
    expect: [{ status: 'unknown', at: '"properties"' }],
  },
  {
    name: 'fails when true',
    resources: [account({ allowBlobPublicAccess: true })],
    expect: [{ status: 'fail', at: '"allowBlobPublicAccess"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [account({ allowBlobPublicAccess: "[parameters('p')]" })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"allowBlobPublicAccess"' }],
  },
]);

runCases('AZ-STORAGE-004', [
  {
    name: 'passes when shared key access is disabled',
    resources: [account({ allowSharedKeyAccess: false })],
    expect: [{ status: 'pass', at: '"allowSharedKeyAccess"' }],
  },
  {
    name: 'fails when absent (default true)',
    resources: [account({ minimumTlsVersion: 'TLS1_2' })],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'fails when true',
    resources: [account({ allowSharedKeyAccess: true })],
    expect: [{ status: 'fail', at: '"allowSharedKeyAccess"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [account({ allowSharedKeyAccess: "[parameters('p')]" })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"allowSharedKeyAccess"' }],
  },
]);

runCases('AZ-STORAGE-005', [
  {
    name: 'passes when public network access is disabled',
    resources: [account({ publicNetworkAccess: 'Disabled' })],
    expect: [{ status: 'pass', at: '"publicNetworkAccess"' }],
  },
  {
    name: 'passes when the firewall denies by default',
    resources: [account({ networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } })],
    expect: [{ status: 'pass', at: '"defaultAction"' }],
  },
  {
    name: 'passes when the firewall denies even though publicNetworkAccess is unknown',
    resources: [
      account({ publicNetworkAccess: "[parameters('p')]", networkAcls: { defaultAction: 'deny' } }),
    ],
    parameters: stringParam,
    expect: [{ status: 'pass', at: '"defaultAction"' }],
  },
  {
    name: 'fails when the firewall allows by default',
    resources: [account({ networkAcls: { defaultAction: 'Allow' } })],
    expect: [{ status: 'fail', at: '"defaultAction"' }],
  },
  {
    name: 'fails when nothing restricts the network',
    resources: [account({ minimumTlsVersion: 'TLS1_2' })],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'is unknown when the default action comes from a parameter without a value',
    resources: [account({ networkAcls: { defaultAction: "[parameters('p')]" } })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"defaultAction"' }],
  },
]);

runCases('AZ-STORAGE-006', [
  {
    name: 'passes with infrastructure encryption',
    resources: [
      account({ encryption: { requireInfrastructureEncryption: true, keySource: 'Microsoft.Storage' } }),
    ],
    expect: [{ status: 'pass', at: '"requireInfrastructureEncryption"' }],
  },
  {
    name: 'passes with a customer-managed key',
    resources: [
      account({
        encryption: {
          keySource: 'Microsoft.Keyvault',
          keyvaultproperties: { keyname: 'k', keyvaulturi: 'https://kv' },
        },
      }),
    ],
    expect: [{ status: 'pass', at: '"keySource"' }],
  },
  {
    name: 'fails with only platform-managed keys',
    resources: [account({ encryption: { keySource: 'Microsoft.Storage' } })],
    expect: [{ status: 'fail', at: '"encryption"' }],
  },
  {
    name: 'is unknown when infrastructure encryption comes from reference()',
    resources: [account({ encryption: { requireInfrastructureEncryption: "[reference('x').enabled]" } })],
    expect: [{ status: 'unknown', at: '"requireInfrastructureEncryption"' }],
  },
]);

runCases('AZ-STORAGE-007', [
  {
    name: 'passes when the blob service enables delete retention',
    resources: [account({}), blobServices({ deleteRetentionPolicy: { enabled: true, days: 14 } })],
    expect: [{ status: 'pass', at: { needle: '"enabled"', from: '"deleteRetentionPolicy"' } }],
  },
  {
    name: 'passes for an inline child blob service',
    resources: [
      account(
        {},
        {
          resources: [
            {
              type: 'blobServices',
              apiVersion: API,
              name: 'default',
              dependsOn: ['stdata'],
              properties: { deleteRetentionPolicy: { enabled: true, days: 7 } },
            },
          ],
        },
      ),
    ],
    expect: [{ status: 'pass', at: { needle: '"enabled"', from: '"deleteRetentionPolicy"' } }],
  },
  {
    name: 'fails when the blob service disables it',
    resources: [account({}), blobServices({ deleteRetentionPolicy: { enabled: false } })],
    expect: [{ status: 'fail', at: { needle: '"enabled"', from: '"deleteRetentionPolicy"' } }],
  },
  {
    name: 'fails when no blob service is declared',
    resources: [account({})],
    expect: [{ status: 'fail', at: { resource: 'stdata' } }],
  },
  {
    name: 'is not applicable to FileStorage accounts',
    resources: [{ ...account({}), kind: 'FileStorage' }],
    expect: [{ status: 'not-applicable', at: { resource: 'stdata' } }],
  },
  {
    name: 'is unknown when enabled comes from a parameter without a value',
    resources: [account({}), blobServices({ deleteRetentionPolicy: { enabled: "[parameters('p')]" } })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: { needle: '"enabled"', from: '"deleteRetentionPolicy"' } }],
  },
]);

runCases('AZ-STORAGE-008', [
  {
    name: 'passes when container delete retention is enabled',
    resources: [account({}), blobServices({ containerDeleteRetentionPolicy: { enabled: true, days: 7 } })],
    expect: [{ status: 'pass', at: { needle: '"enabled"', from: '"containerDeleteRetentionPolicy"' } }],
  },
  {
    name: 'fails when only blob soft delete is set',
    resources: [account({}), blobServices({ deleteRetentionPolicy: { enabled: true } })],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"stdata/default"' } }],
  },
  {
    name: 'is unknown from reference()',
    resources: [account({}), blobServices({ containerDeleteRetentionPolicy: "[reference('x').policy]" })],
    expect: [{ status: 'unknown', at: '"containerDeleteRetentionPolicy"' }],
  },
]);

const fileServices = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Storage/storageAccounts/fileServices',
  apiVersion: API,
  name: 'stdata/default',
  properties,
});

runCases('AZ-STORAGE-009', [
  {
    name: 'passes when share soft delete is enabled',
    resources: [fileServices({ shareDeleteRetentionPolicy: { enabled: true, days: 14 } })],
    expect: [{ status: 'pass', at: '"enabled"' }],
  },
  {
    name: 'fails when disabled',
    resources: [fileServices({ shareDeleteRetentionPolicy: { enabled: false } })],
    expect: [{ status: 'fail', at: '"enabled"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [fileServices({ shareDeleteRetentionPolicy: { enabled: "[parameters('p')]" } })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"enabled"' }],
  },
]);

const container = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
  apiVersion: API,
  name: 'stdata/default/data',
  properties,
});

runCases('AZ-STORAGE-010', [
  {
    name: 'passes when publicAccess is None',
    resources: [container({ publicAccess: 'None' })],
    expect: [{ status: 'pass', at: '"publicAccess"' }],
  },
  {
    name: 'passes when publicAccess is absent',
    resources: [container({ metadata: {} })],
    expect: [{ status: 'pass', at: '"properties"' }],
  },
  {
    name: 'fails when publicAccess is Container',
    resources: [container({ publicAccess: 'Container' })],
    expect: [{ status: 'fail', at: '"publicAccess"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [container({ publicAccess: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"publicAccess"' }],
  },
]);

describe('child resources belong to the template and deployment that declare the parent', () => {
  const enabled = (on: boolean) =>
    templateText([
      account({}),
      blobServices({
        deleteRetentionPolicy: { enabled: on, days: 7 },
        containerDeleteRetentionPolicy: { enabled: on, days: 7 },
      }),
    ]);

  it('gives one outcome per account when two templates use the same names', async () => {
    const first = enabled(true);
    const second = enabled(false);
    const { findings, errors } = await scanTemplate(first, {
      checkIds: ['AZ-STORAGE-007', 'AZ-STORAGE-008'],
      files: { 'second.json': second },
    });
    assert.deepEqual(errors, []);
    const actual = findings
      .map((f) => `${f.checkId} ${f.location.file}:${f.location.line} ${f.status}`)
      .sort();
    const line = (text: string, policy: string) => lineOf(text, '"enabled"', policy);
    assert.deepEqual(actual, [
      `AZ-STORAGE-007 second.json:${line(second, '"deleteRetentionPolicy"')} fail`,
      `AZ-STORAGE-007 template.json:${line(first, '"deleteRetentionPolicy"')} pass`,
      `AZ-STORAGE-008 second.json:${line(second, '"containerDeleteRetentionPolicy"')} fail`,
      `AZ-STORAGE-008 template.json:${line(first, '"containerDeleteRetentionPolicy"')} pass`,
    ]);
  });

  const nested = (resourceGroup?: string) =>
    templateText([
      account({}),
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'inner',
        ...(resourceGroup ? { resourceGroup } : {}),
        properties: {
          mode: 'Incremental',
          expressionEvaluationOptions: { scope: 'inner' },
          template: JSON.parse(
            templateText([blobServices({ deleteRetentionPolicy: { enabled: true, days: 7 } })]),
          ),
        },
      },
    ]);

  it('binds a blob service that a nested deployment declares to the account by resource id', async () => {
    // ARM binds a child to its parent by id, whichever deployment of the tree declares it.
    const text = nested();
    const findings = await runCheck('AZ-STORAGE-007', text);
    assert.deepEqual(
      findings.map((f) => `${f.status}@${f.location.line}`),
      [`pass@${lineOf(text, '"enabled"', '"deleteRetentionPolicy"')}`],
    );
  });

  it('does not bind a nested blob service deployed to another resource group', async () => {
    const text = nested('other-rg');
    const findings = await runCheck('AZ-STORAGE-007', text);
    assert.deepEqual(
      findings.map((f) => `${f.status}@${f.location.line}`),
      [`fail@${resourceLine(text, 'stdata')}`],
    );
  });
});
