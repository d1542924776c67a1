import type { DeploymentScope } from '../expressions/context.ts';
import { Unknown } from '../expressions/value.ts';

/**
 * The id ARM gives a resource deployed at resource-group scope (or under an extension
 * scope), e.g. `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default`.
 * An unknown name shows as `{unknown}` so the id stays readable and stable.
 */
export function resourceIdOf(
  scope: DeploymentScope,
  level: 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant',
  type: string,
  name: string | Unknown,
  extensionScope?: string,
): string {
  const [namespace, ...types] = type.split('/');
  const names = name instanceof Unknown ? types.map(() => '{unknown}') : name.split('/');
  let path = `providers/${namespace}`;
  types.forEach((t, i) => {
    path += `/${t}/${names[i] ?? '{unknown}'}`;
  });
  if (extensionScope) {
    const base = extensionScope.startsWith('/')
      ? extensionScope
      : `${rgPrefix(scope)}/providers/${extensionScope}`;
    return `${base.replace(/\/$/, '')}/${path}`;
  }
  switch (level) {
    case 'tenant':
      return `/${path}`;
    case 'managementGroup':
      return `/providers/Microsoft.Management/managementGroups/${scope.managementGroupName}/${path}`;
    case 'subscription':
      return `/subscriptions/${scope.subscriptionId}/${path}`;
    default:
      return `${rgPrefix(scope)}/${path}`;
  }
}

function rgPrefix(scope: DeploymentScope): string {
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroupName}`;
}
