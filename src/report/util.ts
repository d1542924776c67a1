/**
 * Helpers shared by the report formatters: ordering, locations, waivers, text hygiene.
 * Formatters know only the core model; nothing here does I/O.
 */
import { compareText } from '../core/compare.ts';
import { type Finding, SEVERITIES, type Severity, type SourceLocation, type Status } from '../core/model.ts';

/** The order statuses are shown in: what needs action first. */
const STATUS_ORDER: readonly Status[] = ['fail', 'error', 'unknown', 'waived', 'pass', 'not-applicable'];

export function statusRank(status: Status): number {
  const i = STATUS_ORDER.indexOf(status);
  return i < 0 ? STATUS_ORDER.length : i;
}

/** 0 for critical up to 4 for info; unknown severities sort last. */
export function severityIndex(severity: Severity): number {
  const i = SEVERITIES.indexOf(severity);
  return i < 0 ? SEVERITIES.length : i;
}

export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  return compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Total order for findings: status (fail, error, unknown, waived, pass, n/a), severity,
 * file, line, column, check id, subject id, message. Every formatter uses it so their
 * output is stable whatever order the engine produced.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    statusRank(a.status) - statusRank(b.status) ||
    severityIndex(a.severity) - severityIndex(b.severity) ||
    compareLocations(a.location, b.location) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.subject.id, b.subject.id) ||
    compareText(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** A path with forward slashes and no leading `./`, as reports show it. */
export function displayPath(file: string): string {
  let p = file.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

/** `file:line:col`, or fewer parts when line or column is unknown (0 or absent). */
export function formatLocation(file: string, line?: number, column?: number): string {
  let s = displayPath(file);
  if (line && line > 0) {
    s += `:${line}`;
    if (column && column > 0) s += `:${column}`;
  }
  return s;
}

export interface WaiverInfo {
  justification?: string;
  id?: string;
  expires?: string;
  approvedBy?: string;
  ticket?: string;
}

/** What is known of the risk acceptance behind a `waived` finding: its typed `waiver` reference. */
export function waiverOf(finding: Finding): WaiverInfo | undefined {
  if (finding.status !== 'waived') return undefined;
  const w = finding.waiver;
  if (!w) return {};
  const info: WaiverInfo = {};
  if (w.justification.trim() !== '') info.justification = w.justification;
  if (w.id) info.id = w.id;
  if (w.expires) info.expires = w.expires;
  if (w.approvedBy) info.approvedBy = w.approvedBy;
  if (w.ticket) info.ticket = w.ticket;
  return info;
}

/** The reason an `unknown` finding could not be decided, from `evidence.reason` where the check gave one. */
export function unknownReason(finding: Finding): string | undefined {
  const reason = finding.evidence?.reason;
  return typeof reason === 'string' && reason.trim() !== '' ? reason : undefined;
}

/** The message, with the unknown reason appended when the message does not already say it. */
export function messageWithReason(finding: Finding): string {
  const reason = finding.status === 'unknown' ? unknownReason(finding) : undefined;
  if (!reason || finding.message.includes(reason)) return finding.message;
  return finding.message ? `${finding.message} (reason: ${reason})` : `reason: ${reason}`;
}

/**
 * The lines joined by newlines, as pieces (each line and its newline), then `end`: a document
 * of a million lines is written without ever being one string.
 */
export function* linePieces(lines: readonly string[], end = ''): Generator<string> {
  const last = lines.length - 1;
  for (let i = 0; i < last; i++) yield `${lines[i]}\n`;
  if (last >= 0) yield lines[last];
  if (end !== '') yield end;
}

/** Kept here too: the formatters' helpers are imported from this module. */
export { oneLine } from '../core/terminal-text.ts';

export function capitalise(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}
