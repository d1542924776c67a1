/**
 * The same mistake gives the same check and status whether it is written as an ARM template, a
 * Terraform plan, Terraform HCL read without a plan, or found in an export of live resources
 * (issue 14). The cases are the ARM-and-plan cases (terraform/cases.ts) of one resource each;
 * the HCL is the plan's attribute values written as a resource block, the live row the ARM
 * resource as Azure Resource Graph returns it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateText } from '../helpers/arm.ts';
import { CASES, type CrossCase } from './terraform/cases.ts';
import { planText, scanFiles } from './terraform/helpers.ts';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';

/** An HCL expression for a JSON value: HCL accepts JSON's literals, `[...]` and `{"k": v}`; `${` is escaped. */
function hclValue(v: unknown): string {
  return JSON.stringify(v).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

function hclText(c: CrossCase): string {
  const [change] = c.tf;
  if (!change) throw new Error('no change');
  const lines = Object.entries(change.after).map(([k, v]) => `  ${k} = ${hclValue(v)}`);
  return `resource "${change.type}" "${change.name}" {\n${lines.join('\n')}\n}\n`;
}

/** The ARM resource as a Resource Graph row: id, type and name, and its body as deployed. */
function graphText(c: CrossCase): string {
  const [r] = c.arm as { type: string; name: string; apiVersion?: string }[];
  if (!r) throw new Error('no resource');
  const { apiVersion: _version, ...body } = r;
  const row = {
    ...body,
    id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/${r.type}/${r.name}`,
    subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg-app',
  };
  return JSON.stringify([row], null, 2);
}

/** Statuses of the case's check, sorted, in one source. */
async function statuses(files: Record<string, string>, check: string): Promise<string[]> {
  const { assessment } = await scanFiles(files, [check]);
  return assessment.findings
    .filter((f) => f.checkId === check)
    .map((f) => f.status)
    .sort();
}

const READS_CHILDREN = new Set(['AZ-STORAGE-007']);

/** Cases of one resource each (related resources cannot be written as one live row). */
const SINGLE = CASES.filter((c) => c.arm.length === 1 && c.tf.length === 1);

describe('one mistake, four sources: ARM, plan, HCL, live export', () => {
  it('covers at least 15 checks', () => {
    assert.ok(
      new Set(SINGLE.map((c) => c.check)).size >= 15,
      `${new Set(SINGLE.map((c) => c.check)).size} checks`,
    );
  });

  for (const c of SINGLE)
    it(`${c.check} ${c.status}`, async () => {
      const arm = await statuses({ 'main.json': templateText(c.arm) }, c.check);
      assert.ok(arm.includes(c.status), `ARM: ${arm.join(', ')}`);
      const plan = await statuses({ 'plan.json': planText(c.tf) }, c.check);
      const hcl = await statuses({ 'main.tf': hclText(c) }, c.check);
      const live = await statuses({ 'resources.json': graphText(c) }, c.check);
      assert.deepEqual({ plan, hcl }, { plan: arm, hcl: arm });
      // A live export lists no children: a check that reads them (blob soft delete reads the
      // blobServices child) is unknown there, never a pass or fail it cannot see.
      if (READS_CHILDREN.has(c.check)) assert.deepEqual(live, ['unknown']);
      else assert.deepEqual(live, arm, 'live export');
    });
});
