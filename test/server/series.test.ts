import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Assessment } from '../../src/core/model.ts';
import { runScope, seriesLabel } from '../../src/core/run-scope.ts';
import { reportData } from '../../src/report/html.ts';
import type { RunList } from '../../src/server/api-types.ts';
import { createApp } from '../../src/server/app.ts';
import { pickSeries, runChanges } from '../../src/server/series-view.ts';
import type { RunFilter, Store } from '../../src/store/store.ts';
import { EmbeddedSource } from '../../web/data.ts';
import { changeText } from '../../web/views/trends.ts';
import { scanProject, writeProject } from '../helpers/dashboard.ts';
import { MemoryStore } from '../helpers/memory-store.ts';

const assets = async () => ({ js: '', css: '', hash: 'f'.repeat(64) });
const dir = mkdtempSync(join(tmpdir(), 'assay-series-'));
const store = new MemoryStore();
let scan: Assessment;
let scanKey: string;
let traKey: string;

/**
 * Runs 1, 3 and 4 are scans of one project (run 3 judged by a smaller check set: the
 * rules changed), run 2 a TRA of it: another series, newer than run 1.
 */
before(async () => {
  writeProject(dir);
  scan = { ...(await scanProject(dir)), scope: runScope('scan', [dir]) };
  const fewerChecks = { ...scan, checks: scan.checks.slice(1) };
  await store.saveAssessment(scan, { label: 'a1' });
  await store.saveAssessment({ ...scan, scope: runScope('tra', [dir]) }, { label: 't1' });
  await store.saveAssessment(fewerChecks, { label: 'a2' });
  await store.saveAssessment(fewerChecks, { label: 'a3' });
  const runs = await store.listRuns();
  scanKey = runs[0].series;
  traKey = runs[2].series;
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function runs(query: string): Promise<{ status: number; body: RunList & { error?: string } }> {
  const res = await createApp(store, { assets }).request(`/api/runs${query}`);
  return { status: res.status, body: (await res.json()) as RunList & { error?: string } };
}

describe('the API keeps to one series', () => {
  it('the store helper filters by series as the store does', async () => {
    assert.notEqual(scanKey, traKey);
    assert.deepEqual(
      (await store.listRuns({ series: traKey })).map((r) => r.run),
      [2],
    );
  });

  it('by default lists the newest run series only, and says which and what else there is', async () => {
    const { status, body } = await runs('');
    assert.equal(status, 200);
    assert.deepEqual(
      body.runs.map((r) => r.run),
      [4, 3, 1],
    );
    assert.equal(body.all, false);
    assert.deepEqual(body.series, { key: scanKey, label: seriesLabel(scanKey) });
    assert.match(body.series?.label ?? '', /^azure scan of .* in /);
    assert.deepEqual(
      body.available.map((s) => [s.key, s.kind, s.runs, s.newestRun]),
      [
        [scanKey, 'scan', 3, 4],
        [traKey, 'tra', 1, 2],
      ],
    );
    assert.match(body.available[1].label, /^azure tra of /);
  });

  it('lists another series by its key', async () => {
    const { status, body } = await runs(`?series=${encodeURIComponent(traKey)}`);
    assert.equal(status, 200);
    assert.deepEqual(
      body.runs.map((r) => [r.run, r.kind]),
      [[2, 'tra']],
    );
    assert.equal(body.series?.key, traKey);
    assert.equal(body.available.length, 2);
  });

  it('mixes every series only when asked with series=all, and then names none', async () => {
    const { body } = await runs('?series=all');
    assert.deepEqual(
      body.runs.map((r) => r.run),
      [4, 3, 2, 1],
    );
    assert.equal(body.all, true);
    assert.equal(body.series, undefined);
  });

  it('applies limit and domain within the series', async () => {
    assert.deepEqual(
      (await runs('?limit=2')).body.runs.map((r) => r.run),
      [4, 3],
    );
    const none = await runs('?domain=innersource');
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.runs, []);
    assert.deepEqual(none.body.available, []);
  });

  it('answers an unknown series with 404 and says so', async () => {
    const { status, body } = await runs(
      `?series=${encodeURIComponent('["azure","scan","/nowhere",[],null]')}`,
    );
    assert.equal(status, 404);
    assert.match(body.error ?? '', /no saved run is of the series azure scan in \/nowhere/);
  });

  it('gives the trend what it needs to show a check-set change as such, not as a delta', async () => {
    const { body } = await runs('');
    const oldestFirst = [...body.runs].reverse();
    assert.notEqual(oldestFirst[0].checkSet, oldestFirst[1].checkSet);
    assert.equal(oldestFirst[1].checkSet, oldestFirst[2].checkSet);
    assert.deepEqual(
      runChanges(oldestFirst).map((c) => c.kind),
      ['first', 'rules-changed', 'delta'],
    );
    assert.deepEqual(runChanges(oldestFirst)[2], { kind: 'delta', delta: 0 });
    // What the trends view's Change column shows for them.
    assert.deepEqual(runChanges(oldestFirst).map(changeText), ['', 'rules changed', '+0.0']);
    // Mixed explicitly, a change of series is marked too, never a delta.
    const mixed = [...(await runs('?series=all')).body.runs].reverse();
    assert.deepEqual(
      runChanges(mixed).map((c) => c.kind),
      ['first', 'series-changed', 'series-changed', 'delta'],
    );
  });
});

describe('the API reads only the series it shows', () => {
  const inner = new MemoryStore();
  /** Each store read the route makes: the method, its filter and how many rows came back. */
  const calls: [string, RunFilter | undefined, number][] = [];
  const spied: Store = {
    saveAssessment: (a, o) => inner.saveAssessment(a, o),
    listRuns: async (filter) => {
      const out = await inner.listRuns(filter);
      calls.push(['listRuns', filter, out.length]);
      return out;
    },
    listSeries: async (filter) => {
      const out = await inner.listSeries(filter);
      calls.push(['listSeries', filter, out.length]);
      return out;
    },
    getAssessment: (run) => inner.getAssessment(run),
    queryFindings: (query) => inner.queryFindings(query),
    close: () => inner.close(),
  };
  const keys: string[] = [];

  /** Seven runs in three series, interleaved: scans, TRAs, and scans with a boundary. */
  before(async () => {
    const scopes = [
      runScope('scan', [dir]),
      runScope('tra', [dir]),
      runScope('scan', [dir], { boundary: 'au' }),
    ];
    for (const i of [0, 1, 2, 0, 2, 1, 0]) await inner.saveAssessment({ ...scan, scope: scopes[i] });
    for (const r of (await inner.listRuns()).reverse()) if (!keys.includes(r.series)) keys.push(r.series);
    assert.equal(keys.length, 3);
  });

  /** The body the route answers, and the one it gave when it listed every run and picked in memory. */
  async function compare(query: string, wanted: string | undefined, limit?: number) {
    calls.length = 0;
    const res = await createApp(spied, { assets }).request(`/api/runs${query}`);
    const text = await res.text();
    const picked = pickSeries(await inner.listRuns(), wanted);
    assert.ok(!('error' in picked));
    const before = limit === undefined ? picked : { ...picked, runs: picked.runs.slice(0, limit) };
    return { status: res.status, body: JSON.parse(text) as RunList, text, before: JSON.stringify(before) };
  }

  it('asks the store for one series and a limit, and answers as before', async () => {
    const boundary = keys[2];
    const { status, body, text, before } = await compare(
      `?series=${encodeURIComponent(boundary)}&limit=1`,
      boundary,
      1,
    );
    assert.equal(status, 200);
    assert.deepEqual(calls, [
      ['listSeries', {}, 3],
      ['listRuns', { series: boundary, limit: 1 }, 1],
    ]);
    assert.deepEqual(
      body.runs.map((r) => [r.run, r.series]),
      [[5, boundary]],
    );
    assert.deepEqual(
      body.available.map((s) => [s.key, s.runs, s.newestRun]),
      [
        [keys[0], 3, 7],
        [keys[1], 2, 6],
        [boundary, 2, 5],
      ],
    );
    assert.equal(text, before);
  });

  it('by default reads the newest series only; series=all reads every run, within the limit', async () => {
    const newest = await compare('', undefined);
    assert.deepEqual(
      newest.body.runs.map((r) => r.run),
      [7, 4, 1],
    );
    assert.deepEqual(calls[1], ['listRuns', { series: keys[0] }, 3]);
    assert.equal(newest.text, newest.before);
    const all = await compare('?series=all&limit=5&domain=azure', 'all', 5);
    assert.deepEqual(calls[1], ['listRuns', { domain: 'azure', limit: 5 }, 5]);
    assert.equal(all.text, all.before);
  });

  it('reads no run for an unknown series', async () => {
    calls.length = 0;
    const res = await createApp(spied, { assets }).request(`/api/runs?series=${encodeURIComponent('x')}`);
    assert.equal(res.status, 404);
    assert.deepEqual(
      calls.map((c) => c[0]),
      ['listSeries'],
    );
  });
});

describe('the single-file report picks the same way', () => {
  it('shows its run series and labels it, and refuses one it does not hold', async () => {
    const summaries = (await store.listRuns({ series: scanKey })).reverse();
    const source = new EmbeddedSource(
      reportData({ assessment: scan, run: 4, runs: summaries, sources: false, generatedAt: 'x' }),
    );
    const list = await source.seriesRuns(undefined);
    assert.deepEqual(
      list.runs.map((r) => r.run),
      [4, 3, 1],
    );
    assert.equal(list.series?.label, seriesLabel(scanKey));
    await assert.rejects(source.seriesRuns(traKey), /no saved run is of the series azure tra/);
  });

  it('a report rendered from a file holds one run, whose series is its own', async () => {
    const source = new EmbeddedSource(reportData({ assessment: scan, sources: false, generatedAt: 'x' }));
    const list = await source.seriesRuns(undefined);
    assert.deepEqual(
      list.runs.map((r) => r.run),
      [1],
    );
    assert.equal(list.series?.key, scanKey);
    assert.equal(list.available.length, 1);
  });
});
