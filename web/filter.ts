/**
 * The finding filter's meaning, written once: the explorer filters embedded data with it
 * in the single-file report, and the in-memory test store uses it, so both agree with the
 * query the live API forwards to the store. The sort orders and the group counts are here
 * too (the SQL store orders and counts the same way). Pure: runs in the browser and in Node.
 */
import { compareText } from '../src/core/compare.ts';
import type { Finding } from '../src/core/model.ts';
import { severityIndex, statusRank } from '../src/report/util.ts';
import type { FindingFilter } from '../src/server/api-types.ts';
import type { FindingGroup, FindingGroupBy, FindingSortKey } from '../src/store/store.ts';

const has = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle);

/** A predicate for a filter; the lower-casing of needles is done once, not per finding. */
export function findingMatcher(filter: FindingFilter): (finding: Finding) => boolean {
  const severity = filter.severity?.length ? new Set<string>(filter.severity) : undefined;
  const status = filter.status?.length ? new Set<string>(filter.status) : undefined;
  const checks = filter.checkId?.length ? new Set(filter.checkId) : undefined;
  const control = filter.control || undefined;
  const subjectId = filter.subjectId || undefined;
  const type = filter.type || undefined;
  const subject = filter.subject?.toLowerCase() || undefined;
  const file = filter.file?.toLowerCase() || undefined;
  const text = filter.text?.toLowerCase() || undefined;
  return (f) =>
    (!severity || severity.has(f.severity)) &&
    (!status || status.has(f.status)) &&
    (!checks || checks.has(f.checkId)) &&
    (!control || f.controls.includes(control)) &&
    (!subjectId || f.subject.id === subjectId) &&
    (!type || f.subject.type === type) &&
    (!subject || has(f.subject.id, subject) || has(f.subject.name, subject)) &&
    (!file || has(f.location.file, file)) &&
    (!text || has(f.message, text) || has(f.title, text) || has(f.subject.name, text));
}

// --- order ---------------------------------------------------------------------------

type Compare = (a: Finding, b: Finding) => number;

/** Failures first (then errors, unknowns, waived, passes, not applicable), most severe first. */
const byRisk: Compare = (a, b) =>
  statusRank(a.status) - statusRank(b.status) || severityIndex(a.severity) - severityIndex(b.severity);

/** The explorer's sort keys (its columns), each ascending; `-key` is the reverse. */
export const FINDING_SORTS: Record<FindingSortKey, Compare> = {
  risk: byRisk,
  severity: (a, b) => severityIndex(a.severity) - severityIndex(b.severity),
  status: (a, b) => statusRank(a.status) - statusRank(b.status),
  check: (a, b) => compareText(a.checkId, b.checkId),
  subject: (a, b) => compareText(a.subject.name, b.subject.name) || compareText(a.subject.id, b.subject.id),
  file: (a, b) =>
    compareText(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column,
  message: (a, b) => compareText(a.message, b.message),
};

/** The explorer's order when the address names none. */
export const DEFAULT_SORT: FindingSortKey = 'risk';

/** `-severity` -> { key: 'severity', descending: true }; undefined for a key that is not a column. */
export function parseSort(
  sort: string | undefined,
): { key: FindingSortKey; descending: boolean } | undefined {
  if (!sort) return undefined;
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  return Object.hasOwn(FINDING_SORTS, key) ? { key: key as FindingSortKey, descending } : undefined;
}

/**
 * The findings in `sort` order. Stable: findings equal on the key keep the risk order, and
 * those equal on that too keep the order they came in (the stored order).
 */
export function sortFindingsBy(findings: readonly Finding[], sort: string | undefined): Finding[] {
  const parsed = parseSort(sort);
  if (!parsed) return [...findings];
  const primary = FINDING_SORTS[parsed.key];
  const sign = parsed.descending ? -1 : 1;
  const order = findings.map((_, i) => i);
  order.sort((i, j) => {
    const a = findings[i];
    const b = findings[j];
    return sign * primary(a, b) || byRisk(a, b) || i - j;
  });
  return order.map((i) => findings[i]);
}

// --- groups --------------------------------------------------------------------------

function groupKeys(f: Finding, by: FindingGroupBy): readonly string[] {
  if (by === 'check') return [f.checkId];
  if (by === 'file') return [f.location.file];
  if (by === 'type') return [f.subject.type];
  return f.controls;
}

/** Most failures first, then most findings, then by key. */
export function compareGroups(a: FindingGroup, b: FindingGroup): number {
  return b.fail - a.fail || b.count - a.count || compareText(a.key, b.key);
}

/** Counts per group; a finding with several controls counts once under each. */
export function groupFindings(findings: Iterable<Finding>, by: FindingGroupBy): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    for (const key of groupKeys(f, by)) {
      let g = groups.get(key);
      if (!g) {
        g = { key, count: 0, fail: 0 };
        groups.set(key, g);
      }
      g.count++;
      if (f.status === 'fail') g.fail++;
    }
  }
  return [...groups.values()].sort(compareGroups);
}

/** One page of the findings that match, in `filter.sort` order (default: as stored), with group counts when asked. */
export function filterFindings(
  findings: readonly Finding[],
  filter: FindingFilter,
): { total: number; findings: Finding[]; groups?: FindingGroup[] } {
  const match = findingMatcher(filter);
  const offset = filter.offset ?? 0;
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const matched = findings.filter(match);
  const ordered = parseSort(filter.sort) ? sortFindingsBy(matched, filter.sort) : matched;
  const page = ordered.slice(offset, offset + limit);
  return {
    total: matched.length,
    findings: page,
    ...(filter.groupBy ? { groups: groupFindings(matched, filter.groupBy) } : {}),
  };
}
