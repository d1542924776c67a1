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

const cosmos = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.DocumentDB/databaseAccounts',
  apiVersion: '2024-05-15',
  name: 'cosmos',
  location: 'australiaeast',
  kind: 'GlobalDocumentDB',
  properties: { databaseAccountOfferType: 'Standard', ...properties },
});

runCases('AZ-COSMOS-001', [
  {
    name: 'passes when public network access is disabled',
    resources: [cosmos({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"publicNetworkAccess"']],
  },
  {
    name: 'passes when public access is limited by IP rules',
    resources: [cosmos({ publicNetworkAccess: 'Enabled', ipRules: [{ ipAddressOrRange: '203.0.113.10' }] })],
    expect: [['pass', '"ipRules"']],
  },
  {
    name: 'passes when public access is limited by virtual network rules',
    resources: [
      cosmos({
        isVirtualNetworkFilterEnabled: true,
        virtualNetworkRules: [
          {
            id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s',
          },
        ],
      }),
    ],
    expect: [['pass', '"virtualNetworkRules"']],
  },
  {
    name: 'fails when public access is enabled with no rules',
    resources: [cosmos({ publicNetworkAccess: 'Enabled', ipRules: [] })],
    expect: [['fail', '"publicNetworkAccess"']],
  },
  {
    name: 'fails when nothing restricts access (defaults)',
    resources: [cosmos({})],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
    resources: [cosmos({ publicNetworkAccess: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"publicNetworkAccess"']],
  },
  {
    name: 'is unknown when the IP rules come from reference()',
    resources: [cosmos({ publicNetworkAccess: 'Enabled', ipRules: REF })],
    expect: [['unknown', '"ipRules"']],
  },
]);

runCases('AZ-COSMOS-002', [
  {
    name: 'passes when local auth is disabled',
    resources: [cosmos({ disableLocalAuth: true })],
    expect: [['pass', '"disableLocalAuth"']],
  },
  {
    name: 'fails when local auth is enabled',
    resources: [cosmos({ disableLocalAuth: false })],
    expect: [['fail', '"disableLocalAuth"']],
  },
  {
    name: 'fails when absent (keys allowed by default)',
    resources: [cosmos({})],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [cosmos({ disableLocalAuth: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"disableLocalAuth"']],
  },
]);

runCases('AZ-COSMOS-003', [
  {
    name: 'passes when key-based metadata writes are disabled',
    resources: [cosmos({ disableKeyBasedMetadataWriteAccess: true })],
    expect: [['pass', '"disableKeyBasedMetadataWriteAccess"']],
  },
  {
    name: 'fails when key-based metadata writes are allowed',
    resources: [cosmos({ disableKeyBasedMetadataWriteAccess: false })],
    expect: [['fail', '"disableKeyBasedMetadataWriteAccess"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [cosmos({ disableKeyBasedMetadataWriteAccess: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"disableKeyBasedMetadataWriteAccess"']],
  },
]);

runCases('AZ-COSMOS-004', [
  {
    name: 'passes with Tls12',
    resources: [cosmos({ minimalTlsVersion: 'Tls12' })],
    expect: [['pass', '"minimalTlsVersion"']],
  },
  {
    name: 'passes when absent (default Tls12 for new accounts)',
    resources: [cosmos({})],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails with Tls (1.0)',
    resources: [cosmos({ minimalTlsVersion: 'Tls' })],
    expect: [['fail', '"minimalTlsVersion"']],
  },
  {
    name: 'is unknown when the version comes from a parameter without a value',
    resources: [cosmos({ minimalTlsVersion: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"minimalTlsVersion"']],
  },
]);

runCases('AZ-COSMOS-005', [
  {
    name: 'passes with continuous backup',
    resources: [
      cosmos({
        backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous30Days' } },
      }),
    ],
    expect: [['pass', '"type": "Continuous"']],
  },
  {
    name: 'fails with periodic backup',
    resources: [cosmos({ backupPolicy: { type: 'Periodic' } })],
    expect: [['fail', '"type": "Periodic"']],
  },
  {
    name: 'is unknown when the backup type comes from a parameter without a value',
    resources: [cosmos({ backupPolicy: { type: P } })],
    parameters: noValue('string'),
    expect: [['unknown', { needle: '"type"', from: '"backupPolicy"' }]],
  },
]);
