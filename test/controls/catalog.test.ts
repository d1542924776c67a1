import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import ajvFormats from 'ajv-formats';
import { CatalogError, displayTitle, findControl } from '../../src/controls/catalog.ts';
import { loadCatalogFile, loadCatalogText } from '../../src/controls/load.ts';
import { nzismToOscal } from '../../src/controls/nzism.ts';
import { resolveProfileFile } from '../../src/controls/profile.ts';
import { CatalogStore, catalogFor } from '../../src/controls/store.ts';

const fixtures = fileURLToPath(new URL('../fixtures/oscal/', import.meta.url));
const fx = (name: string) => join(fixtures, name);
const schemaDir = fileURLToPath(new URL('../../../shared/data/oscal-schema/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-catalog-'));
after(() => rmSync(work, { recursive: true, force: true }));

const Ajv = AjvModule.default;
const addFormats = ajvFormats.default;

function thrown(fn: () => unknown): CatalogError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CatalogError) return err;
    throw err;
  }
  assert.fail('expected a CatalogError');
}

describe('OSCAL catalog', () => {
  const { catalog } = loadCatalogFile(fx('catalog.json'));

  it('reads controls in document order, enhancements after their parent', () => {
    assert.equal(catalog.title, 'Tiny test catalog');
    assert.equal(catalog.version, '2026.1');
    assert.deepEqual(
      catalog.controls.map((c) => c.id),
      ['ism-principle-gov-01', 'ism-9001', 'ism-9002', 'ism-9002.1', 'ism-9003'],
    );
    assert.equal(findControl(catalog, 'ISM-9002.1')?.parent, 'ism-9002');
  });

  it('joins a statement and its labelled items; knows labels, groups and manual controls', () => {
    assert.equal(
      findControl(catalog, 'ism-9002')?.statement,
      'Data at rest is encrypted:\na. on servers\nb. on backups',
    );
    assert.equal(findControl(catalog, 'GOV-01')?.id, 'ism-principle-gov-01', 'found by label');
    assert.equal(findControl(catalog, 'ism-principle-gov-01')?.manual, true, 'principles are manual');
    assert.equal(findControl(catalog, 'ism-9003')?.manual, true, 'assessment-method: manual');
    assert.equal(findControl(catalog, 'ism-9001')?.manual, false);
    const c = findControl(catalog, 'ism-9001');
    assert.ok(c);
    assert.deepEqual(c.groups, ['Guidelines for cryptography', 'Configuring Transport Layer Security']);
    assert.equal(
      displayTitle(c),
      'Configuring Transport Layer Security',
      'the ISM `Control: id` title gives way to its topic',
    );
  });

  it('a malformed catalog names the file, line and JSON path', () => {
    const err = thrown(() => loadCatalogFile(fx('bad-catalog.json')));
    assert.equal(err.path, '$.catalog.groups[0].controls[1].title');
    assert.equal(err.line, 10, 'the line of the control that lacks its title');
    assert.match(
      err.message,
      /bad-catalog\.json:10: \$\.catalog\.groups\[0\]\.controls\[1\]\.title: not a valid OSCAL catalog/,
    );
  });

  it('invalid JSON names the line; duplicate ids and wrong models are refused with a path', () => {
    const broken = thrown(() => loadCatalogText('{\n  "catalog": {\n    "uuid": x\n', 'x.json'));
    assert.equal(broken.line, 3);
    assert.match(broken.message, /^x\.json:3: invalid JSON/);
    const text = readFileSync(fx('catalog.json'), 'utf8').replace('"ism-9003"', '"ism-9001"');
    const dup = thrown(() => loadCatalogText(text, 'dup.json'));
    assert.match(dup.message, /duplicate control id 'ism-9001'/);
    assert.equal(dup.path, '$.catalog.groups[1].groups[0].controls[2].id');
    const profile = thrown(() => loadCatalogFile(fx('profile.json')));
    assert.match(profile.message, /an OSCAL profile, not a catalog/);
    const old = thrown(() =>
      loadCatalogText(readFileSync(fx('catalog.json'), 'utf8').replace('1.1.2', '2.0.0'), 'v2.json'),
    );
    assert.equal(old.path, '$.catalog.metadata.oscal-version');
  });
});

describe('OSCAL profile resolution', () => {
  it('with-ids, with-child-controls, matching and exclude-controls; unknown ids are warnings', () => {
    const p = resolveProfileFile(fx('profile.json'));
    assert.equal(p.title, 'Tiny test profile');
    assert.deepEqual(
      p.controls.map((c) => c.id),
      ['ism-principle-gov-01', 'ism-9001', 'ism-9002', 'ism-9002.1'],
    );
    assert.equal(p.warnings.length, 1);
    assert.match(
      p.warnings[0],
      /\$\.profile\.imports\[0\]\.include-controls\[0\]\.with-ids\[2\]: 'ism-0000' is not in Tiny test catalog/,
    );
  });

  it('imports through a back-matter resource, and a profile of a profile', () => {
    assert.deepEqual(
      resolveProfileFile(fx('profile-backmatter.json')).controls.map((c) => c.id),
      ['ism-9001'],
    );
    assert.deepEqual(
      resolveProfileFile(fx('profile-nested.json')).controls.map((c) => c.id),
      ['ism-principle-gov-01', 'ism-9001', 'ism-9002'],
    );
  });

  it('an import it cannot read needs --catalog; with one, it resolves against it', () => {
    const err = thrown(() => resolveProfileFile(fx('profile-url.json')));
    assert.equal(err.path, '$.profile.imports[0].href');
    assert.match(err.message, /profile-url\.json:\d+: .*pass the catalog with --catalog/);
    const { catalog } = loadCatalogFile(fx('catalog.json'));
    assert.equal(resolveProfileFile(fx('profile-url.json'), { catalog }).controls.length, 5);
  });

  it('a malformed profile names the file, line and JSON path', () => {
    const err = thrown(() => resolveProfileFile(fx('bad-profile.json')));
    assert.equal(err.path, '$.profile.imports[1].href');
    assert.equal(err.line, 7);
    assert.match(
      err.message,
      /bad-profile\.json:7: \$\.profile\.imports\[1\]\.href: not a valid OSCAL profile/,
    );
  });
});

describe('NZISM XML import', () => {
  const xml = readFileSync(fx('nzism.xml'), 'utf8');

  it('turns paragraphs with a CID into controls, whatever the attribute spelling', () => {
    const { catalog, format } = loadCatalogText(xml, 'nzism.xml', { now: '2026-01-01T00:00:00Z' });
    assert.equal(format, 'nzism-xml');
    assert.equal(catalog.title, 'New Zealand Information Security Manual');
    assert.equal(catalog.version, '3.9');
    assert.deepEqual(
      catalog.controls.map((c) => [c.id, c.label, c.title]),
      [
        ['nzism-4385', '13.6.6.C.01', '13.6.6.C.01 Handling media during sanitisation'],
        ['nzism-4386', '13.6.6.C.02', '13.6.6.C.02 Handling media during sanitisation'],
        ['nzism-2598', '17.4.16.C.01', '17.4.16.C.01 Using TLS'],
      ],
    );
    const c2 = findControl(catalog, '13.6.6.C.02.');
    assert.ok(c2, 'found by paragraph number');
    assert.equal(c2.statement, 'Agencies SHOULD record:\n- the media;\n- the method.');
    assert.deepEqual(
      c2.props.filter((p) => p.name !== 'label').map((p) => [p.name, p.value]),
      [
        ['cid', '4386'],
        ['compliance', 'Should'],
        ['classification', 'Confidential'],
        ['classification', 'Secret'],
        ['classification', 'Top Secret'],
      ],
    );
    assert.equal(findControl(catalog, 'nzism-4385')?.statement, 'Agencies MUST sanitise media before reuse.');
    assert.equal(findControl(catalog, 'nzism-2598')?.statement, 'Agencies MUST NOT use TLS 1.0 & 1.1.');
    assert.deepEqual(catalog.controls[0].groups, [
      '13. Media and IT Equipment Management, Decommissioning and Disposal',
      '13.6. Media Sanitisation',
    ]);
  });

  it('the same XML converts to the same document', () => {
    const a = nzismToOscal(xml, 'nzism.xml', { now: '2026-01-01T00:00:00Z' });
    const b = nzismToOscal(xml, 'nzism.xml', { now: '2026-01-01T00:00:00Z' });
    assert.deepEqual(a, b);
  });

  it('malformed XML, bad CIDs and repeated CIDs name the file and line', () => {
    assert.match(
      thrown(() => loadCatalogText('<xml>\n<chapter>\n</xml>', 'n.xml')).message,
      /^n\.xml:3: invalid XML: <\/xml> closes <chapter>/,
    );
    const bad = thrown(() =>
      loadCatalogText('<xml>\n\n<paragraph title="1.1.C.01." cid="x1">t</paragraph></xml>', 'n.xml'),
    );
    assert.equal(bad.line, 3);
    assert.match(bad.message, /CID 'x1' is not a number/);
    const twice =
      '<xml><paragraph title="1.C.01." cid="7">a</paragraph>\n<paragraph title="1.C.02." cid="7">b</paragraph></xml>';
    assert.match(
      thrown(() => loadCatalogText(twice, 'n.xml')).message,
      /n\.xml:2: CID 7 repeats the paragraph at line 1/,
    );
    assert.match(
      thrown(() => loadCatalogText('<xml><p/></xml>', 'n.xml')).message,
      /no NZISM controls found/,
    );
    assert.match(
      thrown(() => loadCatalogText('<!DOCTYPE x [<!ENTITY a "b">]><xml/>', 'n.xml')).message,
      /internal subset is not supported/,
    );
  });

  it('the converted catalog is valid against the OSCAL 1.1.2 catalog schema', (t) => {
    const schemaFile = join(schemaDir, 'oscal_catalog_schema.json');
    if (!existsSync(schemaFile)) {
      t.skip(`OSCAL schema not found at ${schemaFile}`);
      return;
    }
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const doc = nzismToOscal(xml, 'nzism.xml', { now: '2026-01-01T00:00:00Z' });
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });
});

describe('catalog store', () => {
  it('imports a catalog into .assay/catalogs with an index, lists it and loads it back', async () => {
    const root = mkdtempSync(join(work, 'store-'));
    const store = new CatalogStore(root);
    assert.deepEqual(store.list(), []);
    const entry = await store.import(fx('catalog.json'), { now: '2026-02-03T04:05:06.000Z' });
    assert.equal(entry.name, 'ism', 'an ISM-like catalog is named ism');
    assert.equal(entry.kind, 'ism');
    assert.equal(entry.controls, 5);
    assert.equal(entry.sha256.length, 64);
    assert.ok(existsSync(join(root, '.assay', 'catalogs', 'ism.json')));
    const nz = await store.import(fx('nzism.xml'), { now: '2026-02-04T00:00:00.000Z' });
    assert.equal(nz.name, 'nzism');
    assert.equal(nz.format, 'nzism-xml');
    assert.deepEqual(
      store.list().map((e) => e.name),
      ['ism', 'nzism'],
    );
    assert.equal(store.defaultEntry()?.name, 'ism', 'the ISM is the default even when imported earlier');
    assert.equal(catalogFor(undefined, root)?.controls.length, 5);
    assert.equal(catalogFor('nzism', root)?.controls.length, 3, '--catalog may name an imported catalog');
    assert.equal(catalogFor(fx('catalog.json'), root)?.title, 'Tiny test catalog');
    assert.throws(
      () => catalogFor('nope', root),
      /no imported catalog of that name \(imported: ism, nzism\)/,
    );
    // Re-importing under the same name replaces the entry.
    await store.import(fx('catalog.json'), { now: '2026-03-01T00:00:00.000Z' });
    assert.equal(store.list().length, 2);
    assert.equal(store.get('ism')?.importedAt, '2026-03-01T00:00:00.000Z');
  });

  it('a URL that cannot be fetched gives a clear error naming it', async () => {
    const store = new CatalogStore(mkdtempSync(join(work, 'store-')));
    const offline = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND example.org') });
    }) as typeof fetch;
    await assert.rejects(
      store.import('https://example.org/ISM_catalog.json', { fetch: offline }),
      /https:\/\/example\.org\/ISM_catalog\.json: could not download: fetch failed \(getaddrinfo ENOTFOUND example\.org\)/,
    );
    const notFound = (async () =>
      new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    await assert.rejects(
      store.import('https://example.org/x.json', { fetch: notFound }),
      /HTTP 404 Not Found/,
    );
    const served = (async () => new Response(readFileSync(fx('catalog.json'), 'utf8'))) as typeof fetch;
    const entry = await store.import('https://example.org/catalog.json', { fetch: served, name: 'tiny' });
    assert.equal(entry.source, 'https://example.org/catalog.json');
    assert.equal(entry.name, 'tiny');
  });

  it('refuses a profile or a malformed catalog and keeps the store as it was', async () => {
    const root = mkdtempSync(join(work, 'store-'));
    const store = new CatalogStore(root);
    await store.import(fx('catalog.json'));
    await assert.rejects(store.import(fx('profile.json')), /OSCAL profile, not a catalog/);
    await assert.rejects(store.import(fx('bad-catalog.json')), /controls\[1\]\.title/);
    assert.deepEqual(
      store.list().map((e) => e.name),
      ['ism'],
    );
    writeFileSync(join(work, 'x.json'), '{}');
    await assert.rejects(store.import(join(work, 'x.json')), /\$\.catalog: not a valid OSCAL catalog/);
  });
});
