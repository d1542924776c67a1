import { runCases } from '../../helpers/check-cases.ts';

const API = '2024-03-01';
const linuxImage = { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' };
const windowsImage = {
  publisher: 'MicrosoftWindowsServer',
  offer: 'WindowsServer',
  sku: '2022-datacenter-azure-edition',
  version: 'latest',
};
const vm = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Compute/virtualMachines',
  apiVersion: API,
  name: 'vm-app',
  location: 'australiaeast',
  properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' }, ...properties },
});
const linuxVm = (linuxConfiguration: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  vm({
    osProfile: { computerName: 'vm-app', adminUsername: 'azureuser', linuxConfiguration },
    storageProfile: { imageReference: linuxImage },
    ...extra,
  });
const windowsVm = (windowsConfiguration: Record<string, unknown>) =>
  vm({
    osProfile: { computerName: 'vm-app', adminUsername: 'azureuser', windowsConfiguration },
    storageProfile: { imageReference: windowsImage },
  });
const scaleSet = (
  properties: Record<string, unknown>,
  virtualMachineProfile: Record<string, unknown> = {},
) => ({
  type: 'Microsoft.Compute/virtualMachineScaleSets',
  apiVersion: API,
  name: 'vmss-app',
  location: 'australiaeast',
  sku: { name: 'Standard_D2s_v5', capacity: 2 },
  properties: { ...properties, virtualMachineProfile },
});
const boolParam = { p: { type: 'bool' } };
const stringParam = { p: { type: 'string' } };

runCases('AZ-VM-001', [
  {
    name: 'passes when password authentication is disabled',
    resources: [linuxVm({ disablePasswordAuthentication: true })],
    expect: [{ status: 'pass', at: '"disablePasswordAuthentication"' }],
  },
  {
    name: 'passes for a scale set',
    resources: [
      scaleSet(
        {},
        {
          osProfile: {
            computerNamePrefix: 'app',
            adminUsername: 'u',
            linuxConfiguration: { disablePasswordAuthentication: true },
          },
        },
      ),
    ],
    expect: [{ status: 'pass', at: '"disablePasswordAuthentication"' }],
  },
  {
    name: 'fails when password authentication is enabled',
    resources: [linuxVm({ disablePasswordAuthentication: false })],
    expect: [{ status: 'fail', at: '"disablePasswordAuthentication"' }],
  },
  {
    name: 'fails for a Linux image without linuxConfiguration (passwords allowed by default)',
    resources: [
      vm({
        osProfile: { computerName: 'vm-app', adminUsername: 'azureuser' },
        storageProfile: { imageReference: linuxImage },
      }),
    ],
    expect: [{ status: 'fail', at: '"osProfile"' }],
  },
  {
    name: 'is not applicable to Windows',
    resources: [windowsVm({ provisionVMAgent: true })],
    expect: [{ status: 'not-applicable', at: { resource: 'vm-app' } }],
  },
  {
    name: 'is not applicable without an OS profile',
    resources: [vm({ storageProfile: { osDisk: { createOption: 'Attach', osType: 'Linux' } } })],
    expect: [{ status: 'not-applicable', at: { resource: 'vm-app' } }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [linuxVm({ disablePasswordAuthentication: "[parameters('p')]" })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"disablePasswordAuthentication"' }],
  },
]);

runCases('AZ-VM-002', [
  {
    name: 'passes for Linux with AutomaticByPlatform',
    resources: [
      linuxVm({ patchSettings: { patchMode: 'AutomaticByPlatform', assessmentMode: 'AutomaticByPlatform' } }),
    ],
    expect: [{ status: 'pass', at: '"patchMode"' }],
  },
  {
    name: 'passes for Windows with AutomaticByPlatform',
    resources: [windowsVm({ patchSettings: { patchMode: 'AutomaticByPlatform' } })],
    expect: [{ status: 'pass', at: '"patchMode"' }],
  },
  {
    name: 'fails for Windows with Manual patching',
    resources: [windowsVm({ enableAutomaticUpdates: false, patchSettings: { patchMode: 'Manual' } })],
    expect: [{ status: 'fail', at: '"patchMode"' }],
  },
  {
    name: 'fails for Linux on the image default',
    resources: [linuxVm({ disablePasswordAuthentication: true })],
    expect: [{ status: 'fail', at: '"linuxConfiguration"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [windowsVm({ patchSettings: { patchMode: "[parameters('p')]" } })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"patchMode"' }],
  },
]);

runCases('AZ-VM-003', [
  {
    name: 'passes with encryption at host',
    resources: [linuxVm({}, { securityProfile: { encryptionAtHost: true } })],
    expect: [{ status: 'pass', at: '"encryptionAtHost"' }],
  },
  {
    name: 'fails when absent',
    resources: [linuxVm({})],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"vm-app"' } }],
  },
  {
    name: 'fails for a scale set with it off',
    resources: [scaleSet({}, { securityProfile: { encryptionAtHost: false } })],
    expect: [{ status: 'fail', at: '"encryptionAtHost"' }],
  },
  {
    name: 'is unknown from reference()',
    resources: [linuxVm({}, { securityProfile: { encryptionAtHost: "[reference('cfg').host]" } })],
    expect: [{ status: 'unknown', at: '"encryptionAtHost"' }],
  },
]);

const trusted = (uefiSettings: Record<string, unknown>, securityType: unknown = 'TrustedLaunch') =>
  linuxVm({}, { securityProfile: { securityType, uefiSettings } });

runCases('AZ-VM-004', [
  {
    name: 'passes with Trusted Launch, Secure Boot and vTPM',
    resources: [trusted({ secureBootEnabled: true, vTpmEnabled: true })],
    expect: [{ status: 'pass', at: '"securityType"' }],
  },
  {
    name: 'fails when Secure Boot is off',
    resources: [trusted({ secureBootEnabled: false, vTpmEnabled: true })],
    expect: [{ status: 'fail', at: '"secureBootEnabled"' }],
  },
  {
    name: 'fails on the Standard security type',
    resources: [trusted({}, 'Standard')],
    expect: [{ status: 'fail', at: '"securityType"' }],
  },
  {
    name: 'fails without a security profile',
    resources: [linuxVm({})],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"vm-app"' } }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [trusted({ secureBootEnabled: true, vTpmEnabled: true }, "[parameters('p')]")],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"securityType"' }],
  },
]);

const disk = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Compute/disks',
  apiVersion: '2023-10-02',
  name: 'disk-data',
  location: 'australiaeast',
  sku: { name: 'Premium_LRS' },
  properties: { creationData: { createOption: 'Empty' }, diskSizeGB: 128, ...properties },
});

runCases('AZ-VM-005', [
  {
    name: 'passes with DenyAll',
    resources: [disk({ networkAccessPolicy: 'DenyAll' })],
    expect: [{ status: 'pass', at: '"networkAccessPolicy"' }],
  },
  {
    name: 'passes with public network access disabled',
    resources: [disk({ publicNetworkAccess: 'Disabled' })],
    expect: [{ status: 'pass', at: '"publicNetworkAccess"' }],
  },
  {
    name: 'fails with AllowAll',
    resources: [disk({ networkAccessPolicy: 'AllowAll' })],
    expect: [{ status: 'fail', at: '"networkAccessPolicy"' }],
  },
  {
    name: 'fails when absent',
    resources: [disk({})],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [disk({ networkAccessPolicy: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"networkAccessPolicy"' }],
  },
]);

runCases('AZ-VM-006', [
  {
    name: 'passes with automatic OS upgrades',
    resources: [
      scaleSet({
        upgradePolicy: { mode: 'Automatic', automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: true } },
      }),
    ],
    expect: [{ status: 'pass', at: '"enableAutomaticOSUpgrade"' }],
  },
  {
    name: 'fails without them',
    resources: [scaleSet({ upgradePolicy: { mode: 'Manual' } })],
    expect: [{ status: 'fail', at: '"upgradePolicy"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [
      scaleSet({
        upgradePolicy: { automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: "[parameters('p')]" } },
      }),
    ],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"enableAutomaticOSUpgrade"' }],
  },
]);
