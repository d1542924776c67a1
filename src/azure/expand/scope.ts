import type { SourceLocation } from '../../core/model.ts';
import type { DeploymentScope } from '../expressions/context.ts';
import { Unknown, type Value } from '../expressions/value.ts';

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

/**
 * `deployment().location`: ARM has it only for subscription, management group and tenant
 * deployments (undefined at resource group scope, where reading it stays an error). It is the
 * nested deployment's own location, else the run's, else unknown.
 */
export function deploymentLocation(
  scope: DeploymentScope,
  level: 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant',
  template: SourceLocation,
): Value | undefined {
  if (level === 'resourceGroup') return undefined;
  const known = scope.deploymentLocation ?? scope.resourceGroupLocation;
  return (
    known ||
    new Unknown(
      `deployment().location is the location the ${level} deployment is made in; pass --location to set it`,
      template,
    )
  );
}

/** Does a nested deployment's `resourceGroup` or `subscriptionId` (undefined when absent) keep the current one? */
export function sameName(target: Value | undefined, current: string): boolean {
  if (target === undefined) return true;
  return typeof target === 'string' && target.toLowerCase() === current.toLowerCase();
}
