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

const redis = (properties: unknown) => ({
  type: 'Microsoft.Cache/redis',
  apiVersion: '2024-03-01',
  name: 'cache',
  location: 'australiaeast',
  properties,
});

runCases('AZ-REDIS-001', [
  {
    name: 'passes when enableNonSslPort is false',
    resources: [redis({ enableNonSslPort: false })],
    expect: [['pass', '"enableNonSslPort"']],
  },
  {
    name: 'passes when enableNonSslPort is absent (default false)',
    resources: [redis({ minimumTlsVersion: '1.2' })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails when enableNonSslPort is true',
    resources: [redis({ enableNonSslPort: true })],
    expect: [['fail', '"enableNonSslPort"']],
  },
  {
    name: 'is unknown when enableNonSslPort comes from a parameter without a value',
    resources: [redis({ enableNonSslPort: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"enableNonSslPort"']],
  },
]);

runCases('AZ-REDIS-002', [
  {
    name: 'passes with minimumTlsVersion 1.2',
    resources: [redis({ minimumTlsVersion: '1.2' })],
    expect: [['pass', '"minimumTlsVersion"']],
  },
  {
    name: 'passes when minimumTlsVersion is absent (new caches accept only TLS 1.2+)',
    resources: [redis({ enableNonSslPort: false })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails with minimumTlsVersion 1.0',
    resources: [redis({ minimumTlsVersion: '1.0' })],
    expect: [['fail', '"minimumTlsVersion"']],
  },
  {
    name: 'fails with minimumTlsVersion 1.1',
    resources: [redis({ minimumTlsVersion: '1.1' })],
    expect: [['fail', '"minimumTlsVersion"']],
  },
  {
    name: 'is unknown when minimumTlsVersion comes from reference()',
    resources: [redis({ minimumTlsVersion: REF })],
    expect: [['unknown', '"minimumTlsVersion"']],
  },
]);

runCases('AZ-REDIS-003', [
  {
    name: 'passes when publicNetworkAccess is Disabled',
    resources: [redis({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"publicNetworkAccess"']],
  },
  {
    name: 'passes when the cache is injected into a subnet',
    resources: [
      redis({
        subnetId:
          '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s',
      }),
    ],
    expect: [['pass', '"subnetId"']],
  },
  {
    name: 'fails when publicNetworkAccess is Enabled',
    resources: [redis({ publicNetworkAccess: 'enabled' })],
    expect: [['fail', '"publicNetworkAccess"']],
  },
  {
    name: 'fails when publicNetworkAccess is absent (default Enabled)',
    resources: [redis({ minimumTlsVersion: '1.2' })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
    resources: [redis({ publicNetworkAccess: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"publicNetworkAccess"']],
  },
  {
    name: 'is unknown when the subnet comes from a parameter without a value',
    resources: [redis({ subnetId: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"subnetId"']],
  },
]);
