/**
 * `assay drift` (issue 14 item 6): two ARM templates standing for the planned and the deployed
 * model; each drift kind with its status and line, the unknown cases, a matching model giving
 * passes, the security-property table held to the checks, and the command through `main()`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { compareModels, compareProperties } from '../../src/azure/drift/compare.ts';
import { type DriftResult, runDrift } from '../../src/azure/drift/run.ts';
import { SECURITY_PROPERTIES } from '../../src/azure/drift/security-properties.ts';
import { Unknown, type ValueObject } from '../../src/azure/expressions/value.ts';
import type { AzureResource } from '../../src/azure/resource.ts';
import type { Assessment, Finding } from '../../src/core/model.ts';
import { lineOf } from '../helpers/arm.ts';
import { runCli } from '../helpers/cli.ts';

const fixtures = fileURLToPath(new URL('../fixtures/drift/', import.meta.url));
const PLANNED = join(fixtures, 'planned.json');
const DEPLOYED = join(fixtures, 'deployed.json');
const plannedText = readFileSync(PLANNED, 'utf8');
const deployedText = readFileSync(DEPLOYED, 'utf8');
const NOW = '2026-01-01T00:00:00Z';

function find(findings: readonly Finding[], checkId: string, subject: string): Finding[] {
  return findings.filter(
    (f) => f.checkId === checkId && f.subject.id.toLowerCase().endsWith(subject.toLowerCase()),
  );
}

function one(findings: readonly Finding[], checkId: string, subject: string): Finding {
  const found = find(findings, checkId, subject);
  assert.equal(found.length, 1, `one ${checkId} finding on ${subject}: ${JSON.stringify(found)}`);
  return found[0] as Finding;
}

describe('assay drift: planned against deployed', () => {
  let result: DriftResult;
  let findings: Finding[];
  before(async () => {
    result = await runDrift([PLANNED], [DEPLOYED], { now: NOW, root: fixtures });
    findings = result.assessment.findings;
  });

  it('reads both sides and records both as inputs', () => {
    assert.equal(result.plannedInputs, 1);
    assert.equal(result.deployedInputs, 1);
    assert.deepEqual(
      result.assessment.inputs.map((i) => i.file),
      ['planned.json', 'deployed.json'],
    );
    assert.deepEqual(result.assessment.errors, []);
  });

  it('AZ-DRIFT-001 fails a planned resource absent from the deployed model, at its declaration', () => {
    const f = one(findings, 'AZ-DRIFT-001', '/publicIPAddresses/pip-gateway');
    assert.equal(f.status, 'fail');
    assert.equal(f.location.file, 'planned.json');
    assert.equal(f.location.line, lineOf(plannedText, '"type": "Microsoft.Network/publicIPAddresses"') - 1);
    assert.match(f.message, /planned but absent from the deployed model/);
  });

  it('AZ-DRIFT-002 fails a deployed resource the plan does not declare, at the deployed declaration', () => {
    const f = one(findings, 'AZ-DRIFT-002', '/storageAccounts/stmanual');
    assert.equal(f.status, 'fail');
    assert.equal(f.location.file, 'deployed.json');
    assert.equal(f.location.line, lineOf(deployedText, '"name": "stmanual"') - 3);
    assert.ok(f.subject.id.startsWith('deployed:'), f.subject.id);
  });

  it('AZ-DRIFT-003 fails a security property that differs, at the planned property', () => {
    const f = one(findings, 'AZ-DRIFT-003', '/storageAccounts/stdata');
    assert.equal(f.status, 'fail');
    assert.equal(f.location.file, 'planned.json');
    assert.equal(f.location.line, lineOf(plannedText, '"minimumTlsVersion"'));
    assert.deepEqual(
      { path: f.evidence?.path, planned: f.evidence?.planned, deployed: f.evidence?.deployed },
      { path: 'properties.minimumTlsVersion', planned: 'TLS1_2', deployed: 'TLS1_0' },
    );
  });

  it('compares child resources too (a blob service of the account)', () => {
    assert.equal(one(findings, 'AZ-DRIFT-001', '/blobServices/default').status, 'pass');
    const f = one(findings, 'AZ-DRIFT-003', '/blobServices/default');
    assert.equal(f.status, 'fail');
    assert.equal(f.evidence?.path, 'properties.deleteRetentionPolicy.enabled');
    assert.equal(f.location.line, lineOf(plannedText, '"deleteRetentionPolicy"'));
  });

  it('matches ids and compares enums without case; NSG rules compare as a set', () => {
    // STDATA in the deployed model is stdata; 'disabled' is 'Disabled'.
    assert.equal(one(findings, 'AZ-DRIFT-001', '/storageAccounts/stdata').status, 'pass');
    assert.equal(one(findings, 'AZ-DRIFT-002', '/storageAccounts/stdata').status, 'pass');
    assert.equal(one(findings, 'AZ-DRIFT-003', '/networkSecurityGroups/nsg-app').status, 'pass');
    assert.deepEqual(
      find(findings, 'AZ-DRIFT-003', '/vaults/kv-drift').map((f) => f.evidence?.path),
      ['properties.enableRbacAuthorization'],
    );
  });

  it('an Unknown planned value makes AZ-DRIFT-003 unknown with the reason, never pass or fail', () => {
    const f = one(findings, 'AZ-DRIFT-003', '/vaults/kv-drift');
    assert.equal(f.status, 'unknown');
    assert.equal(f.location.line, lineOf(plannedText, '"enableRbacAuthorization"'));
    assert.match(String(f.evidence?.reason), /parameter 'rbac' has no value/);
  });

  it('a planned resource with an unknown name is unknown, and so is the deployed one it may be', () => {
    const planned = one(findings, 'AZ-DRIFT-001', '/sites/{unknown}');
    assert.equal(planned.status, 'unknown');
    assert.equal(planned.location.line, lineOf(plannedText, '"type": "Microsoft.Web/sites"') - 1);
    assert.match(planned.message, /its name is unknown \(parameter 'appName'/);
    const deployed = one(findings, 'AZ-DRIFT-002', '/sites/app-live');
    assert.equal(deployed.status, 'unknown');
    assert.equal(deployed.location.file, 'deployed.json');
  });

  it('leaves out deployed resources in scopes the plan does not touch, with a note', () => {
    assert.deepEqual(find(findings, 'AZ-DRIFT-002', '/pip-other'), []);
    assert.equal(result.comparison.ignored.length, 1);
    const note = result.assessment.notes.find((n) =>
      /outside the scopes the plan deploys to/.test(n.message),
    );
    assert.ok(note, JSON.stringify(result.assessment.notes));
    assert.match(note.message, /^1 deployed resource\(s\)/);
    assert.match(note.message, /resourcegroups\/assay-rg/);
  });

  it('a deployed model that matches the plan gives passes only', async () => {
    const same = await runDrift([DEPLOYED], [DEPLOYED], { now: NOW, root: fixtures });
    const statuses = new Set(same.assessment.findings.map((f) => f.status));
    assert.deepEqual([...statuses], ['pass']);
    const ids = new Set(same.assessment.findings.map((f) => f.checkId));
    assert.deepEqual([...ids].sort(), ['AZ-DRIFT-001', 'AZ-DRIFT-002', 'AZ-DRIFT-003']);
    assert.equal(same.comparison.ignored.length, 0);
    assert.deepEqual(
      same.assessment.inputs.map((i) => i.file),
      ['deployed.json'],
    );
  });
});

/** A resource made by hand for the comparison. */
function resource(
  type: string,
  body: ValueObject,
  apiVersion = '2023-01-01',
  name: string | Unknown = 'r',
): AzureResource {
  const location = { file: 'x.json', line: 1, column: 1 };
  return {
    type,
    apiVersion,
    name,
    id: `/subscriptions/s/resourceGroups/rg/providers/${type}/${typeof name === 'string' ? name : '{unknown}'}`,
    body,
    deployments: [],
    file: 'x.json',
    location,
    locate: () => location,
  };
}

describe('compareModels', () => {
  const NSG = 'Microsoft.Network/networkSecurityGroups';

  it('a deployed resource with an unknown name leaves undecided the planned ones of its type in its scope', () => {
    const planned = resource(NSG, {}, '2023-09-01', 'nsg-a');
    const unnamed = resource(NSG, {}, '2023-09-01', new Unknown('name read from elsewhere'));
    const { items } = compareModels([planned], [unnamed]);
    assert.equal(items.length, 2);
    const [p, d] = items;
    assert.ok(p?.side === 'planned' && !p.deployed);
    assert.match(String(p.undecided), /unknown name \(name read from elsewhere\)/);
    assert.ok(d?.side === 'deployed');
    assert.match(String(d.undecided), /its name is unknown in the deployed model/);
  });

  it('ignores deployments on both sides', () => {
    const deployment = resource('Microsoft.Resources/deployments', {}, '2022-09-01', 'd');
    assert.deepEqual(compareModels([deployment], [deployment]).items, []);
  });
});

describe('compareProperties', () => {
  const KV = 'Microsoft.KeyVault/vaults';
  const status = (a: ValueObject, b: ValueObject, path: string, type = KV) =>
    compareProperties(resource(type, a), resource(type, b), NOW).find((r) => r.path === path);

  it('a value the plan sets that the deployed model lacks differs; one the plan leaves unset is unknown', () => {
    const set = { properties: { enablePurgeProtection: true } };
    assert.equal(status(set, { properties: {} }, 'properties.enablePurgeProtection')?.status, 'differs');
    const r = status({ properties: {} }, set, 'properties.enablePurgeProtection');
    assert.equal(r?.status, 'unknown');
    assert.match(String(r?.reason), /Azure default/);
  });

  it('an unset side with a recorded platform default is compared with that default at the run date', () => {
    // Before 2026-02-03 an unset storage minimumTlsVersion means TLS 1.0 (docs/calibration.md).
    const type = 'Microsoft.Storage/storageAccounts';
    const path = 'properties.minimumTlsVersion';
    const unset = { properties: {} };
    assert.equal(status({ properties: { minimumTlsVersion: 'tls1_0' } }, unset, path, type)?.status, 'same');
    const differs = status({ properties: { minimumTlsVersion: 'TLS1_2' } }, unset, path, type);
    assert.equal(differs?.status, 'differs');
    assert.match(String(differs?.reason), /unset in the deployed model, where .*TLS 1\.0/);
  });

  it('an Unknown deployed value, or one inside an array, is unknown', () => {
    const u = new Unknown('read from the live resource');
    assert.equal(
      status(
        { properties: { enableSoftDelete: true } },
        { properties: { enableSoftDelete: u } },
        'properties.enableSoftDelete',
      )?.status,
      'unknown',
    );
    const NSG = 'Microsoft.Network/networkSecurityGroups';
    const r = status(
      { properties: { securityRules: [{ name: 'a' }] } },
      { properties: { securityRules: [{ name: u }] } },
      'properties.securityRules',
      NSG,
    );
    assert.equal(r?.status, 'unknown');
    assert.match(String(r?.reason), /read from the live resource/);
  });
});

describe('the security-relevant property table', () => {
  const checksDir = fileURLToPath(new URL('../../src/azure/checks/', import.meta.url));
  const sources = readdirSync(checksDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(checksDir, f), 'utf8'));
  const byId = new Map(azureChecks.map((c) => [c.meta.id, c.meta]));

  it('covers storage, key vault, SQL, web apps, NSGs and public IPs', () => {
    for (const type of [
      'Microsoft.Storage/storageAccounts',
      'Microsoft.KeyVault/vaults',
      'Microsoft.Sql/servers',
      'Microsoft.Web/sites',
      'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/publicIPAddresses',
    ])
      assert.ok((SECURITY_PROPERTIES[type] ?? []).length > 0, type);
  });

  it('names for every path checks that exist, read the type (or its parent) and read the property', () => {
    for (const [type, properties] of Object.entries(SECURITY_PROPERTIES))
      for (const { path, checks } of properties) {
        assert.ok(checks.length > 0, `${type} ${path}: no check`);
        for (const id of checks) {
          const meta = byId.get(id);
          assert.ok(meta, `${type} ${path}: ${id} is not a check`);
          const types = meta.subjectTypes.map((t) => t.toLowerCase());
          const lower = type.toLowerCase();
          assert.ok(
            types.some((t) => lower === t || lower.startsWith(`${t}/`)),
            `${id} does not read ${type}`,
          );
          const file = sources.find((s) => s.includes(`id: '${id}'`));
          const leaf = path.split('.').at(-1) as string;
          assert.ok(file?.includes(leaf), `${id}'s file does not read ${leaf}`);
        }
      }
  });
});

describe('assay drift through main()', () => {
  const work = mkdtempSync(join(tmpdir(), 'assay-drift-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  /** `assay drift` with JSON to a file, not saved; the findings read back. */
  async function drift(planned: string, deployed: string, out: string, ...extra: string[]) {
    const argv = ['drift', '--planned', planned, '--deployed', deployed, '--now', NOW];
    const r = await runCli([...argv, '-f', 'json', '-o', out, '--no-save', ...extra]);
    return { ...r, read: () => JSON.parse(readFileSync(out, 'utf8')) as Assessment };
  }

  it('writes the assessment as JSON and fails the gate on drift', async () => {
    const r = await drift(PLANNED, DEPLOYED, join(work, 'drift.json'));
    assert.equal(r.code, 1, r.err);
    const a = r.read();
    assert.equal(a.scope?.kind, 'drift');
    assert.deepEqual(
      a.checks.map((c) => c.id),
      ['AZ-DRIFT-001', 'AZ-DRIFT-002', 'AZ-DRIFT-003'],
    );
    const failed = a.findings.filter((f) => f.status === 'fail').map((f) => f.checkId);
    assert.deepEqual([...new Set(failed)].sort(), ['AZ-DRIFT-001', 'AZ-DRIFT-002', 'AZ-DRIFT-003']);
    assert.ok(a.findings.some((f) => f.status === 'unknown'));
  });

  it('exits 0 when the deployed model matches, and runs only the checks asked for', async () => {
    const r = await drift(DEPLOYED, DEPLOYED, join(work, 'same.json'), '--checks', 'AZ-DRIFT-003');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual([...new Set(r.read().findings.map((f) => f.checkId))], ['AZ-DRIFT-003']);
  });

  it('stops (exit 2) without a deployed model', async () => {
    const r = await drift(PLANNED, join(work, 'nothing'), join(work, 'none.json'));
    assert.equal(r.code, 2);
    assert.match(r.err, /no deployed model/);
  });
});
