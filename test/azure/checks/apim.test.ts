import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const KEY = 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.';
const apim = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.ApiManagement/service',
  apiVersion: '2023-05-01-preview',
  name: 'apim',
  location: 'australiaeast',
  sku: { name: 'Premium', capacity: 1 },
  ...extra,
  properties: { publisherEmail: 'api@example.gov.au', publisherName: 'Agency', ...properties },
});

runCases('AZ-APIM-001', [
  {
    name: 'passes when every legacy protocol is switched off',
    resources: [
      apim({
        customProperties: {
          [`${KEY}Protocols.Tls10`]: 'False',
          [`${KEY}Protocols.Tls11`]: 'False',
          [`${KEY}Protocols.Ssl30`]: 'False',
          [`${KEY}Backend.Protocols.Tls10`]: 'False',
          [`${KEY}Backend.Protocols.Tls11`]: 'False',
          [`${KEY}Backend.Protocols.Ssl30`]: 'False',
        },
      }),
    ],
    expect: [['pass', '"customProperties"']],
  },
  {
    name: 'passes when customProperties is absent (default False for services created after April 2018)',
    resources: [apim({})],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails when back-end TLS 1.0 is enabled',
    resources: [apim({ customProperties: { [`${KEY}Backend.Protocols.Tls10`]: 'True' } })],
    expect: [['fail', '"customProperties"']],
  },
  {
    name: 'fails when the key differs in case and is a boolean',
    resources: [apim({ customProperties: { [`${KEY}protocols.tls11`.toLowerCase()]: true } })],
    expect: [['fail', '"customProperties"']],
  },
  {
    name: 'is unknown when a switch comes from a parameter without a value',
    resources: [apim({ customProperties: { [`${KEY}Protocols.Tls10`]: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"customProperties"']],
  },
]);

runCases('AZ-APIM-002', [
  {
    name: 'passes when triple DES is switched off',
    resources: [apim({ customProperties: { [`${KEY}Ciphers.TripleDes168`]: 'false' } })],
    expect: [['pass', '"customProperties"']],
  },
  {
    name: 'fails when triple DES is switched on',
    resources: [apim({ customProperties: { [`${KEY}Ciphers.TripleDes168`]: 'true' } })],
    expect: [['fail', '"customProperties"']],
  },
  {
    name: 'is unknown when customProperties comes from a parameter without a value',
    resources: [apim({ customProperties: P })],
    parameters: noValue('object'),
    expect: [['unknown', '"customProperties"']],
  },
  {
    name: 'is unknown when the switch comes from reference()',
    resources: [apim({ customProperties: { [`${KEY}Ciphers.TripleDes168`]: REF } })],
    expect: [['unknown', '"customProperties"']],
  },
]);

runCases('AZ-APIM-003', [
  {
    name: 'passes in Internal virtual network mode',
    resources: [
      apim({ virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId: 's' } }),
    ],
    expect: [['pass', '"virtualNetworkType"']],
  },
  {
    name: 'fails with virtualNetworkType None',
    resources: [apim({ virtualNetworkType: 'None' })],
    expect: [['fail', '"virtualNetworkType"']],
  },
  {
    name: 'fails when not set (default None)',
    resources: [apim({})],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the mode comes from a parameter without a value',
    resources: [apim({ virtualNetworkType: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"virtualNetworkType"']],
  },
]);

runCases('AZ-APIM-004', [
  {
    name: 'passes with a system-assigned identity',
    resources: [apim({}, { identity: { type: 'SystemAssigned' } })],
    expect: [['pass', '"type": "SystemAssigned"']],
  },
  {
    name: 'fails with identity type None',
    resources: [apim({}, { identity: { type: 'None' } })],
    expect: [['fail', '"type": "None"']],
  },
  {
    name: 'fails without an identity',
    resources: [apim({})],
    expect: [['fail', { resource: 'apim' }]],
  },
  {
    name: 'is unknown when the identity type comes from a parameter without a value',
    resources: [apim({}, { identity: { type: P } })],
    parameters: noValue('string'),
    expect: [['unknown', { needle: '"type"', from: '"identity"' }]],
  },
]);

/** A child of the `apim` service, e.g. `child('apis', 'orders', {...})`. */
const child = (type: string, name: string, properties: Record<string, unknown>) => ({
  type: `Microsoft.ApiManagement/service/${type}`,
  apiVersion: '2023-05-01-preview',
  name: `apim/${name}`,
  dependsOn: ['apim'],
  properties,
});
const api = (properties: Record<string, unknown>) =>
  child('apis', 'orders', { displayName: 'Orders', path: 'orders', ...properties });

runCases('AZ-APIM-005', [
  {
    name: 'passes when the API accepts HTTPS only',
    resources: [apim({}), api({ protocols: ['https'] })],
    expect: [['pass', '"protocols"']],
  },
  {
    name: 'passes for a WebSocket API on wss',
    resources: [api({ type: 'websocket', protocols: ['wss'] })],
    expect: [['pass', '"protocols"']],
  },
  {
    name: 'fails when the API also accepts HTTP',
    resources: [api({ protocols: ['https', 'http'] })],
    expect: [['fail', '"protocols"']],
  },
  {
    name: 'fails on plain WebSocket (ws), whatever the case',
    resources: [api({ type: 'websocket', protocols: ['WS'] })],
    expect: [['fail', '"protocols"']],
  },
  {
    name: 'is unknown when a protocol comes from a parameter without a value',
    resources: [api({ protocols: ['https', P] })],
    parameters: noValue('string'),
    expect: [['unknown', '"protocols"']],
  },
  {
    name: 'is unknown when protocols are left to an imported definition',
    resources: [api({ format: 'openapi+json-link', value: 'https://example.gov.au/openapi.json' })],
    expect: [['unknown', { needle: '"properties"', from: '"apim/orders"' }]],
  },
  {
    name: 'is not applicable when no protocol is declared and nothing is imported (ARM rejects it)',
    resources: [api({})],
    expect: [['not-applicable', { resource: 'apim/orders' }]],
  },
]);

const backend = (properties: Record<string, unknown>) =>
  child('backends', 'orders-be', { url: 'https://orders.internal.example', protocol: 'http', ...properties });

runCases('AZ-APIM-006', [
  {
    name: 'passes when both validations are on',
    resources: [backend({ tls: { validateCertificateChain: true, validateCertificateName: true } })],
    expect: [['pass', '"validateCertificateChain"']],
  },
  {
    name: 'passes when tls is not set (both default to true)',
    resources: [backend({})],
    expect: [['pass', { needle: '"properties"', from: '"apim/orders-be"' }]],
  },
  {
    name: 'fails when chain validation is off',
    resources: [backend({ tls: { validateCertificateChain: false, validateCertificateName: true } })],
    expect: [['fail', '"validateCertificateChain"']],
  },
  {
    name: 'fails when name validation is off',
    resources: [backend({ tls: { validateCertificateName: false } })],
    expect: [['fail', '"validateCertificateName"']],
  },
  {
    name: 'is unknown when a switch comes from a parameter without a value',
    resources: [backend({ tls: { validateCertificateChain: true, validateCertificateName: P } })],
    parameters: noValue('bool'),
    expect: [['unknown', '"validateCertificateName"']],
  },
]);

const namedValue = (properties: Record<string, unknown>) =>
  child('namedValues', 'backend-key', { displayName: 'backend-key', ...properties });

runCases('AZ-APIM-007', [
  {
    name: 'passes when a secret named value comes from Key Vault',
    resources: [
      namedValue({
        secret: true,
        keyVault: { secretIdentifier: 'https://kv.vault.azure.net/secrets/backend-key' },
      }),
    ],
    expect: [['pass', '"keyVault"']],
  },
  {
    name: 'passes when the secret identifier is built from a parameter without a value (still Key Vault)',
    resources: [namedValue({ secret: true, keyVault: { secretIdentifier: P } })],
    parameters: noValue('string'),
    expect: [['pass', '"keyVault"']],
  },
  {
    name: 'fails when a secret named value is inline',
    resources: [namedValue({ secret: true, value: P })],
    parameters: { p: { type: 'securestring', defaultValue: 'not-a-real-key' } },
    expect: [['fail', '"value"']],
  },
  {
    name: 'is not applicable to a named value not marked secret',
    resources: [namedValue({ value: 'orders-v1' })],
    expect: [['not-applicable', { resource: 'apim/backend-key' }]],
  },
  {
    name: 'is unknown when secret comes from a parameter without a value',
    resources: [namedValue({ secret: P, value: 'x' })],
    parameters: noValue('bool'),
    expect: [['unknown', '"secret"']],
  },
]);

const subscription = (properties: Record<string, unknown>) =>
  child('subscriptions', 'partner', { displayName: 'Partner', state: 'active', ...properties });

runCases('AZ-APIM-008', [
  {
    name: 'passes when scoped to a product',
    resources: [subscription({ scope: '/products/starter' })],
    expect: [['pass', '"scope"']],
  },
  {
    name: 'passes when scoped to one API (full id)',
    resources: [
      subscription({ scope: "[resourceId('Microsoft.ApiManagement/service/apis', 'apim', 'orders')]" }),
    ],
    expect: [['pass', '"scope"']],
  },
  {
    name: 'fails when scoped to all APIs',
    resources: [subscription({ scope: '/apis' })],
    expect: [['fail', '"scope"']],
  },
  {
    name: 'fails when scoped to all APIs by a full id ending in /apis',
    resources: [
      subscription({ scope: "[concat(resourceId('Microsoft.ApiManagement/service', 'apim'), '/apis')]" }),
    ],
    expect: [['fail', '"scope"']],
  },
  {
    name: 'is unknown when the scope comes from a parameter without a value',
    resources: [subscription({ scope: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"scope"']],
  },
]);
