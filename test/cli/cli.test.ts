import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin', 'assay.js');
const work = mkdtempSync(join(tmpdir(), 'assay-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The real binary, end to end: kept for the help, the version and one scan. */
function spawnAssay(args: string[], cwd = repo) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same CLI in this process (no tsx start-up per run). */
async function assay(args: string[], cwd = repo) {
  const { code, out, err } = await runCli(args, { cwd });
  return { code, stdout: out, stderr: err };
}

describe('the assay binary', () => {
  it('prints its usage and version', () => {
    const help = spawnAssay(['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: assay/);
    assert.match(help.stdout, /\bscan\b/);
    const version = spawnAssay(['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version);
  });
});

describe('assay scan', () => {
  it('scans the bundled example, prints findings with line:col under their file and exits 1', () => {
    const { code, stdout } = spawnAssay(['scan', 'examples/azure']);
    assert.equal(code, 1);
    assert.match(
      stdout,
      /examples\/azure\/landing-zone\/azuredeploy\.json\n(?: {2}.*\n)*? {2}\d+:\d+\s+HIGH\s+AZ-STORAGE-001/,
    );
    assert.ok(!stdout.includes('\u001b['), 'NO_COLOR output has no ANSI escapes');
  });

  it('exits 0 when nothing fails at or above --fail-on', async () => {
    const { code } = await assay(['scan', 'examples/azure', '--fail-on', 'none']);
    assert.equal(code, 0);
  });

  it('writes several reports in one run', async () => {
    const sarif = join(work, 'out.sarif');
    const junit = join(work, 'out.xml');
    const { code, stdout } = await assay([
      'scan',
      'examples/azure',
      '-f',
      'json',
      '--report',
      `sarif=${sarif}`,
      '--report',
      `junit=${junit}`,
    ]);
    assert.equal(code, 1);
    const assessment = JSON.parse(stdout);
    assert.equal(assessment.schemaVersion, 1);
    assert.ok(assessment.findings.length > 0);
    assert.equal(JSON.parse(readFileSync(sarif, 'utf8')).version, '2.1.0');
    assert.match(readFileSync(junit, 'utf8'), /^<\?xml/);
  });

  it('names a non-template JSON file given explicitly, and still scans the rest', async () => {
    const { code, stdout } = await assay(['scan', 'examples/azure', 'package.json', '--fail-on', 'none']);
    assert.equal(code, 1, 'an input that could not be assessed fails the run');
    assert.match(stdout, /package\.json/);
    assert.match(stdout, /not an ARM deployment template/);
    assert.match(stdout, /AZ-STORAGE-001/);
  });

  it('exits 2 when there is nothing to scan', async () => {
    const { code, stderr } = await assay(['scan', join(work, 'does-not-exist')]);
    assert.equal(code, 2);
    assert.match(stderr, /no ARM deployment templates found/);
  });

  it('exits 2 on a check pattern that matches nothing', async () => {
    const { code, stderr } = await assay(['scan', 'examples/azure', '--checks', 'AZ-NOPE-*']);
    assert.equal(code, 2);
    assert.match(stderr, /no check matches 'AZ-NOPE-\*'/);
  });

  it('refuses residency checks alone without a boundary', async () => {
    const { code, stderr } = await assay(['scan', 'examples/azure', '--checks', 'AZ-RES-*']);
    assert.equal(code, 2);
    assert.match(stderr, /need a sovereign boundary/);
  });

  it('runs only the selected checks', async () => {
    const { stdout } = await assay(['scan', 'examples/azure', '-f', 'json', '--checks', 'AZ-STORAGE-*']);
    const ids = new Set(JSON.parse(stdout).findings.map((f: { checkId: string }) => f.checkId));
    assert.ok(ids.size > 0);
    for (const id of ids) assert.match(String(id), /^AZ-STORAGE-/);
  });

  it('reads assay.config.yaml and reports a bad setting with file and line', async () => {
    const dir = mkdtempSync(join(work, 'cfg-'));
    writeFileSync(join(dir, 'assay.config.yaml'), 'scan:\n  failOn: sometimes\n');
    const { code, stderr } = await assay(['scan', join(repo, 'examples/azure')], dir);
    assert.equal(code, 2);
    assert.match(stderr, /assay\.config\.yaml:2:\d+: scan\.failOn/);
  });

  it('applies -p overrides with the declared type', async () => {
    const { stdout } = await assay([
      'scan',
      'examples/azure/landing-zone',
      '-f',
      'json',
      '--checks',
      'AZ-STORAGE-001',
      '-p',
      'httpsOnly=true',
    ]);
    const findings = JSON.parse(stdout).findings as { status: string }[];
    assert.deepEqual(
      findings.map((f) => f.status),
      ['pass'],
    );
  });
});

describe('assay checks and explain', () => {
  it('lists every check as JSON with its metadata', async () => {
    const { code, stdout } = await assay(['checks', '--format', 'json']);
    assert.equal(code, 0);
    const checks = JSON.parse(stdout) as { id: string; controls: string[]; rationale: string }[];
    assert.ok(checks.length >= 60, `expected at least 60 checks, got ${checks.length}`);
    for (const c of checks) {
      assert.ok(c.controls.length > 0, `${c.id} evidences no control`);
      assert.ok(c.rationale.length > 20, `${c.id} has no rationale`);
    }
  });

  it('explains a check', async () => {
    const { code, stdout } = await assay(['explain', 'AZ-STORAGE-001']);
    assert.equal(code, 0);
    assert.match(stdout, /AZ-STORAGE-001/);
    assert.match(stdout, /ism-\d{4}/);
  });

  it('exits 2 for an unknown check', async () => {
    const { code, stderr } = await assay(['explain', 'AZ-NOPE-999']);
    assert.equal(code, 2);
    assert.match(stderr, /no check 'AZ-NOPE-999'/);
  });
});

describe('config file and report formats', () => {
  it('accepts every report format the CLI offers', async () => {
    const { FORMATS } = await import('../../src/report/index.ts');
    const { configSchema } = await import('../../src/cli/config.ts');
    for (const format of FORMATS) {
      assert.ok(configSchema.safeParse({ scan: { format } }).success, `config rejects format ${format}`);
    }
    assert.equal(configSchema.safeParse({ scan: { format: 'pdf' } }).success, false);
  });

  it('takes baselines, catalog and waivers from the config file', async () => {
    const dir = mkdtempSync(join(work, 'cfg-baseline-'));
    writeFileSync(
      join(dir, 'assay.config.yaml'),
      'scan:\n  baselines: [no-such-baseline]\nstore:\n  save: false\n',
    );
    const { code, stderr } = await assay(['scan', join(repo, 'examples/azure')], dir);
    assert.equal(code, 2);
    assert.match(stderr, /no-such-baseline/);
  });
});
