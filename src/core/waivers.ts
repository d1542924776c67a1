/**
 * Risk acceptances applied to findings: waivers from `assay.waivers.yaml` and inline
 * suppressions on a subject. Pure: the caller reads the files and says what day it is,
 * so the same inputs always give the same findings.
 */
import picomatch from 'picomatch';
import type { CheckMeta, Finding, InputNote, SourceLocation, Status, WaiverRef } from './model.ts';

/** Which subjects a waiver covers. Every field given must match; absent fields match anything. */
export interface SubjectSelector {
  /** Exact subject id (case-insensitive: ARM resource ids are). */
  id?: string;
  /** Glob over the subject name. */
  name?: string;
  /** Glob over the finding's file path (as reports show it, relative to the scan root). */
  file?: string;
}

export interface Waiver {
  id: string;
  source: WaiverRef['source'];
  /** Check ids or globs; absent means any check (then `controls` narrows it). */
  checks?: string[];
  /** Control ids: the waiver covers findings that evidence any of them. */
  controls?: string[];
  /** Subjects covered (any selector may match); absent or empty means every subject. */
  subjects?: SubjectSelector[];
  justification: string;
  approvedBy?: string;
  /** ISO dates (YYYY-MM-DD). `expires` is the last day the waiver holds. */
  created?: string;
  expires?: string;
  ticket?: string;
  /** Where the waiver is declared: its line in the waiver file, or the resource's metadata. */
  location: SourceLocation;
}

export interface WaiverOptions {
  /** The day the run is judged on (YYYY-MM-DD); a waiver is expired once `today` is past `expires`. */
  today: string;
}

export interface WaiverResult {
  /** Every finding, waived where an active waiver matched, followed by one finding per expired waiver. */
  findings: Finding[];
  /** The expired waivers (file order), also reported as findings of `ASSAY-WAIVER-EXPIRED`. */
  expired: WaiverRef[];
  /** Active waivers that matched no finding: likely stale, worth a note. */
  unused: Waiver[];
}

/** The check behind the finding an expired waiver produces. */
export const WAIVER_EXPIRED_CHECK: CheckMeta = {
  id: 'ASSAY-WAIVER-EXPIRED',
  title: 'Risk acceptances are renewed or removed before they expire',
  severity: 'medium',
  rationale:
    'A waiver records a risk someone accepted for a time. Once it expires the acceptance no longer stands: the findings it covered count again, and the waiver itself needs a decision (renew with a fresh approval, or fix and remove it).',
  remediation:
    'Fix the findings the waiver covered and delete the waiver, or have the approver renew it with a new `expires` date.',
  controls: [],
  subjectKind: 'waiver',
  subjectTypes: [],
  tags: ['waivers'],
};

/** Statuses a waiver can accept: a pass or a not-applicable has nothing to accept. */
const WAIVABLE: ReadonlySet<Status> = new Set<Status>(['fail', 'unknown', 'error']);

export function isExpired(waiver: Pick<Waiver, 'expires'>, today: string): boolean {
  // ISO dates compare correctly as strings.
  return waiver.expires !== undefined && waiver.expires < today;
}

export function waiverRef(waiver: Waiver, expired = false): WaiverRef {
  const ref: WaiverRef = { id: waiver.id, source: waiver.source, justification: waiver.justification };
  if (waiver.approvedBy) ref.approvedBy = waiver.approvedBy;
  if (waiver.created) ref.created = waiver.created;
  if (waiver.expires) ref.expires = waiver.expires;
  if (waiver.ticket) ref.ticket = waiver.ticket;
  if (expired) ref.expired = true;
  return ref;
}

function normalisePath(file: string): string {
  let p = file.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

type Matcher = (finding: Finding) => boolean;

function compile(waiver: Waiver): Matcher {
  const checkMatchers = (waiver.checks ?? []).map((c) => picomatch(c, { nocase: true }));
  const controls = new Set((waiver.controls ?? []).map((c) => c.toLowerCase()));
  const subjects = (waiver.subjects ?? []).map((s) => {
    const id = s.id?.toLowerCase();
    const name = s.name === undefined ? undefined : picomatch(s.name, { dot: true });
    const file = s.file === undefined ? undefined : picomatch(normalisePath(s.file), { dot: true });
    return (f: Finding) =>
      (id === undefined || f.subject.id.toLowerCase() === id) &&
      (name === undefined || name(f.subject.name)) &&
      (file === undefined || file(normalisePath(f.location.file)));
  });
  return (f) =>
    (checkMatchers.length === 0 || checkMatchers.some((m) => m(f.checkId))) &&
    (controls.size === 0 || f.controls.some((c) => controls.has(c.toLowerCase()))) &&
    (subjects.length === 0 || subjects.some((m) => m(f)));
}

/**
 * Applies waivers to findings. The first active waiver (in the order given) that matches a
 * failed, unknown or error finding waives it: status `waived`, `originalStatus` kept, `waiver`
 * set. An expired waiver waives nothing: the findings it matches keep their status and carry
 * the expired reference, and the waiver yields a finding of its own at its declaration.
 */
export function applyWaivers(
  findings: readonly Finding[],
  waivers: readonly Waiver[],
  options: WaiverOptions,
): WaiverResult {
  const compiled = waivers.map((w) => ({
    waiver: w,
    expired: isExpired(w, options.today),
    matches: compile(w),
    hits: 0,
  }));
  const out: Finding[] = [];
  for (const finding of findings) {
    if (!WAIVABLE.has(finding.status)) {
      out.push(finding);
      continue;
    }
    const active = compiled.find((c) => !c.expired && c.matches(finding));
    if (active) {
      active.hits++;
      out.push({
        ...finding,
        status: 'waived',
        originalStatus: finding.status,
        waiver: waiverRef(active.waiver),
      });
      continue;
    }
    const lapsed = compiled.find((c) => c.expired && c.matches(finding));
    if (lapsed) {
      lapsed.hits++;
      out.push({ ...finding, waiver: waiverRef(lapsed.waiver, true) });
      continue;
    }
    out.push(finding);
  }
  const expired: WaiverRef[] = [];
  for (const c of compiled) {
    if (!c.expired) continue;
    const ref = waiverRef(c.waiver, true);
    expired.push(ref);
    out.push({
      checkId: WAIVER_EXPIRED_CHECK.id,
      title: WAIVER_EXPIRED_CHECK.title,
      severity: WAIVER_EXPIRED_CHECK.severity,
      status: 'fail',
      message: `waiver ${c.waiver.id} expired on ${c.waiver.expires}; it no longer waives the ${c.hits} finding(s) it matches`,
      subject: { id: `waiver:${c.waiver.id}`, name: c.waiver.id, type: 'assay/waiver', kind: 'waiver' },
      location: c.waiver.location,
      controls: [],
      evidence: { waiverId: c.waiver.id, expires: c.waiver.expires, matchedFindings: c.hits },
      waiver: ref,
    });
  }
  return {
    findings: out,
    expired,
    unused: compiled.filter((c) => !c.expired && c.hits === 0).map((c) => c.waiver),
  };
}

/**
 * The waiver stage every domain runs after evaluate, so waivers behave the same everywhere:
 * findings waived, an unused waiver noted at its declaration, and the expired-waiver check
 * added to the check set whenever a finding of it is, so no finding names a check the
 * assessment does not list.
 */
export function waiverStage(
  findings: readonly Finding[],
  waivers: readonly Waiver[],
  today: string,
): { findings: Finding[]; expired: WaiverRef[]; notes: InputNote[]; checks: CheckMeta[] } {
  const applied = applyWaivers(findings, waivers, { today });
  return {
    findings: applied.findings,
    expired: applied.expired,
    notes: applied.unused.map((w) => ({
      file: w.location.file,
      line: w.location.line,
      level: 'warning' as const,
      message: `waiver ${w.id} matches no finding`,
    })),
    checks: applied.expired.length > 0 ? [WAIVER_EXPIRED_CHECK] : [],
  };
}
