/**
 * What the azurerm provider sends for an attribute a configuration leaves out, as its
 * documentation states it. A plan's `after` already holds these values; a configuration read
 * without a plan (`hcl-config/`) does not, so they are filled in before the mapping, and a check
 * judges what the provider will send rather than ARM's own default for an absent property
 * (docs/terraform-hcl.md, "Provider defaults"). Only defaults the provider documents are listed;
 * an attribute it computes stays absent, and the checks' platform defaults decide it as for a
 * template.
 */
import type { Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';

export interface ProviderDefault {
  type: string;
  /** The attribute the default is set under (azurerm v4's name). */
  attribute: string;
  /** Other names of the same attribute (azurerm v3's): the configuration setting one of them sets it. */
  alternatives?: readonly string[];
  value: Value;
  /** The checks the default decides, for docs/terraform-hcl.md and the checks' references. */
  checks: readonly string[];
}

const DOCS = 'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources';

/** The provider documentation page of a resource type, cited by the checks a default decides. */
export function providerDoc(type: string): string {
  return `${DOCS}/${type.startsWith('azurerm_') ? type.slice('azurerm_'.length) : type}`;
}

export const PROVIDER_DEFAULTS: readonly ProviderDefault[] = [
  {
    type: 'azurerm_storage_account',
    attribute: 'https_traffic_only_enabled',
    alternatives: ['enable_https_traffic_only'],
    value: true,
    checks: ['AZ-STORAGE-001'],
  },
  {
    type: 'azurerm_storage_account',
    attribute: 'min_tls_version',
    value: 'TLS1_2',
    checks: ['AZ-STORAGE-002'],
  },
  {
    type: 'azurerm_storage_account',
    attribute: 'allow_nested_items_to_be_public',
    alternatives: ['allow_blob_public_access'],
    value: true,
    checks: ['AZ-STORAGE-003'],
  },
  {
    type: 'azurerm_storage_account',
    attribute: 'shared_access_key_enabled',
    value: true,
    checks: ['AZ-STORAGE-004'],
  },
  { type: 'azurerm_mssql_server', attribute: 'minimum_tls_version', value: '1.2', checks: ['AZ-SQL-002'] },
  {
    type: 'azurerm_mssql_server_extended_auditing_policy',
    attribute: 'enabled',
    value: true,
    checks: ['AZ-SQL-006'],
  },
  {
    type: 'azurerm_redis_cache',
    attribute: 'non_ssl_port_enabled',
    alternatives: ['enable_non_ssl_port'],
    value: false,
    checks: ['AZ-REDIS-001'],
  },
  { type: 'azurerm_redis_cache', attribute: 'minimum_tls_version', value: '1.2', checks: ['AZ-REDIS-002'] },
  {
    type: 'azurerm_linux_virtual_machine',
    attribute: 'disable_password_authentication',
    value: true,
    checks: ['AZ-VM-001'],
  },
  {
    type: 'azurerm_recovery_services_vault',
    attribute: 'soft_delete_enabled',
    value: true,
    checks: ['AZ-BACKUP-001'],
  },
];

const BY_TYPE = new Map<string, ProviderDefault[]>();
for (const d of PROVIDER_DEFAULTS) {
  const list = BY_TYPE.get(d.type);
  if (list) list.push(d);
  else BY_TYPE.set(d.type, [d]);
}

/**
 * The instance with the provider's documented default for each listed attribute its block leaves
 * out (or sets to null, which Terraform reads as "not set"). Data sources are left as they are.
 */
export function withProviderDefaults(i: TerraformInstance): TerraformInstance {
  const defaults = i.mode === 'managed' ? BY_TYPE.get(i.type) : undefined;
  if (!defaults) return i;
  const isSet = (name: string) => i.values[name] !== undefined && i.values[name] !== null;
  const missing = defaults.filter((d) => !isSet(d.attribute) && !(d.alternatives ?? []).some(isSet));
  if (missing.length === 0) return i;
  const values = { ...i.values };
  for (const d of missing) values[d.attribute] = d.value;
  return { ...i, values };
}
