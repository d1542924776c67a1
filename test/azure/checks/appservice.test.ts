import { runCases } from '../../helpers/check-cases.ts';

const API = '2023-12-01';
const site = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Web/sites',
  apiVersion: API,
  name: 'app-portal',
  location: 'australiaeast',
  kind: 'app,linux',
  ...extra,
  properties: { serverFarmId: "[resourceId('Microsoft.Web/serverfarms', 'plan')]", ...properties },
});
const webConfig = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Web/sites/config',
  apiVersion: API,
  name: 'app-portal/web',
  dependsOn: ['app-portal'],
  properties,
});
const stringParam = { p: { type: 'string' } };
const boolParam = { p: { type: 'bool' } };

runCases('AZ-APP-001', [
  {
    name: 'passes when httpsOnly is true',
    resources: [site({ httpsOnly: true })],
    expect: [{ status: 'pass', at: '"httpsOnly"' }],
  },
  {
    name: 'passes for a deployment slot',
    resources: [
      {
        type: 'Microsoft.Web/sites/slots',
        apiVersion: API,
        name: 'app-portal/staging',
        location: 'australiaeast',
        properties: { httpsOnly: true },
      },
    ],
    expect: [{ status: 'pass', at: '"httpsOnly"' }],
  },
  {
    name: 'fails when absent',
    resources: [site({})],
    expect: [{ status: 'fail', at: '"properties"' }],
  },
  {
    name: 'fails when false',
    resources: [site({ httpsOnly: false })],
    expect: [{ status: 'fail', at: '"httpsOnly"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [site({ httpsOnly: "[parameters('p')]" })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"httpsOnly"' }],
  },
]);

runCases('AZ-APP-002', [
  {
    name: 'passes on 1.2',
    resources: [site({ siteConfig: { minTlsVersion: '1.2' } })],
    expect: [{ status: 'pass', at: '"minTlsVersion"' }],
  },
  {
    name: 'passes when absent (1.2 default)',
    resources: [site({ siteConfig: { alwaysOn: true } })],
    expect: [{ status: 'pass', at: '"siteConfig"' }],
  },
  {
    name: 'fails on 1.0',
    resources: [site({ siteConfig: { minTlsVersion: '1.0' } })],
    expect: [{ status: 'fail', at: '"minTlsVersion"' }],
  },
  {
    name: 'a config/web child overrides siteConfig',
    resources: [site({ siteConfig: { minTlsVersion: '1.2' } }), webConfig({ minTlsVersion: '1.1' })],
    expect: [{ status: 'fail', at: { needle: '"minTlsVersion"', from: '"app-portal/web"' } }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [site({ siteConfig: { minTlsVersion: "[parameters('p')]" } })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"minTlsVersion"' }],
  },
]);

runCases('AZ-APP-003', [
  {
    name: 'passes when FTP is disabled',
    resources: [site({ siteConfig: { ftpsState: 'Disabled' } })],
    expect: [{ status: 'pass', at: '"ftpsState"' }],
  },
  {
    name: 'passes when FTPS only is set on the config child',
    resources: [site({}), webConfig({ ftpsState: 'FtpsOnly' })],
    expect: [{ status: 'pass', at: '"ftpsState"' }],
  },
  {
    name: 'fails on AllAllowed',
    resources: [site({ siteConfig: { ftpsState: 'AllAllowed' } })],
    expect: [{ status: 'fail', at: '"ftpsState"' }],
  },
  {
    name: 'fails when absent',
    resources: [site({ siteConfig: {} })],
    expect: [{ status: 'fail', at: '"siteConfig"' }],
  },
  {
    name: 'is unknown from reference()',
    resources: [site({ siteConfig: { ftpsState: "[reference('cfg').ftps]" } })],
    expect: [{ status: 'unknown', at: '"ftpsState"' }],
  },
]);

runCases('AZ-APP-004', [
  {
    name: 'passes when remote debugging is off',
    resources: [site({ siteConfig: { remoteDebuggingEnabled: false } })],
    expect: [{ status: 'pass', at: '"remoteDebuggingEnabled"' }],
  },
  {
    name: 'passes when absent',
    resources: [site({})],
    expect: [{ status: 'pass', at: '"properties"' }],
  },
  {
    name: 'fails when on',
    resources: [site({ siteConfig: { remoteDebuggingEnabled: true, remoteDebuggingVersion: 'VS2022' } })],
    expect: [{ status: 'fail', at: '"remoteDebuggingEnabled"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [site({ siteConfig: { remoteDebuggingEnabled: "[parameters('p')]" } })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"remoteDebuggingEnabled"' }],
  },
]);

runCases('AZ-APP-005', [
  {
    name: 'passes with a system-assigned identity',
    resources: [site({}, { identity: { type: 'SystemAssigned' } })],
    expect: [{ status: 'pass', at: '"SystemAssigned"' }],
  },
  {
    name: 'passes with a user-assigned identity',
    resources: [
      site(
        {},
        {
          identity: {
            type: 'UserAssigned',
            userAssignedIdentities: {
              "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id')]": {},
            },
          },
        },
      ),
    ],
    expect: [{ status: 'pass', at: '"UserAssigned"' }],
  },
  {
    name: 'fails without an identity when an app setting holds a storage account key',
    resources: [
      site({
        siteConfig: {
          appSettings: [
            {
              name: 'AzureWebJobsStorage',
              value: 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc==',
            },
          ],
        },
      }),
    ],
    expect: [{ status: 'fail', at: { resource: 'app-portal' } }],
  },
  {
    name: 'fails with type None when a connection string holds a password',
    resources: [
      site(
        {
          siteConfig: {
            connectionStrings: [{ name: 'db', connectionString: 'Server=x;User Id=u;Password=p;' }],
          },
        },
        { identity: { type: 'None' } },
      ),
    ],
    expect: [{ status: 'fail', at: '"None"' }],
  },
  {
    name: 'fails when a config/appsettings child reads a key with listKeys()',
    resources: [
      site({}),
      {
        type: 'Microsoft.Web/sites/config',
        apiVersion: '2023-12-01',
        name: 'app-portal/appsettings',
        properties: {
          STORAGE:
            "[concat('AccountName=st;AccountKey=', listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value)]",
        },
      },
    ],
    expect: [{ status: 'fail', at: { resource: 'app-portal' } }],
  },
  {
    name: 'is not applicable to an app the template gives no credential',
    resources: [
      site({ siteConfig: { appSettings: [{ name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~20' }] } }),
    ],
    expect: [{ status: 'not-applicable', at: { resource: 'app-portal' } }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [site({}, { identity: { type: "[parameters('p')]" } })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"type": "[parameters' }],
  },
]);

runCases('AZ-APP-006', [
  {
    name: 'passes when client certificates are required',
    resources: [site({ clientCertEnabled: true, clientCertMode: 'Required' })],
    expect: [{ status: 'pass', at: '"clientCertMode"' }],
  },
  {
    name: 'fails when client certificates are optional',
    resources: [site({ clientCertEnabled: true, clientCertMode: 'Optional' })],
    expect: [{ status: 'fail', at: '"clientCertMode"' }],
  },
  {
    name: 'fails on an API app where client certificates are not enabled',
    resources: [site({ clientCertEnabled: false }, { kind: 'api' })],
    expect: [{ status: 'fail', at: '"clientCertEnabled"' }],
  },
  {
    name: 'fails on an app tagged as a mutual-TLS endpoint without client certificates',
    resources: [site({}, { tags: { 'mutual-tls': 'true' } })],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"app-portal"' } }],
  },
  {
    name: 'is not applicable to a web app that is neither an API app nor a declared mutual-TLS endpoint',
    resources: [site({ clientCertEnabled: false })],
    expect: [{ status: 'not-applicable', at: { resource: 'app-portal' } }],
  },
  {
    name: 'is unknown on an API app from a parameter without a value',
    resources: [site({ clientCertEnabled: "[parameters('p')]" }, { kind: 'api' })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"clientCertEnabled"' }],
  },
  {
    name: 'is unknown when the kind is unknown',
    resources: [site({}, { kind: "[parameters('p')]" })],
    parameters: { p: { type: 'string' } },
    expect: [{ status: 'unknown', at: '"kind"' }],
  },
]);

runCases('AZ-APP-007', [
  {
    name: 'passes when public network access is disabled',
    resources: [site({ publicNetworkAccess: 'Disabled' })],
    expect: [{ status: 'pass', at: '"publicNetworkAccess"' }],
  },
  {
    name: 'passes when access restrictions deny by default',
    resources: [
      site({
        siteConfig: {
          ipSecurityRestrictionsDefaultAction: 'Deny',
          ipSecurityRestrictions: [{ ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100 }],
        },
      }),
    ],
    expect: [{ status: 'pass', at: '"ipSecurityRestrictionsDefaultAction"' }],
  },
  {
    name: 'fails when open',
    resources: [site({ publicNetworkAccess: 'Enabled' })],
    expect: [{ status: 'fail', at: '"publicNetworkAccess"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [site({ publicNetworkAccess: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"publicNetworkAccess"' }],
  },
]);

// AZ-APP-008 compares end-of-support dates with today's date: the supported cases below hold
// until April 2028 (Node.js 24) and October 2029 (Python 3.13).
runCases('AZ-APP-008', [
  {
    name: 'passes on a supported Node.js LTS',
    resources: [site({ siteConfig: { linuxFxVersion: 'NODE|24-lts' } })],
    expect: [{ status: 'pass', at: '"linuxFxVersion"' }],
  },
  {
    name: 'passes on a supported Python',
    resources: [site({ siteConfig: { linuxFxVersion: 'PYTHON|3.13' } })],
    expect: [{ status: 'pass', at: '"linuxFxVersion"' }],
  },
  {
    name: 'fails on Node.js 14',
    resources: [site({ siteConfig: { linuxFxVersion: 'NODE|14-lts' } })],
    expect: [{ status: 'fail', at: '"linuxFxVersion"' }],
  },
  {
    name: 'fails on PHP 7.4',
    resources: [site({ siteConfig: { linuxFxVersion: 'php|7.4' } })],
    expect: [{ status: 'fail', at: '"linuxFxVersion"' }],
  },
  {
    name: 'fails on .NET Core 3.1 set on the config child',
    resources: [
      site({ siteConfig: { linuxFxVersion: 'DOTNETCORE|10.0' } }),
      webConfig({ linuxFxVersion: 'DOTNETCORE|3.1' }),
    ],
    expect: [{ status: 'fail', at: { needle: '"linuxFxVersion"', from: '"app-portal/web"' } }],
  },
  {
    name: 'is not applicable to containers',
    resources: [site({ siteConfig: { linuxFxVersion: 'DOCKER|nginx:latest' } })],
    expect: [{ status: 'not-applicable', at: { resource: 'app-portal' } }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [site({ siteConfig: { linuxFxVersion: "[parameters('p')]" } })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"linuxFxVersion"' }],
  },
]);

const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";
const diagnosticSetting = (extra: Record<string, unknown>) => ({
  type: 'Microsoft.Insights/diagnosticSettings',
  apiVersion: '2021-05-01-preview',
  name: 'app-to-law',
  ...extra,
  properties: {
    logs: [{ category: 'AppServiceHTTPLogs', enabled: true }],
    workspaceId: "[resourceId('Microsoft.OperationalInsights/workspaces', 'law')]",
  },
});

runCases('AZ-APP-009', [
  {
    name: 'passes with a list of specific origins',
    resources: [site({ siteConfig: { cors: { allowedOrigins: ['https://portal.example.gov.au'] } } })],
    expect: [{ status: 'pass', at: '"allowedOrigins"' }],
  },
  {
    name: 'passes when CORS is not configured (same-origin policy applies)',
    resources: [site({ siteConfig: { minTlsVersion: '1.2' } })],
    expect: [{ status: 'pass', at: '"siteConfig"' }],
  },
  {
    name: 'fails when every origin is allowed',
    resources: [site({ siteConfig: { cors: { allowedOrigins: ['https://a.example', '*'] } } })],
    expect: [{ status: 'fail', at: '"allowedOrigins"' }],
  },
  {
    name: 'fails when the config/web child allows every origin',
    resources: [
      site({ siteConfig: { cors: { allowedOrigins: ['https://a.example'] } } }),
      webConfig({ cors: { allowedOrigins: ['*'] } }),
    ],
    expect: [{ status: 'fail', at: { needle: '"allowedOrigins"', from: '"app-portal/web"' } }],
  },
  {
    name: 'is unknown when an origin comes from a parameter without a value',
    resources: [
      site({ siteConfig: { cors: { allowedOrigins: ['https://a.example', "[parameters('p')]"] } } }),
    ],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"allowedOrigins"' }],
  },
  {
    name: 'is unknown when the whole list comes from reference()',
    resources: [site({ siteConfig: { cors: { allowedOrigins: REF } } })],
    expect: [{ status: 'unknown', at: '"allowedOrigins"' }],
  },
]);

runCases('AZ-APP-010', [
  {
    name: 'passes with a diagnostic setting scoped to the site (relative form)',
    resources: [
      site({}),
      diagnosticSetting({ scope: 'Microsoft.Web/sites/app-portal', dependsOn: ['app-portal'] }),
    ],
    expect: [{ status: 'pass', at: { resource: 'app-portal' } }],
  },
  {
    name: 'passes with a diagnostic setting scoped by a full resource id',
    resources: [
      site({}),
      diagnosticSetting({
        scope:
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/app-portal',
      }),
    ],
    expect: [{ status: 'pass', at: { resource: 'app-portal' } }],
  },
  {
    name: 'passes with the legacy providers/diagnosticSettings child',
    resources: [
      site(
        {},
        {
          resources: [
            {
              type: 'providers/diagnosticSettings',
              apiVersion: '2021-05-01-preview',
              name: 'Microsoft.Insights/http',
              dependsOn: ['app-portal'],
              properties: { logs: [{ category: 'AppServiceHTTPLogs', enabled: true }] },
            },
          ],
        },
      ),
    ],
    expect: [{ status: 'pass', at: { resource: 'app-portal' } }],
  },
  {
    name: 'passes when HTTP logging is enabled in siteConfig',
    resources: [site({ siteConfig: { httpLoggingEnabled: true } })],
    expect: [{ status: 'pass', at: '"httpLoggingEnabled"' }],
  },
  {
    name: 'passes when the config/logs child keeps HTTP logs on the file system',
    resources: [
      site({}),
      {
        type: 'Microsoft.Web/sites/config',
        apiVersion: API,
        name: 'app-portal/logs',
        dependsOn: ['app-portal'],
        properties: { httpLogs: { fileSystem: { enabled: true, retentionInDays: 30, retentionInMb: 35 } } },
      },
    ],
    expect: [{ status: 'pass', at: { needle: '"enabled"', from: '"app-portal/logs"' } }],
  },
  {
    name: 'fails with neither a diagnostic setting nor HTTP logging (default off)',
    resources: [site({})],
    expect: [{ status: 'fail', at: { resource: 'app-portal' } }],
  },
  {
    name: 'fails when the config/web child turns HTTP logging off',
    resources: [site({ siteConfig: { httpLoggingEnabled: true } }), webConfig({ httpLoggingEnabled: false })],
    expect: [{ status: 'fail', at: { needle: '"httpLoggingEnabled"', from: '"app-portal/web"' } }],
  },
  {
    name: 'fails when the only diagnostic setting watches another site',
    resources: [site({}), diagnosticSetting({ scope: 'Microsoft.Web/sites/other-app' })],
    expect: [{ status: 'fail', at: { resource: 'app-portal' } }],
  },
  {
    name: 'is unknown when HTTP logging comes from a parameter without a value',
    resources: [site({ siteConfig: { httpLoggingEnabled: "[parameters('p')]" } })],
    parameters: boolParam,
    expect: [{ status: 'unknown', at: '"httpLoggingEnabled"' }],
  },
  {
    name: 'is unknown when a diagnostic setting scope comes from a parameter without a value',
    resources: [site({}), diagnosticSetting({ scope: "[parameters('p')]" })],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: { resource: 'app-portal' } }],
  },
]);
