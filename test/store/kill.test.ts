import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, PAUSE_IN_SAVE_ENV } from '../../src/store/duckdb.ts';
import type { RunSummary } from '../../src/store/store.ts';
import { assayHere as assay, copyExample, repo, startAssay, tempDir } from './helpers.ts';

const PAUSED = /test pause inside the save of run (\d+)/;

async function history(cwd: string, store?: string): Promise<RunSummary[]> {
  const r = await assay(['history', '-f', 'json', ...(store ? ['--store', store] : [])], cwd);
  assert.equal(r.code, 0, `assay history failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as RunSummary[];
}

describe('a writer killed in the middle of a save', () => {
  const tmp = tempDir('assay-kill-');
  after(tmp.cleanup);
  const cwd = tmp.dir;

  before(async () => {
    copyExample(cwd);
    for (const run of [1, 2])
      assert.match(
        (await assay(['scan', 'azure', '--save'], cwd)).stderr,
        new RegExp(`saved as run ${run}\\b`),
      );
  });

  it('leaves assay history working with every earlier run (SIGKILL inside the transaction)', async () => {
    // The hook pauses after the run's row, its assessment and all its findings are written, before COMMIT.
    const writer = startAssay(['scan', 'azure', '--save'], cwd, { [PAUSE_IN_SAVE_ENV]: '60000' });
    await writer.waitFor(PAUSED);
    assert.equal(PAUSED.exec(writer.stderr())?.[1], '3');
    writer.child.kill('SIGKILL');
    const killed = await writer.done;
    assert.equal(killed.code, null, 'the writer died by signal');

    const runs = await history(cwd);
    assert.deepEqual(
      runs.map((r) => r.run),
      [2, 1],
    );
    assert.equal((await assay(['diff', '1', '2'], cwd)).code, 0);
    // The store still takes writes; the killed run's number was never committed, so it is reused.
    assert.match((await assay(['scan', 'azure', '--save'], cwd)).stderr, /saved as run 3\b/);
    assert.deepEqual(
      (await history(cwd)).map((r) => r.run),
      [3, 2, 1],
    );
  });

  it('never leaves a partial run when killed at an arbitrary point of large saves', async () => {
    const store = join(tmp.dir, 'big.duckdb');
    for (const delay of [0, 60]) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(repo, 'test/store/fixtures/save-big.ts'), store],
        {
          cwd: repo,
        },
      );
      let stderr = '';
      const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no second save started: ${stderr}`)), 60_000);
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          // Kill during a save after at least one committed in this process.
          if (/saved run \d+\n[\s\S]*saving \d+\n/.test(stderr)) {
            clearTimeout(timer);
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, delay);
          }
        });
      });
      await done;
      const committed = [...stderr.matchAll(/saved run (\d+)/g)].map((m) => Number(m[1]));
      const runs = await history(tmp.dir, store);
      // Every run the writer reported is there; at most the one being written when killed is extra (it committed).
      for (const n of committed)
        assert.ok(
          runs.some((r) => r.run === n),
          `run ${n} survived`,
        );
      assert.ok(runs.length <= Math.max(...committed) + 1);
      assert.deepEqual(
        runs.map((r) => r.run),
        runs.map((_, i) => runs.length - i),
        'run numbers have no gaps',
      );
      // No partial run: every run has its assessment and all of its findings, and nothing else is stored.
      const db = await openStore(store, { readOnly: true });
      try {
        const rows = await db.all<{ run: number; n: number; body: number }>(
          `SELECT r.run, (SELECT count(*) FROM findings f WHERE f.run = r.run) AS n,
                  (SELECT count(*) FROM assessments a WHERE a.run = r.run) AS body
           FROM runs r ORDER BY r.run`,
        );
        assert.deepEqual(rows, runs.map((r) => ({ run: r.run, n: 10_000, body: 1 })).reverse());
        const orphans = await db.all<{ n: number }>(
          'SELECT count(*) AS n FROM findings WHERE run NOT IN (SELECT run FROM runs)',
        );
        assert.equal(orphans[0].n, 0);
      } finally {
        await db.close();
      }
    }
  });
});

describe('two writers at once', () => {
  const tmp = tempDir('assay-lock-');
  after(tmp.cleanup);
  const cwd = tmp.dir;
  before(() => copyExample(cwd));

  it('a second process fails with a clear message naming the store and the holder', async () => {
    const holder = startAssay(['scan', 'azure', '--save'], cwd, { [PAUSE_IN_SAVE_ENV]: '60000' });
    try {
      await holder.waitFor(PAUSED);
      const second = await assay(['scan', 'azure', '--save', '-f', 'json'], cwd, {
        ASSAY_STORE_WAIT_MS: '300',
      });
      assert.equal(second.code, 2);
      assert.match(
        second.stderr,
        new RegExp(
          `the store \\.assay/assay\\.duckdb is in use by another process \\(pid ${holder.child.pid}\\); retry when it finishes`,
        ),
      );
      assert.ok(JSON.parse(second.stdout).findings.length > 0, 'its report was still written');
      const reader = await assay(['history'], cwd, { ASSAY_STORE_WAIT_MS: '0' });
      assert.equal(reader.code, 2);
      assert.match(reader.stderr, /in use by another process/);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.done;
    }
  });

  it('a second process waits for the first to finish, then saves the next run', async () => {
    const first = startAssay(['scan', 'azure', '--save'], cwd, { [PAUSE_IN_SAVE_ENV]: '1500' });
    await first.waitFor(PAUSED);
    const second = startAssay(['scan', 'azure', '--save'], cwd, { ASSAY_STORE_WAIT_MS: '30000' });
    const [a, b] = await Promise.all([first.done, second.done]);
    assert.equal(a.code, 1, a.stderr);
    assert.equal(b.code, 1, b.stderr);
    const runA = Number(/saved as run (\d+)/.exec(a.stderr)?.[1]);
    const runB = Number(/saved as run (\d+)/.exec(b.stderr)?.[1]);
    assert.equal(runB, runA + 1);
  });
});
