/** App Service: plans, Linux and Windows web and function apps (site settings under `siteConfig`). */
import { isObject, Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  block,
  childIdOf,
  childName,
  Draft,
  enabled,
  idAttr,
  inBlock,
  type MappingContext,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const PLAN = 'Microsoft.Web/serverfarms';
const SITE = 'Microsoft.Web/sites';
const API = '2023-12-01';

function mapPlan(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: PLAN, apiVersion: API });
  d.copy('sku.name', 'sku_name');
  d.copy('kind', 'os_type', (v) => (v === 'Linux' ? 'linux' : v === 'Windows' ? 'app' : v));
  d.copy('properties.reserved', 'os_type', (v) => (typeof v === 'string' ? v === 'Linux' : undefined));
  d.copy('properties.zoneRedundant', 'zone_balancing_enabled');
  return [d];
}

/** Linux `application_stack` -> `linuxFxVersion` (`PYTHON|3.12`), as the provider writes it. */
const LINUX_STACKS: readonly [string, string][] = [
  ['docker_image_name', 'DOCKER'],
  ['dotnet_version', 'DOTNETCORE'],
  ['java_version', 'JAVA'],
  ['node_version', 'NODE'],
  ['php_version', 'PHP'],
  ['python_version', 'PYTHON'],
  ['ruby_version', 'RUBY'],
  ['go_version', 'GO'],
  ['powershell_core_version', 'POWERSHELL'],
];

function linuxFxVersion(stack: ReturnType<typeof block>): { value: Value; attribute: string } | undefined {
  if (stack instanceof Unknown) return { value: stack, attribute: 'application_stack' };
  for (const [attribute, prefix] of LINUX_STACKS) {
    const v = inBlock(stack, attribute);
    if (v instanceof Unknown) return { value: v, attribute };
    if (typeof v === 'string' && v !== '') return { value: `${prefix}|${v}`, attribute };
  }
  return undefined;
}

function siteMapping(tfType: string, kind: string, linux: boolean): TypeMapping {
  return {
    tfType,
    armType: SITE,
    alsoArm: [`${SITE}/config`],
    map(i, ctx) {
      const d = standardDraft(ctx, i, { type: SITE, apiVersion: API });
      d.set('kind', kind);
      d.set(
        'properties.serverFarmId',
        idAttr(ctx, i, 'service_plan_id', ['azurerm_service_plan']),
        'service_plan_id',
      );
      d.copy('properties.httpsOnly', 'https_only');
      d.copy('properties.clientCertEnabled', 'client_certificate_enabled');
      d.copy('properties.clientCertMode', 'client_certificate_mode');
      d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
      d.copy('properties.virtualNetworkSubnetId', 'virtual_network_subnet_id');
      d.copy('properties.keyVaultReferenceIdentity', 'key_vault_reference_identity_id');
      if (linux) d.set('properties.reserved', true);
      const config = block(i, 'site_config');
      if (config instanceof Unknown) d.set('properties.siteConfig', config, 'site_config');
      else if (config) siteConfig(d, linux);
      const logs = block(i, 'logs');
      if (logs !== undefined) return [d, logsConfig(i, d, logs)];
      return [d];
    },
  };
}

function siteConfig(d: Draft, linux: boolean): void {
  const at = 'site_config.0.';
  d.copy('properties.siteConfig.minTlsVersion', `${at}minimum_tls_version`);
  d.copy('properties.siteConfig.scmMinTlsVersion', `${at}scm_minimum_tls_version`);
  d.copy('properties.siteConfig.ftpsState', `${at}ftps_state`);
  d.copy('properties.siteConfig.remoteDebuggingEnabled', `${at}remote_debugging_enabled`);
  d.copy('properties.siteConfig.http20Enabled', `${at}http2_enabled`);
  d.copy('properties.siteConfig.alwaysOn', `${at}always_on`);
  d.copy('properties.siteConfig.ipSecurityRestrictionsDefaultAction', `${at}ip_restriction_default_action`);
  d.copy(
    'properties.siteConfig.scmIpSecurityRestrictionsDefaultAction',
    `${at}scm_ip_restriction_default_action`,
  );
  d.copy('properties.siteConfig.ipSecurityRestrictions', `${at}ip_restriction`, (v) =>
    Array.isArray(v) ? v.map(restriction) : undefined,
  );
  d.copy('properties.siteConfig.cors.allowedOrigins', `${at}cors.0.allowed_origins`);
  d.copy('properties.siteConfig.cors.supportCredentials', `${at}cors.0.support_credentials`);
  if (linux) {
    const fx = linuxFxVersion(stackOf(d.from));
    if (fx)
      d.set('properties.siteConfig.linuxFxVersion', fx.value, `${at}application_stack.0.${fx.attribute}`);
  } else {
    const stack = stackOf(d.from);
    d.set(
      'properties.siteConfig.netFrameworkVersion',
      inBlock(stack, 'dotnet_version'),
      `${at}application_stack`,
    );
    d.set('properties.siteConfig.phpVersion', inBlock(stack, 'php_version'), `${at}application_stack`);
    d.set('properties.siteConfig.javaVersion', inBlock(stack, 'java_version'), `${at}application_stack`);
    d.set('properties.siteConfig.nodeVersion', inBlock(stack, 'node_version'), `${at}application_stack`);
  }
}

function stackOf(i: TerraformInstance): ReturnType<typeof block> {
  const config = block(i, 'site_config');
  if (config === undefined || config instanceof Unknown) return config;
  const stack = config.application_stack;
  if (stack instanceof Unknown) return stack;
  const first = Array.isArray(stack) ? stack[0] : undefined;
  return first instanceof Unknown ? first : isObject(first) ? first : undefined;
}

/** An `ip_restriction` block as ARM's `ipSecurityRestrictions` entry. */
function restriction(v: Value): Value {
  if (!isObject(v)) return v;
  const out: Record<string, Value> = {};
  const pairs: [string, string][] = [
    ['ip_address', 'ipAddress'],
    ['service_tag', 'ipAddress'],
    ['virtual_network_subnet_id', 'vnetSubnetResourceId'],
    ['action', 'action'],
    ['priority', 'priority'],
    ['name', 'name'],
  ];
  for (const [tf, arm] of pairs) {
    const item = v[tf];
    if (item !== undefined && item !== null && item !== '') out[arm] = item;
  }
  if (v.service_tag !== undefined && v.service_tag !== null && v.service_tag !== '') out.tag = 'ServiceTag';
  return out;
}

/** `logs` -> the site's `config/logs` child (`httpLogs`), as ARM declares it. */
function logsConfig(i: TerraformInstance, site: Draft, logs: ReturnType<typeof block>): Draft {
  const name = childName(site.name, 'logs');
  const d = new Draft(i, {
    type: `${SITE}/config`,
    apiVersion: API,
    name,
    id: childIdOf(site, `${SITE}/config`, 'logs'),
    location: i.locate('logs'),
  });
  const http = inBlock(logs, 'http_logs');
  if (http instanceof Unknown) {
    d.set('properties.httpLogs', http, 'logs.0.http_logs');
    return d;
  }
  const first = Array.isArray(http) ? http[0] : undefined;
  if (!isObject(first)) return d;
  const fileSystem = first.file_system;
  const blob = first.azure_blob_storage;
  d.set(
    'properties.httpLogs.fileSystem.enabled',
    Array.isArray(fileSystem) ? fileSystem.length > 0 : undefined,
    'logs.0.http_logs',
  );
  d.set(
    'properties.httpLogs.azureBlobStorage.enabled',
    Array.isArray(blob) ? blob.length > 0 : undefined,
    'logs.0.http_logs',
  );
  return d;
}

export const webMappings: TypeMapping[] = [
  { tfType: 'azurerm_service_plan', armType: PLAN, map: mapPlan },
  siteMapping('azurerm_linux_web_app', 'app,linux', true),
  siteMapping('azurerm_windows_web_app', 'app', false),
  siteMapping('azurerm_linux_function_app', 'functionapp,linux', true),
  siteMapping('azurerm_windows_function_app', 'functionapp', false),
];
