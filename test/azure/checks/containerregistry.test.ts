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

const registry = (properties: unknown, sku: unknown = 'Premium') => ({
  type: 'Microsoft.ContainerRegistry/registries',
  apiVersion: '2023-07-01',
  name: 'acr',
  location: 'australiaeast',
  sku: { name: sku },
  properties,
});

runCases('AZ-ACR-001', [
  {
    name: 'passes when the admin user is disabled',
    resources: [registry({ adminUserEnabled: false })],
    expect: [['pass', '"adminUserEnabled"']],
  },
  {
    name: 'passes when adminUserEnabled is absent (default false)',
    resources: [registry({ anonymousPullEnabled: false })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails when the admin user is enabled',
    resources: [registry({ adminUserEnabled: true })],
    expect: [['fail', '"adminUserEnabled"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [registry({ adminUserEnabled: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"adminUserEnabled"']],
  },
]);

runCases('AZ-ACR-002', [
  {
    name: 'passes when public network access is disabled',
    resources: [registry({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"publicNetworkAccess"']],
  },
  {
    name: 'passes when the network rule set denies by default',
    resources: [registry({ networkRuleSet: { defaultAction: 'Deny', ipRules: [] } })],
    expect: [['pass', '"defaultAction"']],
  },
  {
    name: 'fails when public access is enabled and the rule set allows',
    resources: [registry({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow' } })],
    expect: [['fail', '"publicNetworkAccess"']],
  },
  {
    name: 'fails with defaults (public, no rule set)',
    resources: [registry({ adminUserEnabled: false })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
    resources: [registry({ publicNetworkAccess: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"publicNetworkAccess"']],
  },
  {
    name: 'is unknown when the default action comes from reference()',
    resources: [registry({ networkRuleSet: { defaultAction: REF } })],
    expect: [['unknown', '"defaultAction"']],
  },
]);

runCases('AZ-ACR-003', [
  {
    name: 'passes when anonymous pull is disabled',
    resources: [registry({ anonymousPullEnabled: false })],
    expect: [['pass', '"anonymousPullEnabled"']],
  },
  {
    name: 'fails when anonymous pull is enabled',
    resources: [registry({ anonymousPullEnabled: true })],
    expect: [['fail', '"anonymousPullEnabled"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [registry({ anonymousPullEnabled: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"anonymousPullEnabled"']],
  },
]);

runCases('AZ-ACR-004', [
  {
    name: 'passes on the Premium SKU',
    resources: [registry({})],
    expect: [['pass', { needle: '"name"', from: '"sku"' }]],
  },
  {
    name: 'fails on the Basic SKU',
    resources: [registry({}, 'Basic')],
    expect: [['fail', { needle: '"name"', from: '"sku"' }]],
  },
  {
    name: 'is unknown when the SKU comes from a parameter without a value',
    resources: [registry({}, P)],
    parameters: noValue('string'),
    expect: [['unknown', { needle: '"name"', from: '"sku"' }]],
  },
]);
