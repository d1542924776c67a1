import pg from 'pg';
import type { Assessment } from '../core/model.ts';
import { assertUsable, StoreError } from './errors.ts';
import { registeredMigrations } from './migrations.ts';
import { maskStoreUrl, urlPassword } from './open.ts';
import {
  errorText,
  getAssessment,
  hasMigrationsTable,
  listRuns,
  listSeries,
  migrate,
  pauseInSave,
  pendingMigrations,
  queryFindings,
  type RowSink,
  saveKeyedRun,
} from './sql-history.ts';
import type {
  FindingPage,
  FindingQuery,
  RunFilter,
  RunSummary,
  SaveOptions,
  SeriesSummary,
  SqlRunner,
  SqlStore,
} from './store.ts';

/**
 * The shared store: a PostgreSQL database named by a `postgres://` URL, through a pool of
 * connections (the `pg` driver, pure JavaScript). The schema, run numbers and migrations are
 * those of the DuckDB store (src/store/sql-history.ts). Every save is one transaction that
 * first locks `runs` against other writers, so saves from several machines are numbered in
 * turn, and a writer that dies mid-save leaves nothing (PostgreSQL rolls its transaction back).
 * Messages name the URL with its password masked.
 */

export interface OpenPostgresOptions {
  /** Every session of the store is read-only; saves and transactions are refused. */
  readOnly?: boolean;
}

/** Connections the pool keeps at most: the dashboard's requests and a save need few. */
const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;
/** Finding rows per INSERT: 19 parameters each, well under PostgreSQL's 65,535. */
const BATCH_ROWS = 1000;

const OID = { int8: 20, json: 114, numeric: 1700, jsonb: 3802 } as const;

/**
 * Values come back as the DuckDB store gives them: JSON as its text (so a saved assessment
 * reads back byte for byte), counts and sums as numbers when exact.
 */
const TYPES = {
  getTypeParser(oid: number, format?: string): unknown {
    if (oid === OID.json || oid === OID.jsonb) return (v: string) => v;
    if (oid === OID.int8)
      return (v: string) => {
        const n = BigInt(v);
        return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
      };
    if (oid === OID.numeric) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export async function openPostgresStore(url: string, options: OpenPostgresOptions = {}): Promise<SqlStore> {
  const shown = maskStoreUrl(url);
  const secret = urlPassword(url);
  const fail: Fail = (err, connecting = false) => pgError(shown, secret, err, connecting);
  const unsupported = registeredMigrations().find((m) => m.duckdbOnly !== undefined);
  if (unsupported)
    throw new StoreError(
      'unsupported',
      shown,
      `${unsupported.duckdbOnly}: not supported on a PostgreSQL store (${shown}); save this run to a DuckDB store file instead (--store .assay/assay.duckdb)`,
    );
  const config: pg.PoolConfig = {
    connectionString: url,
    types: TYPES,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: POOL_SIZE,
  };
  const readOnly = options.readOnly === true;

  // Check and migrate on one connection, holding a lock, so two stores opening together do not both migrate.
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw fail(err, true);
  }
  try {
    const sql = runnerOf(client, fail);
    await sql.run(`SELECT pg_advisory_lock(hashtext('assay-migrations:' || coalesce(current_schema(), '')))`);
    if (readOnly && !(await hasMigrationsTable(sql)))
      throw new StoreError('missing', shown, `no store at ${shown}: save a run first (assay scan --save)`);
    const pending = await pendingMigrations(sql, shown);
    // A read-only open of an older schema upgrades it once, as the DuckDB store does.
    if (pending.length > 0) await migrate(sql, shown, pending, 'postgres');
  } finally {
    await client.end().catch(() => undefined);
  }

  // A read-only store asks for read-only transactions in the connection's start-up packet, so
  // no query races the first one on a new connection (pg deprecates overlapping queries).
  const pool = new pg.Pool(
    readOnly ? { ...config, connectionString: withStartupOption(url, READ_ONLY) } : config,
  );
  // An idle connection the server drops must not end the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new PostgresStore(pool, shown, readOnly, fail);
}

const READ_ONLY = '-c default_transaction_read_only=on';

/**
 * The URL with a server option added to its `options` parameter, after any the user gave
 * (a URL's parameters win over pg's config fields, so the option must travel in the URL).
 */
export function withStartupOption(url: string, option: string): string {
  const u = new URL(url);
  const given = u.searchParams.get('options');
  u.searchParams.set('options', given ? `${given} ${option}` : option);
  return u.toString();
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...`; question marks inside quotes are left alone. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let from = 0;
  let n = 0;
  let quote = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '?') {
      out += `${sql.slice(from, i)}$${++n}`;
      from = i + 1;
    }
  }
  return out + sql.slice(from);
}

type Fail = (err: unknown, connecting?: boolean) => StoreError;

/** Parameters as `pg` sends them, converted as the DuckDB store converts them. */
function toPgValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

function runnerOf(client: pg.ClientBase | pg.Pool, fail: Fail): SqlRunner {
  const query = async <R>(sql: string, params: unknown[] = []): Promise<R[]> => {
    try {
      const result = await client.query(numberPlaceholders(sql), params.map(toPgValue));
      return result.rows as R[];
    } catch (err) {
      throw fail(err);
    }
  };
  return {
    all: <R = Record<string, unknown>>(sql: string, params?: unknown[]) => query<R>(sql, params),
    run: async (sql: string, params?: unknown[]) => {
      await query(sql, params);
    },
  };
}

/** Bulk rows as multi-row INSERTs inside the current transaction. */
function batchSink(sql: SqlRunner): RowSink {
  return {
    async rows(table, rows) {
      let batch: unknown[][] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const row = `(${new Array(batch[0].length).fill('?').join(', ')})`;
        await sql.run(
          `INSERT INTO ${table} VALUES ${new Array(batch.length).fill(row).join(', ')}`,
          batch.flat(),
        );
        batch = [];
      };
      for (const r of rows) {
        batch.push(r);
        if (batch.length >= BATCH_ROWS) await flush();
      }
      await flush();
    },
  };
}

class PostgresStore implements SqlStore {
  private closed = false;
  private readonly sql: SqlRunner;

  constructor(
    private readonly pool: pg.Pool,
    /** The URL as messages name it (password masked). */
    readonly file: string,
    readonly readOnly: boolean,
    private readonly fail: Fail,
  ) {
    this.sql = runnerOf(pool, fail);
  }

  async saveAssessment(assessment: Assessment, options: SaveOptions = {}): Promise<RunSummary> {
    this.assertWritable();
    return this.inTransaction(async (sql) => {
      // Writers take turns (readers go on): the next run number is then free when this one commits.
      await sql.run('LOCK TABLE runs IN SHARE ROW EXCLUSIVE MODE');
      const { summary, saved } = await saveKeyedRun(sql, batchSink(sql), assessment, options);
      if (saved) await pauseInSave(summary.run);
      return summary;
    });
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    this.assertOpen();
    return this.reading((sql) => listRuns(sql, filter));
  }

  async listSeries(filter: Pick<RunFilter, 'domain'> = {}): Promise<SeriesSummary[]> {
    this.assertOpen();
    return listSeries(this.sql, filter);
  }

  async getAssessment(run: number): Promise<Assessment | undefined> {
    this.assertOpen();
    return this.reading((sql) => getAssessment(sql, run));
  }

  async queryFindings(q: FindingQuery): Promise<FindingPage> {
    this.assertOpen();
    return this.reading((sql) => queryFindings(sql, q, 'postgres'));
  }

  async transaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    this.assertWritable();
    return this.inTransaction(fn);
  }

  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.assertOpen();
    return this.sql.all<T>(sql, params);
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    this.assertOpen();
    return this.sql.run(sql, params);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }

  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.fail(err, true);
    }
    let broken = false;
    try {
      return await fn(client);
    } catch (err) {
      // A connection left inside a failed transaction is not given back to the pool.
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** Statements that read one run in several queries see one snapshot of the store. */
  private reading<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      const sql = runnerOf(client, this.fail);
      await sql.run('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await fn(sql);
      await sql.run('COMMIT');
      return result;
    });
  }

  private inTransaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      const sql = runnerOf(client, this.fail);
      await sql.run('BEGIN TRANSACTION');
      const result = await fn(sql);
      await sql.run('COMMIT');
      return result;
    });
  }

  private assertOpen(): void {
    assertUsable({ file: this.file, readOnly: this.readOnly, closed: this.closed }, false);
  }

  private assertWritable(): void {
    assertUsable({ file: this.file, readOnly: this.readOnly, closed: this.closed }, true);
  }
}

/**
 * A driver error as a StoreError naming the masked URL; the password never reaches a message.
 * `connecting` marks errors of opening a connection (refused, unknown host, authentication).
 */
function pgError(shown: string, secret: string | undefined, err: unknown, connecting: boolean): StoreError {
  if (err instanceof StoreError) return err;
  let text = errorText(err);
  if (secret !== undefined && secret.length >= 4) text = text.split(secret).join('***');
  const code = (err as { code?: unknown }).code;
  if (code === '3D000')
    return new StoreError('missing', shown, `no store at ${shown}: ${text} (create the database first)`, {
      cause: err,
    });
  if (connecting)
    return new StoreError(
      'database',
      shown,
      `could not connect to the PostgreSQL store ${shown}: ${text || String(code)}`,
      { cause: err },
    );
  return new StoreError('database', shown, `the store ${shown}: ${text}`, { cause: err });
}
