import { runCases } from '../../helpers/check-cases.ts';

const API = '2023-07-01';
const vault = (properties: Record<string, unknown>, apiVersion = API) => ({
  type: 'Microsoft.KeyVault/vaults',
  apiVersion,
  name: 'kv-data',
  location: 'australiaeast',
  properties: {
    tenantId: '[subscription().tenantId]',
    sku: { family: 'A', name: 'standard' },
    ...properties,
  },
});
const boolParam = { p: { type: 'bool' } };
const stringParam = { p: { type: 'string' } };

runCases('AZ-KV-001', [
  {
    name: 'passes when soft delete is enabled',
    resources: [vault({ enableSoftDelete: true })],
    expect: [{ status: 'pass', at: '"enableSoftDelete"' }],
  },
  {
    name: 'passes when absent (on by default)',
    resources: [vault({})],
    expect: [{ status: 'pass', at: '"properties"' }],
  },
  {
    name: 'fails when disabled',
    resources: [vault({ enableSoftDelete: false })],
    expect: [{ status: 'fail', at: '"enableSoftDelete"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [vault({ enableSoftDelete: "[parameters('p')]" })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"enableSoftDelete"' }],
  },
]);

runCases('AZ-KV-002', [
  {
    name: 'passes when purge protection is enabled',
    resources: [vault({ enablePurgeProtection: true })],
    expect: [{ status: 'pass', at: '"enablePurgeProtection"' }],
  },
  {
    name: 'fails when absent',
    resources: [vault({})],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'fails when false',
    resources: [vault({ enablePurgeProtection: false })],
    expect: [{ status: 'fail', at: '"enablePurgeProtection"' }],
  },
  {
    name: 'is unknown from reference()',
    resources: [vault({ enablePurgeProtection: "[reference('settings').purge]" })],
    expect: [{ status: 'unknown', at: '"enablePurgeProtection"' }],
  },
]);

runCases('AZ-KV-003', [
  {
    name: 'passes when RBAC authorisation is enabled',
    resources: [vault({ enableRbacAuthorization: true })],
    expect: [{ status: 'pass', at: '"enableRbacAuthorization"' }],
  },
  {
    name: 'passes when absent on apiVersion 2026-02-01 (RBAC by default)',
    resources: [vault({}, '2026-02-01')],
    expect: [{ status: 'pass', at: '"properties"' }],
  },
  {
    name: 'fails when absent on older API versions (access policies)',
    resources: [vault({ accessPolicies: [] })],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'fails when false',
    resources: [vault({ enableRbacAuthorization: false })],
    expect: [{ status: 'fail', at: '"enableRbacAuthorization"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [vault({ enableRbacAuthorization: "[parameters('p')]" })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"enableRbacAuthorization"' }],
  },
]);

runCases('AZ-KV-004', [
  {
    name: 'passes when public network access is disabled',
    resources: [vault({ publicNetworkAccess: 'Disabled' })],
    expect: [{ status: 'pass', at: '"publicNetworkAccess"' }],
  },
  {
    name: 'passes when the firewall denies by default',
    resources: [vault({ networkAcls: { defaultAction: 'Deny', bypass: 'None' } })],
    expect: [{ status: 'pass', at: '"defaultAction"' }],
  },
  {
    name: 'fails when enabled and the firewall allows',
    resources: [vault({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow' } })],
    expect: [{ status: 'fail', at: '"defaultAction"' }],
  },
  {
    name: 'fails when nothing is set',
    resources: [vault({})],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
    resources: [vault({ publicNetworkAccess: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"publicNetworkAccess"' }],
  },
]);

const key = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.KeyVault/vaults/keys',
  apiVersion: API,
  name: 'kv-data/cmk',
  properties: { kty: 'RSA', keySize: 3072, ...properties },
});
const secret = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.KeyVault/vaults/secrets',
  apiVersion: API,
  name: 'kv-data/db-password',
  properties: { contentType: 'text/plain', ...properties },
});

runCases('AZ-KV-005', [
  {
    name: 'passes when the key has an expiry',
    resources: [key({ attributes: { enabled: true, exp: 1893456000 } })],
    expect: [{ status: 'pass', at: '"exp"' }],
  },
  {
    name: 'passes when a rotation policy sets an expiry',
    resources: [
      key({
        rotationPolicy: {
          attributes: { expiryTime: 'P1Y' },
          lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeBeforeExpiry: 'P30D' } }],
        },
      }),
    ],
    expect: [{ status: 'pass', at: '"expiryTime"' }],
  },
  {
    name: 'fails without an expiry',
    resources: [key({ attributes: { enabled: true } })],
    expect: [{ status: 'fail', at: '"attributes"' }],
  },
  {
    name: 'is unknown when the expiry comes from a parameter without a value',
    resources: [key({ attributes: { exp: "[parameters('p')]" } })],
    parameters: { p: { type: 'int' } },
    expect: [{ status: 'unknown', at: '"exp"' }],
  },
]);

runCases('AZ-KV-006', [
  {
    name: 'passes when the secret has an expiry',
    resources: [secret({ attributes: { exp: 1893456000 } })],
    expect: [{ status: 'pass', at: '"exp"' }],
  },
  {
    name: 'fails without an expiry',
    resources: [secret({})],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'is unknown from reference()',
    resources: [secret({ attributes: { exp: "[reference('x').expiry]" } })],
    expect: [{ status: 'unknown', at: '"exp"' }],
  },
]);
