import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const EH = 'Microsoft.EventHub/namespaces';
const SB = 'Microsoft.ServiceBus/namespaces';

const namespace = (type: string, properties: unknown, apiVersion = '2024-01-01') => ({
  type,
  apiVersion,
  name: 'ns',
  location: 'australiaeast',
  sku: { name: 'Premium' },
  properties,
});
const ruleSet = (type: string, defaultAction: unknown, name = 'ns/default') => ({
  type: `${type}/networkRuleSets`,
  apiVersion: '2024-01-01',
  name,
  dependsOn: ['ns'],
  properties: { defaultAction, ipRules: [], virtualNetworkRules: [] },
});

for (const [type, id] of [
  [EH, 'AZ-EH-001'],
  [SB, 'AZ-SB-001'],
] as const) {
  runCases(id, [
    {
      name: 'passes when local auth is disabled',
      resources: [namespace(type, { disableLocalAuth: true })],
      expect: [['pass', '"disableLocalAuth"']],
    },
    {
      name: 'fails when local auth is enabled',
      resources: [namespace(type, { disableLocalAuth: false })],
      expect: [['fail', '"disableLocalAuth"']],
    },
    {
      name: 'fails when absent (SAS keys allowed by default)',
      resources: [namespace(type, { minimumTlsVersion: '1.2' })],
      expect: [['fail', '"properties"']],
    },
    {
      name: 'is unknown when the value comes from a parameter without a value',
      resources: [namespace(type, { disableLocalAuth: P })],
      parameters: noValue('bool'),
      expect: [['unknown', '"disableLocalAuth"']],
    },
  ]);
}

for (const [type, id] of [
  [EH, 'AZ-EH-002'],
  [SB, 'AZ-SB-002'],
] as const) {
  runCases(id, [
    {
      name: 'passes with minimumTlsVersion 1.2',
      resources: [namespace(type, { minimumTlsVersion: '1.2' })],
      expect: [['pass', '"minimumTlsVersion"']],
    },
    {
      name: 'passes when absent on an API version that defaults to 1.2',
      resources: [namespace(type, { disableLocalAuth: true })],
      expect: [['pass', '"properties"']],
    },
    {
      name: 'fails when absent on an older API version (default 1.0)',
      resources: [namespace(type, { disableLocalAuth: true }, '2021-11-01')],
      expect: [['fail', '"properties"']],
    },
    {
      name: 'fails with minimumTlsVersion 1.0',
      resources: [namespace(type, { minimumTlsVersion: '1.0' })],
      expect: [['fail', '"minimumTlsVersion"']],
    },
    {
      name: 'is unknown when the version comes from a parameter without a value',
      resources: [namespace(type, { minimumTlsVersion: P })],
      parameters: noValue('string'),
      expect: [['unknown', '"minimumTlsVersion"']],
    },
  ]);
}

for (const [type, id] of [
  [EH, 'AZ-EH-003'],
  [SB, 'AZ-SB-003'],
] as const) {
  runCases(id, [
    {
      name: 'passes when public network access is disabled',
      resources: [namespace(type, { publicNetworkAccess: 'Disabled' })],
      expect: [['pass', '"publicNetworkAccess"']],
    },
    {
      name: 'passes when a network rule set denies by default',
      resources: [namespace(type, { publicNetworkAccess: 'Enabled' }), ruleSet(type, 'Deny')],
      expect: [['pass', '"publicNetworkAccess"']],
    },
    {
      name: 'fails when public access is enabled and the rule set allows',
      resources: [namespace(type, { publicNetworkAccess: 'Enabled' }), ruleSet(type, 'Allow')],
      expect: [['fail', '"publicNetworkAccess"']],
    },
    {
      name: 'fails when a deny rule set belongs to another namespace',
      resources: [
        namespace(type, { publicNetworkAccess: 'Enabled' }),
        ruleSet(type, 'Deny', 'other/default'),
      ],
      expect: [['fail', '"publicNetworkAccess"']],
    },
    {
      name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
      resources: [namespace(type, { publicNetworkAccess: P })],
      parameters: noValue('string'),
      expect: [['unknown', '"publicNetworkAccess"']],
    },
    {
      name: 'is unknown when the rule set default action comes from reference()',
      resources: [namespace(type, { publicNetworkAccess: 'Enabled' }), ruleSet(type, REF)],
      expect: [['unknown', '"publicNetworkAccess"']],
    },
  ]);
}
