import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { renderHistory } from '../../src/cli/history.ts';
import { UsageError } from '../../src/cli/select-checks.ts';
import { resolveSeries, seriesNote, seriesRuns } from '../../src/cli/series-options.ts';
import { buildTrend, renderTrend } from '../../src/cli/trend.ts';
import { runScope, seriesLabel } from '../../src/core/run-scope.ts';
import type { RunFilter, Store } from '../../src/store/store.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { makeAssessment } from '../report/fixture.ts';

/** Runs 1 and 4 scan one folder, 2 is a TRA of it, 3 a readiness run, 5 (the newest) InnerSource. */
const store = new MemoryStore();
const asked: (RunFilter | undefined)[] = [];
const spied: Pick<Store, 'listRuns'> = {
  listRuns: (filter) => {
    asked.push(filter);
    return store.listRuns(filter);
  },
};
const key: Record<string, string> = {};

before(async () => {
  const saves: [string, string][] = [
    ['azure', 'scan'],
    ['azure', 'tra'],
    ['readiness', 'readiness'],
    ['azure', 'scan'],
    ['innersource', 'innersource'],
  ];
  for (const [domain, kind] of saves) {
    const saved = await store.saveAssessment(makeAssessment({ domain, scope: runScope(kind, ['x']) }));
    key[kind] = saved.series;
  }
  assert.equal(new Set(Object.values(key)).size, 4);
});

const runsOf = async (flags: Parameters<typeof seriesRuns>[1], byDefault: 'latest' | 'every') =>
  (await seriesRuns(spied, flags, byDefault, undefined)).runs.map((r) => r.run);

describe('one series resolution for history, trend and diff', () => {
  it('trend follows the newest run series, within --domain, reading one run to find it', async () => {
    asked.length = 0;
    assert.equal(await resolveSeries(spied, {}, 'latest'), key.innersource);
    assert.deepEqual(asked, [{ limit: 1 }]);
    assert.equal(await resolveSeries(spied, { domain: 'azure' }, 'latest'), key.scan);
    assert.deepEqual(await runsOf({ domain: 'azure' }, 'latest'), [4, 1]);
  });

  it('history lists every series unless --series-of picks one', async () => {
    assert.equal(await resolveSeries(spied, {}, 'every'), undefined);
    assert.deepEqual(await runsOf({}, 'every'), [5, 4, 3, 2, 1]);
    assert.deepEqual(await runsOf({ seriesOf: '2' }, 'every'), [2]);
  });

  it('resolves --series-of among the runs of --domain, for history as for trend', async () => {
    // The newest azure run is 4 (a scan), not run 5 of another domain: history used to look
    // among every run and then list nothing.
    for (const byDefault of ['every', 'latest'] as const) {
      assert.deepEqual(await runsOf({ domain: 'azure', seriesOf: 'latest' }, byDefault), [4, 1]);
      assert.equal(await resolveSeries(spied, { domain: 'azure', seriesOf: '-2' }, byDefault), key.tra);
    }
    assert.equal(await resolveSeries(spied, { seriesOf: '-2' }, 'latest'), key.scan);
  });

  it('mixes every series with --any-series, and refuses it together with --series-of', async () => {
    assert.deepEqual(
      (await seriesRuns(spied, { anySeries: true }, 'latest', 3)).runs.map((r) => r.run),
      [5, 4, 3],
    );
    for (const byDefault of ['every', 'latest'] as const)
      await assert.rejects(
        resolveSeries(spied, { anySeries: true, seriesOf: '1' }, byDefault),
        (e: Error) =>
          e instanceof UsageError && /--series-of .* --any-series .*give one of them/.test(e.message),
      );
  });

  it('names the domain when a reference names no run; an empty store is no error unless a run was named', async () => {
    await assert.rejects(
      resolveSeries(spied, { domain: 'azure', seriesOf: '9' }, 'every'),
      (e: Error) => e instanceof UsageError && e.message === 'no run 9 in the store (domain azure)',
    );
    const empty = new MemoryStore();
    assert.deepEqual(await seriesRuns(empty, {}, 'latest', 30), { runs: [] });
    await assert.rejects(resolveSeries(empty, { seriesOf: 'latest' }, 'latest'), /no runs saved yet/);
  });

  it('says which series in the same words in history and trend', async () => {
    const label = seriesLabel(key.scan);
    assert.equal(seriesNote(key.scan), `showing series ${label}; --any-series to mix`);
    assert.equal(seriesNote(key.scan, ''), `showing series ${label}`);
    const scans = await store.listRuns({ series: key.scan });
    assert.match(
      renderTrend({ ...buildTrend(scans), series: key.scan }),
      new RegExp(`\\nshowing series ${label}; --any-series to mix\\n`),
    );
    assert.match(renderTrend(buildTrend(scans)), /\nshowing runs of every series \(--any-series\)\n/);
    assert.match(
      renderHistory(scans, key.scan),
      new RegExp(`^root .*\\nshowing series ${label}; without --series-of to list every series\\n`),
    );
    assert.doesNotMatch(renderHistory(scans), /showing series/);
  });
});
