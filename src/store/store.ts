import type { Assessment, Finding, Severity, Status } from '../core/model.ts';

/**
 * The history of assessments: embedded DuckDB in `.assay/assay.duckdb` (src/store/duckdb.ts),
 * or a shared PostgreSQL database (src/store/postgres.ts), chosen by src/store/open.ts. Reports, the dashboard
 * and the history commands use only this interface.
 */

/** One saved run, as listed by `assay history` and the dashboard overview. */
export interface RunSummary {
  /** Sequential run number, 1 for the first run saved in this store. */
  run: number;
  /** The assessment's own content hash (identical runs share it). */
  assessmentId: string;
  domain: string;
  /** The command that produced the run: scan, tra, innersource, readiness. */
  kind: string;
  /** Runs with the same series are comparable (src/core/run-scope.ts); diff and trend stay within one. */
  series: string;
  /** Digest of the check set (ids, severities, controls): a change means the rules changed. */
  checkSet: string;
  root: string;
  startedAt: string;
  finishedAt: string;
  label?: string;
  subjects: number;
  findings: number;
  byStatus: Record<Status, number>;
  failedBySeverity: Record<Severity, number>;
  score: number | null;
  scoreBeforeWaivers: number | null;
  /** Per baseline in the run: coverage figures of its compliance matrix. */
  baselines: {
    name: string;
    title: string;
    total: number;
    /** Controls with at least one automated check. */
    automated: number;
    /** Controls with at least one decided or unknown finding. */
    assessed: number;
    met: number;
    notMet: number;
    partiallyMet: number;
    unknown: number;
    waived: number;
    notAssessed: number;
  }[];
}

/** Which runs `listRuns` returns, newest first. */
export interface RunFilter {
  domain?: string;
  /** Only runs of this series (RunSummary.series). */
  series?: string;
  limit?: number;
}

/** One series of saved runs, as `listSeries` returns it. */
export interface SeriesSummary {
  /** The series key (RunSummary.series). */
  key: string;
  domain: string;
  kind: string;
  /** Runs saved in this series. */
  runs: number;
  /** The newest run of the series, and when it finished. */
  newestRun: number;
  newestAt: string;
}

export interface FindingQuery {
  run: number;
  severity?: Severity[];
  status?: Status[];
  checkId?: string[];
  /** Findings that evidence this control id. */
  control?: string;
  /** Substring of subject id or name, case-insensitive. */
  subject?: string;
  /** Exactly this subject id (e.g. every finding of one resource). */
  subjectId?: string;
  /** Substring of the file path. */
  file?: string;
  /** Substring of message, check title, subject name. */
  text?: string;
  /** Exactly this subject (resource) type. */
  type?: string;
  /**
   * The order of the page: one of FINDING_SORT_KEYS, `-` before it for the reverse.
   * Ties keep the risk order (failures first, most severe first), then the stored order.
   * Absent: the stored order.
   */
  sort?: string;
  /** Also count the matching findings per check, file, control or subject type. */
  groupBy?: FindingGroupBy;
  limit?: number;
  offset?: number;
}

export type FindingGroupBy = 'check' | 'file' | 'control' | 'type';
export const FINDING_GROUP_BYS: readonly FindingGroupBy[] = ['check', 'file', 'control', 'type'];

/** The orders a finding page can have (the explorer's columns, and `risk`: failures first, most severe first). */
export const FINDING_SORT_KEYS = [
  'risk',
  'severity',
  'status',
  'check',
  'subject',
  'file',
  'message',
] as const;
export type FindingSortKey = (typeof FINDING_SORT_KEYS)[number];

/** One group of the matching findings: its key, how many, and how many of them fail. */
export interface FindingGroup {
  key: string;
  count: number;
  fail: number;
}

export interface FindingPage {
  total: number;
  findings: Finding[];
  /** With `groupBy`: every group of the matching findings, most failures first. */
  groups?: FindingGroup[];
}

/** How `saveAssessment` saves a run. */
export interface SaveOptions {
  label?: string;
  /**
   * Saves at most once per key: a key already recorded (table `run_keys`) gives back the summary
   * of the run saved with it, and nothing is saved again. The key is recorded in the transaction
   * that saves the run, so a retried job (src/queue/) never leaves a duplicate or a lost run.
   */
  idempotencyKey?: string;
}

export interface Store {
  /** Saves an assessment as the next run, atomically: a crash leaves earlier runs intact. */
  saveAssessment(assessment: Assessment, options?: SaveOptions): Promise<RunSummary>;
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
  /**
   * The series among the saved runs (of `filter.domain` when given), newest series first
   * (by their newest run), counted without loading the runs themselves.
   */
  listSeries(filter?: Pick<RunFilter, 'domain'>): Promise<SeriesSummary[]>;
  /** The whole assessment of a run, as saved. */
  getAssessment(run: number): Promise<Assessment | undefined>;
  queryFindings(query: FindingQuery): Promise<FindingPage>;
  close(): Promise<void>;
}

/**
 * Both stores also give domains SQL over the same database (`?` placeholders on both), for analytics that belong
 * in SQL (support-case KPIs, git history aggregates). Domains register their own migrations.
 */
export interface SqlStore extends Store {
  /** Runs statements in one transaction; rolls back on error. */
  transaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
}

export interface SqlRunner {
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
}

/** A schema change, applied once and in order of `version` within its `domain`. */
export interface Migration {
  domain: string;
  version: number;
  description: string;
  up: string[];
  /** Statements run after `up` on a PostgreSQL store only (indexes DuckDB does not need). */
  postgresUp?: string[];
  /**
   * Set when the domain's tables and SQL need DuckDB: the feature, as a PostgreSQL store names
   * it when it refuses to open with this migration registered.
   */
  duckdbOnly?: string;
}
