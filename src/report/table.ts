/**
 * The terminal report: failed, error and unknown findings grouped under their file, one aligned
 * row each (`line:col  LABEL  CHECK-ID  subject  message`), then input errors, template faults
 * and a summary. It fits a width (the terminal's, else 100 columns): long paths are shortened
 * from the left, long subject names cut, messages wrapped under their column. No timestamps, so the output is
 * stable for a given assessment. `compact` gives one unwrapped line per finding instead.
 */
import pc from 'picocolors';
import { faultsOf } from '../core/assessment.ts';
import { appendAll, maxOf } from '../core/extent.ts';
import { type Assessment, type Finding, type InputError, SEVERITIES, type Severity } from '../core/model.ts';
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

/** Subject names are cut to this many characters (with an ellipsis); JSON and SARIF keep them whole. */
const MAX_SUBJECT_WIDTH = 24;
/** The width the table fits when the caller gives none (a file, a pipe). */
export const DEFAULT_TABLE_WIDTH = 100;
/** Below this many columns left for the message, it goes on its own lines under the row. */
const MIN_MESSAGE_WIDTH = 30;

/** A long text cut from the middle-out: its end (a file name) matters most for a path. */
function shortenLeft(text: string, width: number): string {
  return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}

function shortenRight(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Lines of at most `width` characters, broken at spaces (a word longer than a line is cut). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      line = '';
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

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
    // The file heads its group; a row gives the place in it.
    location: f.location.line ? `${f.location.line}:${f.location.column || 1}` : '',
    label: label(f),
    checkId: oneLine(f.checkId),
    subject: shortenRight(oneLine(f.subject.name || f.subject.id), MAX_SUBJECT_WIDTH),
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
  const width = Math.max(60, options.width ?? DEFAULT_TABLE_WIDTH);
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
    // The message column starts after the others; narrow terminals get it on its own lines.
    const lead = 2 + widths.location + 2 + widths.label + 2 + widths.checkId + 2 + widths.subject + 2;
    const inline = width - lead >= MIN_MESSAGE_WIDTH;
    const messageWidth = inline ? width - lead : width - 6;
    const indent = ' '.repeat(inline ? lead : 6);
    for (const [file, group] of ordered) {
      out.push(c.underline(shortenLeft(oneLine(file), width)));
      for (const r of group) {
        const parts = [
          c.dim(pad(r.location, widths.location)),
          paintLabel(c, r.finding, pad(r.label, widths.label)),
          pad(r.checkId, widths.checkId),
          c.bold(pad(r.subject, widths.subject)),
        ];
        const message = wrapText(r.message, messageWidth);
        if (inline) {
          out.push(`  ${[...parts, message[0]].join('  ')}`.trimEnd());
          for (const more of message.slice(1)) out.push(`${indent}${more}`);
        } else {
          out.push(`  ${parts.join('  ')}`.trimEnd());
          for (const more of message) out.push(`${indent}${more}`);
        }
      }
      out.push('');
    }
  }

  const faults = faultsOf(assessment);
  appendAll(out, problemSection(`Input errors (${assessment.errors.length})`, assessment.errors, c, width));
  appendAll(
    out,
    problemSection(`Template faults (${faults.length}): ARM refuses these deployments`, faults, c, width),
  );

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
  const statusOf = (p: Colors) =>
    [
      paintIf(p.red, st.fail, `${st.fail} fail`),
      paintIf(p.red, st.error, `${st.error} error`),
      paintIf(p.magenta, st.unknown, `${st.unknown} unknown`),
      `${st.waived} waived`,
      paintIf(p.green, st.pass, `${st.pass} pass`),
      `${st['not-applicable']} not applicable`,
    ].join(', ');
  const statusText = statusOf(c);
  const head = `Findings: ${plural(s.findings, 'finding')} on ${plural(s.subjects, 'subject')}:`;
  // The counts go on the next line when the two would not fit the width together.
  if (head.length + 1 + statusOf(pc.createColors(false)).length <= width) out.push(`${head} ${statusText}`);
  else out.push(head, `  ${statusText}`);
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
    faults.length > 0 ? plural(faults.length, 'template fault') : '',
    assessment.notes.length > 0 ? plural(assessment.notes.length, 'note') : '',
    (assessment.expiredWaivers ?? []).length > 0
      ? plural(assessment.expiredWaivers?.length ?? 0, 'expired waiver')
      : '',
  ].filter(Boolean);
  out.push(`Score: ${c.bold(score)}${extras.length > 0 ? `; ${extras.join(', ')}` : ''}`);
  return linePieces(out, '\n');
}

/** Input errors or template faults, one per line (location, code, message), sorted by place; none: nothing. */
function problemSection(title: string, problems: readonly InputError[], c: Colors, width: number): string[] {
  if (problems.length === 0) return [];
  const out = [c.bold(c.red(title))];
  const sorted = [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
  const locs = sorted.map((e) => oneLine(formatLocation(e.file, e.line, e.column)));
  const codes = sorted.map((e) => oneLine(e.code));
  const lw = maxOf(locs, (l) => l.length, 0);
  const cw = maxOf(codes, (l) => l.length, 0);
  sorted.forEach((e, i) => {
    const loc = shortenLeft(locs[i] ?? '', width - 4);
    const message = oneLine(e.message);
    const lead = 2 + Math.max(lw, loc.length) + 2 + cw + 2;
    if (lead + message.length <= width)
      out.push(`  ${c.dim(pad(loc, lw))}  ${c.red(pad(codes[i] ?? '', cw))}  ${message}`.trimEnd());
    else {
      // Too long for one line: the message goes under it, wrapped to the width.
      out.push(`  ${c.dim(loc)}  ${c.red(codes[i] ?? '')}`.trimEnd());
      for (const line of wrapText(message, width - 6)) out.push(`      ${line}`);
    }
  });
  out.push('');
  return out;
}

function paintIf(paint: (s: string) => string, n: number, text: string): string {
  return n > 0 ? paint(text) : text;
}
