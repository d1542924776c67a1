/**
 * `assay scan` on a Terraform configuration without a plan: the HCL reader and the provider
 * mapping through scanAzure, so the same checks run with lines in the `.tf` files.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scanAzure } from '../../../src/azure/scan.ts';

const basic = fileURLToPath(new URL('../../fixtures/terraform/config/basic/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-hcl-scan-'));
after(() => rmSync(work, { recursive: true, force: true }));

const tls = (a: Awaited<ReturnType<typeof scanAzure>>['assessment']) =>
  a.findings
    .filter((f) => f.checkId === 'AZ-STORAGE-002')
    .map((f) => `${f.status} ${f.location.file}:${f.location.line}`);

describe('Terraform HCL through the scan', () => {
  it('a .tfvars value decides a check, at the attribute line; count gives one subject per instance', async () => {
    const { assessment } = await scanAzure([basic], { root: basic, now: '2026-01-01T00:00:00Z' });
    // terraform.tfvars sets tls = "TLS1_1" over the default TLS1_0; count = 2 accounts.
    assert.deepEqual(tls(assessment), ['fail main.tf:23', 'fail main.tf:23']);
    const names = assessment.subjects
      .filter((s) => s.type === 'Microsoft.Storage/storageAccounts')
      .map((s) => s.name);
    assert.deepEqual(names.sort(), ['acmesa00', 'acmesa01']);
    assert.ok(assessment.inputs.some((i) => i.kind === 'terraform-config' && i.file === 'main.tf'));
    assert.ok(
      assessment.notes.some((n) =>
        /module module\.aks \(source Azure\/aks\/azurerm\) not read/.test(n.message),
      ),
      'a registry module is reported as not read',
    );
    assert.ok(!JSON.stringify(assessment).includes('hunter2'), 'a sensitive variable never appears');
  });

  it('a --var value overrides the .tfvars file, and the variable default decides when nothing else does', async () => {
    const overridden = await scanAzure([basic], {
      root: basic,
      now: '2026-01-01T00:00:00Z',
      terraformVars: { tls: 'TLS1_2' },
    });
    assert.deepEqual(tls(overridden.assessment), ['pass main.tf:23', 'pass main.tf:23']);
    const copy = join(work, 'no-tfvars');
    cpSync(basic, copy, { recursive: true });
    rmSync(join(copy, 'terraform.tfvars'));
    writeFileSync(join(copy, 'other.txt'), 'not read');
    const defaults = await scanAzure([copy], { root: copy, now: '2026-01-01T00:00:00Z' });
    // The default TLS1_0 fails too; the same line.
    assert.deepEqual(tls(defaults.assessment), ['fail main.tf:23', 'fail main.tf:23']);
    const message = defaults.assessment.findings.find((f) => f.checkId === 'AZ-STORAGE-002')?.message ?? '';
    assert.match(message, /TLS1_0/);
  });

  it('a local module is assessed through its caller, not again as a root of its own', async () => {
    const { assessment } = await scanAzure([basic], { root: basic, now: '2026-01-01T00:00:00Z' });
    const fromModule = assessment.subjects.filter((s) => s.location.file.startsWith('modules/'));
    const ids = fromModule.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length, 'no module resource twice');
    assert.ok(fromModule.length > 0, "the module's resources are assessed through the call");
    assert.ok(
      assessment.notes.some(
        (n) => n.file === 'modules/net' && /a local module another configuration calls/.test(n.message),
      ),
      'the module folder is not assessed again as a root',
    );
  });
});
