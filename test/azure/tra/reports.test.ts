/**
 * The TRA's assessment (checks, residency and threat findings) through the shared report
 * formats: OSCAL POA&M and SARIF still validate against their official schemas, and the
 * run can be saved and read back from the store.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import { runTra } from '../../../src/azure/tra/run.ts';
import { renderOscalPoam } from '../../../src/report/oscal-poam.ts';
import { renderSarif } from '../../../src/report/sarif.ts';
import { openStore } from '../../../src/store/duckdb.ts';

const Ajv = AjvModule.default;
const Ajv04 = AjvDraft04.default;
const addFormats = ajvFormats.default;
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const shared = join(repo, '..', 'shared', 'data');
const poamSchema = join(shared, 'oscal-schema', 'oscal_poam_schema.json');
const sarifSchema = join(shared, 'sarif-schema', 'sarif-schema-2.1.0.json');
const work = mkdtempSync(join(tmpdir(), 'assay-tra-reports-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('the TRA assessment in shared reports', async () => {
  const { assessment } = await runTra([join(repo, 'examples', 'azure')], {
    root: repo,
    now: '2026-01-01T00:00:00Z',
    boundary: resolveBoundary('sg'),
  });

  it('has residency and threat findings beside the checks', () => {
    assert.ok(assessment.findings.some((f) => f.checkId === 'AZ-RES-001' && f.status === 'fail'));
    assert.ok(assessment.findings.some((f) => f.checkId.startsWith('AZ-TRA-') && f.status === 'fail'));
    const ids = new Set(assessment.checks.map((c) => c.id));
    for (const f of assessment.findings) assert.ok(ids.has(f.checkId), `${f.checkId} has no check metadata`);
  });

  it('writes an OSCAL POA&M that validates and lists the threats', {
    skip: !existsSync(poamSchema) && 'schema absent',
  }, () => {
    const text = renderOscalPoam(assessment, { color: false });
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(poamSchema, 'utf8')));
    assert.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors?.slice(0, 5)));
    assert.match(text, /AZ-TRA-008/);
  });

  it('writes SARIF that validates', { skip: !existsSync(sarifSchema) && 'schema absent' }, () => {
    const ajv = new Ajv04();
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(sarifSchema, 'utf8')));
    assert.ok(
      validate(JSON.parse(renderSarif(assessment, { color: false }))),
      JSON.stringify(validate.errors?.slice(0, 5)),
    );
  });

  it('is saved and read back from the store with its threats', async () => {
    const store = await openStore(join(work, 'assay.duckdb'));
    try {
      const run = await store.saveAssessment(assessment, { label: 'tra' });
      const back = await store.getAssessment(run.run);
      assert.ok(back);
      assert.equal(
        back.findings.filter((f) => f.checkId.startsWith('AZ-TRA-')).length,
        assessment.findings.filter((f) => f.checkId.startsWith('AZ-TRA-')).length,
      );
    } finally {
      await store.close();
    }
  });
});
