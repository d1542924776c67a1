/**
 * The store's runs and findings as flat tables (one row per run, one per finding), the shape an
 * analytics database loads: every column typed, lists as lists, evidence as JSON text.
 */
import { type Finding, SEVERITIES, STATUSES } from '../core/model.ts';
import type { RunSummary, Store } from '../store/store.ts';
import type { ParquetColumn } from './parquet.ts';

const snake = (s: string) => s.replaceAll('-', '_');

export const RUN_COLUMNS: readonly ParquetColumn[] = [
  { name: 'run', type: 'integer' },
  { name: 'assessment_id', type: 'text' },
  { name: 'domain', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'series', type: 'text' },
  { name: 'check_set', type: 'text' },
  { name: 'root', type: 'text' },
  { name: 'started_at', type: 'timestamp' },
  { name: 'finished_at', type: 'timestamp' },
  { name: 'label', type: 'text' },
  { name: 'subjects', type: 'integer' },
  { name: 'findings', type: 'integer' },
  ...STATUSES.map((s): ParquetColumn => ({ name: `status_${snake(s)}`, type: 'integer' })),
  ...SEVERITIES.map((s): ParquetColumn => ({ name: `failed_${s}`, type: 'integer' })),
  { name: 'score', type: 'double' },
  { name: 'score_before_waivers', type: 'double' },
];

export function runRow(r: RunSummary): Record<string, unknown> {
  const row: Record<string, unknown> = {
    run: r.run,
    assessment_id: r.assessmentId,
    domain: r.domain,
    kind: r.kind,
    series: r.series,
    check_set: r.checkSet,
    root: r.root,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    label: r.label ?? null,
    subjects: r.subjects,
    findings: r.findings,
    score: r.score,
    score_before_waivers: r.scoreBeforeWaivers,
  };
  for (const s of STATUSES) row[`status_${snake(s)}`] = r.byStatus[s] ?? 0;
  for (const s of SEVERITIES) row[`failed_${s}`] = r.failedBySeverity[s] ?? 0;
  return row;
}

export const FINDING_COLUMNS: readonly ParquetColumn[] = [
  { name: 'run', type: 'integer' },
  { name: 'assessment_id', type: 'text' },
  { name: 'check_id', type: 'text' },
  { name: 'title', type: 'text' },
  { name: 'severity', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'original_status', type: 'text' },
  { name: 'message', type: 'text' },
  { name: 'subject_id', type: 'text' },
  { name: 'subject_name', type: 'text' },
  { name: 'subject_type', type: 'text' },
  { name: 'subject_kind', type: 'text' },
  { name: 'file', type: 'text' },
  { name: 'line', type: 'integer' },
  { name: 'column', type: 'integer' },
  { name: 'controls', type: 'text[]' },
  { name: 'waiver_id', type: 'text' },
  { name: 'evidence', type: 'text' },
];

export function findingRow(run: RunSummary, f: Finding): Record<string, unknown> {
  return {
    run: run.run,
    assessment_id: run.assessmentId,
    check_id: f.checkId,
    title: f.title,
    severity: f.severity,
    status: f.status,
    original_status: f.originalStatus ?? null,
    message: f.message,
    subject_id: f.subject.id,
    subject_name: f.subject.name,
    subject_type: f.subject.type,
    subject_kind: f.subject.kind,
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    controls: f.controls,
    waiver_id: f.waiver?.id ?? null,
    evidence: f.evidence === undefined ? null : JSON.stringify(f.evidence),
  };
}

const PAGE = 5000;

/** Every finding of `runs`, page by page, so a large history never sits in memory at once. */
export async function* findingRows(
  store: Store,
  runs: readonly RunSummary[],
): AsyncGenerator<Record<string, unknown>> {
  for (const run of runs) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.queryFindings({ run: run.run, limit: PAGE, offset });
      for (const f of page.findings) yield findingRow(run, f);
      if (page.findings.length < PAGE || offset + PAGE >= page.total) break;
    }
  }
}
