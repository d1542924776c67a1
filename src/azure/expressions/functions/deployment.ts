import type { ValueObject } from '../value.ts';
import { argError, asInt, asString, define } from './registry.ts';

define('parameters', 1, 1, (args, site) => site.ctx.parameter(asString(args, 0, site)));

define('variables', 1, 1, (args, site) => site.ctx.variable(asString(args, 0, site)));

// copyIndex(), copyIndex(offset), copyIndex('loop'), copyIndex('loop', offset).
define('copyIndex', 0, 2, (args, site) => {
  let loop: string | undefined;
  let offset = 0;
  if (args.length === 2) {
    loop = asString(args, 0, site);
    offset = asInt(args, 1, site);
  } else if (args.length === 1) {
    if (typeof args[0] === 'string') loop = args[0];
    else offset = asInt(args, 0, site);
  }
  return site.ctx.copyIndex(loop) + offset;
});

define('deployment', 0, 0, (_args, site) => site.ctx.deployment);

/** Endpoints as `environment()` returns them in each public cloud (from ARM's cloud metadata). */
const ENVIRONMENTS: Record<string, ValueObject> = {
  azurecloud: {
    name: 'AzureCloud',
    gallery: 'https://gallery.azure.com/',
    graph: 'https://graph.windows.net/',
    portal: 'https://portal.azure.com',
    graphAudience: 'https://graph.windows.net/',
    activeDirectoryDataLake: 'https://datalake.azure.net/',
    batch: 'https://batch.core.windows.net/',
    media: 'https://rest.media.azure.net',
    sqlManagement: 'https://management.core.windows.net:8443/',
    vmImageAliasDoc:
      'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json',
    resourceManager: 'https://management.azure.com/',
    authentication: {
      loginEndpoint: 'https://login.microsoftonline.com/',
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    suffixes: {
      acrLoginServer: '.azurecr.io',
      azureDatalakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
      azureDatalakeStoreFileSystem: 'azuredatalakestore.net',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
      keyvaultDns: '.vault.azure.net',
      sqlServerHostname: '.database.windows.net',
      storage: 'core.windows.net',
    },
  },
  azureusgovernment: {
    name: 'AzureUSGovernment',
    gallery: 'https://gallery.usgovcloudapi.net/',
    graph: 'https://graph.windows.net/',
    portal: 'https://portal.azure.us',
    graphAudience: 'https://graph.windows.net/',
    activeDirectoryDataLake: '',
    batch: 'https://batch.core.usgovcloudapi.net/',
    media: 'https://rest.media.usgovcloudapi.net',
    sqlManagement: 'https://management.core.usgovcloudapi.net:8443/',
    vmImageAliasDoc:
      'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json',
    resourceManager: 'https://management.usgovcloudapi.net/',
    authentication: {
      loginEndpoint: 'https://login.microsoftonline.us/',
      audiences: ['https://management.core.usgovcloudapi.net/', 'https://management.usgovcloudapi.net/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    suffixes: {
      acrLoginServer: '.azurecr.us',
      azureDatalakeAnalyticsCatalogAndJob: '',
      azureDatalakeStoreFileSystem: '',
      azureFrontDoorEndpointSuffix: 'azurefd.us',
      keyvaultDns: '.vault.usgovcloudapi.net',
      sqlServerHostname: '.database.usgovcloudapi.net',
      storage: 'core.usgovcloudapi.net',
    },
  },
  azurechinacloud: {
    name: 'AzureChinaCloud',
    gallery: 'https://gallery.chinacloudapi.cn/',
    graph: 'https://graph.chinacloudapi.cn/',
    portal: 'https://portal.azure.cn',
    graphAudience: 'https://graph.chinacloudapi.cn/',
    activeDirectoryDataLake: '',
    batch: 'https://batch.chinacloudapi.cn/',
    media: 'https://rest.media.chinacloudapi.cn',
    sqlManagement: 'https://management.core.chinacloudapi.cn:8443/',
    vmImageAliasDoc:
      'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json',
    resourceManager: 'https://management.chinacloudapi.cn/',
    authentication: {
      loginEndpoint: 'https://login.chinacloudapi.cn/',
      audiences: ['https://management.core.chinacloudapi.cn/', 'https://management.chinacloudapi.cn/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    suffixes: {
      acrLoginServer: '.azurecr.cn',
      azureDatalakeAnalyticsCatalogAndJob: '',
      azureDatalakeStoreFileSystem: '',
      azureFrontDoorEndpointSuffix: '',
      keyvaultDns: '.vault.azure.cn',
      sqlServerHostname: '.database.chinacloudapi.cn',
      storage: 'core.chinacloudapi.cn',
    },
  },
};

/** A deep copy, so that a template cannot alter the shared table through a returned object. */
function clone(v: ValueObject): ValueObject {
  return JSON.parse(JSON.stringify(v)) as ValueObject;
}

define('environment', 0, 0, (_args, site) => {
  const name = site.ctx.scope.environmentName || 'AzureCloud';
  const env = ENVIRONMENTS[name.toLowerCase()];
  if (!env) throw argError(site, `the cloud environment '${name}' is not known.`);
  return clone(env);
});
