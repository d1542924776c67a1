/**
 * The security-relevant properties `assay drift` compares (AZ-DRIFT-003), per resource type.
 *
 * Why a list: the Azure checks read their properties inside their `evaluate` functions
 * (`checkProperty` paths and helpers), not as metadata, so the paths cannot be read off the
 * checks. This table is written from those functions instead: each path names the checks that
 * read it, and test/azure/drift.test.ts holds every entry to a check that exists, applies to the
 * type and whose file reads the path. A new check on one of these types adds its paths here.
 */
export interface SecurityProperty {
  /** Dotted path from the resource root, as a template writes it. */
  path: string;
  /** The checks that read it. */
  checks: readonly string[];
}

export const SECURITY_PROPERTIES: Readonly<Record<string, readonly SecurityProperty[]>> = {
  'Microsoft.Storage/storageAccounts': [
    { path: 'properties.supportsHttpsTrafficOnly', checks: ['AZ-STORAGE-001'] },
    { path: 'properties.minimumTlsVersion', checks: ['AZ-STORAGE-002'] },
    { path: 'properties.allowBlobPublicAccess', checks: ['AZ-STORAGE-003'] },
    { path: 'properties.allowSharedKeyAccess', checks: ['AZ-STORAGE-004'] },
    { path: 'properties.publicNetworkAccess', checks: ['AZ-STORAGE-005'] },
    { path: 'properties.networkAcls.defaultAction', checks: ['AZ-STORAGE-005'] },
    { path: 'properties.encryption.keySource', checks: ['AZ-STORAGE-006'] },
    { path: 'properties.encryption.requireInfrastructureEncryption', checks: ['AZ-STORAGE-006'] },
  ],
  'Microsoft.Storage/storageAccounts/blobServices': [
    { path: 'properties.deleteRetentionPolicy.enabled', checks: ['AZ-STORAGE-007'] },
    { path: 'properties.containerDeleteRetentionPolicy.enabled', checks: ['AZ-STORAGE-008'] },
  ],
  'Microsoft.Storage/storageAccounts/fileServices': [
    { path: 'properties.shareDeleteRetentionPolicy.enabled', checks: ['AZ-STORAGE-009'] },
  ],
  'Microsoft.Storage/storageAccounts/blobServices/containers': [
    { path: 'properties.publicAccess', checks: ['AZ-STORAGE-010'] },
  ],
  'Microsoft.KeyVault/vaults': [
    { path: 'properties.enableSoftDelete', checks: ['AZ-KV-001'] },
    { path: 'properties.enablePurgeProtection', checks: ['AZ-KV-002'] },
    { path: 'properties.enableRbacAuthorization', checks: ['AZ-KV-003'] },
    { path: 'properties.publicNetworkAccess', checks: ['AZ-KV-004'] },
    { path: 'properties.networkAcls.defaultAction', checks: ['AZ-KV-004'] },
  ],
  'Microsoft.KeyVault/vaults/keys': [
    { path: 'properties.attributes.exp', checks: ['AZ-KV-005'] },
    { path: 'properties.rotationPolicy.attributes.expiryTime', checks: ['AZ-KV-005'] },
  ],
  'Microsoft.KeyVault/vaults/secrets': [{ path: 'properties.attributes.exp', checks: ['AZ-KV-006'] }],
  'Microsoft.Sql/servers': [
    { path: 'properties.administrators.azureADOnlyAuthentication', checks: ['AZ-SQL-001'] },
    { path: 'properties.minimalTlsVersion', checks: ['AZ-SQL-002'] },
    { path: 'properties.publicNetworkAccess', checks: ['AZ-SQL-003'] },
  ],
  'Microsoft.Sql/servers/azureADOnlyAuthentications': [
    { path: 'properties.azureADOnlyAuthentication', checks: ['AZ-SQL-001'] },
  ],
  'Microsoft.Sql/servers/firewallRules': [
    { path: 'properties.startIpAddress', checks: ['AZ-SQL-004', 'AZ-SQL-005'] },
    { path: 'properties.endIpAddress', checks: ['AZ-SQL-004'] },
  ],
  'Microsoft.Sql/servers/databases/transparentDataEncryption': [
    { path: 'properties.state', checks: ['AZ-SQL-007'] },
  ],
  'Microsoft.Web/sites': webApp(),
  'Microsoft.Web/sites/slots': webApp(),
  'Microsoft.Network/networkSecurityGroups': [
    // The rules compare as a set: their order in a template or an export means nothing.
    { path: 'properties.securityRules', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
  ],
  'Microsoft.Network/networkSecurityGroups/securityRules': [
    { path: 'properties.access', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
    { path: 'properties.direction', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
    { path: 'properties.protocol', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
    { path: 'properties.sourceAddressPrefix', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
    { path: 'properties.sourceAddressPrefixes', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
    { path: 'properties.destinationPortRange', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
    { path: 'properties.destinationPortRanges', checks: ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003'] },
  ],
  'Microsoft.Network/publicIPAddresses': [
    { path: 'sku.name', checks: ['AZ-NET-005'] },
    { path: 'properties.ddosSettings.protectionMode', checks: ['AZ-NET-007'] },
    { path: 'properties.ddosSettings.protectionCoverage', checks: ['AZ-NET-007'] },
  ],
};

/** Web apps and their slots share the site checks (`siteConfig` as the site declares it). */
function webApp(): SecurityProperty[] {
  return [
    { path: 'properties.httpsOnly', checks: ['AZ-APP-001'] },
    { path: 'properties.siteConfig.minTlsVersion', checks: ['AZ-APP-002'] },
    { path: 'properties.siteConfig.ftpsState', checks: ['AZ-APP-003'] },
    { path: 'properties.siteConfig.remoteDebuggingEnabled', checks: ['AZ-APP-004'] },
    { path: 'identity.type', checks: ['AZ-APP-005'] },
    { path: 'properties.clientCertEnabled', checks: ['AZ-APP-006'] },
    { path: 'properties.clientCertMode', checks: ['AZ-APP-006'] },
    { path: 'properties.publicNetworkAccess', checks: ['AZ-APP-007'] },
    { path: 'properties.siteConfig.ipSecurityRestrictionsDefaultAction', checks: ['AZ-APP-007'] },
    { path: 'properties.siteConfig.cors.allowedOrigins', checks: ['AZ-APP-009'] },
  ];
}

const byLowerType = new Map(Object.entries(SECURITY_PROPERTIES).map(([t, p]) => [t.toLowerCase(), p]));

/** The security-relevant properties of a resource type (case-insensitive), or none. */
export function securityProperties(type: string): readonly SecurityProperty[] {
  return byLowerType.get(type.toLowerCase()) ?? [];
}
