import { compareText } from '../core/compare.ts';
import { type Assessment, type Finding, SEVERITIES, type Severity, type Status } from '../core/model.ts';

/**
 * What changed between two assessments. Findings are matched by a stable key — check id,
 * subject id and file — never by line, which moves with every edit above it. When one key
 * has several findings (a check that reports once per NSG rule or subnet), they pair by
 * equal message first, then by the longest common start of their messages, then in order.
 */

/** Why a finding that failed before fails no more. */
export type FixedHow =
  /** The check now passes on the subject. */
  | 'passes'
  /** The check no longer applies to the subject. */
  | 'not-applicable'
  /** A waiver now accepts the failure: fixed for the score, not in the template. */
  | 'waived'
  /** The subject is gone from the later run. */
  | 'subject-removed'
  /** The subject is still there but the check reported nothing on it (e.g. it was not selected). */
  | 'not-reported';

export interface DiffItem {
  /** The finding in the earlier run, when it had one under this key. */
  before?: Finding;
  /** The finding in the later run, when it has one under this key. */
  after?: Finding;
}

export interface FixedItem extends DiffItem {
  before: Finding;
  how: FixedHow;
}

export interface AssessmentDiff {
  /** Failing now, and not failing before (passing, unknown, waived or absent). */
  newFailures: DiffItem[];
  /** Failing before, not now. */
  fixed: FixedItem[];
  /** Failing in both runs. */
  stillFailing: DiffItem[];
  /** Unknown (or error) now, and decided or absent before. */
  newlyUnknown: DiffItem[];
  /**
   * Findings of checks that only one of the two runs had: the rules changed, not the
   * evidence, so they are counted neither as new failures nor as fixed.
   */
  checkSetChange: CheckSetChange;
}

export interface CheckSetChange {
  /** Check ids only the later run has. */
  added: string[];
  /** Check ids only the earlier run had. */
  removed: string[];
  /** Checks in both whose severity changed: `id: before -> after`. */
  reseverity: string[];
  /** The findings of added and removed checks (before or after), failing ones first. */
  findings: DiffItem[];
}

export function findingKey(f: Finding): string {
  return `${f.checkId}\u0000${f.subject.id}\u0000${f.location.file}`;
}

const undecided = (s: Status | undefined) => s === 'unknown' || s === 'error';

export function diffAssessments(before: Assessment, after: Assessment): AssessmentDiff {
  const checkSetChange = compareCheckSets(before, after);
  const out: AssessmentDiff = {
    newFailures: [],
    fixed: [],
    stillFailing: [],
    newlyUnknown: [],
    checkSetChange,
  };
  const onlyOneSide = new Set([...checkSetChange.added, ...checkSetChange.removed]);
  const subjectsAfter = new Set(after.subjects.map((s) => s.id));
  for (const [b, a] of pairFindings(before.findings, after.findings)) {
    const item: DiffItem = { ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) };
    if (onlyOneSide.has((a ?? b)!.checkId)) {
      checkSetChange.findings.push(item);
      continue;
    }
    if (a?.status === 'fail') {
      (b?.status === 'fail' ? out.stillFailing : out.newFailures).push(item);
    } else if (b?.status === 'fail') {
      if (undecided(a?.status)) out.newlyUnknown.push(item);
      else {
        const how: FixedHow = a
          ? a.status === 'waived'
            ? 'waived'
            : a.status === 'not-applicable'
              ? 'not-applicable'
              : 'passes'
          : subjectsAfter.has(b.subject.id)
            ? 'not-reported'
            : 'subject-removed';
        out.fixed.push({ ...item, before: b, how });
      }
    } else if (a && undecided(a.status) && !undecided(b?.status)) {
      out.newlyUnknown.push(item);
    }
  }
  for (const list of [
    out.newFailures,
    out.fixed,
    out.stillFailing,
    out.newlyUnknown,
    checkSetChange.findings,
  ])
    list.sort(byImportance);
  return out;
}

function compareCheckSets(before: Assessment, after: Assessment): CheckSetChange {
  const b = new Map(before.checks.map((c) => [c.id, c]));
  const a = new Map(after.checks.map((c) => [c.id, c]));
  const reseverity: string[] = [];
  for (const [id, c] of a) {
    const old = b.get(id);
    if (old && old.severity !== c.severity) reseverity.push(`${id}: ${old.severity} -> ${c.severity}`);
  }
  return {
    added: [...a.keys()].filter((id) => !b.has(id)).sort(compareText),
    removed: [...b.keys()].filter((id) => !a.has(id)).sort(compareText),
    reseverity: reseverity.sort(compareText),
    findings: [],
  };
}

/** Whether two runs were judged by different rules. */
export function checkSetChanged(change: CheckSetChange): boolean {
  return change.added.length + change.removed.length + change.reseverity.length > 0;
}

/** New failures at or above a severity (`info` counts them all). */
export function newFailuresAtOrAbove(diff: AssessmentDiff, threshold: Severity): DiffItem[] {
  const limit = SEVERITIES.indexOf(threshold);
  return diff.newFailures.filter((d) => SEVERITIES.indexOf((d.after ?? d.before)!.severity) <= limit);
}

/** Pairs each finding of the earlier run with its counterpart in the later one (either may be missing). */
export function pairFindings(
  before: readonly Finding[],
  after: readonly Finding[],
): [Finding | undefined, Finding | undefined][] {
  const group = (list: readonly Finding[]) => {
    const m = new Map<string, Finding[]>();
    for (const f of list) {
      const k = findingKey(f);
      const g = m.get(k);
      if (g) g.push(f);
      else m.set(k, [f]);
    }
    return m;
  };
  const gb = group(before);
  const ga = group(after);
  const keys = new Set([...ga.keys(), ...gb.keys()]);
  const pairs: [Finding | undefined, Finding | undefined][] = [];
  for (const k of keys) {
    const bs = [...(gb.get(k) ?? [])];
    const as = [...(ga.get(k) ?? [])];
    if (bs.length === 1 && as.length === 1) {
      pairs.push([bs[0], as[0]]);
      continue;
    }
    // Several under one key: equal messages pair first (the rule or subnet is usually named in it).
    for (let i = 0; i < as.length; ) {
      const j = bs.findIndex((b) => b.message === as[i].message);
      if (j >= 0) {
        pairs.push([bs[j], as[i]]);
        bs.splice(j, 1);
        as.splice(i, 1);
      } else i++;
    }
    // Then the most similar messages (longest common start: the rule or subnet name comes early), in order on ties.
    const candidates: { i: number; j: number; score: number }[] = [];
    for (let i = 0; i < bs.length; i++)
      for (let j = 0; j < as.length; j++)
        candidates.push({ i, j, score: commonStart(bs[i].message, as[j].message) });
    candidates.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
    const usedB = new Set<number>();
    const usedA = new Set<number>();
    for (const c of candidates) {
      if (usedB.has(c.i) || usedA.has(c.j)) continue;
      usedB.add(c.i);
      usedA.add(c.j);
      pairs.push([bs[c.i], as[c.j]]);
    }
    for (let i = 0; i < bs.length; i++) if (!usedB.has(i)) pairs.push([bs[i], undefined]);
    for (let j = 0; j < as.length; j++) if (!usedA.has(j)) pairs.push([undefined, as[j]]);
  }
  return pairs;
}

function commonStart(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function byImportance(x: DiffItem, y: DiffItem): number {
  const fx = (x.after ?? x.before)!;
  const fy = (y.after ?? y.before)!;
  return (
    SEVERITIES.indexOf(fx.severity) - SEVERITIES.indexOf(fy.severity) ||
    compareText(fx.location.file, fy.location.file) ||
    fx.location.line - fy.location.line ||
    compareText(fx.checkId, fy.checkId)
  );
}
