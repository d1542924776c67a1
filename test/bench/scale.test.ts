/**
 * The scale benches (bench/scale/, `npm run bench:scale`) at a tiny size: ingest for 1 s on 2
 * connections with the server in this process, history with 5 runs of 200 findings on both
 * backends. What is asserted is their count checks (no acknowledged push lost or stored twice;
 * the store holds the runs and findings built), never a timing. Needs PostgreSQL: skipped with
 * the reason printed when it does not answer, except under CI=true, where it must.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresProblem } from '../../bench/scale/common.ts';
import { runHistory } from '../../bench/scale/history.ts';
import { planScale } from '../../bench/scale/index.ts';
import { INGEST_DEFAULTS, runIngest } from '../../bench/scale/ingest.ts';
import { speedups } from '../../bench/scale/queue.ts';

const problem = await postgresProblem();
if (problem && process.env.CI !== 'true') console.log(`# skipping the scale bench tests: ${problem}`);
const skip = problem !== undefined && process.env.CI !== 'true' ? problem : false;

describe('npm run bench:scale at a tiny size', { skip }, () => {
  it('ingest: every acknowledged push is one stored run; repeats answer with the first run', async () => {
    const lines: string[] = [];
    const r = await runIngest({
      ...INGEST_DEFAULTS,
      seconds: 1,
      floorSeconds: 1,
      connections: 2,
      findings: 200,
      repeatEvery: 5,
      inProcess: true,
      log: (l) => lines.push(l),
    });
    assert.ok(r.countsOk, lines.join('\n'));
    assert.ok(r.distinctAcked > 0, 'some pushes were acknowledged');
    assert.equal(r.storedRuns, r.distinctAcked + r.inFlightStored);
    assert.equal(r.lost, 0);
    assert.equal(r.duplicated, 0);
    assert.ok(r.inFlightStored <= 2, 'at most one push per connection was cut off');
    assert.ok(r.floorPerSecond > 0 && r.ratio > 0);
    assert.match(lines.join('\n'), /^check {4}OK: /m);
  });

  it('history: 5 runs x 200 findings on DuckDB and PostgreSQL, every query timed, counts right', async () => {
    const lines: string[] = [];
    const results = await runHistory({
      runs: 5,
      findings: 1000,
      seed: 2,
      reps: 1,
      backends: ['DuckDB', 'PostgreSQL'],
      json: false,
      log: (l) => lines.push(l),
    });
    assert.deepEqual(
      results.map((r) => [r.backend, r.runs, r.findings, r.countsOk]),
      [
        ['DuckDB', 5, 1000, true],
        ['PostgreSQL', 5, 1000, true],
      ],
      lines.join('\n'),
    );
    for (const r of results) assert.ok(r.historyMs > 0 && r.diffMs > 0 && r.trendMs > 0 && r.countMs > 0);
    assert.match(lines.join('\n'), /^floor: SELECT count\(\*\) FROM findings/m);
  });
});

describe('bench:scale flags', () => {
  it('--quick scales down, later flags win, and each flag reaches its bench', () => {
    const p = planScale(['--quick', '--seconds', '3', '--runs', '20', '--findings-per-push', '50']);
    assert.equal(p.ingest.seconds, 3);
    assert.equal(p.ingest.floorSeconds, 5);
    assert.equal(p.ingest.findings, 50);
    assert.equal(p.history.runs, 20);
    assert.equal(p.history.findings, 1_000_000);
    assert.deepEqual(p.parts, ['ingest', 'history', 'queue']);
    assert.deepEqual(planScale(['--only', 'history']).parts, ['history']);
    assert.throws(() => planScale(['--seconds', '0']), /--seconds needs a positive integer/);
    assert.throws(() => planScale(['--bogus']), /unknown argument --bogus/);
  });
});

describe('queue bench speed-ups', () => {
  const result = (rates: [number, number][], floor: number) => ({
    floor: { jobs: 100, loops: 4, seconds: 1, jobsPerSecond: floor },
    throughput: rates.map(([workers, jobsPerSecond]) => ({
      workers,
      jobs: 100,
      seconds: 1,
      jobsPerSecond,
      lagP50Ms: 0,
      lagP95Ms: 0,
      lagMaxMs: 0,
    })),
    fault: { jobs: 1, kills: 0, seconds: 1, runs: 1, distinctKeys: 1, retried: 0, exactlyOnce: true },
  });

  it('gives 1 to 2 as measured, and 4 x the one-worker rate capped by the floor', () => {
    assert.deepEqual(
      speedups(
        result(
          [
            [1, 10],
            [2, 15],
            [4, 14],
          ],
          100,
        ),
      ),
      { oneToTwo: 1.5, fourIfIoBound: 4 },
    );
    assert.deepEqual(
      speedups(
        result(
          [
            [1, 10],
            [2, 15],
          ],
          25,
        ),
      ),
      { oneToTwo: 1.5, fourIfIoBound: 2.5 },
    );
    assert.deepEqual(speedups(result([[2, 15]], 25)), {});
  });
});
