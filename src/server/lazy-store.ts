/**
 * A Store that opens the real one on demand and closes it after a quiet spell. DuckDB lets
 * one process own a file: a dashboard that held the store open for hours would make every
 * `assay scan --save` wait and fail. Closing between bursts of requests lets a save (which
 * retries its open for a while) get in, and the next request sees the new run.
 */
import type { Assessment } from '../core/model.ts';
import type { FindingPage, FindingQuery, RunSummary, Store } from '../store/store.ts';
import { type RunBody, type RunBodyReader, readRunBody } from './run-body.ts';

export class LazyStore implements Store, RunBodyReader {
  private store: Promise<Store> | undefined;
  private busy = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly open: () => Promise<Store>,
    private readonly idleMs = 1500,
  ) {}

  private async use<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    clearTimeout(this.timer);
    this.busy++;
    try {
      if (!this.store) {
        this.store = this.open();
        this.store.catch(() => {
          this.store = undefined;
        });
      }
      return await fn(await this.store);
    } finally {
      this.busy--;
      if (this.busy === 0) this.timer = setTimeout(() => void this.release(), this.idleMs);
    }
  }

  private async release(): Promise<void> {
    if (this.busy > 0 || !this.store) return;
    const store = this.store;
    this.store = undefined;
    await (await store).close();
  }

  saveAssessment(): Promise<RunSummary> {
    return Promise.reject(new Error('the dashboard store is read-only'));
  }
  listRuns(filter?: { domain?: string; limit?: number }): Promise<RunSummary[]> {
    return this.use((s) => s.listRuns(filter));
  }
  getAssessment(run: number): Promise<Assessment | undefined> {
    return this.use((s) => s.getAssessment(run));
  }
  runBody(run: number): Promise<RunBody | undefined> {
    return this.use((s) => readRunBody(s, run));
  }
  queryFindings(query: FindingQuery): Promise<FindingPage> {
    return this.use((s) => s.queryFindings(query));
  }
  async close(): Promise<void> {
    clearTimeout(this.timer);
    if (this.store) await (await this.store).close();
    this.store = undefined;
  }
}
