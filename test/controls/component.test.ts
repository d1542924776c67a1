import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import ajvFormats from 'ajv-formats';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { exportComponent } from '../../src/cli/controls.ts';
import { UsageError } from '../../src/cli/select-checks.ts';

const Ajv = AjvModule.default;
const addFormats = ajvFormats.default;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const schemaFile = join(repo, '..', 'shared', 'data', 'oscal-schema', 'oscal_component_schema.json');
const schemaPresent = existsSync(schemaFile);
if (!schemaPresent)
  console.log(`# skipping OSCAL component-definition schema validation: ${schemaFile} is absent`);

// An empty project folder: no .assay/mappings of the working folder leak into the test.
const root = mkdtempSync(join(tmpdir(), 'assay-component-'));
after(() => rmSync(root, { recursive: true, force: true }));
const NOW = '2026-01-02T03:04:05.000Z';

interface Requirement {
  'control-id': string;
  description: string;
  props?: { name: string; value: string }[];
}
function requirements(text: string): Requirement[] {
  const doc = JSON.parse(text)['component-definition'];
  return doc.components[0]['control-implementations'][0]['implemented-requirements'];
}
const checksOf = (r: Requirement) =>
  (r.props ?? []).filter((p) => p.name === 'assay-check').map((p) => p.value);

describe('assay controls export-component', () => {
  for (const framework of ['ism', 'e8', 'nzism'])
    it(`gives a ${framework} component-definition valid against the OSCAL 1.1.2 schema`, {
      skip: !schemaPresent && 'OSCAL schemas absent',
    }, () => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
      const doc = JSON.parse(exportComponent(framework, { root, now: NOW }));
      assert.equal(validate(doc), true, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
      assert.equal(doc['component-definition'].metadata['oscal-version'], '1.1.2');
    });

  it('lists every Azure check under the ISM controls it evidences', () => {
    const reqs = requirements(exportComponent('ism', { root, now: NOW }));
    const listed = new Set(reqs.flatMap(checksOf));
    assert.deepEqual(
      azureChecks.map((c) => c.meta.id).filter((id) => !listed.has(id)),
      [],
    );
    for (const r of reqs) assert.match(r['control-id'], /^ism-/);
    const tls = reqs.find((r) => r['control-id'] === 'ism-1139');
    assert.ok(tls && checksOf(tls).includes('AZ-STORAGE-002'));
  });

  it('gives NZISM requirements with their paragraph numbers and the mapping rationale', () => {
    const reqs = requirements(exportComponent('nzism', { root, now: NOW }));
    const tls = reqs.find((r) => r['control-id'] === 'nzism-2598');
    assert.ok(tls, 'nzism-2598 (17.4.16.C.01) is implemented');
    assert.deepEqual(tls.props?.find((p) => p.name === 'label')?.value, '17.4.16.C.01');
    assert.ok(checksOf(tls).includes('AZ-STORAGE-002'));
    assert.match(tls.description, /refuses TLS versions older than 1\.2/);
    assert.ok(reqs.every((r) => r['control-id'].startsWith('nzism-')));
  });

  it('is the same document for the same checks and mappings', () => {
    assert.equal(exportComponent('e8', { root, now: NOW }), exportComponent('e8', { root, now: NOW }));
  });

  it("exports a user's framework from a mapping file, and the project's own folder", () => {
    const file = join(root, 'acme.json');
    writeFileSync(
      file,
      JSON.stringify({
        framework: 'acme',
        title: 'ACME cloud policy',
        checks: { 'AZ-STORAGE-001': { controls: ['acme-7'], rationale: 'HTTPS only' } },
      }),
    );
    const reqs = requirements(exportComponent('acme', { root, now: NOW, mappings: [file] }));
    assert.deepEqual(
      reqs.map((r) => [r['control-id'], checksOf(r)]),
      [['acme-7', ['AZ-STORAGE-001']]],
    );
    assert.throws(
      () => exportComponent('acme', { root }),
      (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.match(err.message, /unknown framework 'acme'; expected one of ism, nzism, e8/);
        return true;
      },
    );
    assert.throws(
      () => exportComponent('ism', { root, mappings: [join(root, 'missing.json')] }),
      /missing\.json: no such file/,
    );
  });
});
