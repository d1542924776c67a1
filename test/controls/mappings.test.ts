import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { azureChecks, declaredAzureChecks } from '../../src/azure/checks/index.ts';
import { driftChecks } from '../../src/azure/drift/checks.ts';
import { isEssentialEightId } from '../../src/controls/essential-eight.ts';
import {
  builtinMappings,
  type FrameworkMapping,
  MappingError,
  mapAssessment,
  mapMeta,
  parseMapping,
  projectMappings,
  withMappings,
} from '../../src/controls/mappings.ts';
import { buildMatrix } from '../../src/core/compliance.ts';
import type { Finding } from '../../src/core/model.ts';

const byName = (name: string): FrameworkMapping => {
  const m = builtinMappings().find((x) => x.framework === name);
  assert.ok(m, `built-in mapping ${name}`);
  return m;
};
const azureIds = new Set(azureChecks.map((c) => c.meta.id));
/** Checks a mapping file may name besides the per-resource Azure checks. */
const knownIds = new Set([...azureIds, ...driftChecks.map((c) => c.meta.id)]);

describe('built-in control mappings', () => {
  it('ship ISM, NZISM and Essential Eight files naming only existing checks', () => {
    assert.deepEqual(
      builtinMappings().map((m) => m.framework),
      ['ism', 'nzism', 'e8'],
    );
    for (const m of builtinMappings()) {
      const unknown = [...Object.keys(m.checks), ...Object.keys(m.unmapped)].filter(
        (id) => !knownIds.has(id),
      );
      assert.deepEqual(unknown, [], `${m.framework}: checks that do not exist`);
    }
  });

  it('map every Azure check to the ISM', () => {
    const ism = byName('ism');
    const missing = [...azureIds].filter((id) => !ism.checks[id]);
    assert.deepEqual(missing, []);
  });

  it('map each drift check to the ISM or say why not', () => {
    const ism = byName('ism');
    for (const { meta } of driftChecks) {
      assert.ok(
        Object.hasOwn(ism.checks, meta.id) !== Object.hasOwn(ism.unmapped, meta.id),
        `${meta.id}: exactly one of checks / unmapped`,
      );
      assert.deepEqual(meta.controls, ism.checks[meta.id]?.controls ?? []);
    }
  });

  it('are the only source of ISM and Essential Eight ids: no check file declares any', () => {
    const declaring = declaredAzureChecks()
      .filter(({ meta }) => meta.controls.length > 0 || meta.essentialEight !== undefined)
      .map(({ meta }) => meta.id);
    assert.deepEqual(declaring, []);
    for (const ids of Object.values(byName('e8').checks).map((c) => c.controls))
      for (const id of ids) assert.ok(isEssentialEightId(id), `E8 id ${id}`);
  });

  it('either map each Azure check to NZISM or say why not', () => {
    const nz = byName('nzism');
    for (const id of azureIds)
      assert.ok(
        Object.hasOwn(nz.checks, id) !== Object.hasOwn(nz.unmapped, id),
        `${id}: exactly one of checks / unmapped`,
      );
    // The main families: TLS, encryption at rest, network, gateways, logging, identity, backup.
    const cited = new Set(Object.values(nz.checks).flatMap((c) => c.controls));
    for (const label of [
      '17.4.16.C.01',
      '17.1.53.C.04',
      '18.1.13.C.02',
      '19.1.12.C.01',
      '16.6.10.C.02',
      '16.4.31.C.02',
      '22.1.26.C.01',
    ])
      assert.ok(
        [...cited].some((id) => nz.controls[id]?.label === label),
        `an NZISM control labelled ${label} is cited`,
      );
  });

  it('record a well-formed, unique NZISM paragraph number next to every CID cited', () => {
    const nz = byName('nzism');
    const cited = new Set(Object.values(nz.checks).flatMap((c) => c.controls));
    const labels = new Map<string, string>();
    for (const id of cited) {
      assert.match(id, /^nzism-[1-9]\d{2,4}$/, 'nzism-<CID>');
      const label = nz.controls[id]?.label;
      assert.ok(label, `${id}: paragraph number`);
      assert.match(label, /^\d{1,2}\.\d{1,2}\.\d{1,3}\.C\.\d{2}$/, `${id}: paragraph number ${label}`);
      assert.equal(labels.get(label), undefined, `${label} is given to two CIDs`);
      labels.set(label, id);
      assert.ok(nz.controls[id]?.title, `${id}: title`);
    }
    assert.deepEqual(
      Object.keys(nz.controls).filter((id) => !cited.has(id)),
      [],
      'no control is declared without a check citing it',
    );
    for (const [id, c] of Object.entries(nz.checks)) assert.ok(c.rationale, `${id}: rationale`);
  });

  it('add NZISM ids after the ISM ids on the loaded checks, and findings carry them', () => {
    const tls = azureChecks.find((c) => c.meta.id === 'AZ-STORAGE-002');
    assert.deepEqual(tls?.meta.controls, ['ism-1139', 'ism-0469', 'nzism-2598', 'nzism-2600']);
  });
});

describe('mapping files', () => {
  const meta = declaredAzureChecks()[0].meta;

  it('a user framework adds its ids without touching the check', () => {
    const user = parseMapping(
      JSON.stringify({
        framework: 'acme-policy',
        title: 'ACME cloud policy',
        controlPattern: '^acme-\\d+$',
        checks: { [meta.id]: { controls: ['acme-7', 'acme-8'], rationale: 'transport encryption' } },
      }),
      'acme.json',
    );
    const mapped = mapMeta(meta, [...builtinMappings(), user]);
    assert.deepEqual(mapped.controls.slice(-2), ['acme-7', 'acme-8']);
    assert.deepEqual(meta.controls.includes('acme-7'), false, 'the original is not changed');
    const [same] = withMappings([{ meta: { ...meta, id: 'NOT-MAPPED' } }], [user]);
    assert.deepEqual(same.meta.controls, meta.controls, 'a check no mapping names is unchanged');
  });

  it('names the file and JSON path of a malformed mapping', () => {
    const bad = (doc: unknown, pattern: RegExp) =>
      assert.throws(
        () => parseMapping(JSON.stringify(doc), 'm.json'),
        (err: unknown) => {
          assert.ok(err instanceof MappingError);
          assert.match(err.message, pattern);
          return true;
        },
      );
    bad({ title: 'x', checks: {} }, /^m\.json: \$\.framework: expected a non-empty string$/);
    bad(
      { framework: 'f', title: 'x', controlPattern: '^f-\\d+$', checks: { A: { controls: ['f-1', 'g-2'] } } },
      /^m\.json: \$\.checks\['A'\]\.controls\[1\]: 'g-2' does not match/,
    );
    bad(
      { framework: 'f', title: 'x', checks: { A: { controls: ['f-1', 'f-1'] } } },
      /controls\[1\]: 'f-1' is repeated/,
    );
    bad(
      { framework: 'f', title: 'x', checks: { A: { controls: [] } } },
      /\$\.checks\['A'\]\.controls: expected a non-empty list/,
    );
    bad(
      { framework: 'f', title: 'x', checks: { A: { controls: ['a'] } }, unmapped: { A: 'why' } },
      /also mapped/,
    );
    bad({ framework: 'f', title: 'x', field: 'other' }, /\$\.field/);
    assert.throws(() => parseMapping('{', 'm.json'), /^Error: m\.json: not valid JSON/);
  });

  it("a project's .assay/mappings file makes its framework's controls assessed in the matrix", () => {
    const root = mkdtempSync(join(tmpdir(), 'assay-mappings-'));
    try {
      mkdirSync(join(root, '.assay', 'mappings'), { recursive: true });
      writeFileSync(
        join(root, '.assay', 'mappings', 'acme.json'),
        JSON.stringify({ framework: 'acme', title: 'ACME', checks: { [meta.id]: { controls: ['acme-1'] } } }),
      );
      const mappings = projectMappings(root);
      assert.deepEqual(
        mappings.map((m) => m.framework),
        ['acme'],
      );
      const finding: Finding = {
        checkId: meta.id,
        title: meta.title,
        severity: meta.severity,
        status: 'pass',
        message: 'ok',
        subject: { id: 's', name: 's', type: 't', kind: meta.subjectKind },
        location: { file: 'a.json', line: 1, column: 1 },
        controls: meta.controls,
      };
      const baseline = { name: 'acme', title: 'ACME', controls: [{ id: 'acme-1' }, { id: 'acme-2' }] };
      const before = buildMatrix({ checks: [meta], findings: [finding] }, baseline);
      assert.equal(before.coverage.assessed, 0);
      const after = buildMatrix(mapAssessment({ checks: [meta], findings: [finding] }, mappings), baseline);
      assert.deepEqual(
        after.controls.map((c) => c.status),
        ['met', 'not-assessed'],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
