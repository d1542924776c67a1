import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const registry = (properties: unknown, sku: unknown = 'Premium') => ({
  type: 'Microsoft.ContainerRegistry/registries',
  apiVersion: '2023-07-01',
  name: 'acr',
  location: 'australiaeast',
  sku: { name: sku },
  properties,
});

runCases('AZ-ACR-001', [
  {
    name: 'passes when the admin user is disabled',
    resources: [registry({ adminUserEnabled: false })],
    expect: [['pass', '"adminUserEnabled"']],
  },
  {
    name: 'passes when adminUserEnabled is absent (default false)',
    resources: [registry({ anonymousPullEnabled: false })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails when the admin user is enabled',
    resources: [registry({ adminUserEnabled: true })],
    expect: [['fail', '"adminUserEnabled"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [registry({ adminUserEnabled: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"adminUserEnabled"']],
  },
]);

runCases('AZ-ACR-002', [
  {
    name: 'passes when public network access is disabled',
    resources: [registry({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"publicNetworkAccess"']],
  },
  {
    name: 'passes when the network rule set denies by default',
    resources: [registry({ networkRuleSet: { defaultAction: 'Deny', ipRules: [] } })],
    expect: [['pass', '"defaultAction"']],
  },
  {
    name: 'fails when public access is enabled and the rule set allows',
    resources: [registry({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow' } })],
    expect: [['fail', '"publicNetworkAccess"']],
  },
  {
    name: 'fails with defaults (public, no rule set)',
    resources: [registry({ adminUserEnabled: false })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
    resources: [registry({ publicNetworkAccess: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"publicNetworkAccess"']],
  },
  {
    name: 'is unknown when the default action comes from reference()',
    resources: [registry({ networkRuleSet: { defaultAction: REF } })],
    expect: [['unknown', '"defaultAction"']],
  },
]);

runCases('AZ-ACR-003', [
  {
    name: 'passes when anonymous pull is disabled',
    resources: [registry({ anonymousPullEnabled: false })],
    expect: [['pass', '"anonymousPullEnabled"']],
  },
  {
    name: 'fails when anonymous pull is enabled',
    resources: [registry({ anonymousPullEnabled: true })],
    expect: [['fail', '"anonymousPullEnabled"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [registry({ anonymousPullEnabled: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"anonymousPullEnabled"']],
  },
]);

runCases('AZ-ACR-004', [
  {
    name: 'passes on the Premium SKU',
    resources: [registry({})],
    expect: [['pass', { needle: '"name"', from: '"sku"' }]],
  },
  {
    name: 'fails on the Basic SKU',
    resources: [registry({}, 'Basic')],
    expect: [['fail', { needle: '"name"', from: '"sku"' }]],
  },
  {
    name: 'is unknown when the SKU comes from a parameter without a value',
    resources: [registry({}, P)],
    parameters: noValue('string'),
    expect: [['unknown', { needle: '"name"', from: '"sku"' }]],
  },
]);
