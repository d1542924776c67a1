/** Storage: accounts, their split-out network rules and customer-managed key, blob and file services, containers. */
import { Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  block,
  childIdOf,
  childName,
  Draft,
  enabled,
  inBlock,
  listOf,
  type MappingContext,
  nameOf,
  parentDraft,
  resourceId,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const ACCOUNT = 'Microsoft.Storage/storageAccounts';
const BLOB_SERVICES = `${ACCOUNT}/blobServices`;
const FILE_SERVICES = `${ACCOUNT}/fileServices`;
const CONTAINERS = `${BLOB_SERVICES}/containers`;
const API = '2023-05-01';
const TF_ACCOUNT = ['azurerm_storage_account'];

/** `account_tier` + `account_replication_type` -> ARM's `sku.name` (`Standard_LRS`). */
function skuName(i: TerraformInstance): Value | undefined {
  const tier = attr(i, 'account_tier');
  const replication = attr(i, 'account_replication_type');
  if (tier instanceof Unknown) return tier;
  if (replication instanceof Unknown) return replication;
  return typeof tier === 'string' && typeof replication === 'string' ? `${tier}_${replication}` : undefined;
}

/** The firewall of `network_rules` (inline or split out) as ARM's `networkAcls`. */
function setNetworkAcls(d: Draft, i: TerraformInstance, prefix: string): void {
  d.copy('properties.networkAcls.defaultAction', `${prefix}default_action`);
  d.copy('properties.networkAcls.bypass', `${prefix}bypass`, (v) =>
    Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : v,
  );
  d.copy(
    'properties.networkAcls.ipRules',
    `${prefix}ip_rules`,
    listOf((value) => ({ value, action: 'Allow' })),
  );
  d.copy(
    'properties.networkAcls.virtualNetworkRules',
    `${prefix}virtual_network_subnet_ids`,
    listOf((id) => ({ id, action: 'Allow' })),
  );
  void i;
}

function mapAccount(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: ACCOUNT, apiVersion: API });
  d.copy('kind', 'account_kind');
  const sku = skuName(i);
  d.set('sku.name', sku, 'account_replication_type');
  d.copy('properties.accessTier', 'access_tier');
  d.copy('properties.supportsHttpsTrafficOnly', ['https_traffic_only_enabled', 'enable_https_traffic_only']);
  d.copy('properties.minimumTlsVersion', 'min_tls_version');
  d.copy('properties.allowBlobPublicAccess', ['allow_nested_items_to_be_public', 'allow_blob_public_access']);
  d.copy('properties.allowSharedKeyAccess', 'shared_access_key_enabled');
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.copy('properties.isHnsEnabled', 'is_hns_enabled');
  d.copy('properties.encryption.requireInfrastructureEncryption', 'infrastructure_encryption_enabled');
  const cmk = attr(i, 'customer_managed_key');
  if (cmk instanceof Unknown) d.set('properties.encryption.keySource', cmk, 'customer_managed_key');
  else if (Array.isArray(cmk) && cmk.length > 0) {
    d.set('properties.encryption.keySource', 'Microsoft.Keyvault', 'customer_managed_key');
  }
  const rules = block(i, 'network_rules');
  if (rules instanceof Unknown) d.set('properties.networkAcls', rules, 'network_rules');
  else if (rules) setNetworkAcls(d, i, 'network_rules.0.');
  const out = [d];
  const blob = block(i, 'blob_properties');
  if (blob !== undefined) out.push(blobService(i, d, blob));
  const share = block(i, 'share_properties');
  if (share !== undefined) out.push(fileService(i, d, share));
  return out;
}

/** A `*_retention_policy` block as ARM's `{ enabled, days }`: present means enabled. */
function retention(b: ReturnType<typeof block>, name: string): Value {
  const policy = inBlock(b, name);
  if (policy instanceof Unknown) return policy;
  const first = Array.isArray(policy) ? policy[0] : undefined;
  if (first instanceof Unknown) return first;
  if (first === undefined || first === null || typeof first !== 'object') return { enabled: false };
  const days = (first as { days?: Value }).days;
  return days === undefined || days === null ? { enabled: true } : { enabled: true, days };
}

/** `blob_properties` -> the account's `default` blob service, a child resource in ARM. */
function blobService(i: TerraformInstance, account: Draft, b: ReturnType<typeof block>): Draft {
  const name = childName(account.name, 'default');
  const d = new Draft(i, {
    type: BLOB_SERVICES,
    apiVersion: API,
    name,
    id: childIdOf(account, BLOB_SERVICES, 'default'),
    location: i.locate('blob_properties'),
  });
  d.place('properties', 'blob_properties');
  d.set(
    'properties.deleteRetentionPolicy',
    retention(b, 'delete_retention_policy'),
    'blob_properties.0.delete_retention_policy',
  );
  d.set(
    'properties.containerDeleteRetentionPolicy',
    retention(b, 'container_delete_retention_policy'),
    'blob_properties.0.container_delete_retention_policy',
  );
  d.set(
    'properties.isVersioningEnabled',
    inBlock(b, 'versioning_enabled'),
    'blob_properties.0.versioning_enabled',
  );
  d.set(
    'properties.changeFeed.enabled',
    inBlock(b, 'change_feed_enabled'),
    'blob_properties.0.change_feed_enabled',
  );
  return d;
}

/** `share_properties` -> the account's `default` file service. */
function fileService(i: TerraformInstance, account: Draft, b: ReturnType<typeof block>): Draft {
  const name = childName(account.name, 'default');
  const d = new Draft(i, {
    type: FILE_SERVICES,
    apiVersion: API,
    name,
    id: childIdOf(account, FILE_SERVICES, 'default'),
    location: i.locate('share_properties'),
  });
  d.place('properties', 'share_properties');
  d.set(
    'properties.shareDeleteRetentionPolicy',
    retention(b, 'retention_policy'),
    'share_properties.0.retention_policy',
  );
  return d;
}

/** The account a split-out resource names: by `storage_account_id` (v3.x, v4) or `storage_account_name` (v3). */
function accountOf(i: TerraformInstance, ctx: MappingContext): Draft | undefined {
  const byId = parentDraft(ctx, i, 'storage_account_id', TF_ACCOUNT, ACCOUNT);
  if (byId) return byId;
  const byName = parentDraft(ctx, i, 'storage_account_name', TF_ACCOUNT, ACCOUNT);
  if (byName) return byName;
  const name = attr(i, 'storage_account_name');
  if (typeof name === 'string') return ctx.draftNamed(ACCOUNT, name);
  return undefined;
}

function mapContainer(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const account = accountOf(i, ctx);
  const leaf = nameOf(i);
  const accountName: string | Unknown =
    account?.name ?? new Unknown(`the storage account of ${i.address} is not in the plan`, i.location);
  const name = childName(childName(accountName, 'default'), leaf);
  const d = new Draft(i, {
    type: CONTAINERS,
    apiVersion: API,
    name,
    id: resourceId(ctx, i, CONTAINERS, name, account ? attr(account.from, 'resource_group_name') : undefined),
  });
  d.copy('properties.publicAccess', 'container_access_type', (v) =>
    v === 'private' ? 'None' : v === 'blob' ? 'Blob' : v === 'container' ? 'Container' : v,
  );
  return [d];
}

export const storageMappings: TypeMapping[] = [
  {
    tfType: 'azurerm_storage_account',
    armType: ACCOUNT,
    alsoArm: [BLOB_SERVICES, FILE_SERVICES],
    map: mapAccount,
  },
  {
    tfType: 'azurerm_storage_account_network_rules',
    armType: `${ACCOUNT} (properties.networkAcls)`,
    attach(i, ctx) {
      const account = accountOf(i, ctx);
      if (!account) return 'the storage account it configures is not in the plan';
      // The split-out resource owns the whole firewall: it replaces what the account says.
      delete (account.body.properties as Record<string, Value> | undefined)?.networkAcls;
      account.place('properties.networkAcls', 'default_action', i);
      const d = new Draft(i, { type: ACCOUNT, apiVersion: API, name: account.name, id: account.id });
      setNetworkAcls(d, i, '');
      const acls = (d.body.properties as Record<string, Value> | undefined)?.networkAcls;
      if (acls !== undefined) {
        account.set('properties.networkAcls', acls);
        for (const [arm, tf] of [
          ['defaultAction', 'default_action'],
          ['bypass', 'bypass'],
          ['ipRules', 'ip_rules'],
          ['virtualNetworkRules', 'virtual_network_subnet_ids'],
        ] as const) {
          account.place(`properties.networkAcls.${arm}`, tf, i);
        }
      }
      return undefined;
    },
  },
  {
    tfType: 'azurerm_storage_account_customer_managed_key',
    armType: `${ACCOUNT} (properties.encryption.keySource)`,
    attach(i, ctx) {
      const account = accountOf(i, ctx);
      if (!account) return 'the storage account it configures is not in the plan';
      account.set('properties.encryption.keySource', 'Microsoft.Keyvault', 'key_name', i);
      return undefined;
    },
  },
  { tfType: 'azurerm_storage_container', armType: CONTAINERS, map: mapContainer },
];
