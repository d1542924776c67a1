/**
 * Every shared flag, run on every assessing command (issue 13): the same flag has the same
 * effect on `scan`, `tra`, `drift`, `innersource scan` and `readiness assess`. In-process through
 * `main()`; outputs go to files, stderr is captured, so the test runner's stdout is untouched.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { INNERSOURCE_MIGRATIONS } from '../../src/innersource/state.ts';
import { READINESS_MIGRATIONS } from '../../src/readiness/store.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import { runCli } from '../helpers/cli.ts';
import { commitDaily, initRepo, removeDir, tempDir } from '../innersource/git.ts';

registerMigrations(INNERSOURCE_MIGRATIONS);
registerMigrations(READINESS_MIGRATIONS);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = tempDir('assay-shared-');
after(() => removeDir(work));

interface Domain {
  name: string;
  /** The command and its inputs, without shared flags. */
  argv: string[];
  /** The config section that gives this command's shared defaults. */
  section: string;
}

const template = join(work, 'tpl', 'main.json');
/** The deployed model for `drift`: the planned template's good account only. */
const deployed = join(work, 'deployed', 'main.json');
const DOMAINS: Domain[] = [
  { name: 'scan', argv: ['scan', template, '--now', '2026-01-01T00:00:00Z'], section: 'scan' },
  { name: 'tra', argv: ['tra', template, '--now', '2026-01-01T00:00:00Z'], section: 'scan' },
  {
    name: 'drift',
    argv: ['drift', '--planned', template, '--deployed', deployed, '--now', '2026-01-01T00:00:00Z'],
    section: 'drift',
  },
  {
    name: 'innersource scan',
    argv: ['innersource', 'scan', join(work, 'org'), '--since', '2024-01-01', '--until', '2024-06-30'],
    section: 'innersource',
  },
  {
    name: 'readiness assess',
    argv: ['readiness', 'assess', join(repo, 'examples/readiness/framework.yaml'), '--now', '2025-06-02'],
    section: 'readiness',
  },
];

before(() => {
  // A storage account that fails its checks (public blob access, old TLS) beside one that passes.
  const storage = (name: string, good: boolean) => ({
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-01-01',
    name,
    location: 'australiaeast',
    sku: { name: 'Standard_GRS' },
    kind: 'StorageV2',
    properties: {
      supportsHttpsTrafficOnly: good,
      minimumTlsVersion: good ? 'TLS1_2' : 'TLS1_0',
      allowBlobPublicAccess: !good,
    },
  });
  const tpl = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [storage('weakstore', false), storage('goodstore', true)],
  };
  mkdirSync(join(work, 'tpl'), { recursive: true });
  writeFileSync(template, JSON.stringify(tpl, null, 2));
  mkdirSync(join(work, 'deployed'), { recursive: true });
  writeFileSync(deployed, JSON.stringify({ ...tpl, resources: [storage('goodstore', true)] }, null, 2));
  initRepo(join(work, 'org', 'payments-api'));
  commitDaily(join(work, 'org', 'payments-api'), 'Alice Ng <alice@example.com>', '2024-02-01T09:00:00Z', 3);
});

interface Json {
  checks: { id: string }[];
  findings: { checkId: string; status: string }[];
  compliance?: { baseline: { name: string } }[];
  scope?: { kind: string; baselines: string[] };
  marking?: { text: string };
}

/** The assessment in a `--report json=` file (InnerSource's JSON document carries it inside). */
function readJson(file: string): Json {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json & { assessment?: Json };
  return doc.assessment ?? doc;
}

/** Fail-on levels are severities, except on the TRA, whose gate is a risk rating. */
const lowest = (domain: Domain) => (domain.name === 'tra' ? 'low' : 'info');

/** A failing check, a passing one and a third, from a plain run of the command (threat rules are not selectable). */
function pickChecks(a: Json): { fail: string; pass: string; other: string } {
  const statuses = new Map<string, Set<string>>();
  for (const f of a.findings) statuses.set(f.checkId, (statuses.get(f.checkId) ?? new Set()).add(f.status));
  const ids = [...statuses.keys()].filter((id) => !id.startsWith('AZ-TRA-'));
  const fail = ids.find((id) => statuses.get(id)?.has('fail'));
  const pass = ids.find((id) => id !== fail && statuses.get(id)?.has('pass'));
  const other = ids.find((id) => id !== fail && id !== pass);
  assert.ok(fail && pass && other, `need a failing, a passing and a third check among ${ids.join(', ')}`);
  return { fail, pass, other };
}

for (const domain of DOMAINS)
  describe(`shared flags on ${domain.name}`, () => {
    const dir = join(work, domain.name.replaceAll(' ', '-'));
    let picked: { fail: string; pass: string; other: string };

    before(async () => {
      const base = join(`${dir}-base.json`);
      const r = await runCli([
        ...domain.argv,
        '--report',
        `json=${base}`,
        '-o',
        `${dir}-base.txt`,
        '--no-save',
      ]);
      assert.ok(r.code === 0 || r.code === 1, r.err);
      picked = pickChecks(readJson(base));
    });

    it('--config, --waivers, --baseline, --format, --output, --report, --save, --store, --label, --quiet, --fail-on none', async () => {
      const config = `${dir}-config.yaml`;
      writeFileSync(config, `${domain.section}:\n  checks: [${picked.fail}, ${picked.pass}]\n`);
      const waivers = `${dir}-waivers.yaml`;
      writeFileSync(
        waivers,
        `waivers:\n  - id: W-1\n    check: ${picked.fail}\n    justification: accepted for the test\n    approvedBy: CISO\n    created: 2024-01-01\n    expires: 2099-12-31\n`,
      );
      const out = `${dir}-a.json`;
      const sarif = `${dir}-a.sarif`;
      const store = `${dir}-a.duckdb`;
      const r = await runCli([
        ...domain.argv,
        '--config',
        config,
        '--waivers',
        waivers,
        '--baseline',
        'ism-protected',
        '--format',
        'sarif',
        '--output',
        sarif,
        '--report',
        `json=${out}`,
        '--save',
        '--store',
        store,
        '--label',
        'week 1',
        '--quiet',
        '--fail-on',
        'none',
      ]);
      assert.equal(r.code, 0, r.err);
      const a = readJson(out);
      const ran = new Set(a.findings.map((f) => f.checkId));
      assert.ok(ran.has(picked.pass) && !ran.has(picked.other), `--config selects the checks: ${[...ran]}`);
      const failing = a.findings.filter((f) => f.checkId === picked.fail);
      assert.ok(
        failing.length > 0 && failing.every((f) => f.status !== 'fail'),
        '--waivers waives the failure',
      );
      assert.ok(failing.some((f) => f.status === 'waived'));
      assert.deepEqual(
        a.compliance?.map((m) => m.baseline.name),
        ['ism-protected'],
      );
      assert.deepEqual(a.scope?.baselines, ['ism-protected']);
      assert.equal((JSON.parse(readFileSync(sarif, 'utf8')) as { version: string }).version, '2.1.0');
      assert.doesNotMatch(r.err, /saved as run/, '--quiet hides notes');
      const s = await openStore(store, { readOnly: true });
      try {
        const runs = await s.listRuns({});
        assert.deepEqual(
          runs.map((x) => x.label),
          ['week 1'],
        );
      } finally {
        await s.close();
      }
    });

    it('--checks, --skip-checks, --verbose, --no-save, --fail-on', async () => {
      const store = `${dir}-b.duckdb`;
      const table = (extra: string[]) => [
        ...domain.argv,
        '--checks',
        `${picked.fail},${picked.pass}`,
        '--checks',
        picked.other,
        '--skip-checks',
        picked.other,
        '--no-save',
        '--store',
        store,
        ...extra,
      ];
      const gated = await runCli([
        ...table(['--report', `json=${dir}-b.json`, '-o', `${dir}-b.txt`]),
        '--fail-on',
        lowest(domain),
      ]);
      assert.equal(gated.code, 1, '--fail-on info: the failing check fails the run');
      const open = await runCli([...table(['-o', `${dir}-c.txt`]), '--fail-on', 'none']);
      assert.equal(open.code, 0, `--fail-on none: ${open.err}`);
      assert.equal(existsSync(store), false, '--no-save writes no store');
      const ran = new Set(
        readJson(`${dir}-b.json`)
          .findings.map((f) => f.checkId)
          .filter((id) => !id.startsWith('AZ-TRA-')),
      );
      assert.deepEqual([...ran].sort(), [picked.fail, picked.pass].sort());

      const tableRun = (file: string, extra: string[] = []) =>
        runCli([
          ...domain.argv,
          '--checks',
          picked.pass,
          '--no-save',
          '--fail-on',
          'none',
          '-f',
          'table',
          '-o',
          file,
          ...extra,
        ]);
      const quiet = await tableRun(`${dir}-t.txt`);
      const loud = await tableRun(`${dir}-v.txt`, ['--verbose']);
      assert.equal(quiet.code, 0, `plain table: ${quiet.err}`);
      assert.equal(loud.code, 0, `verbose table: ${loud.err}`);
      const plain = readFileSync(`${dir}-t.txt`, 'utf8');
      const verbose = readFileSync(`${dir}-v.txt`, 'utf8');
      assert.ok(verbose.length > plain.length, '--verbose lists the passing findings');
      assert.ok(verbose.includes(picked.pass));
    });

    it('--push sends the assessment; --push-required exits 2 when the push fails', async () => {
      const bodies: string[] = [];
      let status = 201;
      const fake = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString('utf8');
        });
        req.on('end', () => {
          bodies.push(body);
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify(status === 201 ? { project: 'p', run: 1, duplicate: false } : { error: 'down' }),
          );
        });
      });
      await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/`;
      const env = { ASSAY_TOKEN: `assay_${'1'.repeat(16)}_${'b'.repeat(43)}`, ASSAY_PUSH_BACKOFF_MS: '1' };
      const argv = [...domain.argv, '--no-save', '--fail-on', 'none', '-o', `${dir}-push.txt`, '--push', url];
      try {
        const pushed = await runCli([...argv, '--push-required'], { env });
        assert.equal(pushed.code, 0, pushed.err);
        assert.match(pushed.err, /pushed as run 1 of project p/);
        assert.equal((JSON.parse(bodies[0]) as { schemaVersion: number }).schemaVersion, 1);
        status = 503;
        const failed = await runCli([...argv, '--push-required'], { env });
        assert.equal(failed.code, 2, failed.err);
        const warned = await runCli(argv, { env });
        assert.equal(warned.code, 0, warned.err);
        assert.match(warned.err, /push to .* failed/);
      } finally {
        fake.close();
      }
    });

    it('--rule-set and --catalog stop the run before any work (exit 2)', async () => {
      const pinned = await runCli([...domain.argv, '--rule-set', '0.0.1+000000000000', '--no-save']);
      assert.equal(pinned.code, 2);
      assert.match(pinned.err, /--rule-set pins 0\.0\.1\+000000000000/);
      const catalog = await runCli([
        ...domain.argv,
        '--baseline',
        'ism-protected',
        '--catalog',
        join(work, 'no-such-catalog.json'),
        '--no-save',
      ]);
      assert.equal(catalog.code, 2);
      assert.match(catalog.err, /no-such-catalog/);
    });

    it('--classification, --caveat, --marking-imm and config report.classification mark every output', async () => {
      const json = `${dir}-m.json`;
      const md = `${dir}-m.md`;
      const ar = `${dir}-m-ar.json`;
      const r = await runCli([
        ...domain.argv,
        '--classification',
        'official:sensitive',
        '--caveat',
        'AUSTEO',
        '--marking-imm',
        'legal privilege',
        '--report',
        `json=${json}`,
        '--report',
        `markdown=${md}`,
        '--report',
        `oscal-ar=${ar}`,
        '-o',
        `${dir}-m.txt`,
        '--no-save',
        '--fail-on',
        'none',
      ]);
      assert.equal(r.code, 0, r.err);
      const text = 'OFFICIAL: Sensitive // AUSTEO // Legal-Privilege';
      assert.equal(readJson(json).marking?.text, text);
      const lines = readFileSync(md, 'utf8').trim().split('\n');
      const line = `<p align="center"><strong>${text}</strong></p>`;
      assert.equal(lines[0], line);
      assert.equal(lines[lines.length - 1], line);
      const props = (
        JSON.parse(readFileSync(ar, 'utf8')) as {
          'assessment-results': { metadata: { props: { name: string; value: string }[] } };
        }
      )['assessment-results'].metadata.props;
      assert.ok(props.some((p) => p.name === 'marking' && p.value === text));

      // The config gives the default; free text is kept with a notice.
      const config = `${dir}-m.yaml`;
      writeFileSync(config, 'report:\n  classification: Draft for Cabinet\n');
      const fromConfig = `${dir}-m2.json`;
      const c = await runCli([
        ...domain.argv,
        '--config',
        config,
        '--report',
        `json=${fromConfig}`,
        '-o',
        `${dir}-m2.txt`,
        '--no-save',
        '--fail-on',
        'none',
      ]);
      assert.equal(c.code, 0, c.err);
      assert.equal(readJson(fromConfig).marking?.text, 'Draft for Cabinet');
      assert.match(c.err, /classification 'Draft for Cabinet' is not a PSPF or NZ PSR classification/);
    });
  });
