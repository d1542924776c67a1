import { type AzureCheck, defineCheck, fail } from './define.ts';

/**
 * Resource types of the classic deployment model (Azure Service Manager) that a template can
 * declare: compute (VMs, cloud services), storage and networking.
 */
const CLASSIC_TYPES = [
  'Microsoft.ClassicCompute/virtualMachines',
  'Microsoft.ClassicCompute/domainNames',
  'Microsoft.ClassicStorage/storageAccounts',
  'Microsoft.ClassicNetwork/virtualNetworks',
  'Microsoft.ClassicNetwork/reservedIps',
  'Microsoft.ClassicNetwork/networkSecurityGroups',
];

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-ASM-001',
    title: 'No classic (Azure Service Manager) compute, storage or network resources',
    severity: 'high',
    rationale:
      'The classic deployment model is retired: IaaS VMs (classic) on 6 September 2023, Cloud Services (classic) ' +
      'and classic storage accounts on 31 August 2024, with classic virtual networks and reserved IPs going with ' +
      'them. Retired resources get no fixes or support, lack Azure Resource Manager features (RBAC per resource, ' +
      'managed identities, private endpoints, policy) and can be stopped by Microsoft. The ISM requires online ' +
      'services that are no longer supported by their vendor to be removed. Any declaration of one fails.',
    remediation:
      'Migrate to Azure Resource Manager resources (virtual machines, Cloud Services (extended support) or App ' +
      'Service, StorageV2 accounts, virtual networks) and remove the classic declarations.',
    references: [
      'https://learn.microsoft.com/azure/virtual-machines/classic-vm-deprecation',
      'https://learn.microsoft.com/azure/cloud-services/cloud-services-choose-me',
      'https://learn.microsoft.com/azure/storage/common/classic-account-migration-overview',
    ],
    resourceTypes: CLASSIC_TYPES,
    evaluate: (r) =>
      fail(r, `${r.type} is a classic (Azure Service Manager) resource, a retired platform`, 'type', {
        type: r.type,
      }),
  }),
];
