import { type AzureCheck, checkProperty, defineCheck, sameText } from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { CALIBRATION_DOC, CALIBRATION_NOTE, checkWithPlatformDefault } from './platform-defaults.ts';

const COSMOS = 'Microsoft.DocumentDB/databaseAccounts';
const COSMOS_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.documentdb/databaseaccounts';

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-COSMOS-001',
    title: 'Cosmos DB account is not open to all public networks',
    severity: 'high',
    rationale:
      'A Cosmos DB account with public network access and no IP or virtual network rules accepts connections ' +
      'from any address on the internet, protected only by keys or tokens. Restricting it to private endpoints, ' +
      'or to listed networks, keeps the database reachable only by the systems that need it. `SecuredByPerimeter` passes too: a network security perimeter admits only its members and its own inbound access rules. The virtual network filter counts only with at least one virtual network rule. The verdict is read from the same public-endpoint fact as the threat-and-risk assessment (docs/tra.md).',
    remediation:
      "Set `properties.publicNetworkAccess` to `'Disabled'` and use private endpoints, or restrict access with " +
      '`properties.ipRules` and/or `properties.isVirtualNetworkFilterEnabled: true` with `properties.virtualNetworkRules`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/private-link/network-security-perimeter-concepts',
      COSMOS_DOCS,
      'https://learn.microsoft.com/azure/cosmos-db/how-to-configure-firewall',
    ],
    resourceTypes: [COSMOS],
    // Any limit passes: Disabled, IP or virtual network rules, or a network security perimeter.
    evaluate: endpointCheck('cosmos-db', { what: 'the account', acceptLimited: 'all' }),
  }),
  defineCheck({
    id: 'AZ-COSMOS-002',
    title: 'Cosmos DB account disables key-based (local) authentication',
    severity: 'medium',
    rationale:
      'Account keys grant full data access to whoever holds them, are shared rather than personal, and do not ' +
      'identify who used them. Requiring Microsoft Entra ID (role-based access) ties every request to an ' +
      'identity that can be governed, audited and protected by multi-factor authentication.',
    remediation:
      'Set `properties.disableLocalAuth` to `true` and grant Cosmos DB data-plane roles to Entra identities.',
    references: [
      COSMOS_DOCS,
      'https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac#disable-local-auth',
    ],
    resourceTypes: [COSMOS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.disableLocalAuth',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'key-based authentication is disabled',
      }),
  }),
  defineCheck({
    id: 'AZ-COSMOS-003',
    title: 'Cosmos DB account blocks account changes made with keys',
    severity: 'medium',
    rationale:
      'By default anyone holding an account key can also change databases, containers and throughput through ' +
      'the data plane, outside Azure Resource Manager, its role checks and its activity log. Blocking key-based ' +
      'metadata writes keeps such changes under Azure RBAC and audit.',
    remediation: 'Set `properties.disableKeyBasedMetadataWriteAccess` to `true`.',
    references: [
      COSMOS_DOCS,
      'https://learn.microsoft.com/azure/cosmos-db/role-based-access-control#prevent-sdk-changes',
    ],
    resourceTypes: [COSMOS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.disableKeyBasedMetadataWriteAccess',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'key-based metadata write access is disabled',
      }),
  }),
  defineCheck({
    id: 'AZ-COSMOS-004',
    title: 'Cosmos DB account requires TLS 1.2 or later',
    severity: 'high',
    rationale:
      'TLS 1.0 and 1.1 are not approved for protecting data in transit. An account that still accepts them ' +
      'lets clients, or an attacker forcing a downgrade, reach the database over a weak protocol. ' +
      `${CALIBRATION_NOTE} New accounts default to Tls12.`,
    remediation: "Set `properties.minimalTlsVersion` to `'Tls12'` (the default for new accounts).",
    references: [
      COSMOS_DOCS,
      'https://learn.microsoft.com/azure/cosmos-db/self-serve-minimum-tls-enforcement',
      CALIBRATION_DOC,
    ],
    resourceTypes: [COSMOS],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, 'cosmosMinimalTls', {
        path: 'properties.minimalTlsVersion',
        test: (v) => sameText(v, 'Tls12') || sameText(v, 'Tls13'),
        expectation: 'the minimum TLS version is TLS 1.2 or later',
      }),
  }),
  defineCheck({
    id: 'AZ-COSMOS-005',
    title: 'Cosmos DB account uses continuous backup (point-in-time restore)',
    severity: 'low',
    rationale:
      'Periodic backup keeps only a few snapshots and restoring needs a support request, so data deleted or ' +
      'corrupted by mistake or by an attacker may be lost. Continuous backup allows self-service restore to any ' +
      'point in the retention window.',
    remediation:
      "Set `properties.backupPolicy.type` to `'Continuous'` (with `continuousModeProperties.tier` `'Continuous30Days'`).",
    references: [
      COSMOS_DOCS,
      'https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction',
    ],
    resourceTypes: [COSMOS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.backupPolicy.type',
        test: (v) => sameText(v, 'Continuous'),
        whenMissing: 'fail',
        expectation: 'continuous backup is enabled',
      }),
  }),
];
