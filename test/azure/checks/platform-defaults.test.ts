import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { azureChecks } from '../../../src/azure/checks/index.ts';
import {
  CALIBRATION_DOC,
  effectiveDefault,
  PLATFORM_DEFAULTS,
} from '../../../src/azure/checks/platform-defaults.ts';
import { lineOf, runCheck, templateText } from '../../helpers/arm.ts';

/** One finding of a check on a template of `resources`, scanned on the day `now`. */
async function judge(checkId: string, resources: unknown[], now = '2026-12-05T00:00:00Z') {
  const text = templateText(resources);
  const findings = await runCheck(checkId, text, { now });
  assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
  return { finding: findings[0]!, text };
}

const storage = (apiVersion: string, properties: Record<string, unknown>) => ({
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion,
  name: 'stdata',
  location: 'australiaeast',
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  properties,
});
const namespace = (type: string, apiVersion: string, properties: Record<string, unknown>) => ({
  type,
  apiVersion,
  name: 'ns1',
  location: 'australiaeast',
  sku: { name: 'Standard' },
  properties,
});

describe('platform defaults: an unset property is judged by what Azure does for a new resource at the scan date', () => {
  it('storage TLS: unset passes after the platform-wide TLS 1.0/1.1 retirement, citing the policy and its source', async () => {
    const { finding, text } = await judge('AZ-STORAGE-002', [storage('2023-05-01', { accessTier: 'Hot' })]);
    assert.equal(finding.status, 'pass');
    assert.equal(finding.location.line, lineOf(text, '"properties"'));
    assert.match(finding.message, /2026-02-03/);
    assert.ok(finding.message.includes(CALIBRATION_DOC), finding.message);
    assert.equal(finding.evidence?.source, PLATFORM_DEFAULTS.storageMinimumTls.source);
  });

  it('storage TLS: unset fails in a scan dated before the retirement (documented default TLS 1.0)', async () => {
    const { finding } = await judge('AZ-STORAGE-002', [storage('2023-05-01', {})], '2025-06-01T00:00:00Z');
    assert.equal(finding.status, 'fail');
    assert.match(finding.message, /TLS 1\.0/);
  });

  it('storage TLS: an explicit TLS1_0 fails whatever the date', async () => {
    const { finding, text } = await judge('AZ-STORAGE-002', [
      storage('2023-05-01', { minimumTlsVersion: 'TLS1_0' }),
    ]);
    assert.equal(finding.status, 'fail');
    assert.equal(finding.location.line, lineOf(text, '"minimumTlsVersion"'));
  });

  it('blob public access: unset passes from API version 2023-01-01, is unknown before with the reason', async () => {
    const recent = await judge('AZ-STORAGE-003', [storage('2023-01-01', {})]);
    assert.equal(recent.finding.status, 'pass');
    const old = await judge('AZ-STORAGE-003', [storage('2021-09-01', {})]);
    assert.equal(old.finding.status, 'unknown');
    assert.match(old.finding.message, /2023/);
    assert.match(String(old.finding.evidence?.reason), /anonymous-read-access-prevent/);
  });

  it('Event Hubs and Service Bus TLS: unset passes on a new API version and fails on an old one', async () => {
    for (const [type, id] of [
      ['Microsoft.EventHub/namespaces', 'AZ-EH-002'],
      ['Microsoft.ServiceBus/namespaces', 'AZ-SB-002'],
    ] as const) {
      const recent = await judge(id, [namespace(type, '2024-01-01', {})]);
      assert.equal(recent.finding.status, 'pass', id);
      const old = await judge(id, [namespace(type, '2021-11-01', {})]);
      assert.equal(old.finding.status, 'fail', id);
      assert.match(old.finding.message, /TLS 1\.0/);
    }
  });

  it('SQL TLS: unset fails before 2025-08-31 and passes after; an explicit 1.0 fails', async () => {
    const server = (properties: Record<string, unknown>) => ({
      type: 'Microsoft.Sql/servers',
      apiVersion: '2022-05-01-preview',
      name: 'sql1',
      location: 'australiaeast',
      properties,
    });
    assert.equal((await judge('AZ-SQL-002', [server({})], '2025-01-01T00:00:00Z')).finding.status, 'fail');
    assert.equal((await judge('AZ-SQL-002', [server({})])).finding.status, 'pass');
    assert.equal((await judge('AZ-SQL-002', [server({ minimalTlsVersion: '1.0' })])).finding.status, 'fail');
  });

  it('every TLS-version and anonymous-access check cites the policy page', () => {
    const ids = [
      'AZ-STORAGE-002',
      'AZ-STORAGE-003',
      'AZ-STORAGE-010',
      'AZ-SQL-002',
      'AZ-COSMOS-004',
      'AZ-REDIS-002',
    ];
    ids.push('AZ-APP-002', 'AZ-APIM-001', 'AZ-APIM-002', 'AZ-ACR-003', 'AZ-EH-002', 'AZ-SB-002');
    ids.push('AZ-AGW-003', 'AZ-PG-006', 'AZ-MYSQL-005');
    for (const id of ids) {
      const check = azureChecks.find((c) => c.meta.id === id);
      assert.ok(check, id);
      assert.ok(check.meta.references?.includes(CALIBRATION_DOC), `${id} references ${CALIBRATION_DOC}`);
      assert.ok(check.meta.rationale.includes(CALIBRATION_DOC), `${id} rationale names ${CALIBRATION_DOC}`);
    }
  });

  it('effectiveDefault: a retirement date wins over the API version; a row without `before` applies to every API version', () => {
    const sql = PLATFORM_DEFAULTS.sqlMinimalTls;
    const after = effectiveDefault(sql, '2014-04-01', '2025-09-01');
    assert.ok('value' in after && after.value === '1.2');
    const before = effectiveDefault(sql, '2014-04-01', '2025-08-30');
    assert.ok('value' in before && before.value === 'None');
    const cosmos = effectiveDefault(PLATFORM_DEFAULTS.cosmosMinimalTls, '2015-04-08', '2024-01-01');
    assert.ok('value' in cosmos && cosmos.value === 'Tls12');
  });

  it('docs/calibration.md lists every row of the table with its source', () => {
    const page = readFileSync(new URL('../../../docs/calibration.md', import.meta.url), 'utf8');
    for (const [key, row] of Object.entries(PLATFORM_DEFAULTS)) {
      assert.ok(page.includes(`\`${row.resourceType}\``), `${key}: ${row.resourceType}`);
      assert.ok(page.includes(row.source), `${key}: ${row.source}`);
    }
  });

  it('every row names an https source and a checked date', () => {
    for (const [key, row] of Object.entries(PLATFORM_DEFAULTS)) {
      assert.match(row.source, /^https:\/\/learn\.microsoft\.com\//, key);
      assert.match(row.checked, /^\d{4}-\d{2}-\d{2}$/, key);
    }
  });
});
