/**
 * Readiness tables in the project store (`.assay/assay.duckdb`): the cases of every export
 * ingested by a saved run, keyed by source (export file + preset), so SQL over the store sees
 * them beside the runs. Register READINESS_MIGRATIONS before opening the store.
 */
import type { Migration } from '../store/store.ts';
import { type CaseDb, DEFAULT_MEMORY_LIMIT, sqlString } from './db.ts';

export const READINESS_MIGRATIONS: readonly Migration[] = [
  {
    domain: 'readiness',
    version: 1,
    description: 'support cases per source (export file and preset), for KPIs in SQL',
    // Ingest reads exports with DuckDB's read_csv and the KPIs use DuckDB's SQL.
    duckdbOnly: 'readiness case tables (a saved assay readiness run)',
    up: [
      // One row per ingested export; re-ingesting the same file with the same preset replaces it.
      `CREATE TABLE readiness_sources (
        source INTEGER PRIMARY KEY,
        file VARCHAR NOT NULL,
        preset VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        records INTEGER NOT NULL,
        loaded INTEGER NOT NULL,
        cases INTEGER NOT NULL,
        bad_rows INTEGER NOT NULL,
        event_log BOOLEAN NOT NULL,
        loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
        UNIQUE (file, preset)
      )`,
      // The columns of the in-memory case table (ingest.ts), led by the source. No key: two
      // sources may hold the same case id, and rows arrive grouped by source, so DuckDB's
      // zone maps already skip other sources.
      `CREATE TABLE readiness_cases (
        source INTEGER NOT NULL,
        id VARCHAR NOT NULL,
        cloud VARCHAR NOT NULL,
        priority VARCHAR NOT NULL,
        grp VARCHAR NOT NULL,
        state VARCHAR,
        opened_at TIMESTAMP NOT NULL,
        first_response_at TIMESTAMP,
        resolved_at TIMESTAMP,
        closed_at TIMESTAMP,
        done_at TIMESTAMP,
        sla_met BOOLEAN,
        reopen_count INTEGER,
        reassignment_count INTEGER,
        events INTEGER,
        rn BIGINT
      )`,
    ],
  },
  {
    domain: 'readiness',
    version: 2,
    description:
      'support case columns for the breakdowns (category, configuration item, channel), response SLA, first-contact resolution, escalation and CSAT',
    duckdbOnly: 'readiness case tables (a saved assay readiness run)',
    // Cases kept by version 1 keep their rows; the new columns are NULL for them (unavailable
    // until the export is ingested again), never a value that reads as 0.
    up: [
      'ALTER TABLE readiness_cases ADD COLUMN category VARCHAR',
      'ALTER TABLE readiness_cases ADD COLUMN ci VARCHAR',
      'ALTER TABLE readiness_cases ADD COLUMN channel VARCHAR',
      'ALTER TABLE readiness_cases ADD COLUMN response_sla_met BOOLEAN',
      'ALTER TABLE readiness_cases ADD COLUMN response_due_at TIMESTAMP',
      'ALTER TABLE readiness_cases ADD COLUMN first_contact_resolved BOOLEAN',
      'ALTER TABLE readiness_cases ADD COLUMN escalated BOOLEAN',
      'ALTER TABLE readiness_cases ADD COLUMN csat_satisfied BOOLEAN',
    ],
  },
];

/**
 * Caps the store's memory as the private database is capped (db.ts): a large export then
 * spills to disk instead of growing the process. The setting lasts while the store is open.
 */
export async function limitCaseMemory(db: CaseDb, limit = DEFAULT_MEMORY_LIMIT): Promise<void> {
  await db.run(`SET memory_limit = ${sqlString(limit)}`);
}
