import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OwnedCaseDb, openCaseDb } from '../../src/readiness/db.ts';
import {
  IngestError,
  type IngestOptions,
  ingestCases,
  ingestCasesToStore,
} from '../../src/readiness/ingest.ts';
import { computeKpis, type KpiRow } from '../../src/readiness/kpis.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';
import { READINESS_MIGRATIONS } from '../../src/readiness/store.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';

const root = new URL('../../', import.meta.url);
const FRAMEWORK = new URL('examples/readiness/framework.yaml', root).pathname;
const CASES = new URL('examples/readiness/cases.csv', root).pathname;
const NOW = '2025-06-02';
/** Cases in the example export: 3,650 records, 2 of them bad. */
const EXAMPLE_CASES = 3648;
/** `assay readiness kpis` of the example cases. */
const KPIS_EXAMPLE = ['readiness', 'kpis', '--cases', CASES, '--now', NOW];

/** Runs the CLI in this process; the store is closed again before each run returns (DuckDB lets one handle own the file). */
async function assay(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  return runCli(argv, { env: { NO_COLOR: '1', ...env } });
}

/** Runs the CLI in a child process, for the one test where another process must hold the store. */
function assayProcess(argv: string[], env: NodeJS.ProcessEnv): { code: number; out: string; err: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL('src/cli/main.ts', root).pathname, ...argv],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
  );
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Opens the store in this process, runs `fn`, and closes it again before the next child. */
async function withStore<T>(path: string, fn: (store: SqlStore) => Promise<T>, readOnly = true): Promise<T> {
  const store = await openStore(path, { readOnly });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const count = async (store: SqlStore, sql: string) => Number((await store.all<{ n: number }>(sql))[0].n);

describe('readiness cases in the project store', () => {
  let dir: string;
  let db: OwnedCaseDb;
  let inMemory: KpiRow[];
  const asOf = new Date(`${NOW}T00:00:00Z`);

  before(async () => {
    registerMigrations(READINESS_MIGRATIONS);
    dir = mkdtempSync(join(tmpdir(), 'assay-rdy-store-'));
    db = await openCaseDb();
    await ingestCases(db, { file: CASES, mapping: resolveMapping({ format: 'csv' }) });
    inMemory = await computeKpis(db, { asOf });
  });
  after(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kpis --save loads the cases into the store and computes the same KPIs there', async () => {
    const store = join(dir, 'assay.duckdb');
    const saved = await assay([...KPIS_EXAMPLE, '-f', 'json', '--save', '--store', store]);
    assert.equal(saved.code, 0, saved.err);
    assert.match(saved.err, /3648 cases kept in .*assay\.duckdb \(source 1\)/);
    const plain = await assay(['readiness', 'kpis', '--cases', CASES, '--now', NOW, '-f', 'json']);
    assert.equal(plain.code, 0, plain.err);
    const fromStore = JSON.parse(saved.out) as { ingest: { source?: number }; kpis: KpiRow[] };
    assert.equal(fromStore.ingest.source, 1);
    assert.deepEqual(fromStore.kpis, (JSON.parse(plain.out) as { kpis: KpiRow[] }).kpis);

    // Reopened: the cases are in the store's table, and SQL there gives the in-memory KPIs.
    await withStore(store, async (s) => {
      assert.equal(await count(s, 'SELECT count(*) AS n FROM readiness_cases'), EXAMPLE_CASES);
      const [src] = await s.all<{
        source: number;
        file: string;
        preset: string;
        cases: number;
        bad_rows: number;
      }>('SELECT source, file, preset, cases, bad_rows FROM readiness_sources');
      assert.deepEqual(src, { source: 1, file: CASES, preset: 'generic', cases: EXAMPLE_CASES, bad_rows: 2 });
      assert.deepEqual(await computeKpis(s, { asOf, source: 1 }), inMemory);
      // The staging and rejects tables were temporary: nothing of them is left in the file.
      const tables = await s.all<{ table_name: string }>(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'readiness%' ORDER BY 1",
      );
      assert.deepEqual(
        tables.map((t) => t.table_name),
        ['readiness_cases', 'readiness_sources'],
      );
    });
  });

  it('re-ingesting a source replaces its cases and leaves other sources alone', async () => {
    const store = join(dir, 'replace.duckdb');
    const other = join(dir, 'other-cases.csv');
    copyFileSync(CASES, other);
    const kpis = (file: string) =>
      assay(['readiness', 'kpis', '--cases', file, '--now', NOW, '-f', 'csv', '--save', '--store', store]);
    for (const file of [CASES, other, CASES]) assert.equal((await kpis(file)).code, 0);
    await withStore(store, async (s) => {
      const rows = await s.all<{ source: number; file: string; n: number }>(
        `SELECT c.source, s.file, count(*)::INTEGER AS n FROM readiness_cases c
         JOIN readiness_sources s USING (source) GROUP BY ALL ORDER BY c.source`,
      );
      assert.deepEqual(rows, [
        { source: 1, file: CASES, n: EXAMPLE_CASES },
        { source: 2, file: other, n: EXAMPLE_CASES },
      ]);
      assert.deepEqual(await computeKpis(s, { asOf, source: 2 }), inMemory);
    });
  });

  it('assess --save saves the run and its cases; brief --save compares with it', async () => {
    const store = join(dir, 'runs.duckdb');
    const args = [FRAMEWORK, '--cases', CASES, '--now', NOW, '--store', store];
    const plain = await assay(['readiness', 'assess', ...args.slice(0, -2), '-f', 'json']);
    const saved = await assay(['readiness', 'assess', ...args, '-f', 'json', '--save', '--label', 'week 23']);
    // The bundled export's two bad rows are input errors (exit 1); the run is saved regardless.
    assert.equal(saved.code, 1, saved.err);
    assert.match(saved.err, /saved as run 1 in /);
    // The KPI rules and anomaly series read the store's cases: the same assessment.
    assert.equal((JSON.parse(saved.out) as { id: string }).id, (JSON.parse(plain.out) as { id: string }).id);
    const brief = await assay(['readiness', 'brief', ...args, '--save']);
    assert.equal(brief.code, 0, brief.err);
    assert.match(brief.out, /Level 1 and all 13 criterion results are unchanged since /);
    await withStore(store, async (s) => {
      const runs = await s.listRuns({ domain: 'readiness' });
      assert.deepEqual(
        runs.map((r) => [r.run, r.label ?? null]),
        [
          [2, null],
          [1, 'week 23'],
        ],
      );
      assert.equal(await count(s, 'SELECT count(*) AS n FROM readiness_cases'), EXAMPLE_CASES);
    });
  });

  it('without saving, the cases stay in memory and no store is created', async () => {
    const store = join(dir, 'never.duckdb');
    const r = await assay([...KPIS_EXAMPLE, '-f', 'csv', '--store', store]);
    assert.equal(r.code, 0, r.err);
    assert.equal(existsSync(store), false);
  });

  it('a store held by another process: waits, then writes the KPIs and exits 2 unsaved', async () => {
    const store = join(dir, 'busy.duckdb');
    await withStore(
      store,
      async () => {
        const r = assayProcess(
          ['readiness', 'kpis', '--cases', CASES, '--now', NOW, '-f', 'csv', '--save', '--store', store],
          { ASSAY_STORE_WAIT_MS: '300' },
        );
        assert.equal(r.code, 2, r.err);
        assert.match(r.out, /^cloud,week,priority,group,category,ci,channel,volume,/);
        assert.match(r.err, /is in use by another process.*the KPIs were written, the cases were not saved/);
      },
      false,
    );
  });

  it('keeps JSON exports and event logs too, and a failed re-ingest leaves the old cases', async () => {
    const tickets = join(dir, 'tickets.json');
    const ticket = (id: number, created: string, solved: string | null, priority: string) => ({
      id,
      created_at: created,
      status: solved ? 'solved' : 'open',
      priority,
      group_id: 7,
      cloud: 'sg',
      metric_set: {
        solved_at: solved,
        reopens: 0,
        group_stations: 1,
        reply_time_in_minutes: { calendar: 15 },
      },
    });
    writeFileSync(
      tickets,
      JSON.stringify({
        tickets: [
          ticket(1, '2025-03-03T08:00:00Z', '2025-03-03T12:00:00Z', 'high'),
          ticket(2, '2025-03-03T09:00:00Z', '2025-03-04T09:00:00Z', 'high'),
          ticket(3, 'yesterday', null, 'low'),
        ],
      }),
    );
    const events = join(dir, 'incident_event_log.csv');
    writeFileSync(
      events,
      `number,incident_state,opened_at,sys_updated_at,sys_mod_count,priority,assignment_group,assigned_to,resolved_at,closed_at,made_sla,reopen_count,reassignment_count
INC1,New,01-03-2025 08:00,01-03-2025 08:00,0,2 - High,Group 1,?,?,?,TRUE,0,0
INC1,Active,01-03-2025 08:00,01-03-2025 09:00,1,2 - High,Group 1,Alice,?,?,TRUE,0,0
INC1,Resolved,01-03-2025 08:00,01-03-2025 12:00,2,2 - High,Group 1,Alice,01-03-2025 12:00,?,TRUE,0,1
INC2,New,02-03-2025 10:00,02-03-2025 10:00,0,3 - Moderate,Group 2,?,?,?,FALSE,0,0
`,
    );
    const exports: IngestOptions[] = [
      { file: tickets, mapping: resolveMapping({ preset: 'zendesk', format: 'json' }) },
      { file: events, mapping: resolveMapping({ preset: 'servicenow', format: 'csv' }) },
    ];
    const path = join(dir, 'in-process.duckdb');
    await withStore(
      path,
      async (store) => {
        for (const [i, options] of exports.entries()) {
          const kept = await ingestCasesToStore(store, options);
          assert.equal(kept.source, i + 1);
          const plain = await openCaseDb();
          try {
            const report = await ingestCases(plain, options);
            assert.deepEqual({ ...kept, ms: 0, source: undefined }, { ...report, ms: 0, source: undefined });
            assert.deepEqual(await computeKpis(store, { source: kept.source }), await computeKpis(plain));
          } finally {
            await plain.close();
          }
        }
        assert.equal(await count(store, 'SELECT count(*) AS n FROM readiness_cases WHERE source = 1'), 2);
        assert.equal(await count(store, 'SELECT count(*) AS n FROM readiness_cases WHERE source = 2'), 2);
        // An export that lost its id column fails to ingest; the source keeps its cases.
        writeFileSync(events, 'incident_state,opened_at\nNew,01-03-2025 08:00\n');
        await assert.rejects(ingestCasesToStore(store, exports[1]), IngestError);
        assert.equal(await count(store, 'SELECT count(*) AS n FROM readiness_cases WHERE source = 2'), 2);
      },
      false,
    );
  });
});
