/** Monitoring: Log Analytics workspaces and diagnostic settings (an extension resource scoped to its target). */
import { isObject, Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  type Draft,
  enabled,
  idAttr,
  type MappingContext,
  nameOf,
  not,
  partText,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const WORKSPACE = 'Microsoft.OperationalInsights/workspaces';
const DIAGNOSTIC_SETTINGS = 'Microsoft.Insights/diagnosticSettings';

function mapWorkspace(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: WORKSPACE, apiVersion: '2023-09-01' });
  d.copy('properties.sku.name', 'sku');
  d.copy('properties.retentionInDays', 'retention_in_days');
  d.copy('properties.workspaceCapping.dailyQuotaGb', 'daily_quota_gb');
  d.copy('properties.publicNetworkAccessForIngestion', 'internet_ingestion_enabled', enabled);
  d.copy('properties.publicNetworkAccessForQuery', 'internet_query_enabled', enabled);
  // azurerm 4.x renamed `local_authentication_disabled` to the positive `local_authentication_enabled`.
  d.copy('properties.features.disableLocalAuth', 'local_authentication_disabled');
  d.copy('properties.features.disableLocalAuth', 'local_authentication_enabled', not);
  return [d];
}

/** Every mapped type whose instances a diagnostic setting may target (for the stand-in id of its scope). */
const TARGETS = [
  'azurerm_key_vault',
  'azurerm_storage_account',
  'azurerm_linux_web_app',
  'azurerm_windows_web_app',
  'azurerm_linux_function_app',
  'azurerm_windows_function_app',
  'azurerm_mssql_server',
  'azurerm_mssql_database',
  'azurerm_kubernetes_cluster',
  'azurerm_container_registry',
  'azurerm_cosmosdb_account',
  'azurerm_postgresql_flexible_server',
  'azurerm_mysql_flexible_server',
  'azurerm_redis_cache',
  'azurerm_eventhub_namespace',
  'azurerm_servicebus_namespace',
  'azurerm_application_gateway',
  'azurerm_network_security_group',
  'azurerm_public_ip',
  'azurerm_virtual_network',
  'azurerm_log_analytics_workspace',
  'azurerm_recovery_services_vault',
];

function logEntries(v: Value, enabledDefault: boolean): Value | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((entry) => {
    if (!isObject(entry)) return entry;
    const out: Record<string, Value> = {
      enabled: typeof entry.enabled === 'boolean' ? entry.enabled : enabledDefault,
    };
    if (typeof entry.category === 'string' && entry.category !== '') out.category = entry.category;
    if (typeof entry.category_group === 'string' && entry.category_group !== '')
      out.categoryGroup = entry.category_group;
    return out;
  });
}

function asList(v: Value | undefined): Value[] {
  return Array.isArray(v) ? v : [];
}

function mapDiagnosticSetting(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const target = idAttr(ctx, i, 'target_resource_id', TARGETS);
  const name = nameOf(i);
  const id = `${partText(target, 'target_resource_id')}/providers/${DIAGNOSTIC_SETTINGS}/${partText(name, 'name')}`;
  const d = standardDraft(ctx, i, { type: DIAGNOSTIC_SETTINGS, apiVersion: '2021-05-01-preview', name, id });
  d.set('scope', target, 'target_resource_id');
  d.copy('properties.workspaceId', 'log_analytics_workspace_id');
  d.copy('properties.storageAccountId', 'storage_account_id');
  d.copy('properties.eventHubAuthorizationRuleId', 'eventhub_authorization_rule_id');
  d.copy('properties.eventHubName', 'eventhub_name');
  d.copy('properties.logAnalyticsDestinationType', 'log_analytics_destination_type');
  // `enabled_log` (3.x and 4) lists what is on; 3.x's `log` carries its own `enabled`.
  const enabledLog = attr(i, 'enabled_log');
  const legacy = attr(i, 'log');
  const where = enabledLog !== undefined ? 'enabled_log' : 'log';
  const undecided =
    enabledLog instanceof Unknown ? enabledLog : legacy instanceof Unknown ? legacy : undefined;
  if (undecided) d.set('properties.logs', undecided, where);
  else {
    const logs = [...asList(logEntries(enabledLog ?? [], true)), ...asList(logEntries(legacy ?? [], true))];
    d.set('properties.logs', logs, where);
  }
  const metrics = logEntries(attr(i, 'metric') ?? attr(i, 'enabled_metric') ?? [], true);
  if (Array.isArray(metrics) && metrics.length > 0) d.set('properties.metrics', metrics, 'metric');
  return [d];
}

export const monitoringMappings: TypeMapping[] = [
  { tfType: 'azurerm_log_analytics_workspace', armType: WORKSPACE, map: mapWorkspace },
  {
    tfType: 'azurerm_monitor_diagnostic_setting',
    informs: ['AZ-APP-010', 'AZ-LOG-005'],
    armType: DIAGNOSTIC_SETTINGS,
    map: mapDiagnosticSetting,
  },
];
