import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const examples = join(repo, 'examples', 'azure');
const fixtures = join(repo, 'test', 'fixtures', 'oscal');
const ismDir = join(repo, '..', 'shared', 'data', 'ism-oscal');
const ismCatalog = join(ismDir, 'ISM_catalog.json');
const ism = existsSync(ismCatalog);
if (!ism) console.log(`# skipping ISM-backed CLI tests: ${ismCatalog} is absent`);
const work = mkdtempSync(join(tmpdir(), 'assay-controls-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The CLI in this process (no tsx start-up per run), in the given working folder. */
async function assay(args: string[], cwd: string) {
  const { code, out, err } = await runCli(args, { cwd, env: { NO_COLOR: '1' } });
  return { code, stdout: out, stderr: err };
}

/** A fresh working folder: its own `.assay/` store, no config, no waiver file. */
function folder(): string {
  return mkdtempSync(join(work, 'cwd-'));
}

describe('assay scan --baseline', () => {
  it('acceptance: ISM PROTECTED as Markdown has 992 control rows and a coverage line', {
    skip: !ism && 'ISM data absent',
  }, async () => {
    const { code, stdout, stderr } = await assay(
      [
        'scan',
        examples,
        '--root',
        repo,
        '--catalog',
        ismCatalog,
        '--baseline',
        'ism-protected',
        '--format',
        'markdown',
        '--no-save',
      ],
      folder(),
    );
    assert.equal(code, 1, stderr);
    const rows = stdout.split('\n').filter((l) => /^\| ism-/.test(l));
    assert.equal(rows.length, 992);
    assert.equal(rows.filter((l) => /^\| ism-principle-/.test(l)).length, 34);
    assert.ok(rows.filter((l) => /^\| ism-principle-/.test(l)).every((l) => l.includes('| manual |')));
    assert.match(
      stdout,
      /\*\*Coverage:\*\* 992 controls; \d+ \([\d.]+%\) with an automated check; \d+ assessed: \d+ met, \d+ not met/,
    );
    assert.doesNotMatch(stderr, /hint:/);
  });

  it('assay baselines resolves the built-ins against the catalog: E8 ML1/2/3 = 46/87/123', {
    skip: !ism && 'ISM data absent',
  }, async () => {
    const { code, stdout } = await assay(['baselines', '--catalog', ismCatalog], folder());
    assert.equal(code, 0);
    assert.match(
      stdout,
      /e8-ml1 +Essential Eight Maturity Level One +\(essential-eight-applicability=ML1; 46 controls\)/,
    );
    assert.match(stdout, /e8-ml2 .*; 87 controls\)/);
    assert.match(stdout, /e8-ml3 .*; 123 controls\)/);
    assert.match(stdout, /ism-protected .*applicability=P; 992 controls\)/);
  });

  it('an unknown baseline name exits 2 and lists the valid ones', async () => {
    const { code, stderr, stdout } = await assay(
      ['scan', examples, '--baseline', 'ism-protectd', '--no-save'],
      folder(),
    );
    assert.equal(code, 2);
    assert.equal(stdout, '', 'nothing is scanned');
    assert.match(
      stderr,
      /assay: unknown baseline 'ism-protectd'; expected one of ism-non-classified, ism-official, ism-protected, ism-secret, ism-top-secret, e8-ml1, e8-ml2, e8-ml3, nzism, or the path of an OSCAL profile/,
    );
  });

  it('a malformed catalog or profile exits 2 naming the file and the JSON path', async () => {
    const badCatalog = await assay(
      [
        'scan',
        examples,
        '--catalog',
        join(fixtures, 'bad-catalog.json'),
        '--baseline',
        'ism-protected',
        '--no-save',
      ],
      folder(),
    );
    assert.equal(badCatalog.code, 2);
    assert.match(
      badCatalog.stderr,
      /bad-catalog\.json:10: \$\.catalog\.groups\[0\]\.controls\[1\]\.title: not a valid OSCAL catalog/,
    );
    const badProfile = await assay(
      ['scan', examples, '--baseline', join(fixtures, 'bad-profile.json'), '--no-save'],
      folder(),
    );
    assert.equal(badProfile.code, 2);
    assert.match(
      badProfile.stderr,
      /bad-profile\.json:7: \$\.profile\.imports\[1\]\.href: not a valid OSCAL profile/,
    );
  });

  it('without any catalog: the controls the checks cite, no statements, and one hint line', async () => {
    const { code, stdout, stderr } = await assay(
      ['scan', examples, '--baseline', 'ism-protected', '-f', 'json', '--no-save'],
      folder(),
    );
    assert.equal(code, 1);
    const hints = stderr.split('\n').filter((l) => l.includes('hint:'));
    assert.equal(hints.length, 1);
    assert.match(hints[0], /assay controls import/);
    const matrix = JSON.parse(stdout).compliance[0];
    assert.equal(matrix.baseline.name, 'ism-protected');
    assert.equal(matrix.catalog, undefined);
    assert.ok(matrix.controls.length > 10);
    assert.ok(
      matrix.controls.every(
        (c: { statement?: string; checks: string[] }) => c.statement === undefined && c.checks.length > 0,
      ),
    );
  });

  it('a profile file as the baseline, resolved against --catalog when its import is a URL', async () => {
    const { code, stdout } = await assay(
      [
        'scan',
        examples,
        '--baseline',
        join(fixtures, 'profile-url.json'),
        '--catalog',
        join(fixtures, 'catalog.json'),
        '-f',
        'csv',
        '--no-save',
      ],
      folder(),
    );
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split('\r\n');
    assert.equal(lines.length, 6, 'a header and the five controls of the catalog');
  });
});

describe('assay controls', () => {
  it('import, list, show, then scan with the imported catalog and no hint', async () => {
    const cwd = folder();
    const imported = await assay(['controls', 'import', join(fixtures, 'catalog.json')], cwd);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported 'ism': Tiny test catalog 2026\.1, 5 controls/);
    assert.ok(existsSync(join(cwd, '.assay', 'catalogs', 'index.json')));
    const nz = await assay(['controls', 'import', join(fixtures, 'nzism.xml')], cwd);
    assert.equal(nz.code, 0, nz.stderr);
    const list = await assay(['controls', 'list'], cwd);
    assert.match(list.stdout, /^ism +Tiny test catalog 2026\.1 +5 controls/m);
    assert.match(list.stdout, /^nzism +New Zealand Information Security Manual 3\.9 +3 controls/m);
    const show = await assay(['controls', 'show', 'ism-9002'], cwd);
    assert.equal(show.code, 0);
    assert.match(show.stdout, /Data at rest is encrypted:\n {2}a\. on servers/);
    assert.match(show.stdout, /No check evidences it\./);
    const nzShow = await assay(['controls', 'show', '13.6.6.C.01', '--catalog', 'nzism'], cwd);
    assert.match(nzShow.stdout, /nzism-4385: 13\.6\.6\.C\.01 Handling media during sanitisation/);
    const missing = await assay(['controls', 'show', 'ism-0000'], cwd);
    assert.equal(missing.code, 2);
    const scan = await assay(
      ['scan', examples, '--baseline', 'ism-protected', '-f', 'json', '--no-save'],
      cwd,
    );
    assert.doesNotMatch(scan.stderr, /hint:/);
    const matrix = JSON.parse(scan.stdout).compliance[0];
    assert.deepEqual(
      matrix.controls.map((c: { id: string }) => c.id),
      ['ism-principle-gov-01', 'ism-9001', 'ism-9002', 'ism-9003'],
    );
    assert.equal(matrix.catalog.title, 'Tiny test catalog');
  });

  it('controls show names the checks that evidence a control', {
    skip: !ism && 'ISM data absent',
  }, async () => {
    const { code, stdout } = await assay(['controls', 'show', 'ism-1139', '--catalog', ismCatalog], folder());
    assert.equal(code, 0);
    assert.match(stdout, /Only the latest version of TLS is used for TLS connections\./);
    assert.match(stdout, /AZ-STORAGE-002/);
  });

  it('explain shows the statements of the controls a check cites', {
    skip: !ism && 'ISM data absent',
  }, async () => {
    const { code, stdout } = await assay(['explain', 'AZ-STORAGE-002', '--catalog', ismCatalog], folder());
    assert.equal(code, 0);
    assert.match(
      stdout,
      /- `ism-1139` \(Configuring Transport Layer Security\): Only the latest version of TLS is used/,
    );
    assert.match(stdout, /Control statements: Information security manual .*CC BY 4\.0/);
  });

  it('importing a URL that cannot be reached is a clear error', async () => {
    const { code, stderr } = await assay(
      ['controls', 'import', 'http://127.0.0.1:9/ISM_catalog.json'],
      folder(),
    );
    assert.equal(code, 2);
    assert.match(
      stderr,
      /assay: http:\/\/127\.0\.0\.1:9\/ISM_catalog\.json: could not download: fetch failed/,
    );
  });
});

describe('waivers from the command line', () => {
  function waiverFile(cwd: string, expires: string): void {
    writeFileSync(
      join(cwd, 'assay.waivers.yaml'),
      [
        'waivers:',
        '  - id: W-STORAGE',
        '    check: AZ-STORAGE-001',
        '    subjects:',
        '      - name: dtast*',
        '    justification: Legacy SMB client; replaced in the next release.',
        '    approvedBy: CISO',
        '    created: 2025-06-01',
        `    expires: ${expires}`,
        '',
      ].join('\n'),
    );
  }

  it('assay.waivers.yaml in the working folder waives; the score before and after differ', async () => {
    const cwd = folder();
    waiverFile(cwd, '2026-06-30');
    const { stdout } = await assay(
      ['scan', examples, '-f', 'json', '--now', '2026-01-01T00:00:00Z', '--no-save'],
      cwd,
    );
    const a = JSON.parse(stdout);
    const waived = a.findings.filter((f: { status: string }) => f.status === 'waived');
    assert.equal(waived.length, 1);
    assert.equal(waived[0].checkId, 'AZ-STORAGE-001');
    assert.equal(waived[0].originalStatus, 'fail');
    assert.equal(waived[0].waiver.id, 'W-STORAGE');
    assert.ok(a.summary.score > a.summary.scoreBeforeWaivers);
    const table = await assay(['scan', examples, '--now', '2026-01-01T00:00:00Z', '--no-save'], cwd);
    assert.match(table.stdout, /Score: [\d.]+% \(before waivers: [\d.]+%\)/);
  });

  it('an expired waiver waives nothing and is a finding at its line in the waiver file', async () => {
    const cwd = folder();
    waiverFile(cwd, '2025-12-31');
    const { stdout } = await assay(
      ['scan', examples, '-f', 'json', '--now', '2026-01-01T00:00:00Z', '--no-save'],
      cwd,
    );
    const a = JSON.parse(stdout);
    assert.equal(a.findings.filter((f: { status: string }) => f.status === 'waived').length, 0);
    const expired = a.findings.find((f: { checkId: string }) => f.checkId === 'ASSAY-WAIVER-EXPIRED');
    assert.equal(expired.status, 'fail');
    assert.equal(expired.location.line, 2);
    assert.match(expired.location.file, /assay\.waivers\.yaml$/);
    assert.equal(a.expiredWaivers[0].id, 'W-STORAGE');
    assert.equal(a.summary.score, a.summary.scoreBeforeWaivers);
    assert.ok(
      a.checks.some((c: { id: string }) => c.id === 'ASSAY-WAIVER-EXPIRED'),
      'SARIF and docs know the rule',
    );
  });

  it('a broken waiver file stops the run with file:line', async () => {
    const cwd = folder();
    writeFileSync(join(cwd, 'w.yaml'), 'waivers:\n  - id: W-1\n    check: X\n');
    const { code, stderr } = await assay(['scan', examples, '--waivers', 'w.yaml', '--no-save'], cwd);
    assert.equal(code, 2);
    assert.match(stderr, /w\.yaml:2:\d+: waivers\.0\.justification/);
  });

  it('the POA&M lists the waiver as an accepted risk', async () => {
    const cwd = folder();
    waiverFile(cwd, '2026-06-30');
    const out = join(cwd, 'poam.json');
    await assay(
      ['scan', examples, '-f', 'oscal-poam', '-o', out, '--now', '2026-01-01T00:00:00Z', '--no-save'],
      cwd,
    );
    const poam = JSON.parse(readFileSync(out, 'utf8'))['plan-of-action-and-milestones'];
    const accepted = poam.risks.filter((r: { status: string }) => r.status === 'deviation-approved');
    assert.deepEqual(
      accepted.map((r: { title: string; deadline: string }) => [r.title, r.deadline]),
      [['Accepted risk W-STORAGE', '2026-06-30T23:59:59Z']],
    );
  });
});
