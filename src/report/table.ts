/**
 * The terminal report: failed, error and unknown findings grouped by file, one aligned
 * line each (`file:line:col  LABEL  CHECK-ID  subject  message`), then input errors and a
 * summary. No timestamps, so the output is stable for a given assessment.
 */
import pc from 'picocolors';
import { appendAll, maxOf } from '../core/extent.ts';
import { type Assessment, type Finding, SEVERITIES, type Severity } from '../core/model.ts';
import { complianceTable } from './compliance.ts';
import type { RenderOptions } from './index.ts';
import {
  compareFindings,
  displayPath,
  formatLocation,
  linePieces,
  messageWithReason,
  oneLine,
  sortFindings,
  waiverOf,
} from './util.ts';

type Colors = ReturnType<typeof pc.createColors>;

/** Subject names longer than this still print in full; they just stop widening the column. */
const MAX_SUBJECT_WIDTH = 40;

/** The word in the second column: the severity for a failure, otherwise the status. */
function label(f: Finding): string {
  switch (f.status) {
    case 'fail':
      return f.severity.toUpperCase();
    case 'not-applicable':
      return 'N/A';
    default:
      return f.status.toUpperCase();
  }
}

function paintSeverity(c: Colors, severity: Severity, text: string): string {
  switch (severity) {
    case 'critical':
      return c.bold(c.red(text));
    case 'high':
      return c.red(text);
    case 'medium':
      return c.yellow(text);
    case 'low':
      return c.cyan(text);
    default:
      return c.gray(text);
  }
}

function paintLabel(c: Colors, f: Finding, text: string): string {
  switch (f.status) {
    case 'fail':
      return paintSeverity(c, f.severity, text);
    case 'error':
      return c.bold(c.red(text));
    case 'unknown':
      return c.magenta(text);
    case 'pass':
      return c.green(text);
    default:
      return c.dim(text);
  }
}

function lineMessage(f: Finding): string {
  if (f.status !== 'waived') return messageWithReason(f);
  const waiver = waiverOf(f);
  const was = f.originalStatus ? `was ${f.originalStatus}` : 'waived';
  return waiver?.justification ? `${f.message} [${was}: ${waiver.justification}]` : `${f.message} [${was}]`;
}

interface Row {
  finding: Finding;
  location: string;
  label: string;
  checkId: string;
  subject: string;
  message: string;
}

function toRow(f: Finding): Row {
  return {
    finding: f,
    location: oneLine(formatLocation(f.location.file, f.location.line, f.location.column)),
    label: label(f),
    checkId: oneLine(f.checkId),
    subject: oneLine(f.subject.name || f.subject.id),
    message: oneLine(lineMessage(f)),
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderTable(assessment: Assessment, options: RenderOptions): string {
  return [...tablePieces(assessment, options)].join('');
}

/** The table as pieces, for writing a large one without one string. */
export function tablePieces(assessment: Assessment, options: RenderOptions): Iterable<string> {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const listed = assessment.findings.filter((f) =>
    options.verbose
      ? f.status !== 'not-applicable'
      : f.status === 'fail' || f.status === 'unknown' || f.status === 'error',
  );

  const where = assessment.root ? ` of ${oneLine(displayPath(assessment.root))}` : '';
  out.push(
    c.bold(`assay ${oneLine(assessment.tool.version)}: ${oneLine(assessment.domain)} assessment${where}`),
  );
  out.push('');

  if (listed.length === 0) {
    out.push(options.verbose ? 'No findings.' : 'No failed, unknown or error findings.');
    out.push('');
  } else {
    const rows = sortFindings(listed).map(toRow);
    const widths = {
      location: maxOf(rows, (r) => r.location.length, 0),
      label: maxOf(rows, (r) => r.label.length, 0),
      checkId: maxOf(rows, (r) => r.checkId.length, 0),
      subject: Math.min(
        MAX_SUBJECT_WIDTH,
        maxOf(rows, (r) => r.subject.length, 0),
      ),
    };
    // Group by file (rows are already in finding order, so each group is too); the group
    // holding the most urgent finding comes first, ties by file name.
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const file = displayPath(row.finding.location.file);
      const group = groups.get(file);
      if (group) group.push(row);
      else groups.set(file, [row]);
    }
    const ordered = [...groups.entries()].sort(
      ([fa, ra], [fb, rb]) =>
        compareFindings(ra[0].finding, rb[0].finding) || (fa < fb ? -1 : fa > fb ? 1 : 0),
    );
    for (const [file, group] of ordered) {
      out.push(c.underline(oneLine(file)));
      for (const r of group) {
        const parts = [
          c.dim(pad(r.location, widths.location)),
          paintLabel(c, r.finding, pad(r.label, widths.label)),
          pad(r.checkId, widths.checkId),
          c.bold(pad(r.subject, widths.subject)),
          r.message,
        ];
        out.push(`  ${parts.join('  ')}`.trimEnd());
      }
      out.push('');
    }
  }

  if (assessment.errors.length > 0) {
    out.push(c.bold(c.red(`Input errors (${assessment.errors.length})`)));
    const errors = [...assessment.errors].sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0),
    );
    const locs = errors.map((e) => oneLine(formatLocation(e.file, e.line, e.column)));
    const codes = errors.map((e) => oneLine(e.code));
    const lw = maxOf(locs, (l) => l.length, 0);
    const cw = maxOf(codes, (l) => l.length, 0);
    errors.forEach((e, i) => {
      out.push(`  ${c.dim(pad(locs[i], lw))}  ${c.red(pad(codes[i], cw))}  ${oneLine(e.message)}`.trimEnd());
    });
    out.push('');
  }

  if (options.verbose && assessment.notes.length > 0) {
    out.push(c.bold(`Notes (${assessment.notes.length})`));
    for (const n of assessment.notes) {
      out.push(`  ${c.dim(oneLine(formatLocation(n.file, n.line)))}  ${n.level}  ${oneLine(n.message)}`);
    }
    out.push('');
  }

  appendAll(out, complianceTable(assessment, c));

  const s = assessment.summary;
  const st = s.byStatus;
  const statusText = [
    paintIf(c.red, st.fail, `${st.fail} fail`),
    paintIf(c.red, st.error, `${st.error} error`),
    paintIf(c.magenta, st.unknown, `${st.unknown} unknown`),
    `${st.waived} waived`,
    paintIf(c.green, st.pass, `${st.pass} pass`),
    `${st['not-applicable']} not applicable`,
  ].join(', ');
  out.push(`Findings: ${plural(s.findings, 'finding')} on ${plural(s.subjects, 'subject')}: ${statusText}`);
  const bySeverity = SEVERITIES.map((sev) => {
    const n = s.failedBySeverity[sev] ?? 0;
    return n > 0 ? paintSeverity(c, sev, `${n} ${sev}`) : `${n} ${sev}`;
  }).join(', ');
  out.push(`Failed by severity: ${bySeverity}`);
  let score = s.score === null ? 'n/a (nothing decided)' : `${s.score}%`;
  if (st.waived > 0 || (assessment.expiredWaivers ?? []).length > 0)
    score += ` (before waivers: ${s.scoreBeforeWaivers === null ? 'n/a' : `${s.scoreBeforeWaivers}%`})`;
  const extras = [
    assessment.errors.length > 0 ? plural(assessment.errors.length, 'input error') : '',
    assessment.notes.length > 0 ? plural(assessment.notes.length, 'note') : '',
    (assessment.expiredWaivers ?? []).length > 0
      ? plural(assessment.expiredWaivers?.length ?? 0, 'expired waiver')
      : '',
  ].filter(Boolean);
  out.push(`Score: ${c.bold(score)}${extras.length > 0 ? `; ${extras.join(', ')}` : ''}`);
  return linePieces(out, '\n');
}

function paintIf(paint: (s: string) => string, n: number, text: string): string {
  return n > 0 ? paint(text) : text;
}
