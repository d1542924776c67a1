import type { Value } from '../expressions/value.ts';
import { getPath } from '../resource.ts';
import { type AzureCheck, checkProperty, defineCheck, pass } from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { apiVersionAtLeast } from './storage.ts';

const VAULT = 'Microsoft.KeyVault/vaults';
const TEMPLATE_REF = 'https://learn.microsoft.com/en-us/azure/templates/microsoft.keyvault/vaults';

const isTrue = (v: Value): boolean => v === true;
/** `attributes.exp` is an expiry time in seconds since the Unix epoch. */
const isExpiry = (v: Value): boolean => typeof v === 'number' && v > 0;

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-KV-001',
    title: 'Key Vault soft delete is not disabled',
    severity: 'high',
    rationale:
      'Soft delete keeps a deleted vault and its keys, secrets and certificates recoverable for the retention period. Without it, one deletion (by mistake or by an attacker) permanently destroys keys, and with them any data encrypted under those keys.',
    remediation:
      'Remove `properties.enableSoftDelete: false` (soft delete is on by default and can no longer be turned off for new vaults) and set `properties.softDeleteRetentionInDays` to 90.',
    references: [
      'https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview',
      TEMPLATE_REF,
    ],
    resourceTypes: [VAULT],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.enableSoftDelete',
        test: isTrue,
        whenMissing: 'pass',
        expectation: 'soft delete is enabled',
      }),
  }),

  defineCheck({
    id: 'AZ-KV-002',
    title: 'Key Vault purge protection is enabled',
    severity: 'medium',
    rationale:
      'Soft delete alone still lets a privileged user or a compromised administrator purge deleted keys immediately. Purge protection enforces the retention period, so keys protecting data (including customer-managed keys for storage and databases) cannot be destroyed before it ends.',
    remediation: 'Set `properties.enablePurgeProtection` to `true` (it cannot be turned off once on).',
    references: [
      'https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview#purge-protection',
      TEMPLATE_REF,
    ],
    resourceTypes: [VAULT],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.enablePurgeProtection',
        test: isTrue,
        whenMissing: 'fail',
        expectation: 'purge protection is enabled',
      }),
  }),

  defineCheck({
    id: 'AZ-KV-003',
    title: 'Key Vault uses Azure RBAC for data plane authorisation',
    severity: 'medium',
    rationale:
      'Vault access policies grant broad per-vault permissions that anyone with Contributor on the vault can rewrite, and they cannot use Privileged Identity Management. Azure RBAC scopes access to individual keys and secrets, separates management from data access and supports just-in-time elevation.',
    remediation:
      'Set `properties.enableRbacAuthorization` to `true`, replace `accessPolicies` with role assignments (e.g. Key Vault Secrets User). An absent value means RBAC only for new vaults created with apiVersion 2026-02-01 or later.',
    references: ['https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide', TEMPLATE_REF],
    resourceTypes: [VAULT],
    evaluate: (r) =>
      // From apiVersion 2026-02-01 an absent value creates an RBAC vault; before, access policies.
      checkProperty(r, {
        path: 'properties.enableRbacAuthorization',
        test: isTrue,
        whenMissing: apiVersionAtLeast(r, '2026-02-01') ? 'pass' : 'fail',
        expectation: 'Azure RBAC authorisation is enabled',
      }),
  }),

  defineCheck({
    id: 'AZ-KV-004',
    title: 'Key Vaults are not reachable from every network',
    severity: 'medium',
    rationale:
      'A vault reachable from the whole internet lets a stolen token or credential be used from anywhere to read secrets and keys. Disabling public network access, or denying by default with a firewall, restricts the vault to the networks that need it. `SecuredByPerimeter` passes too: a network security perimeter admits only its members and its own inbound access rules. The verdict is read from the same public-endpoint fact as the threat-and-risk assessment (docs/tra.md).',
    remediation:
      'Set `properties.publicNetworkAccess` to `Disabled` and use a private endpoint, or set `properties.networkAcls.defaultAction` to `Deny` with explicit `ipRules`/`virtualNetworkRules` (and `bypass: AzureServices` only if needed).',
    references: [
      'https://learn.microsoft.com/en-us/azure/private-link/network-security-perimeter-concepts',
      'https://learn.microsoft.com/en-us/azure/key-vault/general/network-security',
      TEMPLATE_REF,
    ],
    resourceTypes: [VAULT],
    // Any limit passes: Disabled, a firewall that denies by default, or a network security perimeter.
    evaluate: endpointCheck('key-vault', { what: 'the key vault', acceptLimited: 'all' }),
  }),

  defineCheck({
    id: 'AZ-KV-005',
    title: 'Key Vault keys have an expiry date',
    severity: 'low',
    rationale:
      'Keys without an expiry can stay in use indefinitely, so a key that has been exposed keeps protecting (or signing) data long after it should have been replaced. An expiry date forces rotation as part of key management.',
    remediation:
      'Set `properties.attributes.exp` (seconds since the Unix epoch) on each `Microsoft.KeyVault/vaults/keys`, or configure `properties.rotationPolicy` with an `expiryTime`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/key-vault/keys/how-to-configure-key-rotation',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.keyvault/vaults/keys',
    ],
    resourceTypes: ['Microsoft.KeyVault/vaults/keys'],
    evaluate: (r) => {
      const path = 'properties.attributes.exp';
      // A rotation policy with an expiry time sets `exp` on every key version it creates.
      const policyPath = 'properties.rotationPolicy.attributes.expiryTime';
      const policyExpiry = getPath(r.body, policyPath);
      if (getPath(r.body, path) === undefined && typeof policyExpiry === 'string' && policyExpiry !== '') {
        return pass(
          r,
          `the key's rotation policy sets an expiry (${policyPath} = ${policyExpiry})`,
          policyPath,
        );
      }
      return checkProperty(r, {
        path,
        test: isExpiry,
        whenMissing: 'fail',
        expectation: 'the key has an expiry date',
      });
    },
  }),

  defineCheck({
    id: 'AZ-KV-006',
    title: 'Key Vault secrets have an expiry date',
    severity: 'low',
    rationale:
      'Secrets such as passwords and connection strings that never expire are rarely rotated, so a leaked secret stays valid indefinitely. An expiry date makes rotation visible and enforceable.',
    remediation:
      'Set `properties.attributes.exp` (seconds since the Unix epoch) on each `Microsoft.KeyVault/vaults/secrets` and rotate the secret before it expires.',
    references: [
      'https://learn.microsoft.com/en-us/azure/key-vault/secrets/secrets-best-practices',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.keyvault/vaults/secrets',
    ],
    resourceTypes: ['Microsoft.KeyVault/vaults/secrets'],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.attributes.exp',
        test: isExpiry,
        whenMissing: 'fail',
        expectation: 'the secret has an expiry date',
      }),
  }),
];
