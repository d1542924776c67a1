/** Azure SQL: servers (with their Entra administrator), databases (with TDE), firewall rules, auditing, Defender. */
import { Unknown } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  block,
  childDraft,
  childIdOf,
  childName,
  Draft,
  enabled,
  type MappingContext,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const SERVER = 'Microsoft.Sql/servers';
const API = '2021-11-01';
const TF_SERVER = ['azurerm_mssql_server'];

function mapServer(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: SERVER, apiVersion: API });
  d.copy('properties.version', 'version');
  d.copy('properties.administratorLogin', 'administrator_login');
  d.copy('properties.minimalTlsVersion', 'minimum_tls_version');
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.copy('properties.restrictOutboundNetworkAccess', 'outbound_network_restriction_enabled', enabled);
  const admin = block(i, 'azuread_administrator');
  if (admin instanceof Unknown) d.set('properties.administrators', admin, 'azuread_administrator');
  else if (admin) {
    d.set('properties.administrators.administratorType', 'ActiveDirectory', 'azuread_administrator');
    d.copy('properties.administrators.login', 'azuread_administrator.0.login_username');
    d.copy('properties.administrators.sid', 'azuread_administrator.0.object_id');
    d.copy('properties.administrators.tenantId', 'azuread_administrator.0.tenant_id');
    d.copy(
      'properties.administrators.azureADOnlyAuthentication',
      'azuread_administrator.0.azuread_authentication_only',
    );
  }
  return [d];
}

/** A server child named by `server_id`. */
function serverChild(i: TerraformInstance, ctx: MappingContext, type: string, leaf?: string) {
  return childDraft(ctx, i, {
    type,
    apiVersion: API,
    parentAttr: 'server_id',
    parentTypes: TF_SERVER,
    parentArm: SERVER,
    ...(leaf ? { leaf } : {}),
  });
}

function mapDatabase(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = serverChild(i, ctx, `${SERVER}/databases`);
  d.copy('sku.name', 'sku_name');
  d.copy('properties.zoneRedundant', 'zone_redundant');
  d.copy('properties.requestedBackupStorageRedundancy', 'storage_account_type');
  // TDE is a child resource in ARM; the provider sets it from the database's attribute.
  const tde = attr(i, 'transparent_data_encryption_enabled');
  if (tde === undefined) return [d];
  const name = childName(d.name, 'current');
  const t = new Draft(i, {
    type: `${SERVER}/databases/transparentDataEncryption`,
    apiVersion: API,
    name,
    id: childIdOf(d, `${SERVER}/databases/transparentDataEncryption`, 'current'),
    location: i.locate('transparent_data_encryption_enabled'),
  });
  t.copy('properties.state', 'transparent_data_encryption_enabled', enabled);
  return [d, t];
}

function mapFirewallRule(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = serverChild(i, ctx, `${SERVER}/firewallRules`);
  d.copy('properties.startIpAddress', 'start_ip_address');
  d.copy('properties.endIpAddress', 'end_ip_address');
  return [d];
}

function mapAuditing(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = serverChild(i, ctx, `${SERVER}/extendedAuditingSettings`, 'default');
  d.copy('properties.state', 'enabled', enabled);
  d.copy('properties.storageEndpoint', 'storage_endpoint');
  d.copy('properties.retentionDays', 'retention_in_days');
  d.copy('properties.isAzureMonitorTargetEnabled', 'log_monitoring_enabled');
  return [d];
}

/** The policy names its server by `server_name` (and the resource group). */
function mapAlertPolicy(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = childDraft(ctx, i, {
    type: `${SERVER}/securityAlertPolicies`,
    apiVersion: API,
    parentAttr: 'server_name',
    parentTypes: TF_SERVER,
    parentArm: SERVER,
    leaf: 'Default',
  });
  d.copy('properties.state', 'state');
  d.copy('properties.retentionDays', 'retention_days');
  d.copy('properties.emailAccountAdmins', 'email_account_admins');
  return [d];
}

export const sqlMappings: TypeMapping[] = [
  { tfType: 'azurerm_mssql_server', armType: SERVER, map: mapServer },
  {
    tfType: 'azurerm_mssql_database',
    armType: `${SERVER}/databases`,
    alsoArm: [`${SERVER}/databases/transparentDataEncryption`],
    map: mapDatabase,
  },
  { tfType: 'azurerm_mssql_firewall_rule', armType: `${SERVER}/firewallRules`, map: mapFirewallRule },
  {
    tfType: 'azurerm_mssql_server_extended_auditing_policy',
    informs: ['AZ-SQL-006'],
    armType: `${SERVER}/extendedAuditingSettings`,
    map: mapAuditing,
  },
  {
    tfType: 'azurerm_mssql_server_security_alert_policy',
    informs: ['AZ-SQL-008'],
    armType: `${SERVER}/securityAlertPolicies`,
    map: mapAlertPolicy,
  },
];
