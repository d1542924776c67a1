import { compareText } from '../core/compare.ts';
import { type Assessment, type Finding, SEVERITIES, type Severity, type Status } from '../core/model.ts';
import { StoreError } from './errors.ts';
import { MIGRATIONS_TABLE, registeredMigrations } from './migrations.ts';
import type {
  FindingGroup,
  FindingGroupBy,
  FindingPage,
  FindingQuery,
  FindingSortKey,
  Migration,
  RunFilter,
  RunSummary,
  SaveOptions,
  SeriesSummary,
  SqlRunner,
} from './store.ts';
import { runSummary } from './summary.ts';

/**
 * What the DuckDB and PostgreSQL stores share: the schema steps (check, migrate, backfill) and
 * the SQL that saves and reads runs, written once in the SQL both databases accept, with `?`
 * placeholders (the PostgreSQL store numbers them). Where the two differ, `Dialect` says how.
 * Each store brings its own connection discipline (a runner that holds its turn).
 */

export type Dialect = 'duckdb' | 'postgres';

const DEFAULT_PAGE = 100;

// --- Schema ----------------------------------------------------------------------------

/** The migrations this store still needs; fails when it was written by a newer assay. */
export async function pendingMigrations(sql: SqlRunner, shown: string): Promise<Migration[]> {
  const applied = new Map<string, number>();
  if (await hasMigrationsTable(sql)) {
    const rows = await sql.all<{ domain: string; version: number }>(
      'SELECT domain, max(version) AS version FROM schema_migrations GROUP BY domain',
    );
    for (const r of rows) applied.set(r.domain, Number(r.version));
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

/** Whether the store has been created (its migrations table exists in the current schema). */
export async function hasMigrationsTable(sql: SqlRunner): Promise<boolean> {
  const tables = await sql.all<{ n: number }>(
    `SELECT count(*) AS n FROM information_schema.tables
     WHERE table_name = 'schema_migrations' AND table_schema = current_schema()`,
  );
  return Number(tables[0].n) > 0;
}

/**
 * Applies each pending migration in its own transaction, its statements translated for the
 * dialect (`postgresStatement`), then works out the series of runs saved before core v2.
 */
export async function migrate(
  sql: SqlRunner,
  shown: string,
  pending: readonly Migration[],
  dialect: Dialect,
): Promise<void> {
  const translate = dialect === 'postgres' ? postgresStatement : (s: string) => s;
  await sql.run(translate(MIGRATIONS_TABLE));
  for (const m of pending) {
    await sql.run('BEGIN TRANSACTION');
    try {
      for (const statement of m.up) await sql.run(translate(statement));
      if (dialect === 'postgres') for (const statement of m.postgresUp ?? []) await sql.run(statement);
      await sql.run('INSERT INTO schema_migrations (domain, version, description) VALUES (?, ?, ?)', [
        m.domain,
        m.version,
        m.description,
      ]);
      await sql.run('COMMIT');
    } catch (err) {
      await sql.run('ROLLBACK').catch(() => undefined);
      throw new StoreError(
        'database',
        shown,
        `the store ${shown}: migration ${m.domain} v${m.version} (${m.description}) failed: ${errorText(err instanceof StoreError && err.cause ? err.cause : err)}`,
        { cause: err },
      );
    }
  }
  await backfillRunSeries(sql);
}

/**
 * A migration statement as PostgreSQL takes it. The schema is written once, in types both
 * databases know, except DuckDB's `DOUBLE`, which PostgreSQL spells `DOUBLE PRECISION`.
 */
export function postgresStatement(statement: string): string {
  return statement.replace(/\bDOUBLE\b(?! PRECISION)/g, 'DOUBLE PRECISION');
}

/**
 * Runs saved before core v2 have no kind, series or check-set digest: work them out from
 * each run's saved assessment, as a new save would (src/store/summary.ts), in one transaction.
 */
async function backfillRunSeries(sql: SqlRunner): Promise<void> {
  const rows = await sql.all<{ run: number; body: string }>(
    `SELECT a.run, a.body FROM assessments a
     WHERE NOT EXISTS (SELECT 1 FROM run_series s WHERE s.run = a.run) ORDER BY a.run`,
  );
  if (rows.length === 0) return;
  await sql.run('BEGIN TRANSACTION');
  try {
    for (const r of rows) {
      const s = runSummary(JSON.parse(r.body) as Assessment, r.run);
      await sql.run('INSERT INTO run_series VALUES (?, ?, ?, ?)', [r.run, s.kind, s.series, s.checkSet]);
    }
    await sql.run('COMMIT');
  } catch (err) {
    await sql.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// --- Saving --------------------------------------------------------------------------------

const RUN_COLUMNS =
  'run, assessment_id, domain, root, started_at, finished_at, saved_at, label, tool_version, subjects, findings, pass, fail, unknown, error, waived, not_applicable, failed_critical, failed_high, failed_medium, failed_low, failed_info, score, score_before_waivers, input_errors';

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

/** How each column of `findings` is filled, in table order (DuckDB's appender needs the type). */
export const FINDING_COLUMN_TYPES = [
  'integer',
  'integer',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'integer',
  'integer',
  'list',
  'text',
  'text',
  'text',
] as const;

/** One finding as the row of `findings` it is saved as (null for an absent optional field). */
export function findingValues(run: number, seq: number, f: Finding): (string | number | string[] | null)[] {
  let extra: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(f)) {
    if (FINDING_FIELDS.has(k) || v === undefined) continue;
    extra ??= {};
    extra[k] = v;
  }
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  return [
    run,
    seq,
    f.checkId,
    f.title,
    f.severity,
    f.status,
    f.originalStatus ?? null,
    f.message,
    f.subject.id,
    f.subject.name,
    f.subject.type,
    f.subject.kind,
    f.location.file,
    f.location.line,
    f.location.column,
    f.controls,
    json(f.evidence),
    json(f.waiver),
    json(extra),
  ];
}

/** Where bulk rows go: DuckDB appends them, PostgreSQL inserts them in batches. */
export interface RowSink {
  rows(table: 'findings' | 'control_results', rows: Iterable<unknown[]>): Promise<void>;
}

/**
 * Writes one run: its row, series, assessment body, findings, baselines and control results.
 * The caller holds the transaction; the run number is the next after the highest saved.
 */
export async function insertRun(
  sql: SqlRunner,
  sink: RowSink,
  a: Assessment,
  label: string | undefined,
): Promise<RunSummary> {
  const next = await sql.all<{ run: number }>('SELECT coalesce(max(run), 0) + 1 AS run FROM runs');
  const run = Number(next[0].run);
  const summary = runSummary(a, run, label);
  const s = a.summary;
  await sql.run(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (${RUN_COLUMNS.split(',').fill('?').join(', ')})`, [
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
  ]);
  await sql.run('INSERT INTO run_series VALUES (?, ?, ?, ?)', [
    run,
    summary.kind,
    summary.series,
    summary.checkSet,
  ]);
  await sql.run('INSERT INTO assessments VALUES (?, ?)', [run, JSON.stringify({ ...a, findings: [] })]);
  await sink.rows(
    'findings',
    (function* () {
      for (let seq = 0; seq < a.findings.length; seq++) yield findingValues(run, seq, a.findings[seq]);
    })(),
  );
  for (const m of a.compliance ?? []) {
    const c = m.coverage;
    await sql.run(`INSERT INTO baselines VALUES (${Array(12).fill('?').join(', ')})`, [
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
  await sink.rows(
    'control_results',
    (function* () {
      for (const m of a.compliance ?? [])
        for (const c of m.controls)
          yield [run, m.baseline.name, c.id, c.status, c.checks.length, c.findings.length];
    })(),
  );
  return summary;
}

/**
 * Saves a run unless its idempotency key is already recorded, in which case the run saved
 * with that key is given back. The caller holds the transaction and the writers' turn, so no
 * other save can record the same key between the look-up and the insert.
 */
export async function saveKeyedRun(
  sql: SqlRunner,
  sink: RowSink,
  a: Assessment,
  options: SaveOptions,
): Promise<{ summary: RunSummary; saved: boolean }> {
  const key = options.idempotencyKey;
  if (key !== undefined) {
    const [summary] = await runsWhere(sql, 'SELECT run FROM run_keys WHERE key = ?', [key]);
    if (summary) return { summary, saved: false };
  }
  const summary = await insertRun(sql, sink, a, options.label);
  if (key !== undefined) await sql.run('INSERT INTO run_keys VALUES (?, ?)', [key, summary.run]);
  return { summary, saved: true };
}

// --- Reading -------------------------------------------------------------------------------

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

const FINDING_COLUMNS =
  'check_id, title, severity, status, original_status, message, subject_id, subject_name, subject_type, subject_kind, file, line, "column", controls, evidence, waiver, extra';

export async function listRuns(sql: SqlRunner, filter: RunFilter): Promise<RunSummary[]> {
  const terms: string[] = [];
  const params: unknown[] = [];
  if (filter.domain !== undefined) {
    terms.push('domain = ?');
    params.push(filter.domain);
  }
  if (filter.series !== undefined) {
    terms.push(`run IN (SELECT run FROM runs r LEFT JOIN run_series s USING (run) WHERE ${SERIES_KEY} = ?)`);
    params.push(filter.series);
  }
  const where = terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '';
  const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
  return runsWhere(sql, `SELECT run FROM runs ${where} ORDER BY run DESC${limit}`, params);
}

/** The summaries of the runs `selected` (a query of run numbers) names, newest first. */
async function runsWhere(sql: SqlRunner, selected: string, params: unknown[]): Promise<RunSummary[]> {
  const runs = await sql.all<RunRow>(
    `SELECT r.*, s.kind, s.series, s.check_set FROM runs r LEFT JOIN run_series s USING (run)
     WHERE r.run IN (${selected}) ORDER BY r.run DESC`,
    params,
  );
  const baselines = await sql.all<BaselineRow>(
    `SELECT * FROM baselines WHERE run IN (${selected}) ORDER BY run, name`,
    params,
  );
  const byRun = new Map<number, BaselineRow[]>();
  for (const b of baselines) byRun.set(b.run, [...(byRun.get(b.run) ?? []), b]);
  return runs.map((r) => toRunSummary(r, byRun.get(r.run) ?? []));
}

export async function listSeries(
  sql: SqlRunner,
  filter: Pick<RunFilter, 'domain'>,
): Promise<SeriesSummary[]> {
  const where = filter.domain !== undefined ? 'WHERE r.domain = ?' : '';
  // The newest run of each series gives its domain, kind and time (no arg_max: PostgreSQL lacks it).
  const rows = await sql.all<{
    series_key: string;
    domain: string;
    kind: string;
    runs: number;
    newest_run: number;
    newest_at: string;
  }>(
    `WITH keyed AS (
       SELECT r.run, r.domain, COALESCE(s.kind, r.domain) AS kind, r.finished_at, ${SERIES_KEY} AS series_key
       FROM runs r LEFT JOIN run_series s USING (run) ${where}
     ), grouped AS (
       SELECT series_key, count(*) AS runs, max(run) AS newest_run FROM keyed GROUP BY series_key
     )
     SELECT g.series_key, k.domain, k.kind, g.runs, g.newest_run, k.finished_at AS newest_at
     FROM grouped g JOIN keyed k ON k.run = g.newest_run ORDER BY g.newest_run DESC`,
    filter.domain !== undefined ? [filter.domain] : [],
  );
  return rows.map((r) => ({
    key: r.series_key,
    domain: r.domain,
    kind: r.kind,
    runs: Number(r.runs),
    newestRun: Number(r.newest_run),
    newestAt: r.newest_at,
  }));
}

export async function getAssessment(sql: SqlRunner, run: number): Promise<Assessment | undefined> {
  const body = await sql.all<{ body: string }>('SELECT body FROM assessments WHERE run = ?', [run]);
  if (body.length === 0) return undefined;
  const assessment = JSON.parse(body[0].body) as Assessment;
  const rows = await sql.all<FindingRow>(
    `SELECT ${FINDING_COLUMNS} FROM findings WHERE run = ? ORDER BY seq`,
    [run],
  );
  // The saved body keeps an empty `findings` in its place, so the key order reads back as written.
  assessment.findings = rows.map(toFinding);
  return assessment;
}

export async function queryFindings(sql: SqlRunner, q: FindingQuery, dialect: Dialect): Promise<FindingPage> {
  const where = ['run = ?'];
  const params: unknown[] = [q.run];
  const oneOf = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  oneOf('severity', q.severity);
  oneOf('status', q.status);
  oneOf('check_id', q.checkId);
  if (q.control) {
    where.push(dialect === 'postgres' ? '? = ANY(controls)' : 'list_contains(controls, ?)');
    params.push(q.control);
  }
  if (q.subjectId) {
    where.push('subject_id = ?');
    params.push(q.subjectId);
  }
  // strpos() on lower() rather than ILIKE: the user's text needs no escaping of % and _.
  const has = (column: string) => `strpos(lower(${column}), ?) > 0`;
  if (q.subject) {
    const s = q.subject.toLowerCase();
    where.push(`(${has('subject_id')} OR ${has('subject_name')})`);
    params.push(s, s);
  }
  if (q.file) {
    where.push(has('file'));
    params.push(q.file.toLowerCase());
  }
  if (q.text) {
    const t = q.text.toLowerCase();
    where.push(`(${has('message')} OR ${has('title')} OR ${has('subject_name')})`);
    params.push(t, t, t);
  }
  if (q.type) {
    where.push('subject_type = ?');
    params.push(q.type);
  }
  const limit = Math.max(0, Math.floor(q.limit ?? DEFAULT_PAGE));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  const clause = where.join(' AND ');
  const count = await sql.all<{ n: number }>(`SELECT count(*) AS n FROM findings WHERE ${clause}`, params);
  const rows = await sql.all<FindingRow>(
    `SELECT ${FINDING_COLUMNS} FROM findings WHERE ${clause} ORDER BY ${orderBy(q.sort, dialect)} LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const page: FindingPage = { total: Number(count[0].n), findings: rows.map(toFinding) };
  if (q.groupBy) page.groups = await findingGroups(sql, q.groupBy, clause, params);
  return page;
}

/** `CASE column WHEN 'a' THEN 0 ... END`: the rank of a value in a fixed list of constants. */
const rankOf = (column: string, values: readonly string[]) =>
  `CASE ${column} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} ELSE ${values.length} END`;

const STATUS_RANK = rankOf('status', ['fail', 'error', 'unknown', 'waived', 'pass', 'not-applicable']);
const SEVERITY_RANK = rankOf('severity', SEVERITIES);

/** The SQL order of web/filter.ts's sort keys (made only of constants: the key is looked up, never inserted). */
const SORT_COLUMNS: Record<FindingSortKey, string[]> = {
  risk: [STATUS_RANK, SEVERITY_RANK],
  severity: [SEVERITY_RANK],
  status: [STATUS_RANK],
  check: ['check_id'],
  subject: ['subject_name', 'subject_id'],
  file: ['file', 'line', '"column"'],
  message: ['message'],
};

const TEXT_COLUMNS = new Set(['check_id', 'subject_name', 'subject_id', 'file', 'message']);

function orderBy(sort: string | undefined, dialect: Dialect): string {
  if (!sort) return 'seq';
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  if (!Object.hasOwn(SORT_COLUMNS, key)) return 'seq';
  const columns = SORT_COLUMNS[key as FindingSortKey];
  // Text compares by code unit (compareText in the browser): DuckDB does by default, PostgreSQL with the C collation.
  const text = (c: string) => (dialect === 'postgres' && TEXT_COLUMNS.has(c) ? `${c} COLLATE "C"` : c);
  const primary = columns.map((c) => `${text(c)}${descending ? ' DESC' : ''}`);
  return [...primary, STATUS_RANK, SEVERITY_RANK, 'seq'].join(', ');
}

async function findingGroups(
  sql: SqlRunner,
  by: FindingGroupBy,
  clause: string,
  params: unknown[],
): Promise<FindingGroup[]> {
  const column = { check: 'check_id', file: 'file', type: 'subject_type', control: 'unnest(controls)' }[by];
  if (!column) return [];
  const rows = await sql.all<{ key: string; n: number; fail: number }>(
    `SELECT key, count(*) AS n, sum(CASE WHEN status = 'fail' THEN 1 ELSE 0 END) AS fail
       FROM (SELECT ${column} AS key, status FROM findings WHERE ${clause}) g GROUP BY key`,
    params,
  );
  return rows
    .map((r) => ({ key: r.key, count: Number(r.n), fail: Number(r.fail) }))
    .sort((a, b) => b.fail - a.fail || b.count - a.count || compareText(a.key, b.key));
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

/** Test hook: pause this long inside the save transaction, after the findings are written. */
export const PAUSE_IN_SAVE_ENV = 'ASSAY_TEST_PAUSE_IN_SAVE_MS';

/** The test hook: pauses inside the save transaction, after the run's rows are written. */
export async function pauseInSave(run: number): Promise<void> {
  const pause = Number(process.env[PAUSE_IN_SAVE_ENV] ?? 0);
  if (pause <= 0) return;
  process.stderr.write(`assay: test pause inside the save of run ${run} (${PAUSE_IN_SAVE_ENV})\n`);
  await sleep(pause);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
