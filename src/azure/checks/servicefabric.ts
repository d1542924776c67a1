import { type AzureCheck, checkProperty, defineCheck } from './define.ts';

const CLUSTER = 'Microsoft.ServiceFabric/clusters';
const MANAGED_CLUSTER = 'Microsoft.ServiceFabric/managedClusters';

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-SF-001',
    title: 'Service Fabric clusters authenticate clients with Microsoft Entra ID',
    severity: 'medium',
    rationale:
      'Without Microsoft Entra ID, people reach Service Fabric Explorer and the management endpoint with client ' +
      'certificates only: a certificate file is shared, copied and rarely revoked, cannot carry multi-factor ' +
      'authentication, and does not name the person using it. With Entra ID, each user signs in with the ' +
      "organisation's identity, conditional access can require multi-factor authentication, and the cluster's " +
      'admin and read-only roles map to Entra app roles. The ISM requires multi-factor authentication for ' +
      'privileged and unprivileged users of systems. Entra ID is not configured unless the template sets it.',
    remediation:
      'Set `properties.azureActiveDirectory` with `tenantId`, `clusterApplication` and `clientApplication` (the ' +
      'Entra app registrations for the cluster and its clients); keep a certificate only for node-to-node and ' +
      'break-glass access.',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.servicefabric/clusters',
      'https://learn.microsoft.com/azure/templates/microsoft.servicefabric/managedclusters',
      'https://learn.microsoft.com/azure/service-fabric/service-fabric-cluster-creation-setup-aad',
    ],
    resourceTypes: [CLUSTER, MANAGED_CLUSTER],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.azureActiveDirectory.tenantId',
        test: (v) => typeof v === 'string' && v.trim() !== '',
        whenMissing: 'fail',
        expectation: 'clients authenticate with Microsoft Entra ID (azureActiveDirectory.tenantId is set)',
      }),
  }),
];
