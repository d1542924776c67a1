/**
 * What Azure does with a property a template leaves unset: the one policy of docs/calibration.md,
 * kept here as a small dated table so that every TLS-version and anonymous-access check judges an
 * unset property the same way.
 *
 * The policy: an unset property takes the platform's effective behaviour for a NEW resource at the
 * scan date (`context.now`), with the date and source of that behaviour cited. When the behaviour
 * depends on something the template cannot show (which API version changed it, when the resource
 * was created), the verdict is `unknown` with that reason.
 */
import type { CheckOutcome } from '../../core/model.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import { checkProperty, fail, type PropertyRule, pass, unknown } from './define.ts';

/** The policy page every check that reads this table cites. */
export const CALIBRATION_DOC = 'docs/calibration.md';

/** One sentence for a check's rationale: how it judges an unset property. */
export const CALIBRATION_NOTE =
  'An unset property is judged by what Azure does for a new resource at the scan date, with the date and source cited (the policy in docs/calibration.md).';

/** One dated fact about an unset property. */
export interface PlatformDefault {
  resourceType: string;
  /** The property as a template writes it, from the resource root. */
  property: string;
  /** The value the platform applies to a new resource (in the property's own vocabulary). */
  value: Value;
  /** Says what `value` means, e.g. `TLS 1.2`. */
  meaning: string;
  /** API version (YYYY-MM-DD) from which an unset property takes `value` (with `before`). */
  sinceApiVersion?: string;
  /**
   * What an unset property meant before `sinceApiVersion` (every API version when that is absent,
   * until `enforcedFrom`): the documented older value, or why the evidence cannot decide.
   * Absent: every API version gets `value`.
   */
  before?: { value: Value; meaning: string } | { undecided: string };
  /**
   * Date (YYYY-MM-DD) from which the platform applies `value` to every resource whatever the
   * template or API version says (a protocol retirement); scans on or after it judge by `value`.
   */
  enforcedFrom?: string;
  /** Where the fact is written, and when it was checked. */
  source: string;
  checked: string;
}

const STORAGE_TLS_DOC =
  'https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version';

/** Event Hubs and Service Bus namespaces share one history: TLS 1.2 from API version 2022-01-01-preview. */
function messagingTls(resourceType: string, source: string): PlatformDefault {
  return {
    resourceType,
    property: 'properties.minimumTlsVersion',
    value: '1.2',
    meaning: 'TLS 1.2',
    sinceApiVersion: '2022-01-01',
    before: {
      value: '1.0',
      meaning: 'TLS 1.0 (the default kept for API versions before 2022-01-01-preview)',
    },
    source,
    checked: '2026-12-05',
  };
}

/** The table. Keys are what checks name; docs/calibration.md lists the same rows. */
export const PLATFORM_DEFAULTS = {
  storageMinimumTls: {
    resourceType: 'Microsoft.Storage/storageAccounts',
    property: 'properties.minimumTlsVersion',
    value: 'TLS1_2',
    meaning:
      'TLS 1.2, enforced for every storage account since Azure Storage stopped accepting TLS 1.0 and 1.1',
    before: {
      value: 'TLS1_0',
      meaning: "TLS 1.0 (the REST API's documented default interpretation of an unset value)",
    },
    enforcedFrom: '2026-02-03',
    source: STORAGE_TLS_DOC,
    checked: '2026-12-05',
  },
  storageBlobPublicAccess: {
    resourceType: 'Microsoft.Storage/storageAccounts',
    property: 'properties.allowBlobPublicAccess',
    value: false,
    meaning: 'anonymous blob access disallowed',
    sinceApiVersion: '2023-01-01',
    before: {
      undecided:
        'API versions before 2023-01-01 document an unset value as true; Microsoft changed the default for new accounts to false between August and December 2023 without saying which older API versions follow it',
    },
    source: 'https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent',
    checked: '2026-12-05',
  },
  sqlMinimalTls: {
    resourceType: 'Microsoft.Sql/servers',
    property: 'properties.minimalTlsVersion',
    value: '1.2',
    meaning: 'TLS 1.2, enforced for every server since Azure SQL Database ended TLS 1.0 and 1.1',
    before: { value: 'None', meaning: 'no minimum (TLS 1.0 and 1.1 accepted)' },
    enforcedFrom: '2025-08-31',
    source: 'https://learn.microsoft.com/azure/azure-sql/database/connectivity-settings',
    checked: '2026-12-05',
  },
  eventHubsMinimumTls: messagingTls(
    'Microsoft.EventHub/namespaces',
    'https://learn.microsoft.com/azure/event-hubs/transport-layer-security-configure-minimum-version',
  ),
  serviceBusMinimumTls: messagingTls(
    'Microsoft.ServiceBus/namespaces',
    'https://learn.microsoft.com/azure/service-bus-messaging/transport-layer-security-configure-minimum-version',
  ),
  cosmosMinimalTls: {
    resourceType: 'Microsoft.DocumentDB/databaseAccounts',
    property: 'properties.minimalTlsVersion',
    value: 'Tls12',
    meaning: 'TLS 1.2 (the default for new accounts)',
    source: 'https://learn.microsoft.com/azure/cosmos-db/self-serve-minimum-tls-enforcement',
    checked: '2026-12-05',
  },
  redisMinimumTls: {
    resourceType: 'Microsoft.Cache/redis',
    property: 'properties.minimumTlsVersion',
    value: '1.2',
    meaning:
      'TLS 1.2 (new caches accept only TLS 1.2 and later; TLS 1.0 and 1.1 were retired on 1 November 2024)',
    source: 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-remove-tls-10-11',
    checked: '2026-12-05',
  },
  appServiceMinTls: {
    resourceType: 'Microsoft.Web/sites',
    property: 'properties.siteConfig.minTlsVersion',
    value: '1.2',
    meaning: 'TLS 1.2 (the default for new apps)',
    source: 'https://learn.microsoft.com/azure/app-service/overview-tls',
    checked: '2026-12-05',
  },
  apimLegacyProtocols: {
    resourceType: 'Microsoft.ApiManagement/service',
    property: 'properties.customProperties',
    value: 'False',
    meaning: 'switched off (the default for services created after 1 April 2018)',
    source: 'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service',
    checked: '2026-12-05',
  },
  appGatewaySslPolicy: {
    resourceType: 'Microsoft.Network/applicationGateways',
    property: 'properties.sslPolicy',
    value: 'AppGwSslPolicy20220101',
    meaning: 'the predefined policy AppGwSslPolicy20220101 (TLS 1.2)',
    sinceApiVersion: '2023-02-01',
    before: { value: 'AppGwSslPolicy20150501', meaning: 'AppGwSslPolicy20150501, which allows TLS 1.0' },
    source: 'https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview',
    checked: '2026-12-05',
  },
  acrAnonymousPull: {
    resourceType: 'Microsoft.ContainerRegistry/registries',
    property: 'properties.anonymousPullEnabled',
    value: false,
    meaning: 'anonymous pull disabled',
    source: 'https://learn.microsoft.com/azure/container-registry/anonymous-pull-access',
    checked: '2026-12-05',
  },
  blobContainerPublicAccess: {
    resourceType: 'Microsoft.Storage/storageAccounts/blobServices/containers',
    property: 'properties.publicAccess',
    value: 'None',
    meaning: 'no anonymous access',
    source: 'https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-configure',
    checked: '2026-12-05',
  },
} satisfies Record<string, PlatformDefault>;

export type PlatformDefaultKey = keyof typeof PLATFORM_DEFAULTS;

/** What an unset property means for one resource: a value, or why the evidence cannot decide. */
export type EffectiveDefault =
  | { value: Value; because: string; source: string }
  | { undecided: string; source: string };

/** The behaviour a new resource gets for an unset property, by the table, at the scan date `now`. */
export function effectiveDefault(entry: PlatformDefault, apiVersion: string, now: string): EffectiveDefault {
  const { source } = entry;
  const today = now.slice(0, 10);
  if (entry.enforcedFrom !== undefined && today >= entry.enforcedFrom) {
    return {
      value: entry.value,
      because: `since ${entry.enforcedFrom} Azure applies ${entry.meaning}`,
      source,
    };
  }
  const api = apiVersion.slice(0, 10);
  const since = entry.sinceApiVersion;
  // Evidence with no API version (an export of deployed resources) cannot tell which side applied.
  if (since !== undefined && api === '' && entry.before !== undefined) {
    return {
      undecided: `the evidence has no API version (an export of deployed resources), and the default depends on the API version the resource was created with (${since} or later: ${entry.meaning})`,
      source,
    };
  }
  if (entry.before === undefined || (since !== undefined && api >= since)) {
    const from =
      entry.sinceApiVersion === undefined
        ? ''
        : ` (API version ${apiVersion}, on or after ${entry.sinceApiVersion})`;
    return { value: entry.value, because: `a new resource gets ${entry.meaning}${from}`, source };
  }
  const before = entry.before;
  if (before === undefined || 'undecided' in before) {
    return {
      undecided: before?.undecided ?? `API version ${apiVersion} predates the documented default`,
      source,
    };
  }
  const until = entry.enforcedFrom !== undefined ? ` until ${entry.enforcedFrom}` : '';
  return { value: before.value, because: `API version ${apiVersion} gets ${before.meaning}${until}`, source };
}

/**
 * `checkProperty` with the policy for an unset property: the table decides it. `resource` is the
 * resource whose body holds the property (an App Service `config/web` child, say); `apiVersion`
 * is that resource's.
 */
export function checkWithPlatformDefault(
  r: AzureResource,
  context: AzureCheckContext,
  key: PlatformDefaultKey,
  rule: Omit<PropertyRule, 'whenMissing'>,
): CheckOutcome {
  const value = getPath(r.body, rule.path);
  if (value !== undefined) return checkProperty(r, { ...rule, whenMissing: 'fail' });
  return judgeUnset(r, context, key, rule);
}

/** The verdict on an unset property by the table (exported for checks that read several properties). */
export function judgeUnset(
  r: AzureResource,
  context: AzureCheckContext,
  key: PlatformDefaultKey,
  rule: Pick<PropertyRule, 'path' | 'test' | 'expectation'>,
): CheckOutcome {
  const entry: PlatformDefault = PLATFORM_DEFAULTS[key];
  const verdict = effectiveDefault(entry, r.apiVersion, context.now);
  const evidence: Record<string, unknown> = {
    path: rule.path,
    value: null,
    apiVersion: r.apiVersion,
    policy: CALIBRATION_DOC,
    source: verdict.source,
  };
  if ('undecided' in verdict) {
    const why = new Unknown(`${verdict.undecided} (${verdict.source})`);
    const outcome = unknown(
      r,
      `cannot decide whether ${rule.expectation}: ${rule.path} is not set and ${verdict.undecided} (${CALIBRATION_DOC}; ${verdict.source})`,
      rule.path,
      why,
    );
    outcome.evidence = { ...outcome.evidence, ...evidence };
    return outcome;
  }
  evidence.default = verdict.value;
  const ok = rule.test(verdict.value);
  const message = `${rule.path} is not set: ${verdict.because} (${CALIBRATION_DOC}; ${verdict.source}), so ${ok ? '' : 'not: '}${rule.expectation}`;
  return ok ? pass(r, message, rule.path, evidence) : fail(r, message, rule.path, evidence);
}
