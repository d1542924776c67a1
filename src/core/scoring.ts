import { type Finding, SEVERITIES, type Severity, type StatusCounts, type Summary } from './model.ts';

export function emptyStatusCounts(): StatusCounts {
  return { pass: 0, fail: 0, unknown: 0, error: 0, waived: 0, 'not-applicable': 0 };
}

/**
 * Summarises findings. The score is the share of decided findings that pass: unknown
 * and error are excluded rather than counted either way, so an assessment that cannot
 * see a value is neither rewarded nor punished for it; waived findings count as passes
 * in the score after waivers.
 */
export function summarise(findings: readonly Finding[], subjects: number): Summary {
  const byStatus = emptyStatusCounts();
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    byStatus[f.status]++;
    if (f.status === 'fail') failedBySeverity[f.severity]++;
  }
  const decided = byStatus.pass + byStatus.fail + byStatus.waived;
  const score = decided === 0 ? null : Math.round(((byStatus.pass + byStatus.waived) / decided) * 1000) / 10;
  // Before waivers: a waived finding counts by the status it had; waived unknowns and errors leave the denominator.
  let passBefore = byStatus.pass;
  let decidedBefore = byStatus.pass + byStatus.fail;
  for (const f of findings) {
    if (f.status !== 'waived') continue;
    if (f.originalStatus === 'pass') passBefore++;
    if (f.originalStatus === 'pass' || f.originalStatus === 'fail') decidedBefore++;
  }
  const scoreBeforeWaivers =
    decidedBefore === 0 ? null : Math.round((passBefore / decidedBefore) * 1000) / 10;
  return { subjects, findings: findings.length, byStatus, failedBySeverity, score, scoreBeforeWaivers };
}

/** True when any failed (not waived) finding is at or above the threshold. */
export function failsThreshold(findings: readonly Finding[], threshold: Severity | 'none'): boolean {
  if (threshold === 'none') return false;
  const limit = SEVERITIES.indexOf(threshold);
  return findings.some((f) => f.status === 'fail' && SEVERITIES.indexOf(f.severity) <= limit);
}
