import { runCases } from '../../helpers/check-cases.ts';

// Issue 12, item 11: a VM or scale set declared without a size, an image reference and an OS
// disk create option updates an existing one; its creation-time settings are unknown, not fail.
const updateVm = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Compute/virtualMachines',
  apiVersion: '2024-03-01',
  name: 'vm-existing',
  location: 'australiaeast',
  ...extra,
  properties: { diagnosticsProfile: { bootDiagnostics: { enabled: true } }, ...properties },
});
const updateScaleSet = (virtualMachineProfile: Record<string, unknown>) => ({
  type: 'Microsoft.Compute/virtualMachineScaleSets',
  apiVersion: '2024-03-01',
  name: 'vmss-existing',
  location: 'australiaeast',
  properties: { virtualMachineProfile },
});
const createVm = {
  type: 'Microsoft.Compute/virtualMachines',
  apiVersion: '2024-03-01',
  name: 'vm-new',
  location: 'australiaeast',
  properties: {
    hardwareProfile: { vmSize: 'Standard_D2s_v5' },
    storageProfile: { osDisk: { createOption: 'Attach', managedDisk: { id: 'disk' }, osType: 'Linux' } },
  },
};

runCases('AZ-VM-003', [
  {
    name: 'is unknown on a partial update that leaves encryption at host unset',
    resources: [updateVm({})],
    expect: [{ status: 'unknown', at: { needle: '"properties"', from: '"vm-existing"' } }],
  },
  {
    name: 'is unknown on a partial update of a scale set',
    resources: [updateScaleSet({ diagnosticsProfile: { bootDiagnostics: { enabled: true } } })],
    expect: [{ status: 'unknown', at: '"virtualMachineProfile"' }],
  },
  {
    name: 'still fails an explicit false on a partial update',
    resources: [updateVm({ securityProfile: { encryptionAtHost: false } })],
    expect: [{ status: 'fail', at: '"encryptionAtHost"' }],
  },
  {
    name: 'still fails an unset value on a VM the template creates (attached OS disk)',
    resources: [createVm],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"vm-new"' } }],
  },
]);

runCases('AZ-VM-004', [
  {
    name: 'is unknown on a partial update that leaves the security type unset',
    resources: [updateVm({})],
    expect: [{ status: 'unknown', at: { needle: '"properties"', from: '"vm-existing"' } }],
  },
  {
    name: 'fails an explicit Standard security type on a partial update',
    resources: [updateVm({ securityProfile: { securityType: 'Standard' } })],
    expect: [{ status: 'fail', at: '"securityType"' }],
  },
]);

runCases('AZ-ID-001', [
  {
    name: 'is unknown on a partial update that declares no identity (its extension is given a key)',
    resources: [
      updateVm({}),
      {
        type: 'Microsoft.Compute/virtualMachines/extensions',
        apiVersion: '2024-03-01',
        name: 'vm-existing/script',
        location: 'australiaeast',
        properties: { protectedSettings: { storageAccountKey: 'k' } },
      },
    ],
    expect: [{ status: 'unknown', at: { resource: 'vm-existing' } }],
  },
  {
    name: 'passes a partial update that assigns an identity',
    resources: [updateVm({}, { identity: { type: 'SystemAssigned' } })],
    expect: [{ status: 'pass', at: '"SystemAssigned"' }],
  },
]);
