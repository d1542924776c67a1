/**
 * A Store that opens the real one on demand and closes it after a quiet spell. DuckDB lets
 * one process own a file: a dashboard that held the store open for hours would make every
 * `assay scan --save` wait and fail. Closing between bursts of requests lets a save (which
 * retries its open for a while) get in, and the next request sees the new run.
 *
 * Steady traffic has no quiet spell, so a writer also puts a marker beside the store while it
 * waits and writes (src/store/writer-waiting.ts). While the marker is there, new requests do
 * not use the open store: the store is closed as soon as the requests in flight finish, and
 * new ones wait for the writer (up to `writerGraceMs`) before opening it again.
 */
import { resolve } from 'node:path';
import type { Assessment } from '../core/model.ts';
import type {
  FindingPage,
  FindingQuery,
  RunFilter,
  RunSummary,
  SeriesSummary,
  Store,
} from '../store/store.ts';
import { writerWaiting } from '../store/writer-waiting.ts';
import { type RunBody, type RunBodyReader, readRunBody } from './run-body.ts';

export interface LazyStoreOptions {
  /** Close the store after this long without requests (default 1.5 s). */
  idleMs?: number;
  /** The store file, whose writer marker is watched; without it none is. */
  storeFile?: string;
  /** How long a request waits for a waiting or writing writer before opening anyway (default 5 s). */
  writerGraceMs?: number;
}

const POLL_MS = 25;

export class LazyStore implements Store, RunBodyReader {
  private store: Promise<Store> | undefined;
  private busy = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private readonly storeFile: string | undefined;
  private readonly graceMs: number;

  constructor(
    private readonly open: () => Promise<Store>,
    options: LazyStoreOptions | number = {},
  ) {
    const o = typeof options === 'number' ? { idleMs: options } : options;
    this.idleMs = o.idleMs ?? 1500;
    this.storeFile = o.storeFile === undefined ? undefined : resolve(o.storeFile);
    this.graceMs = o.writerGraceMs ?? 5000;
  }

  private writerWaiting(): boolean {
    return this.storeFile !== undefined && writerWaiting(this.storeFile);
  }

  /** Lets a writer in: waits, without using the open store, until its marker is gone or the grace ends. */
  private async yieldToWriter(): Promise<void> {
    const deadline = Date.now() + this.graceMs;
    while (this.writerWaiting() && Date.now() < deadline) {
      if (this.busy === 0) await this.release();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async use<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    clearTimeout(this.timer);
    if (this.writerWaiting()) await this.yieldToWriter();
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
      if (this.busy === 0) {
        clearTimeout(this.timer);
        if (this.writerWaiting()) await this.release();
        else this.timer = setTimeout(() => void this.release(), this.idleMs);
      }
    }
  }

  private async release(): Promise<void> {
    if (this.busy > 0 || !this.store) return;
    const store = this.store;
    this.store = undefined;
    // A store whose open failed has nothing to close (the request that opened it said why).
    const opened = await store.catch(() => undefined);
    await opened?.close();
  }

  saveAssessment(): Promise<RunSummary> {
    return Promise.reject(new Error('the dashboard store is read-only'));
  }
  listRuns(filter?: RunFilter): Promise<RunSummary[]> {
    return this.use((s) => s.listRuns(filter));
  }
  listSeries(filter?: Pick<RunFilter, 'domain'>): Promise<SeriesSummary[]> {
    return this.use((s) => s.listSeries(filter));
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
