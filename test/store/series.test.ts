/**
 * Runs know what they are: kind, scope and check set. `diff` and `trend` stay within one
 * series unless told otherwise, and a change of check set is shown as such. The fixture is a
 * store written by the release before runs recorded their series (5 runs: two scans of one
 * folder, the second with --boundary au; a TRA; a readiness assessment; an InnerSource scan).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { resolveRuns } from '../../src/cli/diff.ts';
import { UsageError } from '../../src/cli/select-checks.ts';
import { buildTrend, renderTrend } from '../../src/cli/trend.ts';
import type { Assessment } from '../../src/core/model.ts';
import { checkSetDigest, runScope, scopeOf, seriesKey } from '../../src/core/run-scope.ts';
import { seriesSummaries } from '../../src/server/series-view.ts';
import { checkSetChanged, diffAssessments } from '../../src/store/diff.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { resolveRunPair } from '../../src/store/runs.ts';
import type { RunSummary, SqlStore } from '../../src/store/store.ts';
import { describeStoreContract, type StoreBackend } from '../helpers/store-contract.ts';
import { exampleAssessment, tempDir } from './helpers.ts';

const tmp = tempDir();
after(tmp.cleanup);

let store: SqlStore;
let runs: RunSummary[];
before(async () => {
  const file = join(tmp.dir, 'old', 'assay.duckdb');
  mkdirSync(join(tmp.dir, 'old'), { recursive: true });
  writeFileSync(file, gunzipSync(readFileSync(new URL('./fixtures/store-v1.duckdb.gz', import.meta.url))));
  store = await openStore(file);
  runs = await store.listRuns();
});
after(async () => store?.close());

describe('a store from the previous release', () => {
  it('migrates with every run kept, each given its kind and series', async () => {
    assert.deepEqual(
      runs.map((r) => [r.run, r.domain, r.kind]),
      [
        [5, 'innersource', 'innersource'],
        [4, 'readiness', 'readiness'],
        [3, 'azure', 'tra'],
        [2, 'azure', 'scan'],
        [1, 'azure', 'scan'],
      ],
    );
    for (const r of runs)
      assert.ok((await store.getAssessment(r.run))?.findings.length, `run ${r.run} reads back`);
    const byRun = new Map(runs.map((r) => [r.run, r]));
    assert.equal(byRun.get(1)?.series, byRun.get(2)?.series, 'two scans of one folder are one series');
    assert.notEqual(byRun.get(2)?.series, byRun.get(3)?.series, 'a TRA is not a scan');
    assert.notEqual(byRun.get(1)?.checkSet, byRun.get(2)?.checkSet, '--boundary added checks');
    const applied = await store.all<{ version: number }>(
      "SELECT version FROM schema_migrations WHERE domain = 'core' ORDER BY version",
    );
    assert.deepEqual(
      applied.map((r) => r.version),
      [1, 2, 3, 4],
    );
  });
});

/** The fixture's runs saved in order into a new store of `backend`, as a contract test reads them. */
function fixtureCopy(backend: StoreBackend): { store: () => SqlStore; runs: () => RunSummary[] } {
  let copy: SqlStore;
  let copied: RunSummary[];
  before(async () => {
    copy = await backend.open(await backend.fresh());
    for (const r of [...runs].reverse()) {
      const a = await store.getAssessment(r.run);
      assert.ok(a);
      await copy.saveAssessment(a, r.label !== undefined ? { label: r.label } : {});
    }
    copied = await copy.listRuns();
  });
  after(async () => copy?.close());
  return { store: () => copy, runs: () => copied };
}

describeStoreContract('the store lists series without listing runs', (backend) => {
  const fixture = fixtureCopy(backend);

  it('keeps the runs, kinds and series of the fixture', () => {
    assert.deepEqual(
      fixture.runs().map((r) => [r.run, r.kind, r.series, r.checkSet]),
      runs.map((r) => [r.run, r.kind, r.series, r.checkSet]),
    );
  });

  it('counts each series, newest first, as its runs give them, and filters by domain', async () => {
    const store = fixture.store();
    const runs = fixture.runs();
    const all = await store.listSeries();
    assert.deepEqual(all, seriesSummaries(runs));
    assert.deepEqual(
      all.map((s) => [s.kind, s.runs, s.newestRun]),
      [
        ['innersource', 1, 5],
        ['readiness', 1, 4],
        ['tra', 1, 3],
        ['scan', 2, 2],
      ],
    );
    assert.equal(all[3].newestAt, runs[3].finishedAt);
    assert.deepEqual(await store.listSeries({ domain: 'azure' }), seriesSummaries(runs.slice(2)));
    assert.deepEqual(await store.listSeries({ domain: 'nothing' }), []);
  });

  it('lists the runs of one series with a limit', async () => {
    const store = fixture.store();
    const scans = fixture.runs()[3].series;
    assert.deepEqual(
      (await store.listRuns({ series: scans })).map((r) => r.run),
      [2, 1],
    );
    assert.deepEqual(
      (await store.listRuns({ series: scans, limit: 1 })).map((r) => r.run),
      [2],
    );
  });

  it('refuses by default to diff the latest run with a run of another domain', async () => {
    await assert.rejects(resolveRuns(fixture.store(), ['previous', 'latest'], undefined), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.match(err.message, /only 1 run\(s\) .*series of run 5 \(innersource/);
      assert.match(err.message, /--any-series/);
      return true;
    });
  });

  it('lists findings of added checks apart instead of counting them as new or fixed', async () => {
    const store = fixture.store();
    const [a, b] = await Promise.all([store.getAssessment(1), store.getAssessment(2)]);
    assert.ok(a && b);
    const d = diffAssessments(a, b);
    assert.ok(checkSetChanged(d.checkSetChange));
    assert.ok(d.checkSetChange.added.length > 0);
    assert.ok(d.checkSetChange.findings.length > 0);
    const added = new Set(d.checkSetChange.added);
    for (const list of [d.newFailures, d.fixed, d.stillFailing, d.newlyUnknown])
      for (const item of list) assert.ok(!added.has((item.after ?? item.before)!.checkId));
  });
});

describe('diff stays within one series', () => {
  it('counts previous back from the later run within its series', () => {
    const pair = resolveRunPair(runs, 'previous', '2', false);
    assert.ok('a' in pair);
    assert.equal(pair.a.run, 1);
    assert.equal(pair.b.run, 2);
  });

  it('names the other series when a run number belongs to one, and --any-series allows it', () => {
    const refused = resolveRunPair(runs, '3', '2', false);
    assert.ok('error' in refused);
    assert.match(refused.error, /run 3 is of another series \(azure tra of .*\) than run 2 \(azure scan of /);
    const allowed = resolveRunPair(runs, '3', '2', true);
    assert.ok('a' in allowed && allowed.a.run === 3);
  });
});

describe('trend shows a change of check set as such', () => {
  it('marks the run where the rules changed and does not show it as an improvement', () => {
    const scans = runs.filter((r) => r.kind === 'scan');
    const trend = buildTrend(scans);
    assert.deepEqual(
      trend.points.map((p) => [p.run, p.checkSetChanged === true]),
      [
        [1, false],
        [2, true],
      ],
    );
    const text = renderTrend({ ...trend, series: scans[0].series });
    assert.match(text, /showing series azure scan of .*; --any-series to mix/);
    assert.match(text, /check set changed at run 2/);
    assert.match(text, /\n\s+2 .*rules changed/);
    assert.doesNotMatch(text, /\+\d+\.\d/);
  });
});

describe('run scope', () => {
  let example: Assessment;
  before(async () => {
    example = await exampleAssessment();
  });

  it('records kind, normalised targets, boundary and baselines; the series ignores baselines', () => {
    const scope = runScope('scan', ['./infra/', 'app\\web', 'infra'], {
      boundary: 'au',
      baselines: ['b', 'a'],
    });
    assert.deepEqual(scope, {
      kind: 'scan',
      targets: ['app/web', 'infra'],
      boundary: 'au',
      baselines: ['a', 'b'],
    });
    const other = runScope('scan', ['infra', 'app/web'], { boundary: 'au' });
    assert.equal(seriesKey(example, scope), seriesKey(example, other));
    assert.notEqual(
      seriesKey(example, scope),
      seriesKey(example, runScope('tra', ['infra', 'app/web'], { boundary: 'au' })),
    );
    assert.notEqual(seriesKey(example, scope), seriesKey(example, runScope('scan', ['infra', 'app/web'])));
  });

  it('uses the recorded scope, else infers one and says so', () => {
    const inferred = scopeOf({ ...example, scope: undefined } as Assessment);
    assert.equal(inferred.inferred, true);
    assert.equal(inferred.kind, 'scan');
    const recorded = runScope('tra', ['x']);
    assert.equal(scopeOf({ ...example, scope: recorded }), recorded);
  });

  it('changes the check-set digest with a check, a severity or a control, not with order', () => {
    const checks = example.checks;
    const base = checkSetDigest(checks);
    assert.equal(checkSetDigest([...checks].reverse()), base);
    assert.notEqual(checkSetDigest(checks.slice(1)), base);
    assert.notEqual(
      checkSetDigest([
        { ...checks[0], severity: checks[0].severity === 'low' ? 'high' : 'low' },
        ...checks.slice(1),
      ]),
      base,
    );
    assert.notEqual(
      checkSetDigest([{ ...checks[0], controls: [...checks[0].controls, 'x-1'] }, ...checks.slice(1)]),
      base,
    );
  });
});
