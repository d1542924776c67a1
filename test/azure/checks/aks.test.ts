import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineOf, runCheck, templateText } from '../../helpers/arm.ts';
import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const aks = (properties: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.ContainerService/managedClusters',
  apiVersion: '2024-02-01',
  name: 'aks',
  location: 'australiaeast',
  ...extra,
  properties,
});

runCases('AZ-AKS-001', [
  {
    name: 'passes with managed Entra ID integration',
    resources: [aks({ aadProfile: { managed: true, enableAzureRBAC: true } })],
    expect: [['pass', '"managed"']],
  },
  {
    name: 'fails without an aadProfile',
    resources: [aks({ dnsPrefix: 'aks' })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'fails when managed is false',
    resources: [aks({ aadProfile: { managed: false } })],
    expect: [['fail', '"managed"']],
  },
  {
    name: 'is unknown when the profile comes from a parameter without a value',
    resources: [aks({ aadProfile: P })],
    parameters: noValue('object'),
    expect: [['unknown', '"aadProfile"']],
  },
]);

runCases('AZ-AKS-002', [
  {
    name: 'passes when local accounts are disabled',
    resources: [aks({ disableLocalAccounts: true })],
    expect: [['pass', '"disableLocalAccounts"']],
  },
  {
    name: 'fails when local accounts are enabled',
    resources: [aks({ disableLocalAccounts: false })],
    expect: [['fail', '"disableLocalAccounts"']],
  },
  {
    name: 'fails when disableLocalAccounts is absent (default false)',
    resources: [aks({ dnsPrefix: 'aks' })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [aks({ disableLocalAccounts: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"disableLocalAccounts"']],
  },
]);

runCases('AZ-AKS-003', [
  {
    name: 'passes when enableRBAC is true',
    resources: [aks({ enableRBAC: true })],
    expect: [['pass', '"enableRBAC"']],
  },
  {
    name: 'fails when enableRBAC is false',
    resources: [aks({ enableRBAC: false })],
    expect: [['fail', '"enableRBAC"']],
  },
  {
    name: 'is unknown when enableRBAC comes from reference()',
    resources: [aks({ enableRBAC: REF })],
    expect: [['unknown', '"enableRBAC"']],
  },
]);

runCases('AZ-AKS-004', [
  {
    name: 'passes for a private cluster',
    resources: [aks({ apiServerAccessProfile: { enablePrivateCluster: true } })],
    expect: [['pass', '"enablePrivateCluster"']],
  },
  {
    name: 'passes with authorised IP ranges',
    resources: [aks({ apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] } })],
    expect: [['pass', '"authorizedIPRanges"']],
  },
  {
    name: 'fails for a public API server without ranges',
    resources: [aks({ apiServerAccessProfile: { enablePrivateCluster: false } })],
    expect: [['fail', '"apiServerAccessProfile"']],
  },
  {
    name: 'fails when the authorised ranges include 0.0.0.0/0',
    resources: [aks({ apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24', '0.0.0.0/0'] } })],
    expect: [['fail', '"authorizedIPRanges"']],
  },
  {
    name: 'is unknown when enablePrivateCluster comes from a parameter without a value',
    resources: [aks({ apiServerAccessProfile: { enablePrivateCluster: P } })],
    parameters: noValue('bool'),
    expect: [['unknown', '"enablePrivateCluster"']],
  },
  {
    name: 'is unknown when a range comes from a parameter without a value',
    resources: [aks({ apiServerAccessProfile: { authorizedIPRanges: [P] } })],
    parameters: noValue('string'),
    expect: [['unknown', '"authorizedIPRanges"']],
  },
]);

runCases('AZ-AKS-005', [
  {
    name: 'passes with the azure network policy',
    resources: [aks({ networkProfile: { networkPlugin: 'azure', networkPolicy: 'azure' } })],
    expect: [['pass', '"networkPolicy"']],
  },
  {
    name: 'passes with the Cilium dataplane',
    resources: [aks({ networkProfile: { networkPlugin: 'azure', networkDataplane: 'cilium' } })],
    expect: [['pass', '"networkDataplane"']],
  },
  {
    name: 'fails with networkPolicy none',
    resources: [aks({ networkProfile: { networkPlugin: 'kubenet', networkPolicy: 'none' } })],
    expect: [['fail', '"networkPolicy"']],
  },
  {
    name: 'fails when no network policy is set',
    resources: [aks({ networkProfile: { networkPlugin: 'kubenet' } })],
    expect: [['fail', '"networkProfile"']],
  },
  {
    name: 'is unknown when the policy comes from a parameter without a value',
    resources: [aks({ networkProfile: { networkPolicy: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"networkPolicy"']],
  },
]);

runCases('AZ-AKS-006', [
  {
    name: 'passes with the Azure Policy add-on enabled',
    resources: [aks({ addonProfiles: { azurepolicy: { enabled: true } } })],
    expect: [['pass', '"enabled"']],
  },
  {
    name: 'passes with the add-on key in another case (ARM keys are case-insensitive)',
    resources: [aks({ addonProfiles: { azurePolicy: { enabled: true } } })],
    expect: [['pass', '"enabled"']],
  },
  {
    name: 'fails without the add-on',
    resources: [aks({ addonProfiles: {} })],
    expect: [['fail', '"addonProfiles"']],
  },
  {
    name: 'is unknown when enabled comes from a parameter without a value',
    resources: [aks({ addonProfiles: { azurepolicy: { enabled: P } } })],
    parameters: noValue('bool'),
    expect: [['unknown', '"enabled"']],
  },
]);

runCases('AZ-AKS-007', [
  {
    name: 'passes with the patch upgrade channel',
    resources: [aks({ autoUpgradeProfile: { upgradeChannel: 'patch' } })],
    expect: [['pass', '"upgradeChannel"']],
  },
  {
    name: 'fails with upgradeChannel none',
    resources: [aks({ autoUpgradeProfile: { upgradeChannel: 'none' } })],
    expect: [['fail', '"upgradeChannel"']],
  },
  {
    name: 'fails when no upgrade channel is set (default none)',
    resources: [aks({ dnsPrefix: 'aks' })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the channel comes from a parameter without a value',
    resources: [aks({ autoUpgradeProfile: { upgradeChannel: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"upgradeChannel"']],
  },
]);

runCases('AZ-AKS-008', [
  {
    name: 'passes with the SecurityPatch node OS channel',
    resources: [aks({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'SecurityPatch' } })],
    expect: [['pass', '"nodeOSUpgradeChannel"']],
  },
  {
    name: 'passes when absent (default NodeImage)',
    resources: [aks({ autoUpgradeProfile: { upgradeChannel: 'stable' } })],
    expect: [['pass', '"autoUpgradeProfile"']],
  },
  {
    name: 'fails with the Unmanaged channel',
    resources: [aks({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'Unmanaged' } })],
    expect: [['fail', '"nodeOSUpgradeChannel"']],
  },
  {
    name: 'is unknown when the channel comes from reference()',
    resources: [aks({ autoUpgradeProfile: { nodeOSUpgradeChannel: REF } })],
    expect: [['unknown', '"nodeOSUpgradeChannel"']],
  },
]);

runCases('AZ-AKS-009', [
  {
    name: 'passes with Defender security monitoring enabled',
    resources: [aks({ securityProfile: { defender: { securityMonitoring: { enabled: true } } } })],
    expect: [['pass', '"enabled"']],
  },
  {
    name: 'fails with Defender disabled',
    resources: [aks({ securityProfile: { defender: { securityMonitoring: { enabled: false } } } })],
    expect: [['fail', '"enabled"']],
  },
  {
    name: 'fails without a security profile',
    resources: [aks({ dnsPrefix: 'aks' })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when enabled comes from a parameter without a value',
    resources: [aks({ securityProfile: { defender: { securityMonitoring: { enabled: P } } } })],
    parameters: noValue('bool'),
    expect: [['unknown', '"enabled"']],
  },
]);

runCases('AZ-AKS-010', [
  {
    name: 'passes with the omsagent add-on enabled',
    resources: [
      aks({
        addonProfiles: { omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: 'w' } } },
      }),
    ],
    expect: [['pass', '"enabled"']],
  },
  {
    name: 'fails with the omsagent add-on disabled',
    resources: [aks({ addonProfiles: { omsagent: { enabled: false } } })],
    expect: [['fail', '"enabled"']],
  },
  {
    name: 'is unknown when enabled comes from a parameter without a value',
    resources: [aks({ addonProfiles: { omsagent: { enabled: P } } })],
    parameters: noValue('bool'),
    expect: [['unknown', '"enabled"']],
  },
]);

/** A Premium cluster on long-term support. */
const ltsAks = (kubernetesVersion: string) =>
  aks({ kubernetesVersion, supportPlan: 'AKSLongTermSupport' }, { sku: { name: 'Base', tier: 'Premium' } });

// The scan's clock in these cases is 2026-01-01 (test/helpers/arm.ts).
runCases('AZ-AKS-011', [
  {
    name: 'passes on a version supported on the scan date',
    resources: [aks({ kubernetesVersion: '1.34.2' })],
    expect: [['pass', '"kubernetesVersion"']],
  },
  {
    name: 'passes when no version is set (AKS picks its default)',
    resources: [aks({ dnsPrefix: 'aks' })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'passes past end of life while long-term support lasts',
    resources: [ltsAks('1.30')],
    expect: [['pass', '"kubernetesVersion"']],
  },
  {
    name: 'fails past end of life without long-term support',
    resources: [aks({ kubernetesVersion: '1.30.4' })],
    expect: [['fail', '"kubernetesVersion"']],
  },
  {
    name: 'fails when long-term support has ended too',
    resources: [aks({ kubernetesVersion: '1.27.9', supportPlan: 'AKSLongTermSupport' })],
    expect: [['fail', '"kubernetesVersion"']],
  },
  {
    name: 'fails a version with less support left than the option minSupportDays asks',
    resources: [aks({ kubernetesVersion: '1.34.2' })],
    options: { minSupportDays: 365 },
    expect: [['fail', '"kubernetesVersion"']],
  },
  {
    name: 'passes a version with more support left than minSupportDays',
    resources: [aks({ kubernetesVersion: '1.34.2' })],
    options: { minSupportDays: 300 },
    expect: [['pass', '"kubernetesVersion"']],
  },
  {
    name: 'fails long-term support that ends within minSupportDays',
    resources: [ltsAks('1.30')],
    options: { minSupportDays: 365 },
    expect: [['fail', '"kubernetesVersion"']],
  },
  {
    name: 'fails on a version older than the table',
    resources: [aks({ kubernetesVersion: '1.24' })],
    expect: [['fail', '"kubernetesVersion"']],
  },
  {
    name: 'is unknown when the version comes from a parameter without a value',
    resources: [aks({ kubernetesVersion: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"kubernetesVersion"']],
  },
  {
    name: 'is unknown past end of life when the support plan comes from a parameter without a value',
    resources: [aks({ kubernetesVersion: '1.31', supportPlan: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"supportPlan"']],
  },
  {
    name: 'is unknown on a version newer than the table',
    resources: [aks({ kubernetesVersion: '1.40.0' })],
    expect: [['unknown', '"kubernetesVersion"']],
  },
]);

describe('AZ-AKS-011 follows the scan date', () => {
  it('says how much support is left when minSupportDays fails a version still supported', async () => {
    const text = templateText([aks({ kubernetesVersion: '1.34.2' })]);
    const [finding] = await runCheck('AZ-AKS-011', text, undefined, { minSupportDays: 365 });
    assert.equal(finding!.status, 'fail');
    assert.match(
      finding!.message,
      /reaches end of life on 2026-11-30, fewer than 365 days after the scan date \(minSupportDays\)/,
    );
    assert.equal(finding!.evidence?.supportedUntilAtLeast, '2027-01-01');
  });

  it('fails a version once its end of life has passed', async () => {
    const text = templateText([aks({ kubernetesVersion: '1.34.2' })]);
    const before = await runCheck('AZ-AKS-011', text, { now: '2026-11-30T23:00:00Z' });
    const after = await runCheck('AZ-AKS-011', text, { now: '2026-12-01T00:00:00Z' });
    assert.deepEqual([before.map((f) => f.status), after.map((f) => f.status)], [['pass'], ['fail']]);
    assert.equal(after[0]!.location.line, lineOf(text, '"kubernetesVersion"'));
  });
});
