/**
 * What only the PostgreSQL store has: the store chosen by URL, passwords that never reach a
 * message, a writer killed mid-save that leaves nothing, writers from two processes numbered in
 * turn, and the domains: InnerSource's tables work, readiness's are refused by name.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INNERSOURCE_MIGRATIONS, SqlHistoryState } from '../../src/innersource/state.ts';
import { READINESS_MIGRATIONS } from '../../src/readiness/store.ts';
import { PAUSE_IN_SAVE_ENV } from '../../src/store/duckdb.ts';
import { StoreError } from '../../src/store/errors.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import { displayStore, isPostgresSpec, maskStoreUrl, openStoreFor } from '../../src/store/open.ts';
import { numberPlaceholders, withStartupOption } from '../../src/store/postgres.ts';
import type { RunSummary } from '../../src/store/store.ts';
import { describeOnPostgres, TEST_PASSWORD } from '../helpers/store-contract.ts';
import { assay, copyExample, repo, startAssay, tempDir } from './helpers.ts';

describe('choosing and naming a store', () => {
  it('opens PostgreSQL for postgres:// and postgresql:// URLs only', () => {
    assert.ok(isPostgresSpec('postgres://h/db'));
    assert.ok(isPostgresSpec('PostgreSQL://u@h:5432/db'));
    assert.ok(!isPostgresSpec('.assay/assay.duckdb'));
    assert.ok(!isPostgresSpec('postgres/assay.duckdb'));
    assert.ok(!isPostgresSpec('postgres:relative.duckdb'));
  });

  it('masks the password of the user part and of the query, and hides a URL it cannot read', () => {
    assert.equal(
      maskStoreUrl('postgres://ann:s%40cret@db.example:5432/assay'),
      'postgres://ann:***@db.example:5432/assay',
    );
    const masked = maskStoreUrl('postgresql://ann@db.example/assay?sslmode=require&password=hunter22');
    assert.doesNotMatch(masked, /hunter22/);
    assert.match(masked, /password=\*\*\*/);
    assert.match(masked, /sslmode=require/);
    assert.equal(maskStoreUrl('postgres://ann:pw@[bad'), 'postgres://(a URL that could not be read)');
    assert.equal(displayStore('.assay/assay.duckdb'), '.assay/assay.duckdb');
  });

  it('never prints the password when the server cannot be reached', async () => {
    await assert.rejects(openStoreFor('postgres://ann:topsecret1@127.0.0.1:1/assay'), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(
        err.message,
        /could not connect to the PostgreSQL store postgres:\/\/ann:\*\*\*@127\.0\.0\.1:1\/assay/,
      );
      assert.doesNotMatch(`${err.message} ${err.file}`, /topsecret1/);
      return true;
    });
  });

  it('numbers ? placeholders, leaving question marks in quotes alone', () => {
    assert.equal(
      numberPlaceholders(`SELECT ? AS a, '?' AS "b?", 'it''s ?' WHERE x = ? AND y IN (?, ?)`),
      `SELECT $1 AS a, '?' AS "b?", 'it''s ?' WHERE x = $2 AND y IN ($3, $4)`,
    );
  });
});

const PAUSED = /test pause inside the save of run (\d+)/;

describe('start-up options of a read-only store', () => {
  it('adds the option after the options the URL already gives', () => {
    const url = withStartupOption('postgres://u@h:5432/db?options=-c%20search_path%3Dx', '-c a=b');
    assert.equal(new URL(url).searchParams.get('options'), '-c search_path=x -c a=b');
    assert.equal(
      new URL(withStartupOption('postgres://u@h/db', '-c a=b')).searchParams.get('options'),
      '-c a=b',
    );
  });
});

describeOnPostgres('a read-only PostgreSQL store', ({ fresh }) => {
  it('reads in its own schema, refuses writes from the first query of each connection, and has the run index', async () => {
    const url = await fresh();
    const writer = await openStoreFor(url);
    await writer.close();
    const store = await openStoreFor(url, { readOnly: true });
    try {
      const [path] = await Promise.all([
        store.all<{ search_path: string }>('SHOW search_path'),
        store.all('SELECT 1'),
      ]);
      // The URL's own option (its test schema) still applies beside the read-only one.
      assert.equal(new URL(url).searchParams.get('options'), `-c search_path=${path[0]?.search_path}`);
      await assert.rejects(store.all('CREATE TABLE not_allowed (a int)'), /read-only/);
      // Core v4: one run's findings are read through an index on PostgreSQL (diff, run pages).
      const indexes = await store.all<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'findings_by_run'",
      );
      assert.match(String(indexes[0]?.indexdef), /ON \S*findings USING btree \(run, seq\)/);
    } finally {
      await store.close();
    }
  });
});

describeOnPostgres('the command line on a PostgreSQL store', ({ fresh }) => {
  const tmp = tempDir('assay-pg-cli-');
  after(tmp.cleanup);
  const cwd = tmp.dir;
  let url: string;
  before(async () => {
    copyExample(cwd);
    url = await fresh();
  });
  const history = (env: Record<string, string> = {}): RunSummary[] => {
    const r = assay(['history', '-f', 'json'], cwd, { ASSAY_STORE_URL: url, ...env });
    assert.equal(r.code, 0, `assay history failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as RunSummary[];
  };

  it('saves through --store and ASSAY_STORE_URL, naming the store with its password masked', () => {
    const first = assay(['scan', 'azure', '--save', '--store', url], cwd);
    assert.match(first.stderr, /saved as run 1 in postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/test\?/);
    const second = assay(['scan', 'azure', '--save'], cwd, { ASSAY_STORE_URL: url });
    assert.match(second.stderr, /saved as run 2 in postgres:/);
    for (const r of [first, second]) assert.doesNotMatch(r.stdout + r.stderr, new RegExp(TEST_PASSWORD));
    assert.deepEqual(
      history().map((r) => r.run),
      [2, 1],
    );
  });

  it('leaves no partial run when the writer is killed inside the save transaction', async () => {
    const writer = startAssay(['scan', 'azure', '--save'], cwd, {
      ASSAY_STORE_URL: url,
      [PAUSE_IN_SAVE_ENV]: '60000',
    });
    await writer.waitFor(PAUSED);
    assert.equal(PAUSED.exec(writer.stderr())?.[1], '3');
    writer.child.kill('SIGKILL');
    assert.equal((await writer.done).code, null);
    assert.deepEqual(
      history().map((r) => r.run),
      [2, 1],
    );
    const store = await openStoreFor(url, { readOnly: true });
    try {
      const orphans = await store.all<{ n: number }>(
        `SELECT (SELECT count(*) FROM findings WHERE run > 2) + (SELECT count(*) FROM assessments WHERE run > 2)
           + (SELECT count(*) FROM run_series WHERE run > 2) AS n`,
      );
      assert.equal(orphans[0].n, 0);
    } finally {
      await store.close();
    }
    assert.match(
      assay(['scan', 'azure', '--save'], cwd, { ASSAY_STORE_URL: url }).stderr,
      /saved as run 3\b/,
    );
  });

  it('a second writer waits for the first save to commit, then saves the next run', async () => {
    const env = { ASSAY_STORE_URL: url };
    const first = startAssay(['scan', 'azure', '--save'], cwd, { ...env, [PAUSE_IN_SAVE_ENV]: '1500' });
    await first.waitFor(PAUSED);
    const second = startAssay(['scan', 'azure', '--save'], cwd, env);
    const [a, b] = await Promise.all([first.done, second.done]);
    assert.equal(a.code, 1, a.stderr);
    assert.equal(b.code, 1, b.stderr);
    const runA = Number(/saved as run (\d+)/.exec(a.stderr)?.[1]);
    const runB = Number(/saved as run (\d+)/.exec(b.stderr)?.[1]);
    assert.equal(runB, runA + 1);
  });

  it('never leaves a partial run when killed at an arbitrary point of large saves', async () => {
    const big = await fresh();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repo, 'test/store/fixtures/save-big.ts'), big],
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
        if (/saved run \d+\n[\s\S]*saving \d+\n/.test(stderr)) {
          clearTimeout(timer);
          setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 30);
        }
      });
    });
    await done;
    const store = await openStoreFor(big, { readOnly: true });
    try {
      const rows = await store.all<{ run: number; n: number; body: number }>(
        `SELECT r.run, (SELECT count(*) FROM findings f WHERE f.run = r.run) AS n,
                (SELECT count(*) FROM assessments a WHERE a.run = r.run) AS body
         FROM runs r ORDER BY r.run`,
      );
      assert.ok(rows.length >= 1);
      assert.deepEqual(
        rows,
        rows.map((_, i) => ({ run: i + 1, n: 10_000, body: 1 })),
      );
      const orphans = await store.all<{ n: number }>(
        'SELECT count(*) AS n FROM findings WHERE run NOT IN (SELECT run FROM runs)',
      );
      assert.equal(orphans[0].n, 0);
    } finally {
      await store.close();
    }
  });
});

describeOnPostgres('domain tables on a PostgreSQL store', ({ fresh }) => {
  it('keeps InnerSource history state (its migrations translated for PostgreSQL)', async () => {
    registerMigrations(INNERSOURCE_MIGRATIONS);
    const store = await openStoreFor(await fresh());
    try {
      const state = new SqlHistoryState(store);
      const saved = {
        key: '/repos/a',
        head: 'abc123',
        branch: 'main',
        mailmap: 'none',
        renames: true,
        scannedAt: '2026-12-01T00:00:00Z',
        history: { commitsRead: 3 } as never,
      };
      await state.save(saved);
      await state.save({ ...saved, head: 'def456' });
      assert.deepEqual(await state.load('/repos/a'), { ...saved, head: 'def456' });
      assert.equal(await state.load('/repos/b'), undefined);
      const columns = await store.all<{ data_type: string }>(
        `SELECT data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'innersource_repository_metrics' AND column_name = 'cross_team_share'`,
      );
      assert.deepEqual(columns, [{ data_type: 'double precision' }]);
    } finally {
      await store.close();
    }
  });

  it('refuses the readiness case tables, naming the feature and keeping the password out', async () => {
    registerMigrations(READINESS_MIGRATIONS);
    const url = await fresh();
    await assert.rejects(openStoreFor(url), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'unsupported');
      assert.match(
        err.message,
        /readiness case tables .*not supported on a PostgreSQL store \(postgres:\/\/postgres:\*\*\*@/,
      );
      assert.doesNotMatch(err.message, new RegExp(TEST_PASSWORD));
      return true;
    });
  });
});
