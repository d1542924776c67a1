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

const EH = 'Microsoft.EventHub/namespaces';
const SB = 'Microsoft.ServiceBus/namespaces';

const namespace = (type: string, properties: unknown, apiVersion = '2024-01-01') => ({
  type,
  apiVersion,
  name: 'ns',
  location: 'australiaeast',
  sku: { name: 'Premium' },
  properties,
});
const ruleSet = (type: string, defaultAction: unknown, name = 'ns/default') => ({
  type: `${type}/networkRuleSets`,
  apiVersion: '2024-01-01',
  name,
  dependsOn: ['ns'],
  properties: { defaultAction, ipRules: [], virtualNetworkRules: [] },
});

for (const [type, id] of [
  [EH, 'AZ-EH-001'],
  [SB, 'AZ-SB-001'],
] as const) {
  runCases(id, [
    {
      name: 'passes when local auth is disabled',
      resources: [namespace(type, { disableLocalAuth: true })],
      expect: [['pass', '"disableLocalAuth"']],
    },
    {
      name: 'fails when local auth is enabled',
      resources: [namespace(type, { disableLocalAuth: false })],
      expect: [['fail', '"disableLocalAuth"']],
    },
    {
      name: 'fails when absent (SAS keys allowed by default)',
      resources: [namespace(type, { minimumTlsVersion: '1.2' })],
      expect: [['fail', '"properties"']],
    },
    {
      name: 'is unknown when the value comes from a parameter without a value',
      resources: [namespace(type, { disableLocalAuth: P })],
      parameters: noValue('bool'),
      expect: [['unknown', '"disableLocalAuth"']],
    },
  ]);
}

for (const [type, id] of [
  [EH, 'AZ-EH-002'],
  [SB, 'AZ-SB-002'],
] as const) {
  runCases(id, [
    {
      name: 'passes with minimumTlsVersion 1.2',
      resources: [namespace(type, { minimumTlsVersion: '1.2' })],
      expect: [['pass', '"minimumTlsVersion"']],
    },
    {
      name: 'passes when absent on an API version that defaults to 1.2',
      resources: [namespace(type, { disableLocalAuth: true })],
      expect: [['pass', '"properties"']],
    },
    {
      name: 'fails when absent on an older API version (default 1.0)',
      resources: [namespace(type, { disableLocalAuth: true }, '2021-11-01')],
      expect: [['fail', '"properties"']],
    },
    {
      name: 'fails with minimumTlsVersion 1.0',
      resources: [namespace(type, { minimumTlsVersion: '1.0' })],
      expect: [['fail', '"minimumTlsVersion"']],
    },
    {
      name: 'is unknown when the version comes from a parameter without a value',
      resources: [namespace(type, { minimumTlsVersion: P })],
      parameters: noValue('string'),
      expect: [['unknown', '"minimumTlsVersion"']],
    },
  ]);
}

for (const [type, id] of [
  [EH, 'AZ-EH-003'],
  [SB, 'AZ-SB-003'],
] as const) {
  runCases(id, [
    {
      name: 'passes when public network access is disabled',
      resources: [namespace(type, { publicNetworkAccess: 'Disabled' })],
      expect: [['pass', '"publicNetworkAccess"']],
    },
    {
      name: 'passes when a network rule set denies by default',
      resources: [namespace(type, { publicNetworkAccess: 'Enabled' }), ruleSet(type, 'Deny')],
      expect: [['pass', '"publicNetworkAccess"']],
    },
    {
      name: 'fails when public access is enabled and the rule set allows',
      resources: [namespace(type, { publicNetworkAccess: 'Enabled' }), ruleSet(type, 'Allow')],
      expect: [['fail', '"publicNetworkAccess"']],
    },
    {
      name: 'fails when a deny rule set belongs to another namespace',
      resources: [
        namespace(type, { publicNetworkAccess: 'Enabled' }),
        ruleSet(type, 'Deny', 'other/default'),
      ],
      expect: [['fail', '"publicNetworkAccess"']],
    },
    {
      name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
      resources: [namespace(type, { publicNetworkAccess: P })],
      parameters: noValue('string'),
      expect: [['unknown', '"publicNetworkAccess"']],
    },
    {
      name: 'is unknown when the rule set default action comes from reference()',
      resources: [namespace(type, { publicNetworkAccess: 'Enabled' }), ruleSet(type, REF)],
      expect: [['unknown', '"publicNetworkAccess"']],
    },
  ]);
}
