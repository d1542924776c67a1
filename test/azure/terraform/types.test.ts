/**
 * Every mapped Terraform type, written as HCL, decides a check with the status and line its case
 * says (type-cases.ts). The list of types comes from the mapping registry itself, so a type
 * mapped without a case fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import { getPath } from '../../../src/azure/resource.ts';
import { scanAzure } from '../../../src/azure/scan.ts';
import { TYPE_MAPPINGS } from '../../../src/azure/sources/terraform/mapping/index.ts';
import { withTempFiles } from './helpers.ts';
import { TYPE_CASES } from './type-cases.ts';

const lineOf = (text: string, at: string): number => {
  const index = text.split('\n').findIndex((l) => l.includes(at));
  assert.ok(index >= 0, `"${at}" is in the configuration`);
  return index + 1;
};

describe('a case per mapped Terraform type', () => {
  it('every type of the mapping registry has a case, and each case declares its type', () => {
    const covered = new Set(TYPE_CASES.map((c) => c.type));
    const missing = TYPE_MAPPINGS.map((m) => m.tfType).filter((t) => !covered.has(t));
    assert.deepEqual(missing, [], 'mapped types without a case in type-cases.ts');
    for (const c of TYPE_CASES) {
      assert.ok(c.hcl.includes(`resource "${c.type}" `), `the ${c.type} case declares a ${c.type}`);
      assert.ok((c.check && c.status) || c.model, `the ${c.type} case asserts a check or the model`);
    }
    const modelOnly = TYPE_CASES.filter((c) => !c.check).map((c) => c.type);
    assert.ok(
      modelOnly.length <= 2,
      `only the types no check reads assert the model: ${modelOnly.join(', ')}`,
    );
  });

  for (const c of TYPE_CASES) {
    it(`${c.type}: ${c.check ? `${c.check} ${c.status}` : c.model?.path}`, async () => {
      await withTempFiles({ 'main.tf': c.hcl }, async (dir) => {
        const { assessment, resources } = await scanAzure([dir], {
          root: dir,
          now: '2026-01-01T00:00:00Z',
          ...(c.boundary ? { boundary: resolveBoundary('au') } : {}),
        });
        assert.deepEqual(assessment.errors, [], 'the configuration reads without errors');
        const line = lineOf(c.hcl, c.at);
        if (c.check) {
          const found = assessment.findings
            .filter((f) => f.checkId === c.check)
            .map((f) => `${f.status} ${f.location.file}:${f.location.line}`);
          assert.ok(
            found.includes(`${c.status} main.tf:${line}`),
            `expected ${c.status} main.tf:${line}, got ${found.join(', ') || 'no finding'}`,
          );
        }
        if (c.model) {
          const model = c.model;
          const r = resources.find(
            (x) => x.type === model.armType && getPath(x.body, model.path) !== undefined,
          );
          assert.ok(r, `a ${model.armType} with ${model.path}`);
          assert.deepEqual(r.locate(model.path), {
            file: 'main.tf',
            line,
            column: r.locate(model.path).column,
          });
        }
      });
    });
  }
});
