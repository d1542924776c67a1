/**
 * The finding filter's meaning, written once: the explorer filters embedded data with it
 * in the single-file report, and the in-memory test store uses it, so both agree with the
 * query the live API forwards to the store. Pure: runs in the browser and in Node.
 */
import type { Finding } from '../src/core/model.ts';
import type { FindingFilter } from '../src/server/api-types.ts';

const has = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle);

/** A predicate for a filter; the lower-casing of needles is done once, not per finding. */
export function findingMatcher(filter: FindingFilter): (finding: Finding) => boolean {
  const severity = filter.severity?.length ? new Set<string>(filter.severity) : undefined;
  const status = filter.status?.length ? new Set<string>(filter.status) : undefined;
  const checks = filter.checkId?.length ? new Set(filter.checkId) : undefined;
  const control = filter.control || undefined;
  const subjectId = filter.subjectId || undefined;
  const subject = filter.subject?.toLowerCase() || undefined;
  const file = filter.file?.toLowerCase() || undefined;
  const text = filter.text?.toLowerCase() || undefined;
  return (f) =>
    (!severity || severity.has(f.severity)) &&
    (!status || status.has(f.status)) &&
    (!checks || checks.has(f.checkId)) &&
    (!control || f.controls.includes(control)) &&
    (!subjectId || f.subject.id === subjectId) &&
    (!subject || has(f.subject.id, subject) || has(f.subject.name, subject)) &&
    (!file || has(f.location.file, file)) &&
    (!text || has(f.message, text) || has(f.title, text) || has(f.subject.name, text));
}

/** One page of the findings that match, in their stored order. */
export function filterFindings(
  findings: readonly Finding[],
  filter: FindingFilter,
): { total: number; findings: Finding[] } {
  const match = findingMatcher(filter);
  const offset = filter.offset ?? 0;
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const page: Finding[] = [];
  let total = 0;
  for (const f of findings) {
    if (!match(f)) continue;
    if (total >= offset && page.length < limit) page.push(f);
    total++;
  }
  return { total, findings: page };
}
