import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const cosmos = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.DocumentDB/databaseAccounts',
  apiVersion: '2024-05-15',
  name: 'cosmos',
  location: 'australiaeast',
  kind: 'GlobalDocumentDB',
  properties: { databaseAccountOfferType: 'Standard', ...properties },
});

runCases('AZ-COSMOS-001', [
  {
    name: 'passes when public network access is disabled',
    resources: [cosmos({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"publicNetworkAccess"']],
  },
  {
    name: 'passes when public access is limited by IP rules',
    resources: [cosmos({ publicNetworkAccess: 'Enabled', ipRules: [{ ipAddressOrRange: '203.0.113.10' }] })],
    expect: [['pass', '"ipRules"']],
  },
  {
    name: 'passes when public access is limited by virtual network rules',
    resources: [
      cosmos({
        isVirtualNetworkFilterEnabled: true,
        virtualNetworkRules: [
          {
            id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s',
          },
        ],
      }),
    ],
    expect: [['pass', '"virtualNetworkRules"']],
  },
  {
    name: 'fails when public access is enabled with no rules',
    resources: [cosmos({ publicNetworkAccess: 'Enabled', ipRules: [] })],
    expect: [['fail', '"publicNetworkAccess"']],
  },
  {
    name: 'fails when nothing restricts access (defaults)',
    resources: [cosmos({})],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
    resources: [cosmos({ publicNetworkAccess: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"publicNetworkAccess"']],
  },
  {
    name: 'is unknown when the IP rules come from reference()',
    resources: [cosmos({ publicNetworkAccess: 'Enabled', ipRules: REF })],
    expect: [['unknown', '"ipRules"']],
  },
]);

runCases('AZ-COSMOS-002', [
  {
    name: 'passes when local auth is disabled',
    resources: [cosmos({ disableLocalAuth: true })],
    expect: [['pass', '"disableLocalAuth"']],
  },
  {
    name: 'fails when local auth is enabled',
    resources: [cosmos({ disableLocalAuth: false })],
    expect: [['fail', '"disableLocalAuth"']],
  },
  {
    name: 'fails when absent (keys allowed by default)',
    resources: [cosmos({})],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [cosmos({ disableLocalAuth: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"disableLocalAuth"']],
  },
]);

runCases('AZ-COSMOS-003', [
  {
    name: 'passes when key-based metadata writes are disabled',
    resources: [cosmos({ disableKeyBasedMetadataWriteAccess: true })],
    expect: [['pass', '"disableKeyBasedMetadataWriteAccess"']],
  },
  {
    name: 'fails when key-based metadata writes are allowed',
    resources: [cosmos({ disableKeyBasedMetadataWriteAccess: false })],
    expect: [['fail', '"disableKeyBasedMetadataWriteAccess"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [cosmos({ disableKeyBasedMetadataWriteAccess: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"disableKeyBasedMetadataWriteAccess"']],
  },
]);

runCases('AZ-COSMOS-004', [
  {
    name: 'passes with Tls12',
    resources: [cosmos({ minimalTlsVersion: 'Tls12' })],
    expect: [['pass', '"minimalTlsVersion"']],
  },
  {
    name: 'passes when absent (default Tls12 for new accounts)',
    resources: [cosmos({})],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails with Tls (1.0)',
    resources: [cosmos({ minimalTlsVersion: 'Tls' })],
    expect: [['fail', '"minimalTlsVersion"']],
  },
  {
    name: 'is unknown when the version comes from a parameter without a value',
    resources: [cosmos({ minimalTlsVersion: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"minimalTlsVersion"']],
  },
]);

runCases('AZ-COSMOS-005', [
  {
    name: 'passes with continuous backup',
    resources: [
      cosmos({
        backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous30Days' } },
      }),
    ],
    expect: [['pass', '"type": "Continuous"']],
  },
  {
    name: 'fails with periodic backup',
    resources: [cosmos({ backupPolicy: { type: 'Periodic' } })],
    expect: [['fail', '"type": "Periodic"']],
  },
  {
    name: 'is unknown when the backup type comes from a parameter without a value',
    resources: [cosmos({ backupPolicy: { type: P } })],
    parameters: noValue('string'),
    expect: [['unknown', { needle: '"type"', from: '"backupPolicy"' }]],
  },
]);
