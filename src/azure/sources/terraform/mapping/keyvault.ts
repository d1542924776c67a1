/** Key Vault: vaults, keys and secrets (never a secret's value). */
import { Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  block,
  childDraft,
  type Draft,
  enabled,
  listOf,
  type MappingContext,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const VAULT = 'Microsoft.KeyVault/vaults';
const API = '2023-07-01';

function mapVault(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: VAULT, apiVersion: API });
  d.copy('properties.tenantId', 'tenant_id');
  d.copy('properties.sku.name', 'sku_name');
  d.set('properties.sku.family', 'A');
  // azurerm 2.x could turn soft delete off; from 3.0 it is always on and ARM's default (on) applies.
  d.copy('properties.enableSoftDelete', 'soft_delete_enabled');
  d.copy('properties.softDeleteRetentionInDays', 'soft_delete_retention_days');
  d.copy('properties.enablePurgeProtection', 'purge_protection_enabled');
  d.copy('properties.enableRbacAuthorization', ['rbac_authorization_enabled', 'enable_rbac_authorization']);
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.copy('properties.enabledForDeployment', 'enabled_for_deployment');
  d.copy('properties.enabledForDiskEncryption', 'enabled_for_disk_encryption');
  d.copy('properties.enabledForTemplateDeployment', 'enabled_for_template_deployment');
  const acls = block(i, 'network_acls');
  if (acls instanceof Unknown) d.set('properties.networkAcls', acls, 'network_acls');
  else if (acls) {
    d.copy('properties.networkAcls.defaultAction', 'network_acls.0.default_action');
    d.copy('properties.networkAcls.bypass', 'network_acls.0.bypass');
    d.copy(
      'properties.networkAcls.ipRules',
      'network_acls.0.ip_rules',
      listOf((value) => ({ value })),
    );
    d.copy(
      'properties.networkAcls.virtualNetworkRules',
      'network_acls.0.virtual_network_subnet_ids',
      listOf((id) => ({ id })),
    );
  }
  return [d];
}

/** RFC 3339 `expiration_date` -> ARM's `attributes.exp` (seconds since the epoch). */
function epochSeconds(v: Value): Value | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms)
    ? new Unknown(`expiration_date ${JSON.stringify(v)} is not a date`)
    : Math.floor(ms / 1000);
}

/** A key or secret: a child of the vault its `key_vault_id` names. */
function vaultChild(type: string) {
  return (i: TerraformInstance, ctx: MappingContext): Draft[] => {
    const d = childDraft(ctx, i, {
      type,
      apiVersion: API,
      parentAttr: 'key_vault_id',
      parentTypes: ['azurerm_key_vault'],
      parentArm: VAULT,
    });
    d.copy('properties.attributes.exp', 'expiration_date', epochSeconds);
    d.copy('properties.attributes.nbf', 'not_before_date', epochSeconds);
    d.copy('properties.kty', 'key_type');
    d.copy('properties.contentType', 'content_type');
    const rotation = block(i, 'rotation_policy');
    if (rotation instanceof Unknown) d.set('properties.rotationPolicy', rotation, 'rotation_policy');
    else if (rotation)
      d.copy('properties.rotationPolicy.attributes.expiryTime', 'rotation_policy.0.expire_after');
    return [d];
  };
}

export const keyVaultMappings: TypeMapping[] = [
  { tfType: 'azurerm_key_vault', armType: VAULT, map: mapVault },
  { tfType: 'azurerm_key_vault_key', armType: `${VAULT}/keys`, map: vaultChild(`${VAULT}/keys`) },
  { tfType: 'azurerm_key_vault_secret', armType: `${VAULT}/secrets`, map: vaultChild(`${VAULT}/secrets`) },
];
