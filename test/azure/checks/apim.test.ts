import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineOf, runCheck, templateText } from '../../helpers/arm.ts';

/** Where a finding should point: a needle's line, a needle after an anchor, or a resource's opening brace. */
type At = string | { needle: string; from: string } | { resource: string };
interface Case {
  name: string;
  resources: unknown[];
  parameters?: Record<string, unknown>;
  /** Expected findings as [status, where]; empty when the check says nothing. */
  expect: [string, At][];
}

/** Line of the `{` that opens the resource object whose `"name"` is `name`. */
function resourceLine(text: string, name: string): number {
  let i = text.indexOf(`"name": ${JSON.stringify(name)}`);
  if (i < 0) throw new Error(`resource ${name} not found`);
  for (let depth = 0; i >= 0; i--) {
    if (text[i] === '}') depth++;
    else if (text[i] === '{' && depth-- === 0) return text.slice(0, i).split('\n').length;
  }
  throw new Error(`no object around ${name}`);
}

function lineFor(text: string, at: At): number {
  if (typeof at === 'string') return lineOf(text, at);
  return 'resource' in at ? resourceLine(text, at.resource) : lineOf(text, at.needle, at.from);
}

/** Runs one check over each case's template and compares status and line of every finding. */
function runCases(checkId: string, cases: Case[]): void {
  describe(checkId, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const text = templateText(c.resources, c.parameters ? { parameters: c.parameters } : {});
        const findings = await runCheck(checkId, text);
        const actual = findings.map((f) => `${f.status}@${f.location.line}`).sort();
        const expected = c.expect.map(([status, at]) => `${status}@${lineFor(text, at)}`).sort();
        assert.deepEqual(actual, expected, findings.map((f) => f.message).join('\n'));
      });
    }
  });
}

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
