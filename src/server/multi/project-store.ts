/**
 * One project's view of the server's store: only the runs pushed to that project exist in it.
 * The dashboard app (src/server/app.ts) is given this view, never the whole store, so every
 * route of the findings explorer is confined to the project by construction.
 */
import type { Assessment } from '../../core/model.ts';
import type {
  FindingPage,
  FindingQuery,
  RunFilter,
  RunSummary,
  SeriesSummary,
  SqlStore,
  Store,
} from '../../store/store.ts';
import { type RunBody, type RunBodyReader, readRunBody } from '../run-body.ts';
import { seriesSummaries } from '../series-view.ts';
import type { Registry } from './registry.ts';

export class ProjectStore implements Store, RunBodyReader {
  constructor(
    private readonly store: SqlStore,
    private readonly registry: Registry,
    readonly project: string,
  ) {}

  private async owns(run: number): Promise<boolean> {
    return (await this.registry.runProject(run)) === this.project;
  }

  saveAssessment(): Promise<RunSummary> {
    return Promise.reject(new Error('a project view is read-only: pushes go through the server'));
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const mine = new Set(await this.registry.projectRuns(this.project));
    if (mine.size === 0) return [];
    const { limit, ...rest } = filter;
    const runs = (await this.store.listRuns(rest)).filter((r) => mine.has(r.run));
    return limit === undefined ? runs : runs.slice(0, limit);
  }

  async listSeries(filter: Pick<RunFilter, 'domain'> = {}): Promise<SeriesSummary[]> {
    return seriesSummaries(await this.listRuns(filter));
  }

  async getAssessment(run: number): Promise<Assessment | undefined> {
    return (await this.owns(run)) ? this.store.getAssessment(run) : undefined;
  }

  async runBody(run: number): Promise<RunBody | undefined> {
    return (await this.owns(run)) ? readRunBody(this.store, run) : undefined;
  }

  async queryFindings(query: FindingQuery): Promise<FindingPage> {
    if (!(await this.owns(query.run))) return { total: 0, findings: [] };
    return this.store.queryFindings(query);
  }

  /** The server owns the store; a project view closes nothing. */
  async close(): Promise<void> {}
}
