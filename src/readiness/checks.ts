/**
 * Readiness checks. Criterion checks are built from the framework (one per criterion: the
 * framework is the rule set, as data); KPI checks are fixed, one per KPI, and run the
 * anomaly methods on each cloud's series.
 */
import { z } from 'zod';
import { checkWithOptions } from '../core/check-options.ts';
import { appendAll } from '../core/extent.ts';
import type { Check, CheckOutcome, Severity, Subject } from '../core/model.ts';
import {
  type Anomaly,
  ewma,
  type Point,
  ROBUST_Z_THRESHOLD,
  robustZ,
  type SeriesVerdict,
  seasonal,
} from './anomaly.ts';
import { READINESS_CONTROLS } from './catalog.ts';
import type { CriterionSubjectData, Measurement } from './evidence.ts';
import type { Framework, Rule } from './framework.ts';
import { BAD_DIRECTION, COUNT_KPIS, KPI_LABELS, type KpiName, RATE_KPIS, SERIES_KPIS } from './kpi-names.ts';

export const CRITERION_KIND = 'readiness-criterion';
export const SERIES_KIND = 'support-kpi-series';

export type CriterionSubject = Subject<CriterionSubjectData>;

export interface SeriesSubjectData {
  cloud: string;
  kpi: KpiName;
  /** Complete weeks only (the week of the run date is left out). */
  weekly: Point[];
  /** Daily case volume, for the seasonal baseline (volume only). */
  daily?: Point[];
  /** Why the export cannot give this KPI (the column it lacks); the series is then empty. */
  unavailable?: string;
}
export type SeriesSubject = Subject<SeriesSubjectData>;

export function criterionCheckId(criterionId: string): string {
  return `RDY-${criterionId.toUpperCase().replace(/[^A-Z0-9]+/g, '-')}`;
}

export function kpiCheckId(kpi: KpiName): string {
  return `RDY-KPI-${kpi.toUpperCase().replace(/_/g, '-')}`;
}

const SEVERITY_BY_LEVEL: Severity[] = ['high', 'high', 'medium', 'low'];

/** Formats a measured value: rates as percentages, counts as integers. */
export function formatValue(rule: Rule | { type: 'kpi'; kpi: KpiName }, value: number): string {
  if (rule.type === 'share' || (rule.type === 'kpi' && RATE_KPIS.has(rule.kpi)))
    return `${(value * 100).toFixed(1)}%`;
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(1);
}

function bounds(rule: Rule): string {
  if (rule.type === 'files') return 'every file present';
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`>= ${formatValue(rule, rule.min)}`);
  if (rule.max !== undefined) parts.push(`<= ${formatValue(rule, rule.max)}`);
  return parts.join(' and ');
}

function decideRule(rule: Rule, m: Measurement, who: string): CheckOutcome {
  const evidence: Record<string, unknown> = {
    rule,
    measured: m.what,
    ...(m.detail ? { detail: m.detail } : {}),
  };
  if (m.value === null)
    return { status: 'unknown', message: `${who}: cannot measure ${m.what}: ${m.unknownReason}`, evidence };
  evidence.value = m.value;
  if (rule.type === 'files') {
    const missing = m.missing ?? [];
    evidence.missing = missing;
    if (missing.length === 0)
      return { status: 'pass', message: `${who}: all ${m.expected} files present (${m.what})`, evidence };
    const shown = missing.slice(0, 5).join(', ');
    return {
      status: 'fail',
      message: `${who}: ${missing.length} of ${m.expected} files missing (${shown}${missing.length > 5 ? ', ...' : ''})`,
      evidence,
    };
  }
  const ok =
    (rule.min === undefined || m.value >= rule.min) && (rule.max === undefined || m.value <= rule.max);
  const text = `${who}: ${m.what} = ${formatValue(rule, m.value)}, required ${bounds(rule)}`;
  return { status: ok ? 'pass' : 'fail', message: text, evidence };
}

function decide(data: CriterionSubjectData): CheckOutcome {
  const who = data.cloud.id;
  const ev = data.evidence;
  if (ev.kind === 'none')
    return {
      status: 'fail',
      message: `${who}: no evidence recorded (neither an attestation nor a rule)`,
      location: ev.location,
      evidence: { evidence: 'none' },
    };
  if (ev.kind === 'attestation') {
    const a = ev.attestation;
    const evidence = { attestation: a, today: data.today };
    if (a.validUntil < data.today)
      return {
        status: 'fail',
        message: `${who}: attestation by ${a.owner} (${a.link}) expired on ${a.validUntil}; the run date is ${data.today}`,
        location: ev.location,
        evidence,
      };
    if (a.date > data.today)
      return {
        status: 'fail',
        message: `${who}: attestation by ${a.owner} is dated ${a.date}, after the run date ${data.today}`,
        location: ev.location,
        evidence,
      };
    return {
      status: 'pass',
      message: `${who}: attested by ${a.owner} on ${a.date}, valid until ${a.validUntil} (${a.link})`,
      location: ev.location,
      evidence,
    };
  }
  return { ...decideRule(ev.rule, ev.measurement, who), location: ev.location };
}

/** One check per criterion of the framework. */
export function criterionChecks(framework: Framework): Check<CriterionSubject, unknown>[] {
  const levelNames = new Map(framework.spec.levels.map((l) => [l.level, l.name]));
  return framework.spec.criteria.map((c) => {
    const control = READINESS_CONTROLS.get(c.control);
    const how = c.rule
      ? `The default evidence is automatic: ${describeRule(c.rule)}.`
      : 'Evidence is an attestation per cloud.';
    return {
      meta: {
        id: criterionCheckId(c.id),
        title: c.title,
        severity: SEVERITY_BY_LEVEL[Math.min(c.level, 3)],
        rationale: `${control?.statement ?? c.title} Criterion of ${framework.spec.framework.title}, pillar ${c.pillar}, level ${c.level} (${levelNames.get(c.level) ?? ''}): a cloud holds level ${c.level} only when this and every lower-level criterion pass.`,
        remediation: `${how} Close the gap, or record evidence under evidence.<cloud>.${c.id} in the framework: an attestation (owner, date, link, validUntil) or a rule over data.${c.owner ? ` Owner: ${c.owner}.` : ''}`,
        controls: [c.control],
        subjectKind: CRITERION_KIND,
        subjectTypes: [c.id],
        tags: ['readiness', c.pillar, `level-${c.level}`],
      },
      run: (subject) => decide(subject.data),
    };
  });
}

export function describeRule(rule: Rule): string {
  if (rule.type === 'kpi') return `${KPI_LABELS[rule.kpi]} over the last ${rule.weeks} weeks ${bounds(rule)}`;
  if (rule.type === 'count')
    return `rows of ${rule.dataset}${rule.where ? ' matching the filter' : ''} ${bounds(rule)}`;
  if (rule.type === 'share') return `share of ${rule.dataset} rows matching the filter ${bounds(rule)}`;
  return `a file ${rule.path} exists for each matching ${rule.dataset} row`;
}

// --- KPI anomaly checks --------------------------------------------------------------------

const KPI_CONTROL: Record<KpiName, string> = {
  volume: 'rdy-tech-capacity',
  first_response_median_min: 'rdy-process-response',
  first_response_p90_min: 'rdy-process-response',
  resolve_median_h: 'rdy-process-resolution',
  resolve_p90_h: 'rdy-process-resolution',
  backlog: 'rdy-process-backlog',
  backlog_age_mean_d: 'rdy-process-backlog',
  sla_attainment: 'rdy-process-sla',
  reopen_rate: 'rdy-process-quality',
  reassignment_rate: 'rdy-process-routing',
  first_response_mean_min: 'rdy-process-response',
  resolve_mean_h: 'rdy-process-resolution',
  backlog_8_30d: 'rdy-process-backlog',
  backlog_over_30d: 'rdy-process-backlog',
  response_sla_attainment: 'rdy-process-sla',
  fcr_rate: 'rdy-process-quality',
  escalation_rate: 'rdy-process-routing',
  csat: 'rdy-process-quality',
};

export function formatKpi(kpi: KpiName, v: number): string {
  if (RATE_KPIS.has(kpi)) return `${(v * 100).toFixed(1)}%`;
  if (COUNT_KPIS.has(kpi)) return Number.isInteger(v) ? String(v) : v.toFixed(1);
  return v.toFixed(1);
}

function methodText(a: Anomaly, zThreshold: number): string {
  if (a.method === 'robust-z') return `robust z = ${a.score.toFixed(1)}, |z| > ${zThreshold}`;
  if (a.method === 'ewma')
    return `EWMA = ${a.score.toFixed(3)} outside its control limits (lambda 0.25, L 3)`;
  return `residual ${a.score.toFixed(1)} from the weekday baseline outside the Tukey fences (k 3)`;
}

function anomalyOutcome(
  kpi: KpiName,
  cloud: string,
  a: Anomaly,
  unit: string,
  lastPoint: string,
  zThreshold: number,
): CheckOutcome {
  const bad = a.direction === BAD_DIRECTION[kpi];
  // Bands are shown within what the KPI can take: a rate between 0 and 100%, a count from 0.
  const clamp = (v: number) => Math.max(0, RATE_KPIS.has(kpi) ? Math.min(1, v) : v);
  const f = (v: number) => formatKpi(kpi, clamp(v));
  const when = unit === 'day' ? `on ${a.at}` : `in the week of ${a.at}`;
  const message = `${cloud} ${KPI_LABELS[kpi]} ${when} was ${f(a.value)}, outside the expected ${f(a.expected.low)} to ${f(a.expected.high)} (centre ${f(a.expected.centre)}; ${methodText(a, zThreshold)})${bad ? '' : '; the change is favourable'}`;
  return {
    status: bad ? 'fail' : 'pass',
    message,
    evidence: {
      cloud,
      kpi,
      method: a.method,
      at: a.at,
      value: a.value,
      expected: a.expected,
      score: a.score,
      direction: a.direction,
      adverse: bad,
      lastPoint,
    },
  };
}

function verdictOutcomes(
  kpi: KpiName,
  cloud: string,
  v: SeriesVerdict,
  unit: string,
  lastPoint: string,
  zThreshold = ROBUST_Z_THRESHOLD,
): CheckOutcome[] {
  if (!v.decided)
    return [
      {
        status: 'unknown',
        message: `${cloud} ${KPI_LABELS[kpi]}: ${v.method} not applied: ${v.reason}`,
        evidence: { method: v.method, points: v.points },
      },
    ];
  if (v.anomalies.length === 0) {
    const b = v.band;
    const clamp = (v: number) => Math.max(0, RATE_KPIS.has(kpi) ? Math.min(1, v) : v);
    const band = b ? ` (expected ${formatKpi(kpi, clamp(b.low))} to ${formatKpi(kpi, clamp(b.high))})` : '';
    return [
      {
        status: 'pass',
        message: `${cloud} ${KPI_LABELS[kpi]}: no anomaly by ${v.method} over ${v.points} ${unit}s${band}`,
        evidence: { method: v.method, points: v.points, band: v.band },
      },
    ];
  }
  return v.anomalies.map((a) => anomalyOutcome(kpi, cloud, a, unit, lastPoint, zThreshold));
}

export function kpiChecks(): Check<SeriesSubject, unknown>[] {
  return SERIES_KPIS.map((kpi) => {
    const control = READINESS_CONTROLS.get(KPI_CONTROL[kpi]);
    const methods = [
      'a robust z-score on the median absolute deviation (|z| above the option robustZThreshold, 3.5 by default)',
    ];
    if (RATE_KPIS.has(kpi))
      methods.push('an EWMA control chart on the pooled rate (lambda 0.25, 3 sigma of a p-chart)');
    if (kpi === 'volume') methods.push('a weekday seasonal baseline on the daily series (Tukey fences, k 3)');
    return checkWithOptions<SeriesSubject, unknown, { robustZThreshold: number }>(
      {
        id: kpiCheckId(kpi),
        title: `Weekly ${KPI_LABELS[kpi]} stays within its expected band`,
        severity: kpi === 'sla_attainment' || kpi === 'response_sla_attainment' ? 'high' : 'medium',
        rationale: `${control?.statement ?? ''} A week far outside the cloud's own history is an early signal worth a look before it becomes a trend. Methods: ${methods.join('; ')}.`,
        remediation: `Look at the cases behind the flagged week (priority, assignment group), find the cause (an incident, a staffing gap, a routing change) and record it; if the change is intended, it becomes the new normal after a few weeks.`,
        controls: [KPI_CONTROL[kpi]],
        subjectKind: SERIES_KIND,
        subjectTypes: [kpi],
        tags: ['readiness', 'kpi', 'anomaly'],
      },
      {
        schema: z.object({ robustZThreshold: z.number().positive() }),
        defaults: { robustZThreshold: ROBUST_Z_THRESHOLD },
        descriptions: {
          robustZThreshold:
            'A week whose robust z-score is further from 0 than this is an anomaly; 3.5 is the Iglewicz and Hoaglin cut-off, a lower value flags smaller departures.',
        },
      },
      (subject, _context, { robustZThreshold }) => {
        const d = subject.data;
        if (d.unavailable !== undefined)
          return [
            {
              status: 'unknown',
              message: `${d.cloud} ${KPI_LABELS[kpi]}: unavailable: ${d.unavailable}`,
              evidence: { cloud: d.cloud, kpi, unavailable: d.unavailable },
            },
          ];
        const last = (p: Point[]) => p[p.length - 1]?.at ?? '';
        const weekly = robustZ(d.weekly, robustZThreshold);
        const out = verdictOutcomes(kpi, d.cloud, weekly, 'week', last(d.weekly), robustZThreshold);
        if (RATE_KPIS.has(kpi))
          appendAll(out, verdictOutcomes(kpi, d.cloud, ewma(d.weekly), 'week', last(d.weekly)));
        if (d.daily) appendAll(out, verdictOutcomes(kpi, d.cloud, seasonal(d.daily), 'day', last(d.daily)));
        return out;
      },
    );
  });
}
