import { type Assessment, SEVERITIES, type Severity } from '../core/model.ts';
import { checkSetDigest, scopeOf, seriesKey } from '../core/run-scope.ts';
import type { RunSummary } from './store.ts';

/**
 * The run summary of an assessment, as the store lists it. Exported so a report rendered
 * straight from an assessment (no store) can show the same figures.
 */
export function runSummary(assessment: Assessment, run: number, label?: string): RunSummary {
  const s = assessment.summary;
  const scope = scopeOf(assessment);
  return {
    run,
    assessmentId: assessment.id,
    domain: assessment.domain,
    kind: scope.kind,
    series: seriesKey(assessment, scope),
    checkSet: checkSetDigest(assessment.checks),
    root: assessment.root,
    startedAt: assessment.startedAt,
    finishedAt: assessment.finishedAt,
    ...(label !== undefined ? { label } : {}),
    subjects: s.subjects,
    findings: s.findings,
    byStatus: { ...s.byStatus },
    failedBySeverity: Object.fromEntries(SEVERITIES.map((v) => [v, s.failedBySeverity[v] ?? 0])) as Record<
      Severity,
      number
    >,
    score: s.score,
    scoreBeforeWaivers: s.scoreBeforeWaivers,
    baselines: (assessment.compliance ?? []).map((m) => ({
      name: m.baseline.name,
      title: m.baseline.title,
      total: m.coverage.total,
      automated: m.coverage.automated,
      assessed: m.coverage.assessed,
      met: m.coverage.met,
      notMet: m.coverage.notMet,
      partiallyMet: m.coverage.partiallyMet,
      unknown: m.coverage.unknown,
      waived: m.coverage.waived,
      notAssessed: m.coverage.notAssessed,
    })),
  };
}
