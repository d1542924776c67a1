/** A small template with one of each data flow kind, for the flow, boundary and threat tests. */

const NET = '2023-09-01';
const subnetId = (name: string) =>
  `[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', '${name}')]`;

/**
 * A web app integrated into `snet-app` whose settings name a SQL server (password in the
 * connection string), a Key Vault (Key Vault reference; the vault has a private endpoint in
 * `snet-pe`) and a storage account (account key; the account lets `snet-app` in by a service
 * endpoint); a Contributor role assignment of the app on the storage account; the vault's
 * diagnostic logs sent to a workspace; and a NIC and an NSG, which store no data.
 */
export function flowsTemplate(options: { dnsZoneGroup?: boolean; location?: string } = {}): string {
  const location = options.location ?? 'australiaeast';
  const resources: unknown[] = [
    {
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: NET,
      name: 'nsg-app',
      location,
      properties: { securityRules: [] },
    },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: NET,
      name: 'vnet-app',
      location,
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          {
            name: 'snet-app',
            properties: {
              addressPrefix: '10.0.0.0/24',
              networkSecurityGroup: {
                id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-app')]",
              },
              serviceEndpoints: [{ service: 'Microsoft.Storage' }],
            },
          },
          { name: 'snet-pe', properties: { addressPrefix: '10.0.1.0/24' } },
        ],
      },
    },
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: 'nic-spare',
      location,
      properties: {
        ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: subnetId('snet-app') } } }],
      },
    },
    {
      type: 'Microsoft.Web/sites',
      apiVersion: '2023-01-01',
      name: 'app-portal',
      location,
      identity: { type: 'SystemAssigned' },
      properties: {
        httpsOnly: true,
        virtualNetworkSubnetId: subnetId('snet-app'),
        siteConfig: {
          minTlsVersion: '1.2',
          appSettings: [
            {
              name: 'VAULT_SECRET',
              value: '@Microsoft.KeyVault(SecretUri=https://kv-portal.vault.azure.net/secrets/api-key/)',
            },
            {
              name: 'STORAGE',
              value:
                'DefaultEndpointsProtocol=https;AccountName=stportal;AccountKey=abc;EndpointSuffix=core.windows.net',
            },
          ],
          connectionStrings: [
            {
              name: 'Db',
              type: 'SQLAzure',
              connectionString: 'Server=tcp:sql-portal.database.windows.net,1433;User ID=app;Password=p4ss;',
            },
          ],
        },
      },
    },
    {
      type: 'Microsoft.Sql/servers',
      apiVersion: '2023-05-01-preview',
      name: 'sql-portal',
      location,
      properties: { publicNetworkAccess: 'Enabled', minimalTlsVersion: '1.2' },
    },
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-01-01',
      name: 'stportal',
      location,
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
      properties: {
        minimumTlsVersion: 'TLS1_2',
        networkAcls: {
          defaultAction: 'Deny',
          virtualNetworkRules: [{ id: subnetId('snet-app'), action: 'Allow' }],
        },
      },
    },
    {
      type: 'Microsoft.KeyVault/vaults',
      apiVersion: '2023-07-01',
      name: 'kv-portal',
      location,
      properties: {
        tenantId: '[subscription().tenantId]',
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        publicNetworkAccess: 'Disabled',
      },
    },
    {
      type: 'Microsoft.Network/privateEndpoints',
      apiVersion: NET,
      name: 'pe-kv',
      location,
      properties: {
        subnet: { id: subnetId('snet-pe') },
        privateLinkServiceConnections: [
          {
            name: 'kv',
            properties: {
              privateLinkServiceId: "[resourceId('Microsoft.KeyVault/vaults', 'kv-portal')]",
              groupIds: ['vault'],
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.OperationalInsights/workspaces',
      apiVersion: '2022-10-01',
      name: 'log-portal',
      location,
      properties: { retentionInDays: 365 },
    },
    {
      type: 'Microsoft.Insights/diagnosticSettings',
      apiVersion: '2021-05-01-preview',
      name: 'kv-audit',
      scope: "[resourceId('Microsoft.KeyVault/vaults', 'kv-portal')]",
      properties: {
        workspaceId: "[resourceId('Microsoft.OperationalInsights/workspaces', 'log-portal')]",
        logs: [{ categoryGroup: 'audit', enabled: true }],
      },
    },
    {
      type: 'Microsoft.Authorization/roleAssignments',
      apiVersion: '2022-04-01',
      name: "[guid(resourceGroup().id, 'app-portal-storage')]",
      scope: "[resourceId('Microsoft.Storage/storageAccounts', 'stportal')]",
      properties: {
        roleDefinitionId:
          "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]",
        principalId:
          "[reference(resourceId('Microsoft.Web/sites', 'app-portal'), '2023-01-01', 'full').identity.principalId]",
        principalType: 'ServicePrincipal',
      },
    },
  ];
  if (options.dnsZoneGroup)
    resources.push({
      type: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
      apiVersion: NET,
      name: 'pe-kv/default',
      properties: { privateDnsZoneConfigs: [] },
    });
  return JSON.stringify(
    {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources,
    },
    null,
    2,
  );
}
