/**
 * A Store kept in memory, for tests that need runs without DuckDB (server and UI tests).
 * Filtering uses the UI's own predicate (web/filter.ts), which documents the same
 * semantics the DuckDB store implements in SQL.
 */
import type { Assessment } from '../../src/core/model.ts';
import { seriesSummaries } from '../../src/server/series-view.ts';
import type {
  FindingPage,
  FindingQuery,
  RunFilter,
  RunSummary,
  SaveOptions,
  Store,
} from '../../src/store/store.ts';
import { runSummary } from '../../src/store/summary.ts';
import { filterFindings } from '../../web/filter.ts';

export class MemoryStore implements Store {
  private readonly runs: { summary: RunSummary; assessment: Assessment }[] = [];
  /** Idempotency keys and the run each saved, as the SQL stores' `run_keys`. */
  private readonly keys = new Map<string, number>();
  closed = false;

  async saveAssessment(assessment: Assessment, options: SaveOptions = {}): Promise<RunSummary> {
    const key = options.idempotencyKey;
    const known = key === undefined ? undefined : this.keys.get(key);
    if (known !== undefined) return this.runs[known - 1].summary;
    const summary = runSummary(assessment, this.runs.length + 1, options.label);
    this.runs.push({ summary, assessment: structuredClone(assessment) });
    if (key !== undefined) this.keys.set(key, summary.run);
    return summary;
  }
  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const runs = this.runs
      .map((r) => r.summary)
      .filter((r) => !filter.domain || r.domain === filter.domain)
      .filter((r) => filter.series === undefined || r.series === filter.series)
      .reverse();
    return filter.limit === undefined ? runs : runs.slice(0, filter.limit);
  }
  /** Worked out from the runs, as the single-file report does (the DuckDB store counts in SQL). */
  async listSeries(filter: Pick<RunFilter, 'domain'> = {}): ReturnType<Store['listSeries']> {
    return seriesSummaries(await this.listRuns(filter));
  }
  async getAssessment(run: number): Promise<Assessment | undefined> {
    const found = this.runs[run - 1];
    return found ? structuredClone(found.assessment) : undefined;
  }
  async queryFindings(query: FindingQuery): Promise<FindingPage> {
    const found = this.runs[query.run - 1];
    if (!found) return { total: 0, findings: [] };
    return filterFindings(found.assessment.findings, { ...query, limit: query.limit ?? 100 });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}
