/** Checks a project adds through its config, and severities it overrides, run end to end in `scan`. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ruleSetId } from '../../src/checks-catalog.ts';
import { runScan } from '../../src/cli/scan.ts';
import { UsageError } from '../../src/cli/select-checks.ts';
import type { Assessment } from '../../src/core/model.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const plugin = join(repo, 'test/fixtures/plugins/acme-checks.ts');
const work = mkdtempSync(join(tmpdir(), 'assay-plugins-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function scanWith(name: string, config: string): Promise<{ code: number; assessment: Assessment }> {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, config);
  const out = join(work, `${name}.json`);
  const code = await runScan([join(repo, 'examples/azure')], {
    config: file,
    format: 'json',
    output: out,
    save: false,
    progress: false,
    now: '2025-01-01T00:00:00Z',
  });
  return { code, assessment: JSON.parse(readFileSync(out, 'utf8')) as Assessment };
}

describe('check plugins from the config', () => {
  it("runs the plugin's check beside the built-in ones, with its own finding, line and control", async () => {
    const { assessment } = await scanWith('plugin', `checks:\n  plugins: [${JSON.stringify(plugin)}]\n`);
    const meta = assessment.checks.find((c) => c.id === 'ACME-STORAGE-OWNER');
    assert.deepEqual(meta?.controls, ['acme-1']);
    const findings = assessment.findings.filter((f) => f.checkId === 'ACME-STORAGE-OWNER');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].status, 'fail');
    assert.match(findings[0].location.file, /landing-zone\/azuredeploy\.json$/);
    assert.ok(
      assessment.findings.some((f) => f.checkId === 'AZ-STORAGE-001'),
      'built-in checks still run',
    );
  });

  it('applies a severity override to the findings of that check', async () => {
    const { assessment } = await scanWith('severity', 'checks:\n  severity:\n    AZ-NET-001: info\n');
    const net = assessment.findings.filter((f) => f.checkId === 'AZ-NET-001');
    assert.ok(net.length > 0);
    assert.ok(net.every((f) => f.severity === 'info'));
    assert.equal(assessment.checks.find((c) => c.id === 'AZ-NET-001')?.severity, 'info');
  });

  it('stops with a usage error naming the plugin when it is missing, malformed or clashes', async () => {
    await assert.rejects(scanWith('missing', 'checks:\n  plugins: [./nope.js]\n'), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /check plugin not found: \.\/nope\.js/);
      return true;
    });
    const bad = join(work, 'bad.mjs');
    writeFileSync(
      bad,
      "export const checks = [{ meta: { id: 'AZ-STORAGE-001', title: 't', severity: 'low', rationale: 'r', remediation: 'm', subjectKind: 'azure-resource', controls: [] }, run: () => [] }];\n",
    );
    await assert.rejects(
      scanWith('clash', `checks:\n  plugins: [${JSON.stringify(bad)}]\n`),
      /bad\.mjs, check 1: id AZ-STORAGE-001 is already taken \(built in\)/,
    );
    await assert.rejects(
      scanWith('unknown-id', 'checks:\n  severity:\n    NO-SUCH: low\n'),
      /checks\.severity names NO-SUCH/,
    );
  });
});

describe('a pinned rule set', () => {
  it("scans when the pin is this release's rule set and stops naming both ids when it is not", async () => {
    const id = ruleSetId();
    assert.match(id, /^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    const ok = await scanWith('pinned', `scan:\n  ruleSet: ${JSON.stringify(id)}\n`);
    assert.ok(ok.assessment.findings.length > 0);
    await assert.rejects(scanWith('stale', 'scan:\n  ruleSet: "0.0.1+000000000000"\n'), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.ok(
        e.message.includes(`this assay's rule set is ${id}, but scan.ruleSet pins 0.0.1+000000000000`),
      );
      return true;
    });
  });
});

describe('report format plugins from the config', () => {
  const formatPlugin = join(repo, 'test/fixtures/plugins/counts-format.ts');

  it('renders a user format as the main report and through --report, beside the built-in ones', async () => {
    const config = join(work, 'formats.yaml');
    writeFileSync(config, `formats:\n  plugins: [${JSON.stringify(formatPlugin)}]\n`);
    const main = join(work, 'counts.txt');
    const extra = join(work, 'counts-extra.txt');
    const json = join(work, 'formats.json');
    const code = await runScan([join(repo, 'examples/azure')], {
      config,
      format: 'counts',
      output: main,
      report: [`counts=${extra}`, `json=${json}`],
      save: false,
      progress: false,
      now: '2025-01-01T00:00:00Z',
    });
    assert.equal(code, 1, 'the example has failing findings');
    const a = JSON.parse(readFileSync(json, 'utf8')) as Assessment;
    const fails = a.findings.filter((f) => f.status === 'fail').length;
    assert.match(readFileSync(main, 'utf8'), new RegExp(`^fail ${fails}$`, 'm'));
    assert.equal(readFileSync(extra, 'utf8'), readFileSync(main, 'utf8'));
  });

  it('refuses a format name that is already taken, and an unknown format names the user ones', async () => {
    const clash = join(work, 'clash-format.mjs');
    writeFileSync(clash, "export const formats = [{ name: 'sarif', render: () => '' }];\n");
    const config = join(work, 'clash.yaml');
    writeFileSync(config, `formats:\n  plugins: [${JSON.stringify(clash)}]\n`);
    await assert.rejects(
      runScan([join(repo, 'examples/azure')], { config, save: false, progress: false }),
      /clash-format\.mjs, format 1: the format name sarif is already taken/,
    );
    const ok = join(work, 'ok.yaml');
    writeFileSync(ok, `formats:\n  plugins: [${JSON.stringify(formatPlugin)}]\n`);
    await assert.rejects(
      runScan([join(repo, 'examples/azure')], { config: ok, format: 'nope', save: false, progress: false }),
      /unknown format 'nope'; expected one of .*github, counts/,
    );
  });
});
