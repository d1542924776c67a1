/**
 * A run's assessment without its findings, for the run metadata the UI loads first.
 * `Store.getAssessment` reads every finding (about 2 s for 50,000 from DuckDB), while the
 * embedded store keeps the assessment body beside the findings table: one row, about 10 ms.
 * That fast path reads the store's own table, so it is guarded: any surprise (another
 * schema, another store) falls back to getAssessment, and a test compares the two.
 */
import type { Assessment } from '../core/model.ts';
import type { SqlStore, Store } from '../store/store.ts';

export type RunBody = Omit<Assessment, 'findings'>;

/** A store that can give a run's body cheaply itself (LazyStore forwards to the store it wraps). */
export interface RunBodyReader {
  runBody(run: number): Promise<RunBody | undefined>;
}

const isSqlStore = (store: Store): store is SqlStore =>
  typeof (store as Partial<SqlStore>).all === 'function';
const isReader = (store: Store): store is Store & RunBodyReader =>
  typeof (store as Partial<RunBodyReader>).runBody === 'function';

export async function readRunBody(store: Store, run: number): Promise<RunBody | undefined> {
  if (isReader(store)) return store.runBody(run);
  if (isSqlStore(store)) {
    try {
      const rows = await store.all<{ body: string }>('SELECT body FROM assessments WHERE run = ?', [run]);
      if (rows.length === 0) return undefined;
      const body = JSON.parse(rows[0].body) as Partial<Assessment>;
      if (body.schemaVersion === 1 && Array.isArray(body.subjects) && Array.isArray(body.checks)) {
        const { findings: _omitted, ...rest } = body as Assessment;
        return rest;
      }
    } catch {
      // Not the schema this expects: the interface's own method below is always right.
    }
  }
  const full = await store.getAssessment(run);
  if (!full) return undefined;
  const { findings: _all, ...rest } = full;
  return rest;
}
