import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { azureChecks } from '../../../src/azure/checks/index.ts';
import { Unknown } from '../../../src/azure/expressions/value.ts';
import { JsonDocument } from '../../../src/azure/load/document.ts';
import { type AzureScanOptions, scanAzure } from '../../../src/azure/scan.ts';
import { readerFor } from '../../../src/azure/sources/index.ts';
import { nameFromId } from '../../../src/azure/sources/live/rows.ts';
import type { Finding } from '../../../src/core/model.ts';
import { lineOf } from '../../helpers/arm.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const text = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'assay-live-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Scans fixture files (or files in `root`) with the real pipeline. */
function scan(names: string[], options: AzureScanOptions & { in?: string } = {}) {
  const root = options.in ?? fixtures;
  return scanAzure(
    names.map((n) => join(root, n)),
    { root, now: '2026-06-01T00:00:00Z', ...options },
  );
}

/** Scans one fixture that must read with no errors as input `kind`; gives its text too. */
async function scanClean(name: string, kind: string) {
  const result = await scan([name]);
  assert.deepEqual(result.assessment.errors, []);
  assert.deepEqual(
    result.assessment.inputs.map((i) => i.kind),
    [kind],
  );
  return { ...result, src: text(name) };
}

function only(findings: Finding[], checkId: string, name: string): Finding {
  const found = findings.filter((f) => f.checkId === checkId && f.subject.name === name);
  assert.equal(found.length, 1, `${checkId} on ${name}: ${found.length} findings`);
  return found[0] as Finding;
}

function kindOf(json: string): string | undefined {
  return readerFor(new JsonDocument('x.json', '/x.json', json).value)?.kind;
}

describe('live state exports: detection', () => {
  it('recognises each export form by its top-level shape', () => {
    assert.equal(kindOf(text('graph-page.json')), 'azure-resource-graph');
    assert.equal(kindOf(text('graph-rows.json')), 'azure-resource-graph');
    assert.equal(kindOf(text('resource-list.json')), 'azure-resource-list');
    assert.equal(kindOf(text('resource-show.json')), 'azure-resource-show');
    assert.equal(
      kindOf('{ "count": 0, "data": [], "skip_token": null, "total_records": 0 }'),
      'azure-resource-graph',
    );
    const sub = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/dnsZones/z';
    assert.equal(
      kindOf(`{ "id": "${sub}", "type": "Microsoft.Network/dnsZones", "properties": null }`),
      'azure-resource-show',
    );
  });

  it('leaves other JSON to the other readers', () => {
    const sub = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a';
    for (const other of [
      '{ "name": "x" }',
      '[]',
      '[1, 2, 3]',
      '{ "data": [] }',
      // Not a resource id under a subscription, or no type.
      '[{ "id": "/providers/Microsoft.Management/managementGroups/m", "type": "x" }]',
      `[{ "id": "${sub}" }]`,
      // Mostly other things, one row among them.
      `[{ "id": "${sub}", "type": "t" }, 1, 2]`,
      // One resource without properties: a show export always has the member.
      `{ "id": "${sub}", "type": "Microsoft.Storage/storageAccounts" }`,
      `{ "id": "${sub}", "type": "Microsoft.Storage/storageAccounts", "properties": "x" }`,
    ])
      assert.equal(kindOf(other), undefined, other);
  });

  it('names a child resource from its id, as a template names it', () => {
    const id = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/srv/databases/db';
    assert.equal(nameFromId(id, 'db'), 'srv/db');
    assert.equal(
      nameFromId(
        '/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v/providers/Microsoft.Insights/diagnosticSettings/d',
        'd',
      ),
      'd',
    );
    assert.equal(nameFromId('/subscriptions/s/resourceGroups/g', 'g'), 'g');
  });
});

describe('live state exports: the model', () => {
  it('reads a Resource Graph page into resources with full names, canonical types and row positions', async () => {
    const { resources, src } = await scanClean('graph-page.json', 'azure-resource-graph');
    assert.deepEqual(
      resources.map((r) => [r.type, r.name]),
      [
        ['Microsoft.Storage/storageAccounts', 'stlivedata01'],
        ['Microsoft.Sql/servers', 'sql-live-01'],
        ['Microsoft.Sql/servers/databases', 'sql-live-01/appdb'],
      ],
    );
    const [storage, , db] = resources;
    assert.ok(storage && db);
    assert.equal(
      db.id,
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-live-01/databases/appdb',
    );
    assert.equal(storage.apiVersion, '');
    assert.deepEqual(storage.deployments, []);
    assert.equal(storage.file, 'graph-page.json');
    // The export's bookkeeping and null members are not part of the resource.
    for (const key of [
      'resourceGroup',
      'subscriptionId',
      'tenantId',
      'plan',
      'identity',
      'zones',
      'managedBy',
    ])
      assert.equal(key in storage.body, false, key);
    assert.equal(storage.body.location, 'australiaeast');
    assert.deepEqual(JSON.parse(JSON.stringify(storage.body.sku)), {
      name: 'Standard_LRS',
      tier: 'Standard',
    });
    assert.equal(storage.location.line, lineOf(src, '{', '"data"'));
    assert.equal(db.location.line, lineOf(src, 'sql-live-01/databases') - 1);
    assert.equal(storage.locate('properties.minimumTlsVersion').line, lineOf(src, '"minimumTlsVersion"'));
    // A property the row does not have: its nearest ancestor.
    assert.equal(storage.locate('properties.networkAcls.defaultAction').line, lineOf(src, '"properties"'));
    assert.equal(storage.locate('sku.name').line, lineOf(src, '"sku"'));
  });

  it('fails the same check on a live storage account as on the template that declares it', async () => {
    const checks = azureChecks.filter((c) => c.meta.id === 'AZ-STORAGE-003');
    const live = await scan(['graph-page.json'], { checks });
    const template = await scan(['storage-template.json'], { checks });
    const a = only(live.assessment.findings, 'AZ-STORAGE-003', 'stlivedata01');
    const b = only(template.assessment.findings, 'AZ-STORAGE-003', 'stlivedata01');
    assert.equal(a.status, 'fail');
    assert.equal(b.status, 'fail');
    assert.equal(a.subject.type, b.subject.type);
    assert.equal(a.location.file, 'graph-page.json');
    assert.equal(a.location.line, lineOf(text('graph-page.json'), '"allowBlobPublicAccess"'));
    assert.equal(b.location.line, lineOf(text('storage-template.json'), '"allowBlobPublicAccess"'));
  });

  it('reads az resource show output as one resource', async () => {
    const { resources, assessment, src } = await scanClean('resource-show.json', 'azure-resource-show');
    assert.equal(resources.length, 1);
    const tls = only(assessment.findings, 'AZ-STORAGE-002', 'stliveshow01');
    assert.equal(tls.status, 'fail');
    assert.equal(tls.location.line, lineOf(src, '"minimumTlsVersion"'));
    assert.equal(only(assessment.findings, 'AZ-STORAGE-003', 'stliveshow01').status, 'pass');
  });
});

describe('live state exports: what the export does not carry', () => {
  it('makes every property unknown, with the reason, for rows without properties', async () => {
    const { resources, assessment, src } = await scanClean('resource-list.json', 'azure-resource-list');
    for (const r of resources) {
      assert.ok(r.body.properties instanceof Unknown, r.name as string);
      assert.match(
        r.body.properties.reason,
        /^the export has no properties for this resource \(az resource list/,
      );
    }
    // Top-level members the list does carry stay known.
    assert.equal(resources[0]?.body.kind, 'StorageV2');
    assert.equal('createdTime' in (resources[0]?.body ?? {}), false);
    const propertyChecks = [
      ['AZ-STORAGE-001', 'stliveapp01'],
      ['AZ-STORAGE-002', 'stliveapp01'],
      ['AZ-STORAGE-003', 'stliveapp01'],
      ['AZ-STORAGE-004', 'stliveapp01'],
      ['AZ-KV-001', 'kv-live-app'],
      ['AZ-KV-003', 'kv-live-app'],
    ];
    for (const [id, name] of propertyChecks) {
      const f = only(assessment.findings, id as string, name as string);
      assert.equal(f.status, 'unknown', `${id}: ${f.message}`);
      assert.match(f.message, /the export has no properties for this resource/);
    }
    // The storage row has "properties": null, the vault none at all: each points at its row.
    assert.equal(
      only(assessment.findings, 'AZ-STORAGE-003', 'stliveapp01').location.line,
      lineOf(src, '"properties": null'),
    );
    assert.equal(
      only(assessment.findings, 'AZ-KV-001', 'kv-live-app').location.line,
      lineOf(src, 'vaults/kv-live-app') - 1,
    );
  });

  it('reports a malformed row with its line and assesses the other rows', async () => {
    const { resources, assessment } = await scan(['graph-rows.json']);
    const src = text('graph-rows.json');
    assert.deepEqual(
      assessment.errors.map((e) => [e.code, e.line, e.file]),
      [
        ['live-row', lineOf(src, '"not a resource"'), 'graph-rows.json'],
        ['live-row', lineOf(src, '"orphan"') - 1, 'graph-rows.json'],
      ],
    );
    assert.match(assessment.errors[0]?.message ?? '', /^row 2 is a string/);
    assert.match(assessment.errors[1]?.message ?? '', /^row 3 has no string "id"/);
    assert.deepEqual(
      resources.map((r) => r.name),
      ['kv-live-01', 'stliveweb01', 'stliveold01'],
    );
    assert.equal(only(assessment.findings, 'AZ-KV-002', 'kv-live-01').status, 'pass');
    const blob = only(assessment.findings, 'AZ-STORAGE-003', 'stliveweb01');
    assert.equal(blob.status, 'pass');
    assert.equal(blob.location.line, lineOf(src, '"allowBlobPublicAccess"'));
  });

  it('leaves a default that depends on the API version unknown: an export has none', async () => {
    const { assessment } = await scan(['graph-rows.json']);
    const blob = only(assessment.findings, 'AZ-STORAGE-003', 'stliveold01');
    assert.equal(blob.status, 'unknown');
    assert.match(blob.message, /the evidence has no API version \(an export of deployed resources\)/);
  });

  it('warns when a Resource Graph page is not the whole result', async () => {
    const page = JSON.parse(text('graph-page.json'));
    page.skip_token = 'ew0KICAiJGlkIjogIjEiLA0KfQ==';
    page.total_records = 40;
    writeFileSync(join(work, 'page-1.json'), JSON.stringify(page, null, 2));
    const { resources, assessment } = await scan(['page-1.json'], { in: work });
    assert.equal(resources.length, 3);
    const paging = assessment.notes.filter((n) =>
      /one page of a larger Resource Graph result/.test(n.message),
    );
    assert.equal(paging.length, 1);
    assert.match(paging[0]?.message ?? '', /\(3 of 40 records\)/);
    // The whole result in one page: no such note.
    const whole = await scan(['graph-page.json']);
    assert.equal(
      whole.assessment.notes.some((n) => /one page/.test(n.message)),
      false,
    );
    assert.equal(
      whole.assessment.notes.some((n) => /related resources/.test(n.message)),
      true,
    );
  });
});

describe('exported ARM templates', () => {
  it('scans an export-template output (generated parameter names, a null default) through the template path', async () => {
    const { resources, assessment, src } = await scanClean('exported-template.json', 'arm-template');
    assert.deepEqual(
      resources.map((r) => r.name),
      ['stexport01', 'stexport01/default', 'kv-export-01'],
    );
    const blob = only(assessment.findings, 'AZ-STORAGE-003', 'stexport01');
    assert.equal(blob.status, 'fail');
    assert.equal(blob.location.line, lineOf(src, '"allowBlobPublicAccess"'));
    assert.equal(only(assessment.findings, 'AZ-KV-003', 'kv-export-01').status, 'pass');
  });
});

describe('related resources an export leaves out', () => {
  it('are unknown, not failed: a storage account without its blobServices in a Graph export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-live-related-'));
    try {
      const file = join(dir, 'graph.json');
      writeFileSync(
        file,
        JSON.stringify(
          [
            {
              id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlive',
              name: 'stlive',
              type: 'microsoft.storage/storageaccounts',
              location: 'australiaeast',
              subscriptionId: '00000000-0000-0000-0000-000000000001',
              resourceGroup: 'rg',
              kind: 'StorageV2',
              sku: { name: 'Standard_GRS' },
              properties: { supportsHttpsTrafficOnly: true },
            },
          ],
          null,
          2,
        ),
      );
      const { assessment } = await scanAzure([file], { root: dir, now: '2026-01-01T00:00:00Z' });
      const soft = assessment.findings.filter((f) => f.checkId === 'AZ-STORAGE-007');
      assert.equal(soft.length, 1);
      assert.equal(soft[0]?.status, 'unknown');
      assert.match(soft[0]?.message ?? '', /may leave out its children/);
      assert.equal(soft[0]?.location.line, 2, 'at the row');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
