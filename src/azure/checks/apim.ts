import type { CheckOutcome } from '../../core/model.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { type AzureCheck, checkProperty, defineCheck, fail, pass, sameText, unknown } from './define.ts';

const APIM = 'Microsoft.ApiManagement/service';
const APIM_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service';
const CUSTOM = 'properties.customProperties';
const KEY_PREFIX = 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.';

/** Protocol switches; `True` enables the protocol. The client side and the back-end side are separate keys. */
const LEGACY_PROTOCOLS = [
  'Protocols.Tls10',
  'Protocols.Tls11',
  'Protocols.Ssl30',
  'Backend.Protocols.Tls10',
  'Backend.Protocols.Tls11',
  'Backend.Protocols.Ssl30',
].map((k) => KEY_PREFIX + k);

const TRIPLE_DES = `${KEY_PREFIX}Ciphers.TripleDes168`;

/** `"True"`, `"true"` or `true` all switch a custom property on. */
function isOn(v: Value): boolean {
  return v === true || (typeof v === 'string' && sameText(v, 'true'));
}

/**
 * Reads switches from `customProperties`. Keys contain dots, so they cannot go through a dotted
 * path: they are matched here, case-insensitively. An absent key takes the service default,
 * which is `False` (switched off) for services created after 1 April 2018.
 */
function switchesOff(r: AzureResource, keys: string[], what: string): CheckOutcome {
  const custom = getPath(r.body, CUSTOM);
  if (custom instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether ${what}: ${CUSTOM} is unknown (${custom.reason})`,
      CUSTOM,
      custom,
    );
  }
  if (!isObject(custom)) {
    return pass(
      r,
      `${CUSTOM} is not set; the default for services created after April 2018 satisfies: ${what}`,
      CUSTOM,
      {
        path: CUSTOM,
        value: null,
      },
    );
  }
  const entries = Object.entries(custom);
  const on: string[] = [];
  let undecided: { key: string; value: Unknown } | undefined;
  for (const key of keys) {
    const hit = entries.find(([k]) => k.toLowerCase() === key.toLowerCase());
    if (!hit) continue;
    const value = hit[1];
    if (value instanceof Unknown) undecided ??= { key: hit[0], value };
    else if (isOn(value)) on.push(hit[0].slice(KEY_PREFIX.length));
  }
  if (on.length > 0) {
    return fail(r, `expected ${what}, but these are enabled: ${on.join(', ')}`, CUSTOM, {
      path: CUSTOM,
      enabled: on,
    });
  }
  if (undecided) {
    return unknown(
      r,
      `cannot decide whether ${what}: ${undecided.key} is unknown (${undecided.value.reason})`,
      CUSTOM,
      undecided.value,
    );
  }
  return pass(r, what, CUSTOM, { path: CUSTOM });
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-APIM-001',
    title: 'API Management disables SSL 3.0, TLS 1.0 and TLS 1.1 on client and back-end connections',
    severity: 'high',
    rationale:
      'API Management sits between clients and back-end APIs and sees every request and credential passing ' +
      'through. If SSL 3.0, TLS 1.0 or TLS 1.1 are enabled on either side, that traffic can be negotiated down ' +
      'to protocols that are not approved for protecting data in transit.',
    remediation:
      "Set each of these `properties.customProperties` keys to `'False'`: " +
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.{Tls10,Tls11,Ssl30} and ' +
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.{Tls10,Tls11,Ssl30}.',
    controls: ['ism-1139'],
    references: [
      APIM_DOCS,
      'https://learn.microsoft.com/azure/api-management/api-management-howto-manage-protocols-ciphers',
    ],
    resourceTypes: [APIM],
    evaluate: (r) => switchesOff(r, LEGACY_PROTOCOLS, 'SSL 3.0, TLS 1.0 and TLS 1.1 are disabled'),
  }),
  defineCheck({
    id: 'AZ-APIM-002',
    title: 'API Management disables the triple DES cipher',
    severity: 'medium',
    rationale:
      'The TLS_RSA_WITH_3DES_EDE_CBC_SHA cipher suite uses 64-bit blocks (vulnerable to Sweet32) and offers no ' +
      'forward secrecy. Leaving it enabled allows clients to negotiate a weak cipher for every TLS version.',
    remediation: `Set \`properties.customProperties['${TRIPLE_DES}']\` to \`'False'\`.`,
    controls: ['ism-1369', 'ism-1453'],
    references: [
      APIM_DOCS,
      'https://learn.microsoft.com/azure/api-management/api-management-howto-manage-protocols-ciphers',
    ],
    resourceTypes: [APIM],
    evaluate: (r) => switchesOff(r, [TRIPLE_DES], 'the triple DES cipher is disabled'),
  }),
  defineCheck({
    id: 'AZ-APIM-003',
    title: 'API Management is deployed into a virtual network',
    severity: 'medium',
    rationale:
      'Without virtual network integration, the gateway reaches back ends over public endpoints, so those back ' +
      'ends must themselves be exposed. Deploying API Management into a virtual network (internal mode where ' +
      'possible) keeps back ends private and lets network controls apply to the gateway.',
    remediation:
      "Set `properties.virtualNetworkType` to `'Internal'` (or `'External'`) with " +
      '`properties.virtualNetworkConfiguration.subnetResourceId` (Developer, Premium or v2 tiers).',
    controls: ['ism-1182'],
    references: [APIM_DOCS, 'https://learn.microsoft.com/azure/api-management/virtual-network-concepts'],
    resourceTypes: [APIM],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.virtualNetworkType',
        test: (v) => sameText(v, 'Internal') || sameText(v, 'External'),
        whenMissing: 'fail',
        expectation: 'the service is deployed into a virtual network (Internal or External)',
      }),
  }),
  defineCheck({
    id: 'AZ-APIM-004',
    title: 'API Management uses a managed identity',
    severity: 'low',
    rationale:
      'A managed identity lets API Management fetch certificates and named values from Key Vault and call back ' +
      'ends without secrets stored in its configuration. Without one, those secrets are kept in API Management ' +
      'itself, where they are harder to rotate and audit.',
    remediation:
      "Set `identity.type` to `'SystemAssigned'` or `'UserAssigned'` and reference Key Vault secrets through it.",
    controls: ['ism-1685'],
    references: [
      APIM_DOCS,
      'https://learn.microsoft.com/azure/api-management/api-management-howto-use-managed-service-identity',
    ],
    resourceTypes: [APIM],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'identity.type',
        test: (v) => typeof v === 'string' && /systemassigned|userassigned/i.test(v),
        whenMissing: 'fail',
        expectation: 'a managed identity is assigned',
      }),
  }),
];
