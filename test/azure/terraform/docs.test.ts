import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { azureChecks } from '../../../src/azure/checks/index.ts';
import { mappedTypesTable } from '../../../src/azure/sources/terraform/mapping/docs.ts';
import { TYPE_MAPPINGS } from '../../../src/azure/sources/terraform/mapping/index.ts';

it('docs/terraform.md lists every mapped type as the registry renders it', () => {
  const page = readFileSync(new URL('../../../docs/terraform.md', import.meta.url), 'utf8');
  const start = page.indexOf('<!-- mapped-types:start -->\n');
  const end = page.indexOf('<!-- mapped-types:end -->');
  assert.ok(start >= 0 && end > start, 'the page has the mapped-types markers');
  const table = page.slice(start + '<!-- mapped-types:start -->\n'.length, end);
  assert.equal(
    table,
    mappedTypesTable(
      TYPE_MAPPINGS,
      azureChecks.map((c) => c.meta),
    ),
  );
  assert.equal(
    new Set(TYPE_MAPPINGS.map((m) => m.tfType)).size,
    TYPE_MAPPINGS.length,
    'each type mapped once',
  );
});
