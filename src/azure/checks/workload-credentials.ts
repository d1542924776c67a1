/**
 * Whether a workload demonstrably uses a credential to reach other Azure resources: the
 * evidence that makes a managed identity applicable (ISM-1685 asks that service account
 * credentials are managed; a workload with no credential has none to manage).
 *
 * Evidence read from the template: App Service app settings and connection strings holding a
 * key, password or SAS, a `list*()` result (an account key read at deployment) or a Key Vault
 * reference (which the platform resolves with the app's identity); an AKS service principal
 * secret; a VM or scale set extension given a storage key, SAS or secret.
 */
import type { CheckOutcome } from '../../core/model.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import { notApplicable, unknown } from './define.ts';
import { childrenOf, leafName } from './storage.ts';

/** One place the template hands the workload a credential. */
export interface CredentialUse {
  /** Path on `resource`, for the finding's location. */
  path: string;
  resource: AzureResource;
  what: string;
}

export type CredentialEvidence =
  | { uses: CredentialUse[] }
  | { unknown: Unknown; path: string; resource: AzureResource };

/** Secrets inside connection strings and setting values. */
const SECRET_IN_VALUE =
  /(accountkey|sharedaccesskey|sharedaccesssignature|password|pwd|clientsecret|accesskey)\s*=|[?&]sig=|@microsoft\.keyvault\(/i;
/** Setting names that carry a credential when they have a value. */
const SECRET_NAME = /(key|secret|password|pwd|connectionstring|sas|token)$/i;
/** Extension setting names that hand a VM a credential. */
const EXTENSION_SECRET = /storageaccountkey|sastoken|clientsecret|connectionstring|password|accountkey/i;

const SITE = 'microsoft.web/sites';
const SLOT = 'microsoft.web/sites/slots';
const AKS = 'microsoft.containerservice/managedclusters';
const VM = 'microsoft.compute/virtualmachines';
const VMSS = 'microsoft.compute/virtualmachinescalesets';

/** True when a value read from the template is, or came from, a credential. */
function isCredential(name: string, value: Value | undefined): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (SECRET_NAME.test(name)) return true;
  if (value instanceof Unknown) return /\blist\w*\(/i.test(value.reason);
  return typeof value === 'string' && SECRET_IN_VALUE.test(value);
}

function describeSetting(kind: string, name: string, value: Value | undefined): string {
  if (value instanceof Unknown && /\blist\w*\(/i.test(value.reason))
    return `${kind} ${name} is read with a list function (a key) at deployment`;
  if (typeof value === 'string' && /@microsoft\.keyvault\(/i.test(value))
    return `${kind} ${name} is a Key Vault reference`;
  return `${kind} ${name} holds a credential`;
}

/** `[{ name, value }]` (siteConfig) or `{ name: value }` (a `config` child). */
function settingEntries(v: Value | undefined, valueKey: string): [string, Value | undefined][] {
  if (Array.isArray(v)) {
    return v.map(
      (e) => [String(getPath(e, 'name') ?? ''), getPath(e, valueKey)] as [string, Value | undefined],
    );
  }
  if (isObject(v)) {
    return Object.entries(v).map(
      ([k, x]) => [k, isObject(x) ? getPath(x, 'value') : x] as [string, Value | undefined],
    );
  }
  return [];
}

function scanSettings(
  resource: AzureResource,
  base: string,
  kind: string,
  valueKey: string,
  uses: CredentialUse[],
): CredentialEvidence | undefined {
  const v = getPath(resource.body, base);
  if (v instanceof Unknown) return { unknown: v, path: base, resource };
  for (const [name, value] of settingEntries(v, valueKey)) {
    if (isCredential(name, value))
      uses.push({ resource, path: base, what: describeSetting(kind, name, value) });
  }
  return undefined;
}

function siteEvidence(r: AzureResource, context: AzureCheckContext): CredentialEvidence {
  const uses: CredentialUse[] = [];
  const own =
    scanSettings(r, 'properties.siteConfig.appSettings', 'app setting', 'value', uses) ??
    scanSettings(r, 'properties.siteConfig.connectionStrings', 'connection string', 'connectionString', uses);
  if (own) return own;
  const configType =
    r.type.toLowerCase() === SLOT ? 'Microsoft.Web/sites/slots/config' : 'Microsoft.Web/sites/config';
  for (const cfg of childrenOf(context, r, configType).found) {
    const leaf = leafName(cfg);
    if (typeof leaf !== 'string') continue;
    const name = leaf.toLowerCase();
    const found =
      name === 'appsettings'
        ? scanSettings(cfg, 'properties', 'app setting', 'value', uses)
        : name === 'connectionstrings'
          ? scanSettings(cfg, 'properties', 'connection string', 'value', uses)
          : name === 'web'
            ? (scanSettings(cfg, 'properties.appSettings', 'app setting', 'value', uses) ??
              scanSettings(
                cfg,
                'properties.connectionStrings',
                'connection string',
                'connectionString',
                uses,
              ))
            : undefined;
    if (found) return found;
  }
  return { uses };
}

function clusterEvidence(r: AzureResource): CredentialEvidence {
  const path = 'properties.servicePrincipalProfile.secret';
  const secret = getPath(r.body, path);
  const clientId = getPath(r.body, 'properties.servicePrincipalProfile.clientId');
  if (secret === undefined || (typeof clientId === 'string' && clientId.toLowerCase() === 'msi'))
    return { uses: [] };
  return {
    uses: [{ resource: r, path, what: 'the cluster authenticates to Azure with a service principal secret' }],
  };
}

function extensionSecrets(
  resource: AzureResource,
  settings: Value | undefined,
  at: string,
  uses: CredentialUse[],
) {
  if (!isObject(settings)) return;
  for (const key of Object.keys(settings)) {
    if (EXTENSION_SECRET.test(key))
      uses.push({ resource, path: at, what: `extension setting ${key} hands the machine a credential` });
  }
}

function machineEvidence(r: AzureResource, context: AzureCheckContext): CredentialEvidence {
  const uses: CredentialUse[] = [];
  const isVmss = r.type.toLowerCase() === VMSS;
  const inline = isVmss ? 'properties.virtualMachineProfile.extensionProfile.extensions' : 'resources';
  const list = getPath(r.body, inline);
  if (Array.isArray(list)) {
    list.forEach((e, i) => {
      extensionSecrets(r, getPath(e, 'properties.settings'), `${inline}[${i}]`, uses);
      extensionSecrets(r, getPath(e, 'properties.protectedSettings'), `${inline}[${i}]`, uses);
    });
  }
  const childType = isVmss
    ? 'Microsoft.Compute/virtualMachineScaleSets/extensions'
    : 'Microsoft.Compute/virtualMachines/extensions';
  for (const ext of childrenOf(context, r, childType).found) {
    extensionSecrets(ext, getPath(ext.body, 'properties.settings'), 'properties.settings', uses);
    extensionSecrets(
      ext,
      getPath(ext.body, 'properties.protectedSettings'),
      'properties.protectedSettings',
      uses,
    );
  }
  return { uses };
}

/**
 * The credentials the template gives a workload for reaching other Azure resources, or undefined
 * for a type this does not judge (the caller keeps its own rule for those).
 */
export function workloadCredentials(
  r: AzureResource,
  context: AzureCheckContext,
): CredentialEvidence | undefined {
  const type = r.type.toLowerCase();
  if (type === SITE || type === SLOT) return siteEvidence(r, context);
  if (type === AKS) return clusterEvidence(r);
  if (type === VM || type === VMSS) return machineEvidence(r, context);
  return undefined;
}

/**
 * Whether a managed-identity check applies: `not-applicable` when the template gives the
 * workload no credential for other Azure resources, `unknown` when the settings cannot be read,
 * otherwise the credential uses (the check then fails without an identity). Undefined for a
 * type this does not judge.
 */
export function credentialGate(
  r: AzureResource,
  context: AzureCheckContext,
): CheckOutcome | CredentialUse[] | undefined {
  const evidence = workloadCredentials(r, context);
  if (evidence === undefined) return undefined;
  if ('unknown' in evidence) {
    return unknown(
      evidence.resource,
      `cannot decide whether the workload uses credentials to reach Azure resources: ${evidence.path} is unknown (${evidence.unknown.reason})`,
      evidence.path,
      evidence.unknown,
    );
  }
  if (evidence.uses.length === 0) {
    return notApplicable(
      r,
      'the template gives this workload no credential for other Azure resources (no key, secret, SAS, connection string or Key Vault reference in its settings), so a managed identity has no stored credential to replace',
    );
  }
  return evidence.uses;
}
