/** `assay innersource` end to end: formats, privacy flag, portal, catalog, store and exit codes. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { INNERSOURCE_MIGRATIONS } from '../../src/innersource/state.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import { runCli } from '../helpers/cli.ts';
import { commitDaily, initRepo, removeDir, tempDir } from './git.ts';

registerMigrations(INNERSOURCE_MIGRATIONS);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(repoRoot, 'test', 'innersource', 'fixtures');
const work = tempDir();
after(() => removeDir(work));

/** The CLI in this process (no tsx start-up per run). */
async function assay(args: string[], cwd = work) {
  const { code, out, err } = await runCli(args, { cwd, env: { NO_COLOR: '1', ASSAY_STORE_WAIT_MS: '2000' } });
  return { code, stdout: out, stderr: err };
}

const org = join(work, 'org');
const mappingFile = join(work, 'mapping.yaml');
const window = ['--since', '2024-01-01', '--until', '2024-06-30'];

before(async () => {
  initRepo(join(org, 'payments-api'));
  commitDaily(join(org, 'payments-api'), 'Alice Ng <alice@example.com>', '2024-02-01T09:00:00Z', 4);
  commitDaily(join(org, 'payments-api'), 'Carol Diaz <carol@partner.example>', '2024-03-01T09:00:00Z', 2);
  initRepo(join(org, 'ledger'));
  commitDaily(join(org, 'ledger'), 'Carol Diaz <carol@partner.example>', '2024-04-01T09:00:00Z', 3);
  writeFileSync(
    mappingFile,
    [
      'teams:',
      '  payments: [alice@example.com, "@alice-n", "@bob-j"]',
      '  platform: [carol@partner.example, "@carol-p", "@jnunez"]',
      'organisations:',
      '  example.com: Example Corp',
      '  partner.example: Partner Ltd',
      'repositories:',
      '  payments-api: payments',
      '  ledger: platform',
      '',
    ].join('\n'),
  );
});

describe('assay innersource scan', () => {
  it('writes the JSON report with metrics, roll-ups and the assessment, and no personal data', async () => {
    const { code, stdout, stderr } = await assay([
      'innersource',
      'scan',
      org,
      '--mapping',
      mappingFile,
      '--prs',
      join(fixtures, 'github'),
      ...window,
      '--format',
      'json',
      '--no-save',
    ]);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.repositories.map((r: { name: string }) => r.name),
      ['ledger', 'payments-api'],
    );
    const pay = report.repositories.find((r: { name: string }) => r.name === 'payments-api');
    assert.equal(pay.history.crossTeam.share, 0.3333);
    assert.equal(pay.responsiveness.firstResponse.medianHours, 12);
    assert.deepEqual(
      report.teams.map((t: { team: string; outboundCommits: number }) => [t.team, t.outboundCommits]),
      [
        ['payments', 0],
        ['platform', 2],
      ],
    );
    assert.equal(report.organisation.contributors, 2);
    assert.equal(report.assessment.domain, 'innersource');
    assert.doesNotMatch(stdout, /alice@example\.com|Alice Ng|Carol Diaz/);
  });

  it('prints the table, and per-person figures only with --people', async () => {
    const plain = await assay(['innersource', 'scan', org, '--mapping', mappingFile, ...window, '--no-save']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /InnerSource health, window 2024-01-01 \.\. 2024-06-30/);
    assert.match(plain.stdout, /payments-api\s+payments\s+/);
    assert.match(plain.stdout, /IS-DOC-001/);
    assert.doesNotMatch(plain.stdout, /Alice Ng/);
    const people = await assay([
      'innersource',
      'scan',
      org,
      '--mapping',
      mappingFile,
      ...window,
      '--people',
      '--no-save',
    ]);
    assert.match(people.stdout, /People \(listed by name because --people was given; not a ranking\)/);
    assert.match(people.stdout, /payments-api\s+Alice Ng\s+payments\s+Example Corp\s+4/);
  });

  it('renders the findings in the assessment formats too (SARIF, markdown report file)', async () => {
    const md = join(work, 'out', 'innersource.md');
    const { code, stdout } = await assay([
      'innersource',
      'scan',
      org,
      ...window,
      '-f',
      'sarif',
      '--report',
      `markdown=${md}`,
      '--no-save',
    ]);
    assert.equal(code, 0);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'IS-DOC-001'));
    assert.match(readFileSync(md, 'utf8'), /^# InnerSource health/);
  });

  it('exits 1 with --fail-on when a finding fails at that severity', async () => {
    assert.equal(
      (await assay(['innersource', 'scan', org, ...window, '--fail-on', 'medium', '--no-save'])).code,
      1,
    );
  });

  it('saves runs, metrics and watermarks in the store: the second scan reads only new commits', async () => {
    const store = join(work, 'history.duckdb');
    const dir = join(work, 'single', 'svc');
    initRepo(dir);
    commitDaily(dir, 'Ann <ann@example.com>', '2024-01-01T00:00:00Z', 20);
    const scanSaving = ['innersource', 'scan', dir, ...window, '--save', '--store', store, '-f', 'json'];
    const first = await assay(scanSaving);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).repositories[0].scan.commitsRead, 20);
    assert.match(first.stderr, /saved as run 1/);
    commitDaily(dir, 'Ann <ann@example.com>', '2024-03-01T00:00:00Z', 10);
    const second = await assay(scanSaving);
    const scan = JSON.parse(second.stdout).repositories[0].scan;
    assert.deepEqual([scan.mode, scan.commitsRead, scan.totalCommits], ['incremental', 10, 30]);
    const history = await assay(['history', '--store', store, '--domain', 'innersource', '-f', 'json']);
    assert.equal(history.code, 0, history.stderr);
    assert.equal(JSON.parse(history.stdout).length, 2);
    const store2 = await openStore(store, { readOnly: true });
    try {
      const rows = await store2.all<{ run: number; commits: number; contributors: number }>(
        'SELECT run, commits, active_contributors AS contributors FROM innersource_repository_metrics ORDER BY run',
      );
      assert.deepEqual(
        rows.map((r) => [Number(r.run), Number(r.commits), Number(r.contributors)]),
        [
          [1, 20, 1],
          [2, 30, 1],
        ],
      );
    } finally {
      await store2.close();
    }
  });

  it('exits 2 with the file and line of a bad mapping file', async () => {
    const bad = join(work, 'bad-mapping.yaml');
    writeFileSync(bad, 'teams:\n  payments: [a@example.com]\nbogus: 1\n');
    const { code, stderr } = await assay(['innersource', 'scan', org, '--mapping', bad, '--no-save']);
    assert.equal(code, 2);
    assert.match(stderr, /bad-mapping\.yaml/);
    assert.match(stderr, /bogus/);
  });

  it('exits 2 when nothing could be scanned', async () => {
    const empty = join(work, 'nothing');
    initRepo(empty);
    const { code, stderr } = await assay(['innersource', 'scan', empty, '--no-save']);
    assert.equal(code, 2);
    assert.match(stderr, /no git repositories could be scanned/);
  });
});

describe('assay innersource portal', () => {
  it('writes a searchable HTML catalog ranked by activity score', async () => {
    const out = join(work, 'portal.html');
    const { code, stderr } = await assay([
      'innersource',
      'portal',
      org,
      '--mapping',
      mappingFile,
      ...window,
      '-o',
      out,
    ]);
    assert.equal(code, 0, stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<input id="q" type="search"/);
    assert.match(html, /payments-api/);
    assert.match(html, /<dt>Owning team<\/dt><dd>platform<\/dd>/);
  });

  it('writes JSON entries with the portal fields', async () => {
    const { code, stdout } = await assay([
      'innersource',
      'portal',
      org,
      '--mapping',
      mappingFile,
      ...window,
      '-f',
      'json',
    ]);
    assert.equal(code, 0);
    const portal = JSON.parse(stdout);
    const names = portal.projects.map((p: { name: string }) => p.name);
    assert.deepEqual([...names].sort(), ['ledger', 'payments-api']);
    const scores = portal.projects.map((p: { activityScore: number }) => p.activityScore);
    assert.deepEqual(
      scores,
      [...scores].sort((a: number, b: number) => b - a),
    );
    for (const key of [
      'name',
      'description',
      'owner',
      'activityScore',
      'languages',
      'contributionGuide',
      'health',
    ])
      assert.ok(key in portal.projects[0], key);
  });
});

describe('assay innersource catalog', () => {
  it('prints the OSCAL catalog', async () => {
    const { code, stdout } = await assay(['innersource', 'catalog']);
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout).catalog.metadata['oscal-version'], '1.1.2');
  });
});
