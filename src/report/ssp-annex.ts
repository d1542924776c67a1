/**
 * The SSP annex: one row per control of each baseline the run was assessed against, laid out
 * as an ISM System Security Plan annex is (docs/pack.md, "SSP annex"): control, topic,
 * statement, applicability, implementation status, assay's evidence, waiver and owner.
 * Pure: the rows are data; `csvPieces`-style CSV here, the `.xlsx` in ssp-annex-xlsx.ts.
 */
import type { Assessment, ComplianceMatrix, ControlResult, Finding, Status } from '../core/model.ts';
import { csvRow } from './csv-cell.ts';
import { matricesOf } from './oscal-common.ts';

/** What an assessor reads in the status column; the rule is `implementationStatus`. */
export type ImplementationStatus =
  | 'implemented'
  | 'partially'
  | 'not implemented'
  | 'not assessed'
  | 'manual';

export interface AnnexRow {
  baseline: string;
  controlId: string;
  topic: string;
  statement: string;
  applicability: string;
  status: ImplementationStatus;
  /** The checks that evidence the control, space-separated. */
  checks: string;
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
  /** Link into the HTML findings report, filtered to this control; empty with no findings. */
  link: string;
  waiver: string;
  owner: string;
}

export const ANNEX_COLUMNS: readonly { key: keyof AnnexRow; header: string; width: number }[] = [
  { key: 'baseline', header: 'Baseline', width: 14 },
  { key: 'controlId', header: 'Control ID', width: 12 },
  { key: 'topic', header: 'Topic', width: 30 },
  { key: 'statement', header: 'Statement', width: 70 },
  { key: 'applicability', header: 'Applicability', width: 22 },
  { key: 'status', header: 'Implementation status', width: 18 },
  { key: 'checks', header: 'Evidence: checks', width: 28 },
  { key: 'pass', header: 'Pass', width: 7 },
  { key: 'fail', header: 'Fail', width: 7 },
  { key: 'unknown', header: 'Unknown', width: 9 },
  { key: 'waived', header: 'Waived', width: 8 },
  { key: 'link', header: 'Evidence: report', width: 40 },
  { key: 'waiver', header: 'Waiver', width: 30 },
  { key: 'owner', header: 'Owner', width: 20 },
];

export interface AnnexOptions {
  /** The HTML findings report the evidence links point into (relative path); default `findings-report.html`. */
  htmlReport?: string;
  /** The responsible party written in every row (`--owner`); empty when not given. */
  owner?: string;
  /** Per control id (lower case), the catalog's applicability values, e.g. `OS, P, S, TS`. */
  applicability?: (controlId: string) => string[] | undefined;
}

export const DEFAULT_HTML_REPORT = 'findings-report.html';

interface Counts {
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
}

function countStatuses(statuses: readonly Status[]): Counts {
  const c: Counts = { pass: 0, fail: 0, unknown: 0, waived: 0 };
  for (const s of statuses) {
    if (s === 'pass') c.pass++;
    else if (s === 'fail') c.fail++;
    else if (s === 'unknown' || s === 'error') c.unknown++;
    else if (s === 'waived') c.waived++;
  }
  return c;
}

/**
 * A control's implementation status from the findings that evidence it (not-applicable ones
 * ignored). A waived finding is a failure whose risk was accepted: it counts as not implemented,
 * and the waiver column names the acceptance.
 * 1. a failure (or waived failure) and a pass or undecided finding: partially;
 * 2. failures only: not implemented;
 * 3. passes and undecided findings: partially;
 * 4. passes only: implemented;
 * 5. only undecided findings (unknown, error), or none: manual for a control no check can
 *    evidence (an ISM principle, or marked manual in the catalog), else not assessed.
 */
export function implementationStatus(counts: Counts, manual: boolean): ImplementationStatus {
  const bad = counts.fail + counts.waived;
  if (bad > 0) return counts.pass > 0 || counts.unknown > 0 ? 'partially' : 'not implemented';
  if (counts.pass > 0) return counts.unknown > 0 ? 'partially' : 'implemented';
  return manual ? 'manual' : 'not assessed';
}

/** `findings-report.html#/findings?control=ism-1234`: the report's findings view filtered to the control. */
export function reportLink(htmlReport: string, controlId: string): string {
  return `${htmlReport}#/findings?${new URLSearchParams({ control: controlId })}`;
}

/** Waiver ids (with expiry, when they have one) of the findings evidencing a control, in order. */
function waiversOf(control: ControlResult, bySubject: Map<string, Finding[]>): string {
  const out = new Map<string, string>();
  for (const ref of control.findings) {
    if (ref.status !== 'waived') continue;
    for (const f of bySubject.get(`${ref.checkId}\u0000${ref.subjectId}`) ?? []) {
      const w = f.waiver;
      if (!w || out.has(w.id)) continue;
      out.set(w.id, w.expires ? `${w.id} (until ${w.expires})` : w.id);
    }
  }
  return [...out.values()].join('; ');
}

function oneLineText(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The annex rows of every matrix (the run's baselines, else the controls its checks cite). */
export function annexRows(assessment: Assessment, options: AnnexOptions = {}): AnnexRow[] {
  const bySubject = new Map<string, Finding[]>();
  for (const f of assessment.findings) {
    if (f.status !== 'waived') continue;
    const k = `${f.checkId}\u0000${f.subject.id}`;
    const list = bySubject.get(k) ?? [];
    list.push(f);
    bySubject.set(k, list);
  }
  const html = options.htmlReport ?? DEFAULT_HTML_REPORT;
  const rows: AnnexRow[] = [];
  for (const m of matricesOf(assessment)) rows.push(...matrixRows(m, bySubject, html, options));
  return rows;
}

function matrixRows(
  m: ComplianceMatrix,
  bySubject: Map<string, Finding[]>,
  html: string,
  options: AnnexOptions,
): AnnexRow[] {
  return m.controls.map((c) => {
    const counts = countStatuses(c.findings.map((f) => f.status));
    const manual = c.status === 'manual';
    const levels = options.applicability?.(c.id.toLowerCase()) ?? [];
    const decided = counts.pass + counts.fail + counts.unknown + counts.waived;
    return {
      baseline: m.baseline.name,
      controlId: c.id,
      topic: oneLineText(c.title),
      statement: oneLineText(c.statement),
      applicability: levels.length > 0 ? `applicable (${levels.join(', ')})` : 'applicable',
      status: implementationStatus(counts, manual),
      checks: c.checks.join(' '),
      ...counts,
      link: decided > 0 ? reportLink(html, c.id) : '',
      waiver: waiversOf(c, bySubject),
      owner: options.owner ?? '',
    };
  });
}

/** The annex as CSV (the same columns and rows as the `.xlsx`), formula-like cells neutralised. */
export function* annexCsvPieces(rows: readonly AnnexRow[]): Generator<string> {
  yield `${csvRow(ANNEX_COLUMNS.map((c) => c.header))}\r\n`;
  for (const row of rows) yield `${csvRow(ANNEX_COLUMNS.map((c) => row[c.key]))}\r\n`;
}
