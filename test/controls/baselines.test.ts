import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { azureChecks } from '../../src/azure/checks/index.ts';
import {
  BaselineError,
  BUILTIN_BASELINES,
  builtinControls,
  resolveBaseline,
} from '../../src/controls/baselines.ts';
import { loadCatalogFile } from '../../src/controls/load.ts';
import { resolveProfileFile } from '../../src/controls/profile.ts';

const fixtures = fileURLToPath(new URL('../fixtures/oscal/', import.meta.url));
const ismDir = fileURLToPath(new URL('../../../shared/data/ism-oscal/', import.meta.url));
const checks = azureChecks.map((c) => c.meta);

describe('built-in baselines on a small catalog', () => {
  const { catalog } = loadCatalogFile(join(fixtures, 'catalog.json'));

  it('select controls by the ISM applicability properties', () => {
    const protectedIds = resolveBaseline('ism-protected', { catalog, checks }).input.controls.map(
      (c) => c.id,
    );
    assert.deepEqual(protectedIds, ['ism-principle-gov-01', 'ism-9001', 'ism-9002', 'ism-9003']);
    const e8 = resolveBaseline('E8-ML2', { catalog, checks });
    assert.deepEqual(
      e8.input.controls.map((c) => c.id),
      ['ism-9001'],
    );
    assert.equal(e8.input.title, 'Essential Eight Maturity Level Two');
    assert.deepEqual(e8.input.catalog, {
      title: 'Tiny test catalog',
      version: '2026.1',
      source: join(fixtures, 'catalog.json'),
    });
    assert.equal(e8.withoutCatalog, false);
  });

  it('an unknown baseline name lists the valid ones', () => {
    assert.throws(
      () => resolveBaseline('ism-protectd', { catalog, checks }),
      (err: unknown) =>
        err instanceof BaselineError &&
        err.message.includes("unknown baseline 'ism-protectd'") &&
        BUILTIN_BASELINES.every((b) => err.message.includes(b.name)),
    );
  });

  it('a catalog without the ISM properties cannot hold a built-in baseline', () => {
    const { catalog: nz } = loadCatalogFile(join(fixtures, 'nzism.xml'));
    assert.throws(
      () => resolveBaseline('ism-protected', { catalog: nz, checks }),
      /needs the ISM OSCAL catalog/,
    );
  });

  it('a profile path resolves against the catalog it imports', () => {
    const r = resolveBaseline(join(fixtures, 'profile.json'), { checks });
    assert.equal(r.input.title, 'Tiny test profile');
    assert.equal(r.input.controls.length, 4);
    assert.equal(r.warnings.length, 1);
  });

  it('without a catalog: the controls the checks cite (E8: checks with a strategy), no statements', () => {
    const r = resolveBaseline('ism-protected', { checks });
    assert.equal(r.withoutCatalog, true);
    // An ISM baseline covers the ISM ids the checks cite, not their NZISM ones.
    const ism = (ids: string[]) => ids.filter((id) => id.startsWith('ism-'));
    const cited = new Set(checks.flatMap((c) => ism(c.controls)));
    assert.equal(r.input.controls.length, cited.size);
    assert.ok(r.input.controls.every((c) => c.statement === undefined));
    const e8 = resolveBaseline('e8-ml1', { checks });
    const e8cited = new Set(
      checks.filter((c) => (c.essentialEight ?? []).length > 0).flatMap((c) => ism(c.controls)),
    );
    assert.equal(e8.input.controls.length, e8cited.size);
    assert.ok(e8.input.controls.length < r.input.controls.length);
    const nz = resolveBaseline('nzism', { checks });
    const nzCited = new Set(checks.flatMap((c) => c.controls.filter((id) => id.startsWith('nzism-'))));
    assert.ok(nzCited.size > 10);
    assert.deepEqual(new Set(nz.input.controls.map((c) => c.id)), nzCited);
  });
});

describe('built-in baselines on the ISM OSCAL release', () => {
  const catalogFile = join(ismDir, 'ISM_catalog.json');
  const present = existsSync(catalogFile);
  if (!present) console.log(`# skipping ISM baseline counts: ${catalogFile} is absent`);

  it('each built-in equals its official profile file, id for id', {
    skip: !present && 'ISM data absent',
  }, () => {
    const { catalog } = loadCatalogFile(catalogFile);
    const counts: Record<string, number> = {};
    // The NZISM has no published profiles; its baseline is tested with an NZISM catalog.
    for (const b of BUILTIN_BASELINES) {
      if (!b.profile) continue;
      const ours = builtinControls(b, catalog).map((c) => c.id);
      const profile = resolveProfileFile(join(ismDir, b.profile), { catalog });
      assert.deepEqual(profile.warnings, []);
      assert.deepEqual(
        ours,
        profile.controls.map((c) => c.id),
        b.name,
      );
      counts[b.name] = ours.length;
    }
    assert.deepEqual(counts, {
      'ism-non-classified': 983,
      'ism-official': 992,
      'ism-protected': 992,
      'ism-secret': 1057,
      'ism-top-secret': 1066,
      'e8-ml1': 46,
      'e8-ml2': 87,
      'e8-ml3': 123,
    });
  });

  it('PROTECTED includes the 34 principles, which are manual', {
    skip: !present && 'ISM data absent',
  }, () => {
    const { catalog } = loadCatalogFile(catalogFile);
    const r = resolveBaseline('ism-protected', { catalog, checks });
    assert.equal(r.input.controls.length, 992);
    const principles = r.input.controls.filter((c) => c.class === 'ISM-principle');
    assert.equal(principles.length, 34);
    assert.ok(principles.every((c) => c.manual === true));
  });

  it('every control a check cites is in the PROTECTED baseline or at least in the catalog', {
    skip: !present && 'ISM data absent',
  }, () => {
    const { catalog } = loadCatalogFile(catalogFile);
    for (const id of new Set(checks.flatMap((c) => c.controls.filter((i) => i.startsWith('ism-')))))
      assert.ok(catalog.byId.has(id.toLowerCase()), `${id} is not in the ISM catalog`);
  });
});
