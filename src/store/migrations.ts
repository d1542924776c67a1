import { compareText } from '../core/compare.ts';
import type { Migration } from './store.ts';

/**
 * Schema migrations. Each domain (core, and later git history or support cases) owns a
 * numbered list; `schema_migrations` records what a store has applied, so opening a store
 * applies only what is new, each migration in its own transaction. Never edit a migration
 * that has shipped: add the next version.
 */

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  domain VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  description VARCHAR NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (domain, version)
)`;

/** The assessment history: runs, their findings, baselines and control results. */
export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    domain: 'core',
    version: 1,
    description: 'runs, findings, baselines, control results and the assessment of each run',
    up: [
      // Times are kept as the ISO strings the assessment carries, so they read back exactly;
      // CAST(started_at AS TIMESTAMPTZ) when SQL needs a timestamp.
      `CREATE TABLE runs (
        run INTEGER PRIMARY KEY,
        assessment_id VARCHAR NOT NULL,
        domain VARCHAR NOT NULL,
        root VARCHAR NOT NULL,
        started_at VARCHAR NOT NULL,
        finished_at VARCHAR NOT NULL,
        saved_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
        label VARCHAR,
        tool_version VARCHAR NOT NULL,
        subjects INTEGER NOT NULL,
        findings INTEGER NOT NULL,
        pass INTEGER NOT NULL,
        fail INTEGER NOT NULL,
        unknown INTEGER NOT NULL,
        error INTEGER NOT NULL,
        waived INTEGER NOT NULL,
        not_applicable INTEGER NOT NULL,
        failed_critical INTEGER NOT NULL,
        failed_high INTEGER NOT NULL,
        failed_medium INTEGER NOT NULL,
        failed_low INTEGER NOT NULL,
        failed_info INTEGER NOT NULL,
        score DOUBLE,
        score_before_waivers DOUBLE,
        input_errors INTEGER NOT NULL
      )`,
      // The assessment without its findings (those are rows of \`findings\`), so nothing is stored twice.
      `CREATE TABLE assessments (
        run INTEGER PRIMARY KEY,
        body JSON NOT NULL
      )`,
      // No index: rows arrive grouped by run, so DuckDB's min/max zone maps already skip other runs.
      `CREATE TABLE findings (
        run INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        check_id VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        original_status VARCHAR,
        message VARCHAR NOT NULL,
        subject_id VARCHAR NOT NULL,
        subject_name VARCHAR NOT NULL,
        subject_type VARCHAR NOT NULL,
        subject_kind VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        line INTEGER NOT NULL,
        "column" INTEGER NOT NULL,
        controls VARCHAR[] NOT NULL,
        evidence JSON,
        waiver JSON,
        extra JSON
      )`,
      `CREATE TABLE baselines (
        run INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        total INTEGER NOT NULL,
        automated INTEGER NOT NULL,
        assessed INTEGER NOT NULL,
        met INTEGER NOT NULL,
        not_met INTEGER NOT NULL,
        partially_met INTEGER NOT NULL,
        unknown INTEGER NOT NULL,
        waived INTEGER NOT NULL,
        not_assessed INTEGER NOT NULL,
        PRIMARY KEY (run, name)
      )`,
      `CREATE TABLE control_results (
        run INTEGER NOT NULL,
        baseline VARCHAR NOT NULL,
        control_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        checks INTEGER NOT NULL,
        findings INTEGER NOT NULL
      )`,
    ],
  },
  {
    domain: 'core',
    version: 2,
    description: 'runs record their kind, series and check-set digest',
    // A table of its own rather than ALTER TABLE runs: DuckDB (1.5) cannot replay an ADD
    // COLUMN on a table with a DEFAULT from its write-ahead log, so a crash right after the
    // migration would leave a store that no longer opens. Filled for earlier runs from their
    // saved assessments right after this migration (backfillRunSeries in duckdb.ts).
    up: [
      `CREATE TABLE run_series (
        run INTEGER PRIMARY KEY,
        kind VARCHAR NOT NULL,
        series VARCHAR NOT NULL,
        check_set VARCHAR NOT NULL
      )`,
    ],
  },
  {
    domain: 'core',
    version: 3,
    description: 'idempotency keys of saved runs (a retried job saves its run once)',
    up: [
      `CREATE TABLE run_keys (
        key VARCHAR PRIMARY KEY,
        run INTEGER NOT NULL
      )`,
    ],
  },
  {
    domain: 'core',
    version: 4,
    description: "findings indexed by run on PostgreSQL (one run's findings without a full scan)",
    up: [],
    // DuckDB keeps no index (zone maps skip other runs, see v1); PostgreSQL read one run's
    // findings by scanning all of them: diff took 0.8-1.4 s at 5M findings, 0.2 s with this.
    postgresUp: ['CREATE INDEX IF NOT EXISTS findings_by_run ON findings (run, seq)'],
  },
];

const registered: Migration[] = [...CORE_MIGRATIONS];

/**
 * Adds a domain's migrations (e.g. git history tables). Call it before opening the store;
 * versions must be unique within the domain. Returns the full list now registered.
 */
export function registerMigrations(list: readonly Migration[]): readonly Migration[] {
  for (const m of list) {
    if (!/^[a-z][a-z0-9-]*$/.test(m.domain))
      throw new Error(`migration domain '${m.domain}' is not a simple name`);
    if (!Number.isInteger(m.version) || m.version < 1)
      throw new Error(`migration ${m.domain} v${m.version}: version must be a positive integer`);
    const same = registered.find((r) => r.domain === m.domain && r.version === m.version);
    if (same) {
      if (same === m) continue;
      throw new Error(`migration ${m.domain} v${m.version} is registered twice`);
    }
    registered.push(m);
  }
  return registeredMigrations();
}

/** Every registered migration, by domain and then version. */
export function registeredMigrations(): readonly Migration[] {
  return [...registered].sort((a, b) => compareText(a.domain, b.domain) || a.version - b.version);
}
