/**
 * One HCL configuration per mapped Terraform type (issue 14: "each of the 40+ mapped types is
 * exercised, with statuses and lines asserted"). Each case maps its type and names one check
 * that the type decides: the status, and the line of `at` in `main.tf` the finding points at.
 * types.test.ts runs them, and fails when a type of the mapping registry has no case here.
 */

export interface TypeCase {
  /** The mapped Terraform type the case exercises (`resource "TYPE"` must be in the configuration). */
  type: string;
  /** `main.tf` of the configuration. */
  hcl: string;
  /** The check the type decides, and its status. */
  check?: string;
  status?: 'pass' | 'fail' | 'unknown' | 'not-applicable';
  /**
   * For the one type no check reads (docs/terraform.md lists "(none)": a PostgreSQL Entra
   * administrator): the ARM resource it yields, and a property that must be set there and
   * located at `at`.
   */
  model?: { armType: string; path: string };
  /** Text on the line the finding (or the model property) points at: its first occurrence in `main.tf`. */
  at: string;
  /** Scan with the `au` sovereign boundary, so the residency checks run (types no other check reads). */
  boundary?: boolean;
}

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers';
const RG = `  resource_group_name = "rg-app"\n  location            = "australiaeast"`;

const account = `resource "azurerm_storage_account" "sa" {
  name                     = "stapp001"
${RG}
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
`;
const vault = `resource "azurerm_key_vault" "kv" {
  name                = "kv-app"
${RG}
  tenant_id           = "00000000-0000-0000-0000-000000000001"
  sku_name            = "standard"
}
`;
const sqlServer = `resource "azurerm_mssql_server" "sql" {
  name                = "sql-app"
${RG}
  version             = "12.0"
}
`;
const plan = `resource "azurerm_service_plan" "plan" {
  name                = "plan-app"
${RG}
  os_type             = "Linux"
  sku_name            = "P1v3"
}
`;
const nsg = `resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-app"
${RG}
}
`;
const vnet = `resource "azurerm_virtual_network" "vnet" {
  name                = "vnet-app"
${RG}
  address_space       = ["10.0.0.0/16"]
}
`;
const subnet = `resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = "rg-app"
  virtual_network_name = "vnet-app"
  address_prefixes     = ["10.0.1.0/24"]
}
`;
const nic = `resource "azurerm_network_interface" "nic" {
  name                = "nic-app"
${RG}
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = "${SUB}/Microsoft.Network/virtualNetworks/vnet-app/subnets/snet-app"
    private_ip_address_allocation = "Dynamic"
  }
}
`;
const pg = `resource "azurerm_postgresql_flexible_server" "pg" {
  name                = "pg-app"
${RG}
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
}
`;
const mysql = `resource "azurerm_mysql_flexible_server" "db" {
  name                = "mysql-app"
${RG}
  sku_name            = "GP_Standard_D2ds_v4"
}
`;
const site = (type: string, extra = '') => `resource "${type}" "app" {
  name                = "app-web"
${RG}
  service_plan_id     = "${SUB}/Microsoft.Web/serverfarms/plan-app"
  https_only          = false
${extra}  site_config {}
}
`;
const vm = (type: string, extra: string) => `resource "${type}" "vm" {
  name                  = "vm-app"
${RG}
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["${SUB}/Microsoft.Network/networkInterfaces/nic-app"]
${extra}  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}
`;
const vmss = (type: string) => `resource "${type}" "ss" {
  name                = "vmss-app"
${RG}
  sku                 = "Standard_D2s_v5"
  instances           = 2
  admin_username      = "azureuser"
  upgrade_mode        = "Manual"
  encryption_at_host_enabled = false
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
}
`;

export const TYPE_CASES: TypeCase[] = [
  // ---- storage
  {
    type: 'azurerm_storage_account',
    hcl: account.replace('  account_tier', '  min_tls_version          = "TLS1_0"\n  account_tier'),
    check: 'AZ-STORAGE-002',
    status: 'fail',
    at: 'min_tls_version',
  },
  {
    type: 'azurerm_storage_account_network_rules',
    hcl: `${account}
resource "azurerm_storage_account_network_rules" "rules" {
  storage_account_id = "${SUB}/Microsoft.Storage/storageAccounts/stapp001"
  default_action     = "Deny"
}
`,
    check: 'AZ-STORAGE-005',
    status: 'pass',
    at: 'default_action',
  },
  {
    type: 'azurerm_storage_account_customer_managed_key',
    hcl: `${account}
resource "azurerm_storage_account_customer_managed_key" "cmk" {
  storage_account_id = "${SUB}/Microsoft.Storage/storageAccounts/stapp001"
  key_vault_id       = "${SUB}/Microsoft.KeyVault/vaults/kv-app"
  key_name           = "storage-key"
}
`,
    check: 'AZ-STORAGE-006',
    status: 'pass',
    at: 'key_name',
  },
  {
    type: 'azurerm_storage_container',
    hcl: `${account}
resource "azurerm_storage_container" "public" {
  name                  = "public"
  storage_account_name  = "stapp001"
  container_access_type = "blob"
}
`,
    check: 'AZ-STORAGE-010',
    status: 'fail',
    at: 'container_access_type',
  },
  // ---- Key Vault
  {
    type: 'azurerm_key_vault',
    hcl: vault.replace('  sku_name', '  purge_protection_enabled = false\n  sku_name'),
    check: 'AZ-KV-002',
    status: 'fail',
    at: 'purge_protection_enabled',
  },
  {
    type: 'azurerm_key_vault_key',
    hcl: `${vault}
resource "azurerm_key_vault_key" "key" {
  name            = "app-key"
  key_vault_id    = "${SUB}/Microsoft.KeyVault/vaults/kv-app"
  key_type        = "RSA"
  key_size        = 2048
  key_opts        = ["decrypt", "encrypt"]
  expiration_date = "2027-06-30T00:00:00Z"
}
`,
    check: 'AZ-KV-005',
    status: 'pass',
    at: 'expiration_date',
  },
  {
    type: 'azurerm_key_vault_secret',
    hcl: `${vault}
resource "azurerm_key_vault_secret" "secret" {
  name         = "app-secret"
  value        = "not-a-real-secret"
  key_vault_id = "${SUB}/Microsoft.KeyVault/vaults/kv-app"
}
`,
    check: 'AZ-KV-006',
    status: 'fail',
    at: 'resource "azurerm_key_vault_secret"',
  },
  // ---- SQL
  {
    type: 'azurerm_mssql_server',
    hcl: sqlServer.replace('  version', '  minimum_tls_version = "1.0"\n  version'),
    check: 'AZ-SQL-002',
    status: 'fail',
    at: 'minimum_tls_version',
  },
  {
    type: 'azurerm_mssql_database',
    hcl: `${sqlServer}
resource "azurerm_mssql_database" "db" {
  name                                = "db-app"
  server_id                           = "${SUB}/Microsoft.Sql/servers/sql-app"
  transparent_data_encryption_enabled = false
}
`,
    check: 'AZ-SQL-007',
    status: 'fail',
    at: 'transparent_data_encryption_enabled',
  },
  {
    type: 'azurerm_mssql_firewall_rule',
    hcl: `${sqlServer}
resource "azurerm_mssql_firewall_rule" "all" {
  name             = "all"
  server_id        = "${SUB}/Microsoft.Sql/servers/sql-app"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
`,
    check: 'AZ-SQL-004',
    status: 'fail',
    at: 'start_ip_address',
  },
  {
    type: 'azurerm_mssql_server_extended_auditing_policy',
    hcl: `${sqlServer}
resource "azurerm_mssql_server_extended_auditing_policy" "audit" {
  server_id              = "${SUB}/Microsoft.Sql/servers/sql-app"
  enabled                = true
  log_monitoring_enabled = true
  retention_in_days      = 30
}
`,
    check: 'AZ-SQL-006',
    status: 'pass',
    at: 'enabled                = true',
  },
  {
    type: 'azurerm_mssql_server_security_alert_policy',
    hcl: `${sqlServer}
resource "azurerm_mssql_server_security_alert_policy" "alerts" {
  resource_group_name = "rg-app"
  server_name         = "sql-app"
  state               = "Enabled"
}
`,
    check: 'AZ-SQL-008',
    status: 'pass',
    at: 'state',
  },
  // ---- App Service
  {
    type: 'azurerm_service_plan',
    hcl: plan,
    check: 'AZ-RES-001',
    status: 'pass',
    at: 'location',
    boundary: true,
  },
  {
    type: 'azurerm_linux_web_app',
    hcl: site('azurerm_linux_web_app'),
    check: 'AZ-APP-001',
    status: 'fail',
    at: 'https_only',
  },
  {
    type: 'azurerm_windows_web_app',
    hcl: site('azurerm_windows_web_app'),
    check: 'AZ-APP-001',
    status: 'fail',
    at: 'https_only',
  },
  {
    type: 'azurerm_linux_function_app',
    hcl: site('azurerm_linux_function_app', '  storage_account_name = "stapp001"\n'),
    check: 'AZ-APP-001',
    status: 'fail',
    at: 'https_only',
  },
  {
    type: 'azurerm_windows_function_app',
    hcl: site('azurerm_windows_function_app', '  storage_account_name = "stapp001"\n'),
    check: 'AZ-APP-001',
    status: 'fail',
    at: 'https_only',
  },
  // ---- compute
  {
    type: 'azurerm_linux_virtual_machine',
    hcl: vm(
      'azurerm_linux_virtual_machine',
      '  disable_password_authentication = false\n  admin_password = "x"\n',
    ),
    check: 'AZ-VM-001',
    status: 'fail',
    at: 'disable_password_authentication',
  },
  {
    type: 'azurerm_windows_virtual_machine',
    hcl: vm(
      'azurerm_windows_virtual_machine',
      '  encryption_at_host_enabled = false\n  admin_password = "x"\n',
    ),
    check: 'AZ-VM-003',
    status: 'fail',
    at: 'encryption_at_host_enabled',
  },
  {
    type: 'azurerm_linux_virtual_machine_scale_set',
    hcl: vmss('azurerm_linux_virtual_machine_scale_set'),
    check: 'AZ-VM-003',
    status: 'fail',
    at: 'encryption_at_host_enabled',
  },
  {
    type: 'azurerm_windows_virtual_machine_scale_set',
    hcl: vmss('azurerm_windows_virtual_machine_scale_set'),
    check: 'AZ-VM-003',
    status: 'fail',
    at: 'encryption_at_host_enabled',
  },
  {
    type: 'azurerm_managed_disk',
    hcl: `resource "azurerm_managed_disk" "data" {
  name                  = "disk-data"
${RG}
  storage_account_type  = "Premium_LRS"
  create_option         = "Empty"
  disk_size_gb          = 64
  network_access_policy = "AllowAll"
}
`,
    check: 'AZ-VM-005',
    status: 'fail',
    at: 'network_access_policy',
  },
  // ---- network
  {
    type: 'azurerm_network_security_group',
    hcl: `resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-app"
${RG}
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
`,
    check: 'AZ-NET-001',
    status: 'fail',
    at: 'security_rule {',
  },
  {
    type: 'azurerm_network_security_rule',
    hcl: `${nsg}
resource "azurerm_network_security_rule" "rdp" {
  name                        = "rdp"
  resource_group_name         = "rg-app"
  network_security_group_name = "nsg-app"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
}
`,
    check: 'AZ-NET-001',
    status: 'fail',
    at: 'resource "azurerm_network_security_rule"',
  },
  {
    type: 'azurerm_virtual_network',
    hcl: vnet.replace(
      '  address_space',
      '  subnet {\n    name             = "snet-inline"\n    address_prefixes = ["10.0.2.0/24"]\n  }\n  address_space',
    ),
    check: 'AZ-NET-004',
    status: 'fail',
    at: 'subnet {',
  },
  {
    type: 'azurerm_subnet',
    hcl: `${vnet}\n${subnet}`,
    check: 'AZ-NET-004',
    status: 'fail',
    at: 'resource "azurerm_subnet"',
  },
  {
    type: 'azurerm_subnet_network_security_group_association',
    hcl: `${vnet}
${subnet}
${nsg}
resource "azurerm_subnet_network_security_group_association" "app" {
  subnet_id                 = "${SUB}/Microsoft.Network/virtualNetworks/vnet-app/subnets/snet-app"
  network_security_group_id = "${SUB}/Microsoft.Network/networkSecurityGroups/nsg-app"
}
`,
    check: 'AZ-NET-004',
    status: 'pass',
    // A standalone subnet's finding points at the subnet; the association decides the status.
    at: 'resource "azurerm_subnet"',
  },
  {
    type: 'azurerm_network_interface_security_group_association',
    // The subnet has no NSG; its only NIC carries one through the association: a compensating control.
    hcl: `${vnet}
${subnet}
${nic}
${nsg}
resource "azurerm_network_interface_security_group_association" "nic" {
  network_interface_id      = "${SUB}/Microsoft.Network/networkInterfaces/nic-app"
  network_security_group_id = "${SUB}/Microsoft.Network/networkSecurityGroups/nsg-app"
}
`,
    check: 'AZ-NET-004',
    status: 'pass',
    at: 'resource "azurerm_subnet"',
  },
  {
    type: 'azurerm_public_ip',
    hcl: `resource "azurerm_public_ip" "pip" {
  name                = "pip-app"
${RG}
  allocation_method   = "Dynamic"
  sku                 = "Basic"
}
`,
    check: 'AZ-NET-005',
    status: 'fail',
    at: 'sku',
  },
  {
    type: 'azurerm_network_interface',
    hcl: nic,
    check: 'AZ-RES-001',
    status: 'pass',
    at: 'location',
    boundary: true,
  },
  {
    type: 'azurerm_application_gateway',
    hcl: `resource "azurerm_application_gateway" "agw" {
  name                = "agw-app"
${RG}
  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 2
  }
  waf_configuration {
    enabled          = true
    firewall_mode    = "Detection"
    rule_set_type    = "OWASP"
    rule_set_version = "3.2"
  }
}
`,
    check: 'AZ-AGW-002',
    status: 'fail',
    at: 'firewall_mode',
  },
  // ---- containers
  {
    type: 'azurerm_kubernetes_cluster',
    hcl: `resource "azurerm_kubernetes_cluster" "aks" {
  name                   = "aks-app"
${RG}
  dns_prefix             = "aksapp"
  local_account_disabled = false
  default_node_pool {
    name       = "system"
    node_count = 2
    vm_size    = "Standard_D4s_v5"
  }
  identity {
    type = "SystemAssigned"
  }
}
`,
    check: 'AZ-AKS-002',
    status: 'fail',
    at: 'local_account_disabled',
  },
  {
    type: 'azurerm_container_registry',
    hcl: `resource "azurerm_container_registry" "acr" {
  name                = "acrapp"
${RG}
  sku                 = "Premium"
  admin_enabled       = true
}
`,
    check: 'AZ-ACR-001',
    status: 'fail',
    at: 'admin_enabled',
  },
  // ---- databases
  {
    type: 'azurerm_cosmosdb_account',
    hcl: `resource "azurerm_cosmosdb_account" "cosmos" {
  name                          = "cosmos-app"
${RG}
  offer_type                    = "Standard"
  local_authentication_disabled = false
  consistency_policy {
    consistency_level = "Session"
  }
  geo_location {
    location          = "australiaeast"
    failover_priority = 0
  }
}
`,
    check: 'AZ-COSMOS-002',
    status: 'fail',
    at: 'local_authentication_disabled',
  },
  {
    type: 'azurerm_postgresql_flexible_server',
    hcl: pg.replace('  sku_name', '  public_network_access_enabled = true\n  sku_name'),
    check: 'AZ-PG-001',
    status: 'fail',
    at: 'public_network_access_enabled',
  },
  {
    type: 'azurerm_postgresql_flexible_server_configuration',
    hcl: `${pg}
resource "azurerm_postgresql_flexible_server_configuration" "tls" {
  name      = "require_secure_transport"
  server_id = "${SUB}/Microsoft.DBforPostgreSQL/flexibleServers/pg-app"
  value     = "off"
}
`,
    check: 'AZ-PG-006',
    status: 'fail',
    at: 'value',
  },
  {
    type: 'azurerm_postgresql_flexible_server_firewall_rule',
    hcl: `${pg}
resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {
  name             = "all"
  server_id        = "${SUB}/Microsoft.DBforPostgreSQL/flexibleServers/pg-app"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
`,
    check: 'AZ-PG-007',
    status: 'fail',
    at: 'start_ip_address',
  },
  {
    type: 'azurerm_postgresql_flexible_server_active_directory_administrator',
    hcl: `${pg}
resource "azurerm_postgresql_flexible_server_active_directory_administrator" "admin" {
  server_name         = "pg-app"
  resource_group_name = "rg-app"
  tenant_id           = "00000000-0000-0000-0000-000000000001"
  object_id           = "00000000-0000-0000-0000-000000000002"
  principal_name      = "dba-group"
  principal_type      = "Group"
}
`,
    model: { armType: 'Microsoft.DBforPostgreSQL/flexibleServers/administrators', path: 'properties.login' },
    at: 'principal_name',
  },
  {
    type: 'azurerm_mysql_flexible_server',
    hcl: mysql.replace('  sku_name', '  public_network_access_enabled = true\n  sku_name'),
    check: 'AZ-MYSQL-001',
    status: 'fail',
    at: 'public_network_access_enabled',
  },
  {
    type: 'azurerm_mysql_flexible_server_configuration',
    hcl: `${mysql}
resource "azurerm_mysql_flexible_server_configuration" "tls" {
  name                = "require_secure_transport"
  resource_group_name = "rg-app"
  server_name         = "mysql-app"
  value               = "OFF"
}
`,
    check: 'AZ-MYSQL-005',
    status: 'fail',
    at: 'value',
  },
  {
    type: 'azurerm_mysql_flexible_server_firewall_rule',
    hcl: `${mysql}
resource "azurerm_mysql_flexible_server_firewall_rule" "all" {
  name                = "all"
  resource_group_name = "rg-app"
  server_name         = "mysql-app"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}
`,
    check: 'AZ-MYSQL-006',
    status: 'fail',
    at: 'start_ip_address',
  },
  {
    type: 'azurerm_mysql_flexible_server_active_directory_administrator',
    hcl: `${mysql}
resource "azurerm_mysql_flexible_server_active_directory_administrator" "admin" {
  server_id   = "${SUB}/Microsoft.DBforMySQL/flexibleServers/mysql-app"
  identity_id = "${SUB}/Microsoft.ManagedIdentity/userAssignedIdentities/id-mysql"
  login       = "dba-group"
  object_id   = "00000000-0000-0000-0000-000000000002"
  tenant_id   = "00000000-0000-0000-0000-000000000001"
}
`,
    check: 'AZ-MYSQL-004',
    status: 'pass',
    // The check is the server's: it points at the server, and names the administrator.
    at: 'resource "azurerm_mysql_flexible_server" "db"',
  },
  {
    type: 'azurerm_redis_cache',
    hcl: `resource "azurerm_redis_cache" "redis" {
  name                 = "redis-app"
${RG}
  capacity             = 1
  family               = "C"
  sku_name             = "Standard"
  non_ssl_port_enabled = true
}
`,
    check: 'AZ-REDIS-001',
    status: 'fail',
    at: 'non_ssl_port_enabled',
  },
  // ---- messaging
  {
    type: 'azurerm_eventhub_namespace',
    hcl: `resource "azurerm_eventhub_namespace" "eh" {
  name                         = "eh-app"
${RG}
  sku                          = "Standard"
  local_authentication_enabled = true
}
`,
    check: 'AZ-EH-001',
    status: 'fail',
    at: 'local_authentication_enabled',
  },
  {
    type: 'azurerm_servicebus_namespace',
    hcl: `resource "azurerm_servicebus_namespace" "sb" {
  name                         = "sb-app"
${RG}
  sku                          = "Premium"
  capacity                     = 1
  premium_messaging_partitions = 1
  local_auth_enabled           = true
}
`,
    check: 'AZ-SB-001',
    status: 'fail',
    at: 'local_auth_enabled',
  },
  // ---- monitoring
  {
    type: 'azurerm_log_analytics_workspace',
    hcl: `resource "azurerm_log_analytics_workspace" "law" {
  name                = "law-app"
${RG}
  sku                 = "PerGB2018"
  retention_in_days   = 30
}
`,
    check: 'AZ-LOG-001',
    status: 'fail',
    at: 'retention_in_days',
  },
  {
    type: 'azurerm_monitor_diagnostic_setting',
    hcl: `${vault}
resource "azurerm_monitor_diagnostic_setting" "kv" {
  name                       = "to-law"
  target_resource_id         = "${SUB}/Microsoft.KeyVault/vaults/kv-app"
  log_analytics_workspace_id = "${SUB}/Microsoft.OperationalInsights/workspaces/law-app"
  enabled_log {
    category_group = "audit"
  }
}
`,
    check: 'AZ-LOG-004',
    status: 'pass',
    at: 'log_analytics_workspace_id',
  },
  // ---- identity and governance
  {
    type: 'azurerm_role_assignment',
    hcl: `resource "azurerm_role_assignment" "owner" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Owner"
  principal_id         = "00000000-0000-0000-0000-000000000003"
  principal_type       = "User"
}
`,
    check: 'AZ-ID-002',
    status: 'fail',
    at: 'role_definition_name',
  },
  {
    type: 'azurerm_user_assigned_identity',
    hcl: `resource "azurerm_user_assigned_identity" "id" {
  name                = "id-app"
${RG}
}
`,
    check: 'AZ-RES-001',
    status: 'pass',
    at: 'location',
    boundary: true,
  },
  {
    type: 'azurerm_resource_group',
    hcl: `resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}
`,
    check: 'AZ-RES-001',
    status: 'fail',
    at: 'location',
    boundary: true,
  },
  {
    type: 'azurerm_recovery_services_vault',
    hcl: `resource "azurerm_recovery_services_vault" "rsv" {
  name                = "rsv-app"
${RG}
  sku                 = "Standard"
  soft_delete_enabled = false
}
`,
    check: 'AZ-BACKUP-001',
    status: 'fail',
    at: 'soft_delete_enabled',
  },
  // ---- azapi
  {
    type: 'azapi_resource',
    hcl: `resource "azapi_resource" "sa" {
  type      = "Microsoft.Storage/storageAccounts@2023-05-01"
  name      = "stapp002"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  location  = "australiaeast"
  body = {
    kind = "StorageV2"
    sku  = { name = "Standard_LRS" }
    properties = {
      minimumTlsVersion = "TLS1_0"
    }
  }
}
`,
    check: 'AZ-STORAGE-002',
    status: 'fail',
    at: 'body = {',
  },
];
