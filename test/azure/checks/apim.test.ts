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
