import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../src/core/model.ts';
import type { RunSummary } from '../../src/store/store.ts';
import { assayHere as assay, copyExample, tempDir } from './helpers.ts';

/** Turns AZ-STORAGE-001 (HTTPS only) from fail to pass in the copied landing zone, and nothing else. */
function fixHttpsOnly(azure: string): void {
  const file = join(azure, 'landing-zone', 'azuredeploy.json');
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(
    `"supportsHttpsTrafficOnly": "[parameters('httpsOnly')]"`,
    '"supportsHttpsTrafficOnly": true',
  );
  assert.notEqual(fixed, text, 'the example still sets supportsHttpsTrafficOnly from a parameter');
  writeFileSync(file, fixed);
}

describe('acceptance: two saved scans with one fix between them', () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  const cwd = tmp.dir;

  before(async () => {
    const azure = copyExample(cwd);
    const first = await assay(['scan', 'azure', '--save', '--label', 'before'], cwd);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stderr, /saved as run 1\b/);
    fixHttpsOnly(azure);
    const second = await assay(['scan', 'azure', '--save'], cwd);
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /saved as run 2\b/);
  });

  it('assay diff lists exactly that fix', async () => {
    const { code, stdout, stderr } = await assay(['diff', '1', '2', '--format', 'json'], cwd);
    assert.equal(code, 0, stderr);
    const d = JSON.parse(stdout) as {
      counts: Record<string, number>;
      fixed: { before: Finding; after?: Finding; how: string }[];
      newFailures: unknown[];
      newlyUnknown: unknown[];
    };
    assert.equal(d.fixed.length, 1);
    assert.equal(d.fixed[0].before.checkId, 'AZ-STORAGE-001');
    assert.equal(d.fixed[0].before.subject.type, 'Microsoft.Storage/storageAccounts');
    assert.equal(d.fixed[0].how, 'passes');
    assert.equal(d.fixed[0].after?.status, 'pass');
    assert.deepEqual(d.newFailures, []);
    assert.deepEqual(d.newlyUnknown, []);
    assert.equal(d.counts.fixed, 1);

    const table = await assay(['diff'], cwd);
    assert.equal(table.code, 0);
    assert.match(
      table.stderr,
      /^assay: note: showing series azure scan of azure in .*; --any-series to mix$/m,
    );
    assert.match(
      table.stdout,
      /run 1 \(.*before\) -> run 2 .*: 0 new, 1 fixed, \d+ still failing, 0 newly unknown/,
    );
    assert.match(
      table.stdout,
      /fixed \(1\)\n\s+azure\/landing-zone\/azuredeploy\.json:\d+:\d+\s+HIGH\s+AZ-STORAGE-001\s+\S+\s+now passes/,
    );
    const md = await assay(['diff', 'previous', 'latest', '-f', 'markdown'], cwd);
    assert.match(md.stdout, /### Fixed \(1\)\n\n\| severity .*\n.*\n\| high \| AZ-STORAGE-001 \|/);
    assert.doesNotMatch(md.stdout, /### New failures/);
  });

  it('assay history shows both runs, newest first', async () => {
    const { code, stdout } = await assay(['history'], cwd);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0], /^root /);
    assert.match(
      lines[1],
      /RUN\s+DATE \(UTC\)\s+KIND\s+SUBJECTS\s+FINDINGS\s+FAIL\s+UNKNOWN\s+SCORE\s+BEFORE WAIVERS\s+LABEL/,
    );
    assert.match(lines[2], /^\s*2\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+azure scan\s+14\s+\d+\s+\d+\s+\d+\s+[\d.]+%/);
    assert.match(lines[3], /^\s*1\s.*before$/);
    const runs = JSON.parse((await assay(['history', '--format', 'json'], cwd)).stdout) as RunSummary[];
    assert.deepEqual(
      runs.map((r) => r.run),
      [2, 1],
    );
    assert.equal(runs[0].byStatus.fail, runs[1].byStatus.fail - 1);
    assert.ok((runs[0].score ?? 0) > (runs[1].score ?? 0));
    assert.deepEqual(
      (JSON.parse((await assay(['history', '-f', 'json', '--limit', '1'], cwd)).stdout) as RunSummary[]).map(
        (r) => r.run,
      ),
      [2],
    );
  });

  it('--fail-on-new fails only on new failures at or above the severity', async () => {
    assert.equal(
      (await assay(['diff', '1', '2', '--fail-on-new'], cwd)).code,
      0,
      'a fix is not a new failure',
    );
    // Backwards, the fix reads as a new high failure.
    const back = await assay(['diff', '2', '1', '--fail-on-new'], cwd);
    assert.equal(back.code, 1);
    assert.match(back.stdout, /new failures \(1\)/);
    assert.equal((await assay(['diff', '2', '1', '--fail-on-new', 'critical'], cwd)).code, 0);
    assert.equal((await assay(['diff', '2', '1', '--fail-on-new', 'high'], cwd)).code, 1);
    assert.equal((await assay(['diff', '2', '1'], cwd)).code, 0, 'without the flag diff only reports');
    const bad = await assay(['diff', '1', '2', '--fail-on-new', 'severe'], cwd);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fail-on-new expects one of critical/);
  });

  it('exits 2 naming an unknown run, and accepts -N references', async () => {
    const r = await assay(['diff', '1', '9'], cwd);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no run 9 in the store/);
    const rel = await assay(['diff', '-2', '-1', '-f', 'json'], cwd);
    assert.equal(rel.code, 0, rel.stderr);
    assert.equal(JSON.parse(rel.stdout).from.run, 1);
    assert.equal((await assay(['diff', 'latest~5', 'latest'], cwd)).code, 2);
  });

  it('assay trend prints the score over the runs with a sparkline', async () => {
    const { code, stdout } = await assay(['trend'], cwd);
    assert.equal(code, 0);
    assert.match(stdout, /^showing series azure scan of azure in .*; --any-series to mix$/m);
    const both = await assay(['trend', '--any-series', '--series-of', '1'], cwd);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give one of them/);
    assert.match(stdout, /^score\s+[▁-█]{2}\s+[\d.]+% -> [\d.]+% over 2 run\(s\)/);
    assert.match(
      stdout,
      /\n\s*1\s+\S+ \S+\s+[\d.]+%\s+█+░*\s+before\n\s*2\s+\S+ \S+\s+[\d.]+%\s+\+[\d.]+\s+█+/,
    );
    const json = JSON.parse((await assay(['trend', '-f', 'json'], cwd)).stdout);
    assert.deepEqual(
      json.points.map((p: { run: number }) => p.run),
      [1, 2],
    );
    const missing = await assay(['trend', '--baseline', 'ism-protected'], cwd);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no saved run has baseline 'ism-protected'/);
  });
});

describe('scan --save defaults and failures', () => {
  const tmp = tempDir();
  after(tmp.cleanup);

  it('saves by default when a project config is present, not otherwise; --no-save and --save override', async () => {
    const plain = join(tmp.dir, 'plain');
    copyExample(plain);
    const r1 = await assay(['scan', 'azure', '--fail-on', 'none'], plain);
    assert.equal(r1.code, 0);
    assert.doesNotMatch(r1.stderr, /saved as run/);
    assert.ok(!existsSync(join(plain, '.assay')), 'no config, no store');
    const r2 = await assay(
      ['scan', 'azure', '--fail-on', 'none', '--save', '--store', 'hist/runs.duckdb'],
      plain,
    );
    assert.match(r2.stderr, /saved as run 1 in hist\/runs\.duckdb/);

    const project = join(tmp.dir, 'project');
    copyExample(project);
    writeFileSync(join(project, 'assay.config.yaml'), 'scan:\n  paths: [azure]\n  failOn: none\n');
    const r3 = await assay(['scan'], project);
    assert.equal(r3.code, 0, r3.stderr);
    assert.match(r3.stderr, /saved as run 1 in \.assay\/assay\.duckdb/);
    assert.doesNotMatch((await assay(['scan', '--no-save'], project)).stderr, /saved as run/);
    assert.match((await assay(['scan'], project)).stderr, /saved as run 2/);
    writeFileSync(
      join(project, 'assay.config.yaml'),
      'scan:\n  paths: [azure]\n  failOn: none\nstore:\n  path: other.duckdb\n  save: true\n',
    );
    assert.match((await assay(['scan'], project)).stderr, /saved as run 1 in other\.duckdb/);
    assert.equal(
      JSON.parse((await assay(['history', '-f', 'json'], project)).stdout).length,
      1,
      'history reads config store.path',
    );
  });

  it('a scan whose save fails still writes its reports and exits 2 naming the store', async () => {
    const dir = join(tmp.dir, 'broken');
    copyExample(dir);
    writeFileSync(join(dir, 'junk.duckdb'), 'not a database\n'.repeat(100));
    const r = await assay(
      ['scan', 'azure', '--save', '--store', 'junk.duckdb', '-o', 'out.json', '-f', 'json'],
      dir,
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /junk\.duckdb is not a DuckDB database file.*the reports were written, the run was not saved/,
    );
    assert.ok(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).findings.length > 0);
  });

  it('history, diff and trend exit 2 when there is no store yet', async () => {
    for (const args of [['history'], ['diff'], ['trend']]) {
      const r = await assay(args, tmp.dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /no store at \.assay\/assay\.duckdb: save a run first/);
    }
  });
});
