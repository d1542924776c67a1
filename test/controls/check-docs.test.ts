import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { controlText } from '../../src/controls/catalog.ts';
import { loadCatalogFile } from '../../src/controls/load.ts';
import { renderCheckDoc } from '../../src/report/check-docs.ts';
import { checks } from '../report/fixture.ts';

const fixtures = fileURLToPath(new URL('../fixtures/oscal/', import.meta.url));

test('with a catalog, a check page shows the statement of each control it cites', () => {
  const { catalog } = loadCatalogFile(join(fixtures, 'catalog.json'));
  const meta = { ...checks[0], controls: ['ism-9001', 'ism-9002', 'ism-0000'] };
  const page = renderCheckDoc(meta, controlText(catalog));
  assert.match(
    page,
    /^- `ism-9001` \(Configuring Transport Layer Security\): Only the latest version of TLS is used\.$/m,
  );
  assert.match(
    page,
    /^- `ism-9002` \(Configuring Transport Layer Security\): Data at rest is encrypted:<br>a\. on servers<br>b\. on backups$/m,
  );
  assert.match(page, /^- `ism-0000`$/m, 'a control the catalog lacks is listed bare');
  assert.match(page, /^Control statements: Tiny test catalog 2026\.1, © Commonwealth of Australia/m);
  assert.equal(renderCheckDoc(meta), renderCheckDoc(meta, undefined), 'no catalog: the page as before');
  assert.doesNotMatch(renderCheckDoc(meta), /Control statements/);
});
