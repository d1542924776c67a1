/** `checks.options`: option values from the config bound into checks, and the errors that stop a run. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { withCheckOptions } from '../../src/cli/check-options.ts';
import { loadCheckPlugins, withSeverityOverrides } from '../../src/cli/check-plugins.ts';
import { ConfigError, loadConfig } from '../../src/cli/config.ts';
import { UsageError } from '../../src/cli/select-checks.ts';
import { checkSetDigest } from '../../src/core/run-scope.ts';
import { kpiChecks } from '../../src/readiness/checks.ts';
import { lineOf, scanTemplate, templateText } from '../helpers/arm.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-check-options-'));
after(() => rmSync(work, { recursive: true, force: true }));

function usage(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.match(e.message, pattern);
    return true;
  };
}

describe('withCheckOptions', () => {
  it('binds the values to the named check only and records them beside the defaults', () => {
    const configured = withCheckOptions(azureChecks, { 'AZ-LOG-001': { minRetentionDays: 730 } });
    assert.equal(configured.length, azureChecks.length);
    const log = configured.find((c) => c.meta.id === 'AZ-LOG-001')!;
    assert.notEqual(
      log,
      azureChecks.find((c) => c.meta.id === 'AZ-LOG-001'),
    );
    assert.deepEqual(log.meta.options, [
      { name: 'minRetentionDays', description: log.meta.options![0]!.description, default: 365, value: 730 },
    ]);
    const others = configured.filter((c) => c.meta.id !== 'AZ-LOG-001');
    assert.ok(others.every((c) => azureChecks.includes(c)));
  });

  it('changes nothing without options, and the check-set digest only for values away from the default', () => {
    assert.deepEqual(withCheckOptions(azureChecks, undefined), azureChecks);
    assert.deepEqual(withCheckOptions(azureChecks, {}), azureChecks);
    const digest = (cs: readonly { meta: Parameters<typeof checkSetDigest>[0][number] }[]) =>
      checkSetDigest(cs.map((c) => c.meta));
    const atDefault = withCheckOptions(azureChecks, { 'AZ-LOG-001': { minRetentionDays: 365 } });
    const changed = withCheckOptions(azureChecks, { 'AZ-LOG-001': { minRetentionDays: 730 } });
    assert.equal(digest(atDefault), digest(azureChecks));
    assert.notEqual(digest(changed), digest(azureChecks));
  });

  it('keeps a severity override whichever is applied first', () => {
    const options = { 'AZ-LOG-001': { minRetentionDays: 730 } };
    const a = withSeverityOverrides(withCheckOptions(azureChecks, options), { 'AZ-LOG-001': 'info' });
    const b = withCheckOptions(withSeverityOverrides(azureChecks, { 'AZ-LOG-001': 'info' }), options);
    for (const list of [a, b]) {
      const log = list.find((c) => c.meta.id === 'AZ-LOG-001')!;
      assert.deepEqual([log.meta.severity, log.meta.options?.[0]?.value], ['info', 730]);
    }
  });

  it('stops on an id that is no check', () => {
    assert.throws(
      () => withCheckOptions(azureChecks, { 'AZ-NOPE-001': { minRetentionDays: 1 } }),
      usage(/^checks\.options: no check 'AZ-NOPE-001'$/),
    );
  });

  it('stops on options for a check that declares none', () => {
    assert.throws(
      () => withCheckOptions(azureChecks, { 'AZ-LOG-002': { minRetentionDays: 1 } }),
      usage(/^checks\.options\.AZ-LOG-002: check 'AZ-LOG-002' takes no options$/),
    );
  });

  it('stops on an invalid value, naming the check and the option', () => {
    assert.throws(
      () => withCheckOptions(azureChecks, { 'AZ-LOG-001': { minRetentionDays: 0 } }),
      usage(/^checks\.options\.AZ-LOG-001\.minRetentionDays: .*>=\s*1/),
    );
    assert.throws(
      () => withCheckOptions(azureChecks, { 'AZ-AKS-011': { minSupportDays: 'a quarter' } }),
      usage(/^checks\.options\.AZ-AKS-011\.minSupportDays: .*number/),
    );
  });

  it('stops on an option name the check does not have, listing the ones it has', () => {
    assert.throws(
      () => withCheckOptions(azureChecks, { 'AZ-LOG-001': { minRetention: 730 } }),
      usage(
        /^checks\.options\.AZ-LOG-001: check 'AZ-LOG-001' has no option 'minRetention' \(options: minRetentionDays\)$/,
      ),
    );
  });

  it("validates, without applying, options of checks that exist but do not run (another domain's)", () => {
    const rdy = kpiChecks();
    const options = { 'AZ-LOG-001': { minRetentionDays: 730 } };
    assert.deepEqual(withCheckOptions(rdy, options, azureChecks), rdy);
    assert.throws(
      () => withCheckOptions(rdy, { 'AZ-LOG-001': { minRetentionDays: -5 } }, azureChecks),
      usage(/checks\.options\.AZ-LOG-001\.minRetentionDays/),
    );
    assert.throws(() => withCheckOptions(rdy, options), usage(/no check 'AZ-LOG-001'/));
  });
});

describe('options of a check plugin', () => {
  const plugin = join(repo, 'test/fixtures/plugins/acme-options.ts');

  async function run(options?: Record<string, unknown>) {
    const [check] = await loadCheckPlugins([plugin], undefined, azureChecks);
    const checks = withCheckOptions([check!], options ? { 'ACME-STORAGE-TAGS': options } : undefined);
    const text = templateText([
      {
        type: 'Microsoft.Storage/storageAccounts',
        apiVersion: '2023-01-01',
        name: 'stacme',
        location: 'australiaeast',
        kind: 'StorageV2',
        sku: { name: 'Standard_LRS' },
        tags: { owner: 'platform' },
        properties: {},
      },
    ]);
    const { findings } = await scanTemplate(text, { checks });
    return { text, findings: findings.filter((f) => f.checkId === 'ACME-STORAGE-TAGS') };
  }

  it('declares options with defineCheck from assay and runs with the values the config sets', async () => {
    const plain = await run();
    assert.deepEqual(
      plain.findings.map((f) => [f.status, f.location.line]),
      [['pass', lineOf(plain.text, '"tags"')]],
    );
    const strict = await run({ requiredTags: ['owner', 'costCentre'] });
    assert.deepEqual(
      strict.findings.map((f) => [f.status, f.location.line, f.message]),
      [['fail', lineOf(strict.text, '"tags"'), 'missing tags: costCentre']],
    );
    await assert.rejects(
      run({ requiredTags: [] }),
      usage(/^checks\.options\.ACME-STORAGE-TAGS\.requiredTags: /),
    );
  });

  it('refuses a plugin whose options declaration is malformed or whose defaults fail its schema', async () => {
    const meta =
      "meta: { id: 'ACME-X', title: 't', severity: 'low', rationale: 'r', remediation: 'm', subjectKind: 'azure-resource', subjectTypes: [], controls: [] }, run: () => []";
    const shapeless = join(work, 'shapeless.mjs');
    writeFileSync(shapeless, `export const checks = [{ ${meta}, options: { defaults: {} } }];\n`);
    await assert.rejects(
      loadCheckPlugins([shapeless], undefined, azureChecks),
      usage(/shapeless\.mjs, check 1: options must be \{ schema, defaults, descriptions, runWith \}/),
    );
    const bad = join(work, 'bad-defaults.mjs');
    writeFileSync(
      bad,
      `const schema = { safeParse: () => ({ success: false, error: { issues: [] } }) };\nexport const checks = [{ ${meta}, options: { schema, defaults: { n: 1 }, descriptions: {}, runWith: () => () => [] } }];\n`,
    );
    await assert.rejects(
      loadCheckPlugins([bad], undefined, azureChecks),
      usage(/bad-defaults\.mjs, check 1: options\.defaults do not pass options\.schema/),
    );
  });
});

describe('checks.options in assay.config.yaml', () => {
  it('reads option values by check id and refuses a value that is not a map of options', () => {
    const good = join(work, 'good.yaml');
    writeFileSync(good, 'checks:\n  options:\n    AZ-LOG-001:\n      minRetentionDays: 730\n');
    assert.deepEqual(loadConfig(good).config.checks?.options, { 'AZ-LOG-001': { minRetentionDays: 730 } });
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'checks:\n  options:\n    AZ-LOG-001: 730\n');
    assert.throws(
      () => loadConfig(bad),
      (e: unknown) =>
        e instanceof ConfigError && /bad\.yaml:3:17: checks\.options\.AZ-LOG-001: /.test(e.message),
    );
  });
});

describe('checks.options through the pipeline', () => {
  it('a config option decides the finding of `assay scan`, and a bad one stops it (exit 2)', async () => {
    const { main } = await import('../../src/cli/main.ts');
    const template = join(work, 'workspace.json');
    writeFileSync(
      template,
      JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.OperationalInsights/workspaces',
            apiVersion: '2022-10-01',
            name: 'logs',
            location: 'australiaeast',
            properties: { retentionInDays: 90 },
          },
        ],
      }),
    );
    const scan = async (config: string) => {
      const file = join(work, `pipeline-${config.length}.yaml`);
      writeFileSync(file, config);
      const out = join(work, `pipeline-${config.length}.json`);
      const exitCode = process.exitCode;
      const stderr = process.stderr.write.bind(process.stderr);
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        const code = await main([
          'scan',
          template,
          '-c',
          file,
          '--checks',
          'AZ-LOG-001',
          '--no-save',
          '-f',
          'json',
          '-o',
          out,
        ]);
        return { code, out };
      } finally {
        process.stderr.write = stderr;
        process.exitCode = exitCode;
      }
    };
    const status = (file: string) =>
      (JSON.parse(readFileSync(file, 'utf8')) as { findings: { status: string }[] }).findings[0]?.status;
    const byDefault = await scan('scan:\n  failOn: none\n');
    assert.equal(status(byDefault.out), 'fail', '90 days is under the default 365');
    const relaxed = await scan(
      'scan:\n  failOn: none\nchecks:\n  options:\n    AZ-LOG-001:\n      minRetentionDays: 90\n',
    );
    assert.equal(status(relaxed.out), 'pass');
    const bad = await scan('checks:\n  options:\n    AZ-LOG-001:\n      minRetentionDays: 0\n');
    assert.equal(bad.code, 2);
  });
});
