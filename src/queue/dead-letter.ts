/**
 * A dead letter as `assay jobs dead`, the server API and the dashboard show it. A file of its
 * own, free of Node and pg-boss, so the web UI can import the type.
 */
export interface DeadLetter {
  id: string;
  /** The job that failed (its id), when known. */
  jobId?: string;
  kind: string;
  what: string;
  project?: string;
  reason: string;
  at: string;
}
