import type { CheckOutcome } from '../../core/model.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import {
  type AzureCheck,
  checkProperty,
  defineCheck,
  fail,
  notApplicable,
  pass,
  resourceIndex,
  sameText,
  unknown,
  unlistedRelations,
} from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { CALIBRATION_DOC, CALIBRATION_NOTE, checkWithPlatformDefault } from './platform-defaults.ts';

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the part A check files (storage, keyvault, sql, appservice, compute,
// network). They live here because this file is first in the registry; they read, never write.
// ---------------------------------------------------------------------------------------------

/** True when the resource's apiVersion (YYYY-MM-DD[-preview]) is on or after `date`. */
export function apiVersionAtLeast(r: AzureResource, date: string): boolean {
  return r.apiVersion.slice(0, 10) >= date;
}

/** The last segment of a resource name (`account/default` -> `default`), or the Unknown. */
export function leafName(r: AzureResource): string | Unknown {
  if (r.name instanceof Unknown) return r.name;
  const parts = r.name.split('/');
  return parts[parts.length - 1] ?? r.name;
}

export interface Children {
  /** Children of `type` whose full name is `<parent name>/<something>`. */
  found: AzureResource[];
  /** Set when the parent's name, or some candidate child's name, is unknown, so a match may be missing. */
  undecided?: Unknown;
}

/**
 * Child resources of a parent, matched by full name (ARM child names are `parent/child`)
 * among the resources the same template file and nested deployment declare (another
 * template may reuse the name for its own account). Used by checks whose setting lives on a
 * separate child resource (SQL auditing, blob service soft delete, App Service `config/web`).
 */
export function childrenOf(context: AzureCheckContext, parent: AzureResource, type: string): Children {
  const index = resourceIndex(context);
  if (parent.name instanceof Unknown) {
    return index.inDeployment(parent, type).length > 0
      ? { found: [], undecided: parent.name }
      : { found: [] };
  }
  const { found, unknownName } = index.childrenNamed(parent, type, parent.name);
  const undecided = unknownName ?? (found.length === 0 ? unlistedRelations(parent) : undefined);
  // A copy: callers own the list they get.
  return undecided ? { found: [...found], undecided } : { found: [...found] };
}

const isTrue = (v: Value): boolean => v === true;
const isFalse = (v: Value): boolean => v === false;

const STORAGE = 'Microsoft.Storage/storageAccounts';
const BLOB_SERVICES = 'Microsoft.Storage/storageAccounts/blobServices';
const FILE_SERVICES = 'Microsoft.Storage/storageAccounts/fileServices';
const CONTAINERS = 'Microsoft.Storage/storageAccounts/blobServices/containers';
const TEMPLATE_REF = 'https://learn.microsoft.com/en-us/azure/templates/microsoft.storage/storageaccounts';

/** Reads a property of the account's `default` blob service (a child resource), for soft delete checks. */
function blobServiceProperty(
  r: AzureResource,
  context: AzureCheckContext,
  path: string,
  expectation: string,
): CheckOutcome | CheckOutcome[] {
  const kind = getPath(r.body, 'kind');
  if (typeof kind === 'string' && sameText(kind, 'FileStorage')) {
    return notApplicable(r, 'FileStorage accounts have no blob service');
  }
  // The setting lives on the blobServices child, so this check looks it up among the scan's resources.
  const { found, undecided } = childrenOf(context, r, BLOB_SERVICES);
  if (found.length === 0) {
    if (undecided) {
      return unknown(
        r,
        `cannot find this account's blob service to decide whether ${expectation}: a name is unknown (${undecided.reason})`,
        undefined,
        undecided,
      );
    }
    return fail(
      r,
      `no blobServices resource is declared for this account, and the Azure default does not satisfy: ${expectation}; declare ${BLOB_SERVICES} 'default' with ${path} = true`,
    );
  }
  const outcomes = found.map((svc) => {
    const o = checkProperty(svc, { path, test: isTrue, whenMissing: 'fail', expectation });
    return { ...o, message: `blob service ${String(svc.name)}: ${o.message}` };
  });
  return outcomes.length === 1 ? outcomes[0]! : outcomes;
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-STORAGE-001',
    title: 'Storage accounts accept only HTTPS (secure transfer required)',
    severity: 'high',
    rationale:
      'Without secure transfer, the blob, queue and table endpoints accept plain HTTP and Azure Files accepts SMB without encryption, so data and shared access signatures can be read or altered on the wire. Government data must be encrypted whenever it crosses a network.',
    remediation:
      'Set `properties.supportsHttpsTrafficOnly` to `true` (the default only from apiVersion 2019-04-01; state it explicitly for older API versions).',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/common/storage-require-secure-transfer',
      TEMPLATE_REF,
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account',
    ],
    resourceTypes: [STORAGE],
    evaluate: (r) =>
      // Before apiVersion 2019-04-01 an absent value meant false; from 2019-04-01 it means true.
      checkProperty(r, {
        path: 'properties.supportsHttpsTrafficOnly',
        test: isTrue,
        whenMissing: apiVersionAtLeast(r, '2019-04-01') ? 'pass' : 'fail',
        expectation: 'only HTTPS is accepted',
      }),
  }),

  defineCheck({
    id: 'AZ-STORAGE-002',
    title: 'Storage accounts require TLS 1.2 or later',
    severity: 'high',
    rationale:
      'Storage accounts that still accept TLS 1.0 or 1.1 let a client (or an attacker downgrading one) negotiate protocols with known weaknesses. The ISM requires only the latest TLS versions to be used. ' +
      `${CALIBRATION_NOTE} The REST API documents an unset value as TLS 1.0, but since 3 February 2026 Azure Storage accepts only TLS 1.2 and later on every account, so an unset value fails only in a scan dated before then.`,
    remediation:
      'Set `properties.minimumTlsVersion` to `TLS1_2`: stating it keeps the intent visible and survives any change of platform default.',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version',
      TEMPLATE_REF,
      CALIBRATION_DOC,
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account',
    ],
    resourceTypes: [STORAGE],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, 'storageMinimumTls', {
        path: 'properties.minimumTlsVersion',
        test: (v) => sameText(v, 'TLS1_2') || sameText(v, 'TLS1_3'),
        expectation: 'minimumTlsVersion is TLS1_2 or later',
      }),
  }),

  defineCheck({
    id: 'AZ-STORAGE-003',
    title: 'Storage accounts disallow anonymous blob access',
    severity: 'high',
    rationale:
      'When anonymous blob access is allowed at the account, one container set to Blob or Container access publishes its data to anyone with the URL, with no key, token or identity. Blob URLs are routinely discovered by scanners, making this a common cause of data exposure. ' +
      `${CALIBRATION_NOTE} From API version 2023-01-01 an unset value means false; for older API versions Microsoft documents true but changed the default for new accounts in late 2023 without saying which API versions follow it, so the finding is unknown.`,
    remediation:
      'Set `properties.allowBlobPublicAccess` to `false`, and use API version 2023-01-01 or later.',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent',
      TEMPLATE_REF,
      CALIBRATION_DOC,
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account',
    ],
    resourceTypes: [STORAGE],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, 'storageBlobPublicAccess', {
        path: 'properties.allowBlobPublicAccess',
        test: isFalse,
        expectation: 'anonymous blob access is disallowed',
      }),
  }),

  defineCheck({
    id: 'AZ-STORAGE-004',
    title: 'Storage accounts disable shared key (account key) authorisation',
    severity: 'medium',
    rationale:
      'Account keys grant full control of every service in the account, are not tied to an identity, cannot require multi-factor authentication and are often leaked in connection strings. Requiring Microsoft Entra ID authorisation restricts access to identities with scoped roles and leaves an audit trail of who accessed what.',
    remediation:
      'Set `properties.allowSharedKeyAccess` to `false` (absent means true) and grant data access with Azure RBAC roles such as Storage Blob Data Reader.',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/common/shared-key-authorization-prevent',
      TEMPLATE_REF,
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account',
    ],
    resourceTypes: [STORAGE],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.allowSharedKeyAccess',
        test: isFalse,
        whenMissing: 'fail',
        expectation: 'shared key authorisation is disabled',
      }),
  }),

  defineCheck({
    id: 'AZ-STORAGE-005',
    title: 'Storage accounts are not reachable from every network',
    severity: 'medium',
    rationale:
      'By default a storage account endpoint accepts connections from any address on the internet, so a leaked key or token can be used from anywhere. Disabling public network access, or denying by default and allowing only named networks and private endpoints, limits traffic to what the system needs. `SecuredByPerimeter` passes too: a network security perimeter admits only its members and its own inbound access rules. The verdict is read from the same public-endpoint fact as the threat-and-risk assessment (docs/tra.md).',
    remediation:
      'Set `properties.publicNetworkAccess` to `Disabled` and use private endpoints, or set `properties.networkAcls.defaultAction` to `Deny` with explicit `virtualNetworkRules`/`ipRules`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/private-link/network-security-perimeter-concepts',
      'https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security',
      TEMPLATE_REF,
    ],
    resourceTypes: [STORAGE],
    // Any limit passes: Disabled, a firewall that denies by default, or a network security perimeter.
    evaluate: endpointCheck('storage', { what: 'the storage account', acceptLimited: 'all' }),
  }),

  defineCheck({
    id: 'AZ-STORAGE-006',
    title: 'Storage accounts add a second encryption layer or a customer-managed key',
    severity: 'info',
    rationale:
      'Azure encrypts all storage at rest with platform-managed keys; infrastructure (double) encryption adds an independent second layer, and a customer-managed key in Key Vault lets the agency control, rotate and revoke the key protecting its data. ' +
      "The ISM controls on encrypting data at rest (ISM-0459, ISM-1080) are met by the platform encryption every account has (AES-256, always on), so this check no longer maps to them and no longer fails at a real severity: a second layer or an agency-held key is a choice made in the agency's key management processes (ISM-0507) for data whose classification calls for it. It is informational (docs/calibration.md).",
    remediation:
      'Set `properties.encryption.requireInfrastructureEncryption` to `true` (only at creation), or set `properties.encryption.keySource` to `Microsoft.Keyvault` with `keyvaultproperties`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/common/infrastructure-encryption-enable',
      'https://learn.microsoft.com/en-us/azure/storage/common/customer-managed-keys-overview',
      TEMPLATE_REF,
    ],
    resourceTypes: [STORAGE],
    evaluate: (r) => {
      const infraPath = 'properties.encryption.requireInfrastructureEncryption';
      const keyPath = 'properties.encryption.keySource';
      const infra = getPath(r.body, infraPath);
      const keySource = getPath(r.body, keyPath);
      if (infra === true) return pass(r, 'infrastructure (double) encryption is required', infraPath);
      if (typeof keySource === 'string' && sameText(keySource, 'Microsoft.Keyvault')) {
        return pass(
          r,
          'data is encrypted with a customer-managed key (keySource Microsoft.Keyvault)',
          keyPath,
        );
      }
      if (infra instanceof Unknown) {
        return unknown(
          r,
          `cannot decide the encryption layers: ${infraPath} is unknown (${infra.reason})`,
          infraPath,
          infra,
        );
      }
      if (keySource instanceof Unknown) {
        return unknown(
          r,
          `cannot decide the encryption key source: ${keyPath} is unknown (${keySource.reason})`,
          keyPath,
          keySource,
        );
      }
      return fail(
        r,
        'only the default single layer of platform-managed encryption applies: requireInfrastructureEncryption is not true and keySource is not Microsoft.Keyvault',
        infra !== undefined ? infraPath : 'properties.encryption',
        { requireInfrastructureEncryption: infra ?? null, keySource: keySource ?? null },
      );
    },
  }),

  defineCheck({
    id: 'AZ-STORAGE-007',
    title: 'Blob soft delete is enabled',
    severity: 'medium',
    rationale:
      'Soft delete keeps deleted or overwritten blobs recoverable for a retention period, protecting against accidental deletion and ransomware or malicious insiders destroying data. It is a cheap, account-local form of backup for blob data.',
    remediation:
      'Declare `Microsoft.Storage/storageAccounts/blobServices` named `default` with `properties.deleteRetentionPolicy: { "enabled": true, "days": 14 }` (or longer).',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/blobs/soft-delete-blob-overview',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.storage/storageaccounts/blobservices',
    ],
    resourceTypes: [STORAGE],
    evaluate: (r, context) =>
      blobServiceProperty(
        r,
        context,
        'properties.deleteRetentionPolicy.enabled',
        'blob soft delete is enabled',
      ),
  }),

  defineCheck({
    id: 'AZ-STORAGE-008',
    title: 'Container soft delete is enabled',
    severity: 'low',
    rationale:
      'Deleting a container deletes every blob in it at once; container soft delete keeps deleted containers restorable for a retention period. It limits the damage of a mistaken or malicious bulk deletion.',
    remediation:
      'On the `default` blobServices resource set `properties.containerDeleteRetentionPolicy: { "enabled": true, "days": 14 }`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/blobs/soft-delete-container-overview',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.storage/storageaccounts/blobservices',
    ],
    resourceTypes: [STORAGE],
    evaluate: (r, context) =>
      blobServiceProperty(
        r,
        context,
        'properties.containerDeleteRetentionPolicy.enabled',
        'container soft delete is enabled',
      ),
  }),

  defineCheck({
    id: 'AZ-STORAGE-009',
    title: 'File share soft delete is enabled',
    severity: 'low',
    rationale:
      'Without share soft delete, deleting an Azure file share destroys its data and snapshots immediately. Soft delete keeps deleted shares recoverable for a retention period, protecting against accidental or malicious deletion.',
    remediation:
      'On the `default` fileServices resource set `properties.shareDeleteRetentionPolicy: { "enabled": true, "days": 14 }`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/files/storage-files-enable-soft-delete',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.storage/storageaccounts/fileservices',
    ],
    resourceTypes: [FILE_SERVICES],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.shareDeleteRetentionPolicy.enabled',
        test: isTrue,
        whenMissing: 'fail',
        expectation: 'file share soft delete is enabled',
      }),
  }),

  defineCheck({
    id: 'AZ-STORAGE-010',
    title: 'Blob containers are private',
    severity: 'high',
    rationale:
      'A container with Blob or Container public access serves its blobs (and, for Container, its listing) to anonymous users. Unless the data is approved for public release, every container should require authorisation. ' +
      CALIBRATION_NOTE,
    remediation:
      'Set `properties.publicAccess` to `None` (or omit it) on `Microsoft.Storage/storageAccounts/blobServices/containers`, and disallow anonymous access at the account (AZ-STORAGE-003).',
    references: [
      'https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-configure',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.storage/storageaccounts/blobservices/containers',
      CALIBRATION_DOC,
    ],
    resourceTypes: [CONTAINERS],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, 'blobContainerPublicAccess', {
        path: 'properties.publicAccess',
        test: (v) => sameText(v, 'None'),
        expectation: 'the container allows no anonymous access (publicAccess None)',
      }),
  }),
];
