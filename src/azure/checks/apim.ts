import type { CheckOutcome } from '../../core/model.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import {
  type AzureCheck,
  checkProperty,
  defineCheck,
  fail,
  notApplicable,
  pass,
  sameText,
  unknown,
} from './define.ts';
import { CALIBRATION_DOC, CALIBRATION_NOTE, judgeUnset } from './platform-defaults.ts';

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
 * which is `False` (switched off) for services created after 1 April 2018 (the platform-default table).
 */
function switchesOff(
  r: AzureResource,
  context: AzureCheckContext,
  keys: string[],
  what: string,
): CheckOutcome {
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
    return judgeUnset(r, context, 'apimLegacyProtocols', {
      path: CUSTOM,
      test: (v) => !isOn(v),
      expectation: what,
    });
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
  return pass(
    r,
    `${what} (a switch not set takes the default for new services, False: ${CALIBRATION_DOC})`,
    CUSTOM,
    {
      path: CUSTOM,
    },
  );
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-APIM-001',
    title: 'API Management disables SSL 3.0, TLS 1.0 and TLS 1.1 on client and back-end connections',
    severity: 'high',
    rationale:
      'API Management sits between clients and back-end APIs and sees every request and credential passing ' +
      'through. If SSL 3.0, TLS 1.0 or TLS 1.1 are enabled on either side, that traffic can be negotiated down ' +
      'to protocols that are not approved for protecting data in transit. ' +
      CALIBRATION_NOTE,
    remediation:
      "Set each of these `properties.customProperties` keys to `'False'`: " +
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.{Tls10,Tls11,Ssl30} and ' +
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.{Tls10,Tls11,Ssl30}.',
    references: [
      APIM_DOCS,
      'https://learn.microsoft.com/azure/api-management/api-management-howto-manage-protocols-ciphers',
      CALIBRATION_DOC,
    ],
    resourceTypes: [APIM],
    evaluate: (r, context) =>
      switchesOff(r, context, LEGACY_PROTOCOLS, 'SSL 3.0, TLS 1.0 and TLS 1.1 are disabled'),
  }),
  defineCheck({
    id: 'AZ-APIM-002',
    title: 'API Management disables the triple DES cipher',
    severity: 'medium',
    rationale:
      'The TLS_RSA_WITH_3DES_EDE_CBC_SHA cipher suite uses 64-bit blocks (vulnerable to Sweet32) and offers no ' +
      'forward secrecy. Leaving it enabled allows clients to negotiate a weak cipher for every TLS version. ' +
      CALIBRATION_NOTE,
    remediation: `Set \`properties.customProperties['${TRIPLE_DES}']\` to \`'False'\`.`,
    references: [
      APIM_DOCS,
      'https://learn.microsoft.com/azure/api-management/api-management-howto-manage-protocols-ciphers',
      CALIBRATION_DOC,
    ],
    resourceTypes: [APIM],
    evaluate: (r, context) => switchesOff(r, context, [TRIPLE_DES], 'the triple DES cipher is disabled'),
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
  defineCheck({
    id: 'AZ-APIM-005',
    title: 'API Management APIs accept HTTPS (or secure WebSocket) only',
    severity: 'high',
    rationale:
      'An API that lists `http` (or `ws`) among its protocols answers clients in plain text, so subscription keys, ' +
      'tokens and payloads can be read or changed on the way. The ISM requires web content, and all data on ' +
      'network infrastructure, to be protected in transit. An API declared without `protocols` is rejected by ' +
      'API Management ("API must define at least one supported protocol", Azure/azure-sdk-for-net#36189, May 2023) ' +
      'unless it imports a definition, whose own schemes then decide; that case is unknown.',
    remediation: "Set `properties.protocols` to `['https']` (or `['wss']` for a WebSocket API).",
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service/apis',
      'https://github.com/Azure/azure-sdk-for-net/issues/36189',
    ],
    resourceTypes: [`${APIM}/apis`],
    evaluate: (r) => apiProtocols(r),
  }),
  defineCheck({
    id: 'AZ-APIM-006',
    title: 'API Management back ends validate TLS certificates',
    severity: 'medium',
    rationale:
      'With certificate chain or name validation turned off, the gateway accepts any certificate from the back ' +
      'end, so anyone able to intercept the connection can impersonate it and read or alter the traffic: the TLS ' +
      'connection no longer protects the data. Both checks are on when unset: the API Management REST specification ' +
      'gives `BackendTlsProperties` a default of true for each (as the Azure SDK models generated from it show; ' +
      'checked 2026-12-04).',
    remediation:
      'Remove `properties.tls.validateCertificateChain` and `properties.tls.validateCertificateName` or set them to ' +
      '`true`; trust a private CA through API Management CA certificates instead of turning validation off.',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service/backends',
      'https://learn.microsoft.com/azure/api-management/backends',
      'https://learn.microsoft.com/python/api/azure-mgmt-apimanagement/azure.mgmt.apimanagement.models.backendtlsproperties',
    ],
    resourceTypes: [`${APIM}/backends`],
    evaluate: (r) => backendValidation(r),
  }),
  defineCheck({
    id: 'AZ-APIM-007',
    title: 'API Management secret named values come from Key Vault',
    severity: 'medium',
    rationale:
      'A named value marked `secret` usually holds a credential (a back-end key or password). Given inline as ' +
      '`value`, it passes through the template or its parameters and is kept by API Management, where it cannot ' +
      'be rotated or audited centrally. A Key Vault reference keeps the secret in a managed store and API ' +
      'Management reads it with its managed identity. Named values not marked secret are not assessed.',
    remediation:
      'Replace `properties.value` with `properties.keyVault.secretIdentifier` (the secret URI, without a version to ' +
      'follow rotation) and give the service identity `get` access to the vault.',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service/namedvalues',
      'https://learn.microsoft.com/azure/api-management/api-management-howto-properties',
    ],
    resourceTypes: [`${APIM}/namedValues`],
    evaluate: (r) => namedValueSource(r),
  }),
  defineCheck({
    id: 'AZ-APIM-008',
    title: 'API Management subscriptions are scoped to a product or an API, not to all APIs',
    severity: 'medium',
    rationale:
      'A subscription whose scope is `/apis` gives its key access to every API the service publishes, including ' +
      'those added later. Scoping keys to a product or a single API limits each client to the APIs it needs.',
    remediation:
      'Set `properties.scope` to a product (`/products/<productId>`) or an API (`/apis/<apiId>`) instead of `/apis`.',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service/subscriptions',
      'https://learn.microsoft.com/azure/api-management/api-management-subscriptions',
    ],
    resourceTypes: [`${APIM}/subscriptions`],
    evaluate: (r) => subscriptionScope(r),
  }),
];

/** Protocols an API may list that carry data in plain text. */
const PLAIN_PROTOCOLS = ['http', 'ws'];

function apiProtocols(r: AzureResource): CheckOutcome {
  const path = 'properties.protocols';
  const protocols = getPath(r.body, path);
  if (protocols instanceof Unknown) {
    return unknown(
      r,
      `cannot decide the API's protocols: ${path} is unknown (${protocols.reason})`,
      path,
      protocols,
    );
  }
  if (protocols === undefined || protocols === null) {
    const imported = getPath(r.body, 'properties.value');
    if (imported !== undefined && imported !== null) {
      return unknown(
        r,
        `${path} is not set: the schemes of the imported definition (properties.value) decide them`,
        path,
      );
    }
    return notApplicable(r, `${path} is not set: API Management rejects an API that declares no protocol`);
  }
  const list = Array.isArray(protocols) ? protocols : [protocols];
  const plain = list.filter(
    (p): p is string => typeof p === 'string' && PLAIN_PROTOCOLS.includes(p.toLowerCase()),
  );
  const evidence = { path, value: list.map((p) => (p instanceof Unknown ? p.toJSON() : p)) };
  if (plain.length > 0) return fail(r, `the API accepts plain-text ${plain.join(', ')}`, path, evidence);
  const undecided = list.find((p): p is Unknown => p instanceof Unknown);
  if (undecided) {
    return unknown(
      r,
      `cannot decide whether the API accepts plain text: a protocol is unknown (${undecided.reason})`,
      path,
      undecided,
    );
  }
  return pass(r, `the API accepts only ${list.join(', ')}`, path, evidence);
}

function backendValidation(r: AzureResource): CheckOutcome {
  let checked: CheckOutcome | undefined;
  for (const [prop, what] of [
    ['validateCertificateChain', 'the certificate chain'],
    ['validateCertificateName', 'the certificate name'],
  ] as const) {
    const outcome = checkProperty(r, {
      path: `properties.tls.${prop}`,
      test: (v) => v !== false,
      whenMissing: 'pass',
      expectation: `the gateway validates ${what} of the back end`,
    });
    if (outcome.status === 'fail') return outcome;
    if (outcome.status === 'unknown' || !checked) checked = outcome;
  }
  return checked!;
}

function namedValueSource(r: AzureResource): CheckOutcome {
  const secret = getPath(r.body, 'properties.secret');
  if (secret instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether the named value is a secret: properties.secret is unknown (${secret.reason})`,
      'properties.secret',
      secret,
    );
  }
  if (secret !== true) return notApplicable(r, 'the named value is not marked secret');
  const keyVault = getPath(r.body, 'properties.keyVault.secretIdentifier');
  if (keyVault instanceof Unknown || (typeof keyVault === 'string' && keyVault !== '')) {
    // Where the secret lives is decided even when the identifier is not: it is a Key Vault reference.
    return pass(r, 'the secret named value is a Key Vault reference', 'properties.keyVault', {
      path: 'properties.keyVault.secretIdentifier',
    });
  }
  const value = getPath(r.body, 'properties.value');
  if (value !== undefined && value !== null) {
    return fail(
      r,
      'the secret named value is given inline (properties.value), not from Key Vault',
      'properties.value',
      {
        path: 'properties.value',
      },
    );
  }
  return fail(
    r,
    'the secret named value has no Key Vault reference (properties.keyVault.secretIdentifier)',
    'properties',
  );
}

function subscriptionScope(r: AzureResource): CheckOutcome {
  const path = 'properties.scope';
  const scope = getPath(r.body, path);
  if (scope instanceof Unknown) {
    return unknown(
      r,
      `cannot decide the subscription's scope: ${path} is unknown (${scope.reason})`,
      path,
      scope,
    );
  }
  if (typeof scope !== 'string' || scope.trim() === '') {
    return notApplicable(r, `${path} is not set: API Management requires a scope for a subscription`);
  }
  const evidence = { path, value: scope };
  // `/apis` (or a full id ending in `/apis`) is every API of the service; `/apis/<id>` is one.
  if (/\/apis\/*$/i.test(scope.trim()))
    return fail(r, `the subscription key is valid for all APIs (${scope})`, path, evidence);
  return pass(r, `the subscription is scoped to ${scope}`, path, evidence);
}
