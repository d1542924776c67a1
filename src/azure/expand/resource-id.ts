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
  // Joined once rather than appended piece by piece: the id is then one flat string, which
  // every later lookup and sort by id would otherwise have to flatten first.
  const parts: string[] = [];
  if (extensionScope) {
    const base = extensionScope.startsWith('/')
      ? extensionScope
      : `${rgPrefix(scope)}/providers/${extensionScope}`;
    parts.push(base.replace(/\/$/, ''));
  } else if (level === 'tenant') parts.push('');
  else if (level === 'managementGroup')
    parts.push('', 'providers', 'Microsoft.Management', 'managementGroups', scope.managementGroupName);
  else if (level === 'subscription') parts.push('', 'subscriptions', scope.subscriptionId);
  else parts.push('', 'subscriptions', scope.subscriptionId, 'resourceGroups', scope.resourceGroupName);
  parts.push('providers', namespace as string);
  for (let i = 0; i < types.length; i++) parts.push(types[i] as string, names[i] ?? '{unknown}');
  return parts.join('/');
}

function rgPrefix(scope: DeploymentScope): string {
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroupName}`;
}
