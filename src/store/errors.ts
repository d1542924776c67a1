/**
 * Store problems as one error class with a short code, so the CLI can print the message and
 * exit 2 without importing the database driver. Every message names the store file (or, for
 * PostgreSQL, its URL with the password masked).
 */

export type StoreErrorCode =
  /** Another process holds the database file (DuckDB allows one owning process per file). */
  | 'in-use'
  /** Opened for reading, but there is no store at the path yet. */
  | 'missing'
  /** The file exists but is not a DuckDB database. */
  | 'not-a-store'
  /** The store was written by a newer assay (a schema version this one does not know). */
  | 'newer-schema'
  /** A feature this kind of store does not offer (readiness case tables on PostgreSQL). */
  | 'unsupported'
  /** Anything else the database reported: a corrupt file, a failed write, a full disk. */
  | 'database';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly file: string;
  constructor(code: StoreErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.file = file;
  }
}

/** The state the store guards read; each backend keeps its own. */
export interface StoreState {
  readonly file: string;
  readonly readOnly: boolean;
  readonly closed: boolean;
}

/** Stops a call on a closed store, and (with `writing`) a save to one opened read-only. */
export function assertUsable(store: StoreState, writing: boolean): void {
  if (store.closed) throw new StoreError('database', store.file, `the store ${store.file} is closed`);
  if (writing && store.readOnly)
    throw new StoreError(
      'database',
      store.file,
      `the store ${store.file} was opened read-only; it cannot save`,
    );
}
