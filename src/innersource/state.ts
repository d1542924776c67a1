/**
 * Incremental scan state: per repository, the watermark (the HEAD commit the stored
 * aggregates cover) and the aggregates themselves. The next scan reads only
 * `<watermark>..HEAD` and adds it. Kept in the assay store (DuckDB) through the SQL
 * interface; an in-memory implementation serves tests and `--no-store` runs.
 */
import type { Migration, SqlStore } from '../store/store.ts';
import type { HistoryJson } from './history.ts';
import type { InnerSourceReport } from './scan.ts';

export interface RepoState {
  /** The repository's absolute path (real path). */
  key: string;
  /** The commit the aggregates cover up to (HEAD when it was scanned). */
  head: string;
  branch: string | null;
  /** Fingerprint of the `.mailmap` the names were mapped with. */
  mailmap: string;
  /** Whether renames were detected; a different setting changes file counts, so it forces a full scan. */
  renames: boolean;
  scannedAt: string;
  history: HistoryJson;
}

export interface HistoryStateStore {
  load(key: string): Promise<RepoState | undefined>;
  save(state: RepoState): Promise<void>;
}

export class MemoryHistoryState implements HistoryStateStore {
  private readonly states = new Map<string, string>();
  /** States are kept serialised, as a real store would, so a caller cannot mutate them. */
  async load(key: string): Promise<RepoState | undefined> {
    const s = this.states.get(key);
    return s ? (JSON.parse(s) as RepoState) : undefined;
  }
  async save(state: RepoState): Promise<void> {
    this.states.set(state.key, JSON.stringify(state));
  }
  get size(): number {
    return this.states.size;
  }
}

export const INNERSOURCE_MIGRATIONS: readonly Migration[] = [
  {
    domain: 'innersource',
    version: 1,
    description: 'git history watermark and aggregates per repository',
    up: [
      `CREATE TABLE innersource_history (
        repo_key VARCHAR PRIMARY KEY,
        head VARCHAR NOT NULL,
        branch VARCHAR,
        mailmap VARCHAR NOT NULL,
        renames BOOLEAN NOT NULL,
        commits BIGINT NOT NULL,
        scanned_at VARCHAR NOT NULL,
        history JSON NOT NULL
      )`,
    ],
  },
  {
    domain: 'innersource',
    version: 2,
    description: 'metrics per repository and saved run, for trends (aggregates only, no people)',
    up: [
      `CREATE TABLE innersource_repository_metrics (
        run INTEGER NOT NULL,
        repository VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        owner VARCHAR,
        window_since VARCHAR,
        window_until VARCHAR NOT NULL,
        commits INTEGER NOT NULL,
        merges INTEGER NOT NULL,
        bot_commits INTEGER NOT NULL,
        active_contributors INTEGER NOT NULL,
        new_contributors INTEGER NOT NULL,
        absence_factor INTEGER,
        elephant_factor INTEGER,
        cross_team_share DOUBLE,
        lines_added BIGINT NOT NULL,
        lines_deleted BIGINT NOT NULL,
        files_changed BIGINT NOT NULL,
        commits_per_week DOUBLE NOT NULL,
        trend VARCHAR NOT NULL,
        days_since_last_activity INTEGER,
        first_response_median_hours DOUBLE,
        merge_median_hours DOUBLE,
        acceptance_share DOUBLE,
        review_coverage DOUBLE,
        activity_score INTEGER NOT NULL,
        health_score DOUBLE,
        PRIMARY KEY (run, path)
      )`,
    ],
  },
];

/**
 * Keeps a saved run's per-repository metrics beside its findings, so trends of commits,
 * contributors or cross-team share can be read with SQL over the runs. Aggregates only.
 */
export async function saveRepositoryMetrics(
  store: SqlStore,
  run: number,
  report: InnerSourceReport,
): Promise<void> {
  await store.transaction(async (sql) => {
    for (const r of report.repositories) {
      const h = r.history;
      const p = r.responsiveness;
      await sql.run(
        `INSERT INTO innersource_repository_metrics VALUES (${new Array(26).fill('?').join(', ')})`,
        [
          run,
          r.name,
          r.path,
          r.owner?.team ?? null,
          h.window.since,
          h.window.until,
          h.commits,
          h.merges,
          h.botCommits,
          h.activeContributors,
          h.newContributors,
          h.absenceFactor,
          h.elephantFactor,
          h.crossTeam?.share ?? null,
          h.linesAdded,
          h.linesDeleted,
          h.filesChanged,
          h.cadence.commitsPerWeek,
          h.cadence.trend,
          h.daysSinceLastActivity,
          p?.firstResponse.medianHours ?? null,
          p?.merge.medianHours ?? null,
          p?.acceptance.share ?? null,
          p?.reviewCoverage.share ?? null,
          r.activityScore,
          r.score.score,
        ],
      );
    }
  });
}

interface Row {
  repo_key: string;
  head: string;
  branch: string | null;
  mailmap: string;
  renames: boolean;
  scanned_at: string;
  history: string;
}

/** The state in the assay store. Register INNERSOURCE_MIGRATIONS before opening the store. */
export class SqlHistoryState implements HistoryStateStore {
  constructor(private readonly store: SqlStore) {}

  async load(key: string): Promise<RepoState | undefined> {
    const rows = await this.store.all<Row>(
      'SELECT repo_key, head, branch, mailmap, renames, scanned_at, CAST(history AS VARCHAR) AS history FROM innersource_history WHERE repo_key = ?',
      [key],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      key: r.repo_key,
      head: r.head,
      branch: r.branch,
      mailmap: r.mailmap,
      renames: Boolean(r.renames),
      scannedAt: r.scanned_at,
      history: JSON.parse(r.history) as HistoryJson,
    };
  }

  async save(state: RepoState): Promise<void> {
    await this.store.transaction(async (sql) => {
      await sql.run('DELETE FROM innersource_history WHERE repo_key = ?', [state.key]);
      await sql.run(
        'INSERT INTO innersource_history (repo_key, head, branch, mailmap, renames, commits, scanned_at, history) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          state.key,
          state.head,
          state.branch,
          state.mailmap,
          state.renames,
          state.history.commitsRead,
          state.scannedAt,
          JSON.stringify(state.history),
        ],
      );
    });
  }
}
