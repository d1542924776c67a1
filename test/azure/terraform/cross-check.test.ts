/**
 * The same mistake written as an ARM template and as a Terraform plan gives the same check and
 * status; the plan's finding points at the attribute in the plan JSON.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineOf, templateText } from '../../helpers/arm.ts';
import { CASES } from './cases.ts';
import { planText, scanFiles } from './helpers.ts';

describe('the same mistake in ARM and in a Terraform plan', () => {
  for (const c of CASES) {
    it(`${c.check} ${c.status}: ${c.at}`, async () => {
      const template = templateText(c.arm);
      const plan = planText(c.tf);
      const arm = await scanFiles({ 'template.json': template }, [c.check]);
      const tf = await scanFiles({ 'plan.json': plan }, [c.check]);
      assert.deepEqual(tf.assessment.errors, []);
      const armStatuses = arm.assessment.findings.map((f) => f.status);
      const tfStatuses = tf.assessment.findings.map((f) => f.status);
      assert.deepEqual(
        armStatuses,
        [c.status],
        `ARM: ${JSON.stringify(arm.assessment.findings.map((f) => f.message))}`,
      );
      assert.deepEqual(
        tfStatuses,
        armStatuses,
        `plan: ${JSON.stringify(tf.assessment.findings.map((f) => f.message))}`,
      );
      const finding = tf.assessment.findings[0]!;
      assert.equal(finding.location.file, 'plan.json');
      const last = c.tf[c.tf.length - 1]!;
      const line =
        c.at === ''
          ? lineOf(plan, `"address": "${c.tf[0]!.type}.${c.tf[0]!.name}"`) - 1
          : lineOf(plan, c.at, c.from ?? `"address": "${last.type}.${last.name}"`);
      assert.equal(finding.location.line, line);
    });
  }
});
