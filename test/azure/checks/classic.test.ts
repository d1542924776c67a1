import { runCases } from '../../helpers/check-cases.ts';

const resource = (type: string, name: string) => ({
  type,
  apiVersion: '2016-11-01',
  name,
  location: 'australiaeast',
  properties: {},
});

runCases('AZ-ASM-001', [
  {
    name: 'fails on a classic virtual machine',
    resources: [resource('Microsoft.ClassicCompute/virtualMachines', 'vm-classic')],
    expect: [['fail', '"Microsoft.ClassicCompute/virtualMachines"']],
  },
  {
    name: 'fails on a classic storage account and a classic virtual network, one finding each',
    resources: [
      resource('Microsoft.ClassicStorage/storageAccounts', 'stclassic'),
      resource('Microsoft.ClassicNetwork/virtualNetworks', 'vnet-classic'),
    ],
    expect: [
      ['fail', '"Microsoft.ClassicStorage/storageAccounts"'],
      ['fail', '"Microsoft.ClassicNetwork/virtualNetworks"'],
    ],
  },
  {
    name: 'says nothing about Resource Manager resources',
    resources: [
      resource('Microsoft.Compute/virtualMachines', 'vm'),
      resource('Microsoft.Storage/storageAccounts', 'st'),
    ],
    expect: [],
  },
]);
