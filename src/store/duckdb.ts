import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBValue,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import type { Assessment } from '../core/model.ts';
import { assertUsable, StoreError } from './errors.ts';
import {
  errorText,
  FINDING_COLUMN_TYPES,
  getAssessment,
  listRuns,
  listSeries,
  migrate,
  pauseInSave,
  pendingMigrations,
  queryFindings,
  type RowSink,
  saveKeyedRun,
  sleep,
} from './sql-history.ts';
import type {
  FindingPage,
  FindingQuery,
  Migration,
  RunFilter,
  RunSummary,
  SaveOptions,
  SeriesSummary,
  SqlRunner,
  SqlStore,
} from './store.ts';
import { announceWriter, type WriterClaim } from './writer-waiting.ts';

/**
 * The embedded store: one DuckDB file, `.assay/assay.duckdb` by default. DuckDB lets one
 * process own a file, so a second process waits (retrying the open) and then fails with a
 * message naming the holder; within a process, stores of the same file share one database
 * instance and take turns to write. Every save is one transaction, so a crash leaves the
 * runs committed before it intact (DuckDB replays its write-ahead log on the next open).
 */

export const DEFAULT_STORE_PATH = '.assay/assay.duckdb';
export const DEFAULT_WAIT_MS = 10_000;
export { PAUSE_IN_SAVE_ENV } from './sql-history.ts';

export interface OpenStoreOptions {
  /** Never writes; several read-only processes may share the file. The file must exist. */
  readOnly?: boolean;
  /** How long to keep retrying while another process holds the file (default 10 s). */
  waitMs?: number;
}

export async function openStore(
  path = DEFAULT_STORE_PATH,
  options: OpenStoreOptions = {},
): Promise<SqlStore> {
  const file = resolve(path);
  const shown = displayPath(file);
  const readOnly = options.readOnly === true;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  if (readOnly && !existsSync(file))
    throw new StoreError('missing', shown, `no store at ${shown}: save a run first (assay scan --save)`);
  if (!readOnly) mkdirSync(dirname(file), { recursive: true });

  let shared = await acquire(file, shown, readOnly, waitMs);
  try {
    let conn = await shared.instance.connect();
    // Check and migrate in one turn, so two stores opening together do not both migrate.
    const pending = await shared.writes.run(async () => {
      const todo = await checkSchema(conn, shown);
      if (todo.length === 0 || shared.readOnly) return todo;
      await applyMigrations(conn, shown, todo);
      return [];
    });
    if (pending.length > 0) {
      // A read-only open of a store with an older schema: upgrade it once, then read.
      conn.closeSync();
      release(shared);
      const writer = await openStore(path, { waitMs });
      await writer.close();
      shared = await acquire(file, shown, readOnly, waitMs);
      conn = await shared.instance.connect();
    }
    return new DuckDbStore(shared, conn, shown, readOnly);
  } catch (err) {
    release(shared);
    throw err;
  }
}

// --- One database instance per file per process ---------------------------------------

/** Runs async functions one at a time, in call order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface SharedFile {
  file: string;
  instance: DuckDBInstance;
  readOnly: boolean;
  refs: number;
  /** Saves and transactions of every store of this file in this process take turns. */
  writes: Mutex;
  /** The marker a writer put down while it waited; taken away when the file is closed. */
  claim?: WriterClaim;
}

// Two DuckDB instances on one file in one process would both write it: share one instead.
const openFiles = new Map<string, Promise<SharedFile>>();

async function acquire(file: string, shown: string, readOnly: boolean, waitMs: number): Promise<SharedFile> {
  const deadline = Date.now() + waitMs;
  // A writer that has to wait says so beside the store, so that readers let go (writer-waiting.ts).
  let claim: WriterClaim | undefined;
  const waiting = () => {
    if (readOnly) return;
    claim ??= announceWriter(file);
    claim.renew();
  };
  try {
    for (;;) {
      const existing = openFiles.get(file);
      if (!existing) break;
      const shared = await existing;
      if (!shared.readOnly || readOnly) {
        shared.refs++;
        claim?.withdraw();
        return shared;
      }
      // Open read-only here and wanted for writing: wait for its readers to close, as for another process.
      if (Date.now() >= deadline)
        throw new StoreError(
          'in-use',
          shown,
          `the store ${shown} is open read-only in this process; close it before opening it for writing`,
        );
      waiting();
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
    const opening = openInstance(file, shown, readOnly, waitMs, waiting).then(
      (instance): SharedFile => ({
        file,
        instance,
        readOnly,
        refs: 1,
        writes: new Mutex(),
        ...(claim ? { claim } : {}),
      }),
    );
    openFiles.set(file, opening);
    try {
      return await opening;
    } catch (err) {
      openFiles.delete(file);
      throw err;
    }
  } catch (err) {
    claim?.withdraw();
    throw err;
  }
}

function release(shared: SharedFile): void {
  shared.refs--;
  if (shared.refs > 0) return;
  openFiles.delete(shared.file);
  shared.instance.closeSync();
  shared.claim?.withdraw();
}

const LOCK_CONFLICT = /Could not set lock on file|Conflicting lock/i;

async function openInstance(
  file: string,
  shown: string,
  readOnly: boolean,
  waitMs: number,
  onWait: () => void,
): Promise<DuckDBInstance> {
  const deadline = Date.now() + waitMs;
  let delay = 25;
  for (;;) {
    try {
      return await DuckDBInstance.create(file, {
        ...(readOnly ? { access_mode: 'READ_ONLY' } : {}),
        // Never reach for the network: the extensions the store uses are built in.
        autoinstall_known_extensions: 'false',
      });
    } catch (err) {
      const message = errorText(err);
      if (!LOCK_CONFLICT.test(message)) throw openError(message, shown, err);
      const left = deadline - Date.now();
      if (left <= 0) throw inUseError(message, shown, waitMs, err);
      onWait();
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 400);
    }
  }
}

function inUseError(message: string, shown: string, waitMs: number, cause: unknown): StoreError {
  const pid = /PID (\d+)/i.exec(message)?.[1];
  const holder = pid ? ` (pid ${pid})` : '';
  const waited = waitMs > 0 ? ` (waited ${(waitMs / 1000).toFixed(waitMs % 1000 ? 1 : 0)} s)` : '';
  return new StoreError(
    'in-use',
    shown,
    `the store ${shown} is in use by another process${holder}; retry when it finishes${waited}`,
    { cause },
  );
}

function openError(message: string, shown: string, cause: unknown): StoreError {
  if (/not a valid DuckDB database file/i.test(message))
    return new StoreError(
      'not-a-store',
      shown,
      `${shown} is not a DuckDB database file: not an assay store, or its header is damaged`,
      {
        cause,
      },
    );
  if (/database does not exist/i.test(message))
    return new StoreError('missing', shown, `no store at ${shown}: save a run first (assay scan --save)`, {
      cause,
    });
  if (/corrupt/i.test(message))
    return new StoreError(
      'database',
      shown,
      `the store ${shown} is damaged (${message}); restore a copy, or move it aside to start a new history`,
      { cause },
    );
  return new StoreError('database', shown, `the store ${shown} could not be opened: ${message}`, { cause });
}

// --- Schema ----------------------------------------------------------------------------

/** The migrations this store still needs; fails when it was written by a newer assay. */
function checkSchema(conn: DuckDBConnection, shown: string): Promise<Migration[]> {
  return pendingMigrations(runnerOf(conn, shown), shown);
}

function applyMigrations(conn: DuckDBConnection, shown: string, pending: Migration[]): Promise<void> {
  return migrate(runnerOf(conn, shown), shown, pending, 'duckdb');
}

/** Statements on one connection, parameters bound as DuckDB binds them (the caller holds the turn). */
function runnerOf(conn: DuckDBConnection, shown: string): SqlRunner {
  return {
    all: <R = Record<string, unknown>>(sql: string, params?: unknown[]) =>
      query<R>(conn, shown, sql, (params ?? []).map(toDuckValue)),
    run: (sql: string, params?: unknown[]) => exec(conn, shown, sql, (params ?? []).map(toDuckValue)),
  };
}

// --- The store ---------------------------------------------------------------------------

class DuckDbStore implements SqlStore {
  /** One statement at a time on this connection, so a transaction never takes in another call's statements. */
  private readonly turns = new Mutex();
  private closed = false;
  private readonly sql: SqlRunner;

  constructor(
    private readonly shared: SharedFile,
    private readonly conn: DuckDBConnection,
    /** The file as messages name it. */
    readonly file: string,
    readonly readOnly: boolean,
  ) {
    this.sql = runnerOf(conn, file);
  }

  async saveAssessment(assessment: Assessment, options: SaveOptions = {}): Promise<RunSummary> {
    this.assertWritable();
    const sink: RowSink = { rows: (table, rows) => this.append(table, rows) };
    return this.shared.writes.run(() =>
      this.turns.run(() =>
        this.inTransaction(async () => {
          const { summary, saved } = await saveKeyedRun(this.sql, sink, assessment, options);
          if (saved) await pauseInSave(summary.run);
          return summary;
        }),
      ),
    );
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    this.assertOpen();
    return this.turns.run(() => listRuns(this.sql, filter));
  }

  async listSeries(filter: Pick<RunFilter, 'domain'> = {}): Promise<SeriesSummary[]> {
    this.assertOpen();
    return this.turns.run(() => listSeries(this.sql, filter));
  }

  async getAssessment(run: number): Promise<Assessment | undefined> {
    this.assertOpen();
    return this.turns.run(() => getAssessment(this.sql, run));
  }

  async queryFindings(q: FindingQuery): Promise<FindingPage> {
    this.assertOpen();
    return this.turns.run(() => queryFindings(this.sql, q, 'duckdb'));
  }

  async transaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    this.assertWritable();
    return this.shared.writes.run(() => this.turns.run(() => this.inTransaction(() => fn(this.sql))));
  }

  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.assertOpen();
    return this.turns.run(() => this.sql.all<T>(sql, params));
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    this.assertOpen();
    return this.turns.run(() => this.sql.run(sql, params));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.turns.run(async () => undefined);
    this.conn.closeSync();
    release(this.shared);
  }

  // --- internals (callers hold `turns`) ---

  private async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    await exec(this.conn, this.file, 'BEGIN TRANSACTION');
    try {
      const result = await fn();
      await exec(this.conn, this.file, 'COMMIT');
      return result;
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Bulk rows through DuckDB's appender, inside the current transaction. */
  private async append(table: 'findings' | 'control_results', rows: Iterable<unknown[]>): Promise<void> {
    const types = table === 'findings' ? FINDING_COLUMN_TYPES : CONTROL_RESULT_TYPES;
    let ap: DuckDBAppender;
    try {
      ap = await this.conn.createAppender(table);
    } catch (err) {
      throw dbError(this.file, err);
    }
    try {
      for (const row of rows) appendRow(ap, types, row);
      ap.closeSync();
    } catch (err) {
      // The transaction rolls back; the appender only needs to let go of its rows.
      try {
        ap.clear();
        ap.closeSync();
      } catch {}
      throw dbError(this.file, err);
    }
  }

  private assertOpen(): void {
    assertUsable({ file: this.file, readOnly: this.readOnly, closed: this.closed }, false);
  }

  private assertWritable(): void {
    assertUsable({ file: this.file, readOnly: this.readOnly, closed: this.closed }, true);
  }
}

const STRING_LIST = LIST(VARCHAR);
const CONTROL_RESULT_TYPES = ['integer', 'text', 'text', 'text', 'integer', 'integer'] as const;

function appendRow(
  ap: DuckDBAppender,
  types: readonly (typeof FINDING_COLUMN_TYPES)[number][],
  row: readonly unknown[],
): void {
  for (let i = 0; i < types.length; i++) {
    const v = row[i];
    if (v === null || v === undefined) ap.appendNull();
    else if (types[i] === 'integer') ap.appendInteger(v as number);
    else if (types[i] === 'list') ap.appendList(v as string[], STRING_LIST);
    else ap.appendVarchar(v as string);
  }
  ap.endRow();
}

// --- Helpers -------------------------------------------------------------------------------

async function query<T>(
  conn: DuckDBConnection,
  shown: string,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<T[]> {
  try {
    const reader = await conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map(plainRow) as T[];
  } catch (err) {
    throw dbError(shown, err);
  }
}

async function exec(
  conn: DuckDBConnection,
  shown: string,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<void> {
  try {
    await conn.run(sql, params);
  } catch (err) {
    throw dbError(shown, err);
  }
}

/** Counts come back as BIGINT; as numbers they are easier to use and exact up to 2^53. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row))
    if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER))
      row[k] = Number(v);
  return row;
}

/** Parameters as DuckDB binds them: primitives as they are, arrays as lists, objects as JSON text. */
function toDuckValue(v: unknown): DuckDBValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return v;
  }
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return listValue(v.map(toDuckValue));
  return JSON.stringify(v);
}

function dbError(shown: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError('database', shown, `the store ${shown}: ${errorText(err)}`, { cause: err });
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
