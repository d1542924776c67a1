/**
 * One mistake (or its fix) written as an ARM template and as a Terraform plan change: the cases
 * the cross-source tests read (cross-check.test.ts: ARM and plan; cross-source.test.ts adds the
 * same cases as HCL and as a live export).
 */
import type { Change } from './helpers.ts';

export interface CrossCase {
  check: string;
  status: 'pass' | 'fail' | 'unknown';
  arm: Record<string, unknown>[];
  tf: Change[];
  /** The text in the plan JSON the finding points at (its first occurrence after the subject's address). */
  at: string;
  /** Text to search `at` after, instead of the address of the last change; `at: ''` is the first change's entry. */
  from?: string;
}

const RG = { resource_group_name: 'rg-app', location: 'australiaeast' };
const LOC = { location: 'australiaeast' };

const storage = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: '2023-05-01',
  name: 'stapp001',
  ...LOC,
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  properties,
});
const tfStorage = (after: Record<string, unknown>): Change => ({
  type: 'azurerm_storage_account',
  name: 'app',
  after: {
    name: 'stapp001',
    ...RG,
    account_kind: 'StorageV2',
    account_tier: 'Standard',
    account_replication_type: 'LRS',
    ...after,
  },
});

export const CASES: CrossCase[] = [
  {
    check: 'AZ-STORAGE-001',
    status: 'fail',
    arm: [storage({ supportsHttpsTrafficOnly: false })],
    tf: [tfStorage({ https_traffic_only_enabled: false })],
    at: '"https_traffic_only_enabled"',
  },
  {
    check: 'AZ-STORAGE-002',
    status: 'fail',
    arm: [storage({ minimumTlsVersion: 'TLS1_0' })],
    // azurerm 3 attribute names
    tf: [tfStorage({ enable_https_traffic_only: true, min_tls_version: 'TLS1_0' })],
    at: '"min_tls_version"',
  },
  {
    check: 'AZ-STORAGE-003',
    status: 'fail',
    arm: [storage({ allowBlobPublicAccess: true })],
    tf: [tfStorage({ allow_nested_items_to_be_public: true })],
    at: '"allow_nested_items_to_be_public"',
  },
  {
    check: 'AZ-STORAGE-003',
    status: 'pass',
    arm: [storage({ allowBlobPublicAccess: false })],
    tf: [tfStorage({ allow_blob_public_access: false })],
    at: '"allow_blob_public_access"',
  },
  {
    check: 'AZ-STORAGE-005',
    status: 'pass',
    arm: [storage({ networkAcls: { defaultAction: 'Deny' } })],
    tf: [
      tfStorage({}),
      {
        type: 'azurerm_storage_account_network_rules',
        name: 'app',
        after: {
          storage_account_id:
            '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp001',
          default_action: 'Deny',
        },
      },
    ],
    at: '"default_action"',
  },
  {
    check: 'AZ-KV-002',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.KeyVault/vaults',
        apiVersion: '2023-07-01',
        name: 'kv-app',
        ...LOC,
        properties: { tenantId: 't', sku: { family: 'A', name: 'standard' }, enablePurgeProtection: false },
      },
    ],
    tf: [
      {
        type: 'azurerm_key_vault',
        name: 'kv',
        after: {
          name: 'kv-app',
          ...RG,
          tenant_id: 't',
          sku_name: 'standard',
          purge_protection_enabled: false,
        },
      },
    ],
    at: '"purge_protection_enabled"',
  },
  {
    check: 'AZ-SQL-002',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Sql/servers',
        apiVersion: '2021-11-01',
        name: 'sql-app',
        ...LOC,
        properties: { minimalTlsVersion: '1.0' },
      },
    ],
    tf: [
      {
        type: 'azurerm_mssql_server',
        name: 'sql',
        after: { name: 'sql-app', ...RG, version: '12.0', minimum_tls_version: '1.0' },
      },
    ],
    at: '"minimum_tls_version"',
  },
  {
    check: 'AZ-SQL-004',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Sql/servers/firewallRules',
        apiVersion: '2021-11-01',
        name: 'sql-app/all',
        properties: { startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' },
      },
    ],
    tf: [
      {
        type: 'azurerm_mssql_firewall_rule',
        name: 'all',
        after: {
          name: 'all',
          server_id: '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.Sql/servers/sql-app',
          start_ip_address: '0.0.0.0',
          end_ip_address: '255.255.255.255',
        },
      },
    ],
    at: '"start_ip_address"',
  },
  {
    check: 'AZ-NET-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Network/networkSecurityGroups',
        apiVersion: '2023-09-01',
        name: 'nsg-app',
        ...LOC,
        properties: {
          securityRules: [
            {
              name: 'ssh',
              properties: {
                priority: 100,
                direction: 'Inbound',
                access: 'Allow',
                protocol: 'Tcp',
                sourcePortRange: '*',
                destinationPortRange: '22',
                sourceAddressPrefix: '*',
                destinationAddressPrefix: '*',
              },
            },
          ],
        },
      },
    ],
    tf: [
      {
        type: 'azurerm_network_security_group',
        name: 'app',
        after: {
          name: 'nsg-app',
          ...RG,
          security_rule: [
            {
              name: 'ssh',
              priority: 100,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              source_port_range: '*',
              source_port_ranges: [],
              destination_port_range: '22',
              destination_port_ranges: [],
              source_address_prefix: '*',
              source_address_prefixes: [],
              destination_address_prefix: '*',
              destination_address_prefixes: [],
              description: '',
            },
          ],
        },
      },
    ],
    // The check points at the rule, as it does in a template.
    at: '{',
    from: '"security_rule"',
  },
  {
    check: 'AZ-NET-005',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Network/publicIPAddresses',
        apiVersion: '2023-09-01',
        name: 'pip-app',
        ...LOC,
        sku: { name: 'Basic' },
        properties: { publicIPAllocationMethod: 'Dynamic' },
      },
    ],
    tf: [
      {
        type: 'azurerm_public_ip',
        name: 'app',
        after: { name: 'pip-app', ...RG, sku: 'Basic', allocation_method: 'Dynamic' },
      },
    ],
    at: '"sku"',
  },
  {
    check: 'AZ-APP-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Web/sites',
        apiVersion: '2023-12-01',
        name: 'app-web',
        ...LOC,
        kind: 'app,linux',
        properties: { httpsOnly: false },
      },
    ],
    tf: [
      {
        type: 'azurerm_linux_web_app',
        name: 'web',
        after: { name: 'app-web', ...RG, https_only: false, site_config: [{ minimum_tls_version: '1.2' }] },
      },
    ],
    at: '"https_only"',
  },
  {
    check: 'AZ-ACR-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.ContainerRegistry/registries',
        apiVersion: '2023-07-01',
        name: 'acrapp',
        ...LOC,
        sku: { name: 'Premium' },
        properties: { adminUserEnabled: true },
      },
    ],
    tf: [
      {
        type: 'azurerm_container_registry',
        name: 'acr',
        after: { name: 'acrapp', ...RG, sku: 'Premium', admin_enabled: true },
      },
    ],
    at: '"admin_enabled"',
  },
  {
    check: 'AZ-AKS-002',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.ContainerService/managedClusters',
        apiVersion: '2024-05-01',
        name: 'aks-app',
        ...LOC,
        properties: { disableLocalAccounts: false },
      },
    ],
    tf: [
      {
        type: 'azurerm_kubernetes_cluster',
        name: 'aks',
        after: { name: 'aks-app', ...RG, local_account_disabled: false },
      },
    ],
    at: '"local_account_disabled"',
  },
  {
    check: 'AZ-REDIS-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Cache/redis',
        apiVersion: '2024-03-01',
        name: 'redis-app',
        ...LOC,
        properties: { enableNonSslPort: true },
      },
    ],
    tf: [
      {
        type: 'azurerm_redis_cache',
        name: 'cache',
        after: { name: 'redis-app', ...RG, enable_non_ssl_port: true },
      },
    ],
    at: '"enable_non_ssl_port"',
  },
  {
    check: 'AZ-COSMOS-002',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.DocumentDB/databaseAccounts',
        apiVersion: '2024-05-15',
        name: 'cosmos-app',
        ...LOC,
        properties: { databaseAccountOfferType: 'Standard', disableLocalAuth: false },
      },
    ],
    tf: [
      {
        type: 'azurerm_cosmosdb_account',
        name: 'db',
        after: { name: 'cosmos-app', ...RG, offer_type: 'Standard', local_authentication_disabled: false },
      },
    ],
    at: '"local_authentication_disabled"',
  },
  {
    check: 'AZ-LOG-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.OperationalInsights/workspaces',
        apiVersion: '2023-09-01',
        name: 'log-app',
        ...LOC,
        properties: { retentionInDays: 30 },
      },
    ],
    tf: [
      {
        type: 'azurerm_log_analytics_workspace',
        name: 'log',
        after: { name: 'log-app', ...RG, sku: 'PerGB2018', retention_in_days: 30 },
      },
    ],
    at: '"retention_in_days"',
  },
  {
    check: 'AZ-VM-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Compute/virtualMachines',
        apiVersion: '2024-03-01',
        name: 'vm-app',
        ...LOC,
        properties: {
          hardwareProfile: { vmSize: 'Standard_B2s' },
          osProfile: {
            computerName: 'vm-app',
            adminUsername: 'azureuser',
            linuxConfiguration: { disablePasswordAuthentication: false },
          },
          storageProfile: {
            imageReference: {
              publisher: 'Canonical',
              offer: 'ubuntu-24_04-lts',
              sku: 'server',
              version: 'latest',
            },
          },
        },
      },
    ],
    tf: [
      {
        type: 'azurerm_linux_virtual_machine',
        name: 'vm',
        after: {
          name: 'vm-app',
          ...RG,
          size: 'Standard_B2s',
          admin_username: 'azureuser',
          disable_password_authentication: false,
          source_image_reference: [
            { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
          ],
        },
      },
    ],
    at: '"disable_password_authentication"',
  },
  {
    check: 'AZ-VM-005',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Compute/disks',
        apiVersion: '2024-03-01',
        name: 'disk-app',
        ...LOC,
        properties: { networkAccessPolicy: 'AllowAll', publicNetworkAccess: 'Enabled' },
      },
    ],
    tf: [
      {
        type: 'azurerm_managed_disk',
        name: 'disk',
        after: {
          name: 'disk-app',
          ...RG,
          storage_account_type: 'Premium_LRS',
          network_access_policy: 'AllowAll',
          public_network_access_enabled: true,
        },
      },
    ],
    at: '"network_access_policy"',
  },
  {
    check: 'AZ-PG-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.DBforPostgreSQL/flexibleServers',
        apiVersion: '2024-08-01',
        name: 'pg-app',
        ...LOC,
        properties: { network: { publicNetworkAccess: 'Enabled' } },
      },
    ],
    tf: [
      {
        type: 'azurerm_postgresql_flexible_server',
        name: 'pg',
        after: { name: 'pg-app', ...RG, public_network_access_enabled: true },
      },
    ],
    at: '"public_network_access_enabled"',
  },
  {
    check: 'AZ-STORAGE-007',
    status: 'fail',
    arm: [storage({})],
    // `blob_properties` is computed when not configured: Azure's default (off) applies, as in ARM.
    tf: [
      { ...tfStorage({}), after_unknown: { blob_properties: true }, configured: ['name', 'account_tier'] },
    ],
    at: '',
  },
  {
    check: 'AZ-STORAGE-007',
    status: 'pass',
    arm: [
      storage({}),
      {
        type: 'Microsoft.Storage/storageAccounts/blobServices',
        apiVersion: '2023-05-01',
        name: 'stapp001/default',
        properties: { deleteRetentionPolicy: { enabled: true, days: 7 } },
        dependsOn: ['stapp001'],
      },
    ],
    tf: [
      tfStorage({ blob_properties: [{ delete_retention_policy: [{ days: 7 }], versioning_enabled: false }] }),
    ],
    at: '"delete_retention_policy"',
  },
  {
    check: 'AZ-SQL-006',
    status: 'pass',
    arm: [
      { type: 'Microsoft.Sql/servers', apiVersion: '2021-11-01', name: 'sql-app', ...LOC, properties: {} },
      {
        type: 'Microsoft.Sql/servers/auditingSettings',
        apiVersion: '2021-11-01',
        name: 'sql-app/default',
        properties: { state: 'Enabled', isAzureMonitorTargetEnabled: true },
      },
    ],
    tf: [
      { type: 'azurerm_mssql_server', name: 'sql', after: { name: 'sql-app', ...RG, version: '12.0' } },
      {
        type: 'azurerm_mssql_server_extended_auditing_policy',
        name: 'sql',
        after: {
          server_id: '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.Sql/servers/sql-app',
          enabled: true,
          log_monitoring_enabled: true,
        },
      },
    ],
    at: '"enabled"',
  },
  {
    check: 'AZ-ID-002',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Authorization/roleAssignments',
        apiVersion: '2022-04-01',
        name: '00000000-0000-0000-0000-0000000000aa',
        scope: '/subscriptions/00000000-0000-0000-0000-000000000000',
        properties: {
          roleDefinitionId:
            '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
          principalId: '00000000-0000-0000-0000-0000000000bb',
        },
      },
    ],
    tf: [
      {
        type: 'azurerm_role_assignment',
        name: 'owner',
        after: {
          scope: '/subscriptions/00000000-0000-0000-0000-000000000000',
          role_definition_name: 'Owner',
          principal_id: '00000000-0000-0000-0000-0000000000bb',
        },
      },
    ],
    at: '"role_definition_name"',
  },
  {
    check: 'AZ-LOG-005',
    status: 'pass',
    arm: [
      {
        type: 'Microsoft.KeyVault/vaults',
        apiVersion: '2023-07-01',
        name: 'kv-app',
        ...LOC,
        properties: { tenantId: 't', sku: { family: 'A', name: 'standard' } },
      },
      {
        type: 'Microsoft.Insights/diagnosticSettings',
        apiVersion: '2021-05-01-preview',
        name: 'audit',
        scope: 'Microsoft.KeyVault/vaults/kv-app',
        properties: {
          workspaceId:
            '/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log',
          logs: [{ categoryGroup: 'audit', enabled: true }],
        },
      },
    ],
    tf: [
      {
        type: 'azurerm_key_vault',
        name: 'kv',
        after: { name: 'kv-app', ...RG, tenant_id: 't', sku_name: 'standard' },
      },
      {
        type: 'azurerm_monitor_diagnostic_setting',
        name: 'audit',
        after: {
          name: 'audit',
          target_resource_id:
            '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-app',
          log_analytics_workspace_id:
            '/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log',
          enabled_log: [{ category: '', category_group: 'audit' }],
        },
      },
    ],
    // On the vault, as for a template.
    at: '',
  },
  {
    check: 'AZ-KV-005',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.KeyVault/vaults/keys',
        apiVersion: '2023-07-01',
        name: 'kv-app/signing',
        properties: { kty: 'RSA' },
      },
    ],
    tf: [
      {
        type: 'azurerm_key_vault_key',
        name: 'signing',
        after: {
          name: 'signing',
          key_vault_id: '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-app',
          key_type: 'RSA',
          expiration_date: null,
        },
      },
    ],
    at: '',
  },
  {
    check: 'AZ-STORAGE-010',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
        apiVersion: '2023-05-01',
        name: 'stapp001/default/public',
        properties: { publicAccess: 'Blob' },
      },
    ],
    tf: [
      {
        type: 'azurerm_storage_container',
        name: 'public',
        after: { name: 'public', storage_account_name: 'stapp001', container_access_type: 'blob' },
      },
    ],
    at: '"container_access_type"',
  },
  {
    check: 'AZ-EH-003',
    status: 'pass',
    arm: [
      {
        type: 'Microsoft.EventHub/namespaces',
        apiVersion: '2024-01-01',
        name: 'eh-app',
        ...LOC,
        sku: { name: 'Standard' },
        properties: {},
      },
      {
        type: 'Microsoft.EventHub/namespaces/networkRuleSets',
        apiVersion: '2024-01-01',
        name: 'eh-app/default',
        properties: { defaultAction: 'Deny' },
        dependsOn: ['eh-app'],
      },
    ],
    tf: [
      {
        type: 'azurerm_eventhub_namespace',
        name: 'eh',
        after: {
          name: 'eh-app',
          ...RG,
          sku: 'Standard',
          network_rulesets: [{ default_action: 'Deny', ip_rule: [] }],
        },
      },
    ],
    at: '',
  },
  {
    check: 'AZ-AGW-001',
    status: 'pass',
    arm: [
      {
        type: 'Microsoft.Network/applicationGateways',
        apiVersion: '2023-09-01',
        name: 'agw-app',
        ...LOC,
        properties: {
          sku: { name: 'WAF_v2', tier: 'WAF_v2', capacity: 2 },
          webApplicationFirewallConfiguration: {
            enabled: true,
            firewallMode: 'Prevention',
            ruleSetType: 'OWASP',
            ruleSetVersion: '3.2',
          },
        },
      },
    ],
    tf: [
      {
        type: 'azurerm_application_gateway',
        name: 'agw',
        after: {
          name: 'agw-app',
          ...RG,
          sku: [{ name: 'WAF_v2', tier: 'WAF_v2', capacity: 2 }],
          waf_configuration: [
            { enabled: true, firewall_mode: 'Prevention', rule_set_type: 'OWASP', rule_set_version: '3.2' },
          ],
        },
      },
    ],
    at: '"enabled"',
  },
  {
    check: 'AZ-BACKUP-001',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.RecoveryServices/vaults',
        apiVersion: '2024-04-01',
        name: 'rsv-app',
        ...LOC,
        sku: { name: 'Standard' },
        properties: { securitySettings: { softDeleteSettings: { softDeleteState: 'Disabled' } } },
      },
    ],
    tf: [
      {
        type: 'azurerm_recovery_services_vault',
        name: 'rsv',
        after: { name: 'rsv-app', ...RG, sku: 'Standard', soft_delete_enabled: false },
      },
    ],
    at: '"soft_delete_enabled"',
  },
  {
    check: 'AZ-NET-004',
    status: 'fail',
    arm: [
      {
        type: 'Microsoft.Network/virtualNetworks/subnets',
        apiVersion: '2023-09-01',
        name: 'vnet-app/snet-app',
        properties: { addressPrefixes: ['10.0.1.0/24'] },
      },
    ],
    tf: [
      {
        type: 'azurerm_subnet',
        name: 'app',
        after: {
          name: 'snet-app',
          resource_group_name: 'rg-app',
          virtual_network_name: 'vnet-app',
          address_prefixes: ['10.0.1.0/24'],
        },
      },
    ],
    at: '',
  },
  {
    check: 'AZ-MYSQL-004',
    status: 'pass',
    arm: [
      {
        type: 'Microsoft.DBforMySQL/flexibleServers',
        apiVersion: '2023-12-30',
        name: 'mysql-app',
        ...LOC,
        properties: {},
      },
      {
        type: 'Microsoft.DBforMySQL/flexibleServers/administrators',
        apiVersion: '2023-12-30',
        name: 'mysql-app/ActiveDirectory',
        properties: { administratorType: 'ActiveDirectory', login: 'dba', sid: 's', tenantId: 't' },
        dependsOn: ['mysql-app'],
      },
    ],
    tf: [
      { type: 'azurerm_mysql_flexible_server', name: 'db', after: { name: 'mysql-app', ...RG } },
      {
        type: 'azurerm_mysql_flexible_server_active_directory_administrator',
        name: 'db',
        after: {
          server_id:
            '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.DBforMySQL/flexibleServers/mysql-app',
          login: 'dba',
          object_id: 's',
          tenant_id: 't',
          identity_id:
            '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id',
        },
      },
    ],
    at: '',
  },
];
