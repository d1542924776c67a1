import { runCases } from '../../helpers/check-cases.ts';

const cluster = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.ServiceFabric/clusters',
  apiVersion: '2023-11-01-preview',
  name: 'sf',
  location: 'australiaeast',
  properties: { managementEndpoint: 'https://sf.australiaeast.cloudapp.azure.com:19080', ...properties },
});
const managedCluster = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.ServiceFabric/managedClusters',
  apiVersion: '2024-04-01',
  name: 'sfmc',
  location: 'australiaeast',
  sku: { name: 'Standard' },
  properties: { dnsName: 'sfmc', adminUserName: 'azureadmin', ...properties },
});
const entra = {
  tenantId: '[subscription().tenantId]',
  clusterApplication: '00000000-0000-0000-0000-000000000001',
  clientApplication: '00000000-0000-0000-0000-000000000002',
};

runCases('AZ-SF-001', [
  {
    name: 'passes when the cluster has an Entra ID tenant',
    resources: [cluster({ azureActiveDirectory: entra })],
    expect: [['pass', '"tenantId"']],
  },
  {
    name: 'passes for a managed cluster with an Entra ID tenant',
    resources: [managedCluster({ azureActiveDirectory: entra })],
    expect: [['pass', '"tenantId"']],
  },
  {
    name: 'fails when azureActiveDirectory is absent (certificates only)',
    resources: [cluster({})],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'fails for a managed cluster with an empty tenant',
    resources: [managedCluster({ azureActiveDirectory: { ...entra, tenantId: '' } })],
    expect: [['fail', '"tenantId"']],
  },
  {
    name: 'is unknown when the tenant comes from a parameter without a value',
    resources: [cluster({ azureActiveDirectory: { ...entra, tenantId: "[parameters('p')]" } })],
    parameters: { p: { type: 'string' } },
    expect: [['unknown', '"tenantId"']],
  },
]);
