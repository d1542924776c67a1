import type { DeploymentScope } from '../expressions/context.ts';

/** What `resourceGroup()`, `subscription()` and friends return when the run does not say otherwise. */
export const DEFAULT_SCOPE: DeploymentScope = {
  tenantId: '00000000-0000-0000-0000-000000000000',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  subscriptionDisplayName: 'assay-subscription',
  resourceGroupName: 'assay-rg',
  // Empty means "not configured": resourceGroup().location is then unknown, never a guess.
  resourceGroupLocation: '',
  managementGroupName: 'assay-mg',
  deploymentName: 'assay-deployment',
  environmentName: 'AzureCloud',
};

export function resolveScope(partial: Partial<DeploymentScope> | undefined): DeploymentScope {
  return { ...DEFAULT_SCOPE, ...partial };
}
