/** Identity and recovery: role assignments, user-assigned identities, resource groups, Recovery Services vaults. */
import type { Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  type Draft,
  enabled,
  type MappingContext,
  nameOf,
  partText,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const ROLE_ASSIGNMENT = 'Microsoft.Authorization/roleAssignments';

/** Built-in roles by name, so `role_definition_name` reads as ARM's `roleDefinitionId` (the broad ones checks look for). */
const BUILT_IN_ROLES: Record<string, string> = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'user access administrator': '18d7d88d-d35e-4fb5-a5c3-7773c4a72d9d',
  'role based access control administrator': 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
};

function roleDefinitionId(
  i: TerraformInstance,
  ctx: MappingContext,
): { value: Value | undefined; attribute: string } {
  const id = attr(i, 'role_definition_id');
  if (typeof id === 'string') return { value: id, attribute: 'role_definition_id' };
  const name = attr(i, 'role_definition_name');
  if (typeof name === 'string') {
    const guid = BUILT_IN_ROLES[name.toLowerCase()];
    // Role names are unique in a tenant, built-in ones included: a name not in the table is not
    // one of them, and its readable stand-in id says which role it is.
    const value = `/subscriptions/${ctx.scope.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid ?? `{role name: ${name}}`}`;
    return { value, attribute: 'role_definition_name' };
  }
  // A configured id known after apply, or the name known after apply.
  return { value: id ?? name, attribute: id !== undefined ? 'role_definition_id' : 'role_definition_name' };
}

function mapRoleAssignment(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const scope = attr(i, 'scope');
  const name = nameOf(i);
  const id = `${partText(scope, 'scope')}/providers/${ROLE_ASSIGNMENT}/${partText(name, 'name')}`;
  const d = standardDraft(ctx, i, { type: ROLE_ASSIGNMENT, apiVersion: '2022-04-01', name, id });
  d.set('scope', scope, 'scope');
  d.set('properties.scope', scope, 'scope');
  const role = roleDefinitionId(i, ctx);
  d.set('properties.roleDefinitionId', role.value, role.attribute);
  d.copy('properties.principalId', 'principal_id');
  d.copy('properties.principalType', 'principal_type');
  d.copy('properties.condition', 'condition');
  d.copy('properties.conditionVersion', 'condition_version');
  return [d];
}

function mapVault(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: 'Microsoft.RecoveryServices/vaults', apiVersion: '2024-04-01' });
  d.copy('sku.name', 'sku');
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.copy('properties.securitySettings.softDeleteSettings.softDeleteState', 'soft_delete_enabled', enabled);
  d.copy('properties.securitySettings.immutabilitySettings.state', 'immutability');
  d.copy('properties.redundancySettings.standardTierStorageRedundancy', 'storage_mode_type');
  d.copy('properties.redundancySettings.crossRegionRestore', 'cross_region_restore_enabled', enabled);
  return [d];
}

export const identityMappings: TypeMapping[] = [
  { tfType: 'azurerm_role_assignment', armType: ROLE_ASSIGNMENT, map: mapRoleAssignment },
  {
    tfType: 'azurerm_user_assigned_identity',
    armType: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    map: (i, ctx) => [
      standardDraft(ctx, i, {
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        apiVersion: '2023-01-31',
      }),
    ],
  },
  {
    tfType: 'azurerm_resource_group',
    armType: 'Microsoft.Resources/resourceGroups',
    map: (i, ctx) => {
      const name = nameOf(i);
      const id = `/subscriptions/${ctx.scope.subscriptionId}/resourceGroups/${partText(name, 'name')}`;
      return [
        standardDraft(ctx, i, {
          type: 'Microsoft.Resources/resourceGroups',
          apiVersion: '2024-03-01',
          name,
          id,
        }),
      ];
    },
  },
  { tfType: 'azurerm_recovery_services_vault', armType: 'Microsoft.RecoveryServices/vaults', map: mapVault },
];
