/**
 * Readiness store v2 (the support KPI columns) on a store written at v1: opening it adds the
 * columns, keeps every case, and the KPIs of the kept cases are what they were, with the new
 * ones null ("no data") rather than 0.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isOverall } from '../../src/readiness/kpi-dimensions.ts';
import { computeKpis } from '../../src/readiness/kpis.ts';
import { READINESS_MIGRATIONS } from '../../src/readiness/store.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { registerMigrations } from '../../src/store/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-rdy-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const V2_COLUMNS = [
  'category',
  'ci',
  'channel',
  'response_sla_met',
  'response_due_at',
  'first_contact_resolved',
  'escalated',
  'csat_satisfied',
];

describe('readiness store migration v2', () => {
  it('upgrades a store at readiness v1 with its cases kept', async () => {
    registerMigrations(READINESS_MIGRATIONS);
    const path = join(dir, 'assay.duckdb');
    // A store as readiness v1 left it: its case table without the v2 columns, v2 not recorded.
    const old = await openStore(path);
    for (const c of V2_COLUMNS) await old.run(`ALTER TABLE readiness_cases DROP COLUMN ${c}`);
    await old.run("DELETE FROM schema_migrations WHERE domain = 'readiness' AND version = 2");
    await old.run(
      `INSERT INTO readiness_sources (source, file, preset, format, records, loaded, cases, bad_rows, event_log)
       VALUES (1, '/exports/cases.csv', 'generic', 'csv', 2, 2, 2, 0, false)`,
    );
    await old.run(
      `INSERT INTO readiness_cases (source, id, cloud, priority, grp, state, opened_at, first_response_at, resolved_at, closed_at, done_at, sla_met, reopen_count, reassignment_count, events, rn) VALUES
       (1, 'A1', 'c1', 'P1', 'G1', NULL, '2024-01-01 00:00:00', '2024-01-01 01:00:00', '2024-01-01 10:00:00', NULL, '2024-01-01 10:00:00', true, 0, 0, 1, 1),
       (1, 'A2', 'c1', 'P2', 'G1', NULL, '2024-01-02 00:00:00', NULL, '2024-01-03 00:00:00', NULL, '2024-01-03 00:00:00', false, 1, 2, 1, 2)`,
    );
    await old.close();

    const store = await openStore(path);
    try {
      const applied = await store.all<{ version: number }>(
        "SELECT version FROM schema_migrations WHERE domain = 'readiness' ORDER BY version",
      );
      assert.deepEqual(
        applied.map((r) => Number(r.version)),
        [1, 2],
      );
      const columns = await store.all<{ column_name: string }>(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'readiness_cases'",
      );
      for (const c of V2_COLUMNS)
        assert.ok(
          columns.some((x) => x.column_name === c),
          c,
        );
      const rows = await store.all<{ id: string; sla_met: boolean; csat_satisfied: boolean | null }>(
        'SELECT id, sla_met, csat_satisfied FROM readiness_cases ORDER BY id',
      );
      assert.deepEqual(rows, [
        { id: 'A1', sla_met: true, csat_satisfied: null },
        { id: 'A2', sla_met: false, csat_satisfied: null },
      ]);
      const kpis = await computeKpis(store, { source: 1 });
      const w = kpis.find((r) => r.week === '2024-01-01' && isOverall(r));
      assert.ok(w);
      // The v1 KPIs of the kept cases: 2 resolved after 10 and 24 hours, one SLA met.
      assert.equal(w.resolved, 2);
      assert.equal(w.resolve_mean_h, 17);
      assert.equal(w.sla_attainment, 0.5);
      // The new ones have nothing to go on: null, never 0.
      assert.equal(w.csat, null);
      assert.equal(w.escalation_rate, null);
      assert.equal(w.response_sla_attainment, null);
      // FCR is derived from the kept counts: A1 neither reassigned nor reopened.
      assert.equal(w.fcr_rate, 0.5);
    } finally {
      await store.close();
    }
  });
});
