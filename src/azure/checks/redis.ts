import type { Value } from '../expressions/value.ts';
import { type AzureCheck, checkProperty, defineCheck } from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { CALIBRATION_DOC, CALIBRATION_NOTE, checkWithPlatformDefault } from './platform-defaults.ts';

const REDIS = 'Microsoft.Cache/redis';
const REDIS_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.cache/redis';

/** `'1.2'` -> 1.2; anything not a version number -> NaN. */
function tlsNumber(value: Value): number {
  return typeof value === 'string' || typeof value === 'number' ? Number(value) : Number.NaN;
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-REDIS-001',
    title: 'Azure Cache for Redis accepts TLS connections only (non-TLS port 6379 disabled)',
    severity: 'high',
    rationale:
      'The non-TLS port carries Redis commands, cached data and the access key in clear text. Anyone on the ' +
      'network path can read or replay them, and cached session or application data of a government system ' +
      'is exposed. Only the TLS port should be reachable.',
    remediation: 'Set `properties.enableNonSslPort` to `false` (or omit it; the default is false).',
    references: [
      REDIS_DOCS,
      'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-configure#access-ports',
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/redis_cache',
    ],
    resourceTypes: [REDIS],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.enableNonSslPort',
        test: (v) => v === false,
        whenMissing: 'pass',
        expectation: 'the non-TLS port is disabled',
      }),
  }),
  defineCheck({
    id: 'AZ-REDIS-002',
    title: 'Azure Cache for Redis requires TLS 1.2 or later',
    severity: 'high',
    rationale:
      'TLS 1.0 and 1.1 have known weaknesses and are no longer approved for protecting data in transit. A cache ' +
      'that still accepts them lets a client, or an attacker forcing a downgrade, use a weak protocol to reach ' +
      'cached data. ' +
      CALIBRATION_NOTE,
    remediation:
      "Set `properties.minimumTlsVersion` to `'1.2'` (or omit it on new caches, which only accept TLS 1.2 and later).",
    references: [
      REDIS_DOCS,
      'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-remove-tls-10-11',
      CALIBRATION_DOC,
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/redis_cache',
    ],
    resourceTypes: [REDIS],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, 'redisMinimumTls', {
        path: 'properties.minimumTlsVersion',
        test: (v) => tlsNumber(v) >= 1.2,
        expectation: 'the minimum TLS version is 1.2 or later',
      }),
  }),
  defineCheck({
    id: 'AZ-REDIS-003',
    title: 'Azure Cache for Redis is not reachable from public networks',
    severity: 'medium',
    rationale:
      'A cache with a public endpoint can be reached from anywhere on the internet, protected only by its ' +
      'access key. Reaching it only through a private endpoint or an injected virtual network keeps it inside ' +
      'the network zone of the application that uses it. Firewall rules or a network security perimeter leave the endpoint limited (`restricted` in the threat-and-risk assessment) but still public, so they fail this check (docs/tra.md).',
    remediation:
      "Set `properties.publicNetworkAccess` to `'Disabled'` and connect through a private endpoint (or deploy " +
      'the cache into a subnet with `properties.subnetId`).',
    references: [REDIS_DOCS, 'https://learn.microsoft.com/azure/azure-cache-for-redis/cache-private-link'],
    resourceTypes: [REDIS],
    // Stricter than the TRA on purpose: firewall rules (or a perimeter) leave the endpoint limited
    // in the TRA but fail here, because the control requires a private endpoint or VNet injection.
    evaluate: endpointCheck('redis', { what: 'the cache', acceptLimited: [] }),
  }),
];
