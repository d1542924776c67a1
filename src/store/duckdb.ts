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
import type { Assessment, Finding, Severity, Status } from '../core/model.ts';
import { StoreError } from './errors.ts';
import { MIGRATIONS_TABLE, registeredMigrations } from './migrations.ts';
import type {
  FindingPage,
  FindingQuery,
  Migration,
  RunFilter,
  RunSummary,
  SeriesSummary,
  SqlRunner,
  SqlStore,
} from './store.ts';
import { runSummary } from './summary.ts';
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
/** Test hook: pause this long inside the save transaction, after the findings are written. */
export const PAUSE_IN_SAVE_ENV = 'ASSAY_TEST_PAUSE_IN_SAVE_MS';
const DEFAULT_PAGE = 100;

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
      await backfillRunSeries(conn, shown);
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
async function checkSchema(conn: DuckDBConnection, shown: string): Promise<Migration[]> {
  const applied = new Map<string, number>();
  const tables = await query<{ n: number }>(
    conn,
    shown,
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_migrations'`,
  );
  if (tables[0].n > 0) {
    const rows = await query<{ domain: string; version: number }>(
      conn,
      shown,
      'SELECT domain, max(version) AS version FROM schema_migrations GROUP BY domain',
    );
    for (const r of rows) applied.set(r.domain, r.version);
  }
  const all = registeredMigrations();
  for (const domain of new Set(all.map((m) => m.domain))) {
    const known = Math.max(...all.filter((m) => m.domain === domain).map((m) => m.version));
    const have = applied.get(domain) ?? 0;
    if (have > known)
      throw new StoreError(
        'newer-schema',
        shown,
        `the store ${shown} has ${domain} schema version ${have}, newer than this assay knows (${known}); upgrade assay to read it`,
      );
  }
  return all.filter((m) => m.version > (applied.get(m.domain) ?? 0));
}

async function applyMigrations(conn: DuckDBConnection, shown: string, pending: Migration[]): Promise<void> {
  await exec(conn, shown, MIGRATIONS_TABLE);
  for (const m of pending) {
    await exec(conn, shown, 'BEGIN TRANSACTION');
    try {
      for (const statement of m.up) await exec(conn, shown, statement);
      await exec(
        conn,
        shown,
        'INSERT INTO schema_migrations (domain, version, description) VALUES (?, ?, ?)',
        [m.domain, m.version, m.description],
      );
      await exec(conn, shown, 'COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw new StoreError(
        'database',
        shown,
        `the store ${shown}: migration ${m.domain} v${m.version} (${m.description}) failed: ${errorText(err instanceof StoreError && err.cause ? err.cause : err)}`,
        { cause: err },
      );
    }
  }
}

/**
 * Runs saved before core v2 have no kind, series or check-set digest: work them out from
 * each run's saved assessment, as a new save would (src/store/summary.ts), in one transaction.
 */
async function backfillRunSeries(conn: DuckDBConnection, shown: string): Promise<void> {
  const rows = await query<{ run: number; body: string }>(
    conn,
    shown,
    'SELECT a.run, a.body FROM assessments a ANTI JOIN run_series s USING (run) ORDER BY a.run',
  );
  if (rows.length === 0) return;
  await exec(conn, shown, 'BEGIN TRANSACTION');
  try {
    for (const r of rows) {
      const s = runSummary(JSON.parse(r.body) as Assessment, r.run);
      await exec(conn, shown, 'INSERT INTO run_series VALUES (?, ?, ?, ?)', [
        r.run,
        s.kind,
        s.series,
        s.checkSet,
      ]);
    }
    await exec(conn, shown, 'COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// --- The store ---------------------------------------------------------------------------

interface RunRow {
  run: number;
  assessment_id: string;
  domain: string;
  root: string;
  started_at: string;
  finished_at: string;
  label: string | null;
  subjects: number;
  findings: number;
  pass: number;
  fail: number;
  unknown: number;
  error: number;
  waived: number;
  not_applicable: number;
  failed_critical: number;
  failed_high: number;
  failed_medium: number;
  failed_low: number;
  failed_info: number;
  score: number | null;
  score_before_waivers: number | null;
  kind: string | null;
  series: string | null;
  check_set: string | null;
}

/**
 * A run's series key in SQL over `runs r LEFT JOIN run_series s`: as toRunSummary gives it,
 * so a run a read-only reader sees before its backfill is still found by its key.
 */
const SERIES_KEY = `COALESCE(s.series, 'unrecorded:' || r.domain)`;

interface BaselineRow {
  run: number;
  name: string;
  title: string;
  total: number;
  automated: number;
  assessed: number;
  met: number;
  not_met: number;
  partially_met: number;
  unknown: number;
  waived: number;
  not_assessed: number;
}

interface FindingRow {
  check_id: string;
  title: string;
  severity: string;
  status: string;
  original_status: string | null;
  message: string;
  subject_id: string;
  subject_name: string;
  subject_type: string;
  subject_kind: string;
  file: string;
  line: number;
  column: number;
  controls: string[];
  evidence: string | null;
  waiver: string | null;
  extra: string | null;
}

const RUN_COLUMNS =
  'run, assessment_id, domain, root, started_at, finished_at, saved_at, label, tool_version, subjects, findings, pass, fail, unknown, error, waived, not_applicable, failed_critical, failed_high, failed_medium, failed_low, failed_info, score, score_before_waivers, input_errors';

const FINDING_COLUMNS =
  'check_id, title, severity, status, original_status, message, subject_id, subject_name, subject_type, subject_kind, file, line, "column", controls, evidence, waiver, extra';

/** Finding fields with a column of their own; anything else a finding carries goes to `extra`. */
const FINDING_FIELDS = new Set([
  'checkId',
  'title',
  'severity',
  'status',
  'originalStatus',
  'message',
  'subject',
  'location',
  'controls',
  'evidence',
  'waiver',
]);

class DuckDbStore implements SqlStore {
  /** One statement at a time on this connection, so a transaction never takes in another call's statements. */
  private readonly turns = new Mutex();
  private closed = false;

  constructor(
    private readonly shared: SharedFile,
    private readonly conn: DuckDBConnection,
    /** The file as messages name it. */
    readonly file: string,
    readonly readOnly: boolean,
  ) {}

  async saveAssessment(assessment: Assessment, options: { label?: string } = {}): Promise<RunSummary> {
    this.assertWritable();
    return this.shared.writes.run(() =>
      this.turns.run(() => this.inTransaction(() => this.insertRun(assessment, options.label))),
    );
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    this.assertOpen();
    return this.turns.run(async () => {
      const terms: string[] = [];
      const params: DuckDBValue[] = [];
      if (filter.domain !== undefined) {
        terms.push('domain = ?');
        params.push(filter.domain);
      }
      if (filter.series !== undefined) {
        terms.push(
          `run IN (SELECT run FROM runs r LEFT JOIN run_series s USING (run) WHERE ${SERIES_KEY} = ?)`,
        );
        params.push(filter.series);
      }
      const where = terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '';
      const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
      const selected = `SELECT run FROM runs ${where} ORDER BY run DESC${limit}`;
      const runs = await this.all_<RunRow>(
        `SELECT r.*, s.kind, s.series, s.check_set FROM runs r LEFT JOIN run_series s USING (run)
         WHERE r.run IN (${selected}) ORDER BY r.run DESC`,
        params,
      );
      const baselines = await this.all_<BaselineRow>(
        `SELECT * FROM baselines WHERE run IN (${selected}) ORDER BY run, name`,
        params,
      );
      const byRun = new Map<number, BaselineRow[]>();
      for (const b of baselines) byRun.set(b.run, [...(byRun.get(b.run) ?? []), b]);
      return runs.map((r) => toRunSummary(r, byRun.get(r.run) ?? []));
    });
  }

  async listSeries(filter: Pick<RunFilter, 'domain'> = {}): Promise<SeriesSummary[]> {
    this.assertOpen();
    return this.turns.run(async () => {
      const where = filter.domain !== undefined ? 'WHERE r.domain = ?' : '';
      const rows = await this.all_<{
        key: string;
        domain: string;
        kind: string;
        runs: number;
        newest_run: number;
        newest_at: string;
      }>(
        `SELECT ${SERIES_KEY} AS key, arg_max(r.domain, r.run) AS domain,
           arg_max(COALESCE(s.kind, r.domain), r.run) AS kind, count(*) AS runs,
           max(r.run) AS newest_run, arg_max(r.finished_at, r.run) AS newest_at
         FROM runs r LEFT JOIN run_series s USING (run) ${where}
         GROUP BY key ORDER BY newest_run DESC`,
        filter.domain !== undefined ? [filter.domain] : [],
      );
      return rows.map((r) => ({
        key: r.key,
        domain: r.domain,
        kind: r.kind,
        runs: Number(r.runs),
        newestRun: Number(r.newest_run),
        newestAt: r.newest_at,
      }));
    });
  }

  async getAssessment(run: number): Promise<Assessment | undefined> {
    this.assertOpen();
    return this.turns.run(async () => {
      const body = await this.all_<{ body: string }>('SELECT body FROM assessments WHERE run = ?', [run]);
      if (body.length === 0) return undefined;
      const assessment = JSON.parse(body[0].body) as Assessment;
      const rows = await this.all_<FindingRow>(
        `SELECT ${FINDING_COLUMNS} FROM findings WHERE run = ? ORDER BY seq`,
        [run],
      );
      // The saved body keeps an empty `findings` in its place, so the key order reads back as written.
      assessment.findings = rows.map(toFinding);
      return assessment;
    });
  }

  async queryFindings(q: FindingQuery): Promise<FindingPage> {
    this.assertOpen();
    const where = ['run = ?'];
    const params: DuckDBValue[] = [q.run];
    const oneOf = (column: string, values: readonly string[] | undefined) => {
      if (!values || values.length === 0) return;
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    oneOf('severity', q.severity);
    oneOf('status', q.status);
    oneOf('check_id', q.checkId);
    if (q.control) {
      where.push('list_contains(controls, ?)');
      params.push(q.control);
    }
    if (q.subjectId) {
      where.push('subject_id = ?');
      params.push(q.subjectId);
    }
    // contains() on lower() rather than ILIKE: the user's text needs no escaping of % and _.
    if (q.subject) {
      const s = q.subject.toLowerCase();
      where.push('(contains(lower(subject_id), ?) OR contains(lower(subject_name), ?))');
      params.push(s, s);
    }
    if (q.file) {
      where.push('contains(lower(file), ?)');
      params.push(q.file.toLowerCase());
    }
    if (q.text) {
      const t = q.text.toLowerCase();
      where.push(
        '(contains(lower(message), ?) OR contains(lower(title), ?) OR contains(lower(subject_name), ?))',
      );
      params.push(t, t, t);
    }
    const limit = Math.max(0, Math.floor(q.limit ?? DEFAULT_PAGE));
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const clause = where.join(' AND ');
    return this.turns.run(async () => {
      const count = await this.all_<{ n: number }>(
        `SELECT count(*) AS n FROM findings WHERE ${clause}`,
        params,
      );
      const rows = await this.all_<FindingRow>(
        `SELECT ${FINDING_COLUMNS} FROM findings WHERE ${clause} ORDER BY seq LIMIT ${limit} OFFSET ${offset}`,
        params,
      );
      return { total: count[0].n, findings: rows.map(toFinding) };
    });
  }

  async transaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    this.assertWritable();
    const runner: SqlRunner = {
      all: <R = Record<string, unknown>>(sql: string, params?: unknown[]) =>
        this.all_<R>(sql, (params ?? []).map(toDuckValue)),
      run: (sql: string, params?: unknown[]) =>
        exec(this.conn, this.file, sql, (params ?? []).map(toDuckValue)),
    };
    return this.shared.writes.run(() => this.turns.run(() => this.inTransaction(() => fn(runner))));
  }

  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.assertOpen();
    return this.turns.run(() => this.all_<T>(sql, params.map(toDuckValue)));
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    this.assertOpen();
    return this.turns.run(() => exec(this.conn, this.file, sql, params.map(toDuckValue)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.turns.run(async () => undefined);
    this.conn.closeSync();
    release(this.shared);
  }

  // --- internals (callers hold `turns`) ---

  private all_<T>(sql: string, params: DuckDBValue[] = []): Promise<T[]> {
    return query<T>(this.conn, this.file, sql, params);
  }

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

  private async insertRun(a: Assessment, label: string | undefined): Promise<RunSummary> {
    const next = await this.all_<{ run: number }>('SELECT coalesce(max(run), 0) + 1 AS run FROM runs');
    const run = next[0].run;
    const summary = runSummary(a, run, label);
    const s = a.summary;
    await exec(
      this.conn,
      this.file,
      `INSERT INTO runs (${RUN_COLUMNS}) VALUES (${RUN_COLUMNS.split(',').fill('?').join(', ')})`,
      [
        run,
        a.id,
        a.domain,
        a.root,
        a.startedAt,
        a.finishedAt,
        new Date().toISOString(),
        label ?? null,
        a.tool.version,
        s.subjects,
        s.findings,
        s.byStatus.pass,
        s.byStatus.fail,
        s.byStatus.unknown,
        s.byStatus.error,
        s.byStatus.waived,
        s.byStatus['not-applicable'],
        s.failedBySeverity.critical ?? 0,
        s.failedBySeverity.high ?? 0,
        s.failedBySeverity.medium ?? 0,
        s.failedBySeverity.low ?? 0,
        s.failedBySeverity.info ?? 0,
        s.score,
        s.scoreBeforeWaivers,
        a.errors.length,
      ],
    );
    await exec(this.conn, this.file, 'INSERT INTO run_series VALUES (?, ?, ?, ?)', [
      run,
      summary.kind,
      summary.series,
      summary.checkSet,
    ]);
    await exec(this.conn, this.file, 'INSERT INTO assessments VALUES (?, ?)', [
      run,
      JSON.stringify({ ...a, findings: [] }),
    ]);
    await this.append('findings', (ap) => {
      for (let seq = 0; seq < a.findings.length; seq++) appendFinding(ap, run, seq, a.findings[seq]);
    });
    for (const m of a.compliance ?? []) {
      const c = m.coverage;
      await exec(this.conn, this.file, `INSERT INTO baselines VALUES (${Array(12).fill('?').join(', ')})`, [
        run,
        m.baseline.name,
        m.baseline.title,
        c.total,
        c.automated,
        c.assessed,
        c.met,
        c.notMet,
        c.partiallyMet,
        c.unknown,
        c.waived,
        c.notAssessed,
      ]);
    }
    await this.append('control_results', (ap) => {
      for (const m of a.compliance ?? [])
        for (const c of m.controls) {
          ap.appendInteger(run);
          ap.appendVarchar(m.baseline.name);
          ap.appendVarchar(c.id);
          ap.appendVarchar(c.status);
          ap.appendInteger(c.checks.length);
          ap.appendInteger(c.findings.length);
          ap.endRow();
        }
    });
    const pause = Number(process.env[PAUSE_IN_SAVE_ENV] ?? 0);
    if (pause > 0) {
      process.stderr.write(`assay: test pause inside the save of run ${run} (${PAUSE_IN_SAVE_ENV})\n`);
      await sleep(pause);
    }
    return summary;
  }

  /** Bulk rows through DuckDB's appender, inside the current transaction. */
  private async append(table: string, fill: (ap: DuckDBAppender) => void): Promise<void> {
    let ap: DuckDBAppender;
    try {
      ap = await this.conn.createAppender(table);
    } catch (err) {
      throw dbError(this.file, err);
    }
    try {
      fill(ap);
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
    if (this.closed) throw new StoreError('database', this.file, `the store ${this.file} is closed`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly)
      throw new StoreError(
        'database',
        this.file,
        `the store ${this.file} was opened read-only; it cannot save`,
      );
  }
}

const STRING_LIST = LIST(VARCHAR);

function appendFinding(ap: DuckDBAppender, run: number, seq: number, f: Finding): void {
  ap.appendInteger(run);
  ap.appendInteger(seq);
  ap.appendVarchar(f.checkId);
  ap.appendVarchar(f.title);
  ap.appendVarchar(f.severity);
  ap.appendVarchar(f.status);
  appendText(ap, f.originalStatus);
  ap.appendVarchar(f.message);
  ap.appendVarchar(f.subject.id);
  ap.appendVarchar(f.subject.name);
  ap.appendVarchar(f.subject.type);
  ap.appendVarchar(f.subject.kind);
  ap.appendVarchar(f.location.file);
  ap.appendInteger(f.location.line);
  ap.appendInteger(f.location.column);
  ap.appendList(f.controls, STRING_LIST);
  appendText(ap, f.evidence === undefined ? undefined : JSON.stringify(f.evidence));
  appendText(ap, f.waiver === undefined ? undefined : JSON.stringify(f.waiver));
  let extra: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(f)) {
    if (FINDING_FIELDS.has(k) || v === undefined) continue;
    extra ??= {};
    extra[k] = v;
  }
  appendText(ap, extra === undefined ? undefined : JSON.stringify(extra));
  ap.endRow();
}

function appendText(ap: DuckDBAppender, value: string | undefined): void {
  if (value === undefined) ap.appendNull();
  else ap.appendVarchar(value);
}

function toFinding(r: FindingRow): Finding {
  const f: Finding = {
    checkId: r.check_id,
    title: r.title,
    severity: r.severity as Severity,
    status: r.status as Status,
    ...(r.original_status !== null ? { originalStatus: r.original_status as Status } : {}),
    message: r.message,
    subject: { id: r.subject_id, name: r.subject_name, type: r.subject_type, kind: r.subject_kind },
    location: { file: r.file, line: r.line, column: r.column },
    controls: r.controls,
  };
  if (r.evidence !== null) f.evidence = JSON.parse(r.evidence) as Record<string, unknown>;
  if (r.waiver !== null) f.waiver = JSON.parse(r.waiver) as Finding['waiver'];
  if (r.extra !== null) Object.assign(f, JSON.parse(r.extra) as object);
  return f;
}

function toRunSummary(r: RunRow, baselines: BaselineRow[]): RunSummary {
  return {
    run: r.run,
    assessmentId: r.assessment_id,
    domain: r.domain,
    // Null only while a read-only reader sees a store whose backfill has not run yet.
    kind: r.kind ?? r.domain,
    series: r.series ?? `unrecorded:${r.domain}`,
    checkSet: r.check_set ?? '',
    root: r.root,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    ...(r.label !== null ? { label: r.label } : {}),
    subjects: r.subjects,
    findings: r.findings,
    byStatus: {
      pass: r.pass,
      fail: r.fail,
      unknown: r.unknown,
      error: r.error,
      waived: r.waived,
      'not-applicable': r.not_applicable,
    },
    failedBySeverity: {
      critical: r.failed_critical,
      high: r.failed_high,
      medium: r.failed_medium,
      low: r.failed_low,
      info: r.failed_info,
    },
    score: r.score,
    scoreBeforeWaivers: r.score_before_waivers,
    baselines: baselines.map((b) => ({
      name: b.name,
      title: b.title,
      total: b.total,
      automated: b.automated,
      assessed: b.assessed,
      met: b.met,
      notMet: b.not_met,
      partiallyMet: b.partially_met,
      unknown: b.unknown,
      waived: b.waived,
      notAssessed: b.not_assessed,
    })),
  };
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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
