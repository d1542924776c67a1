/**
 * The risk register: readiness gaps and adverse KPI anomalies become risks scored on a 5 x 5
 * matrix (likelihood x impact), each with an owner and a due date. Rules (docs/readiness.md):
 *
 * - Gap (a criterion that fails or cannot be shown): impact is the criterion's `impact`, else
 *   5 for level 1, 4 for level 2, 3 above; likelihood comes from the days left to launch:
 *   launched or <= 30 days 5, <= 60 days 4, <= 90 days 3, <= 180 days 2, later 1.
 * - Anomaly (a KPI series with adverse anomalies): impact by KPI (SLA attainment 4, backlog,
 *   resolution, first response and volume 3, reopen and reassignment 2); likelihood 4 when
 *   the latest anomaly is in the last two weeks of the series, 5 when two or more of the last
 *   four weeks are anomalous, else 2.
 * - Rating: score >= 20 critical, >= 12 high, >= 6 medium, else low. Due date: the run date
 *   plus 7 (critical), 14 (high), 30 (medium) or 60 (low) days, but no later than 7 days
 *   before launch while launch is still more than 7 days away.
 */
import type { Finding } from '../core/model.ts';
import { CRITERION_KIND, SERIES_KIND } from './checks.ts';
import type { Framework } from './framework.ts';
import { KPI_LABELS, type KpiName } from './kpi-names.ts';
import { criterionOf } from './levels.ts';

export type Rating = 'critical' | 'high' | 'medium' | 'low';

export interface Risk {
  id: string;
  cloud: string;
  source: 'gap' | 'anomaly';
  title: string;
  likelihood: number;
  impact: number;
  score: number;
  rating: Rating;
  owner: string;
  due: string;
  /** The numbers behind the risk, as sentences generated from findings. */
  basis: string[];
  /** Why this likelihood and impact. */
  scoring: string;
  checkId: string;
  location: string;
}

const DAY = 86_400_000;

export function rating(score: number): Rating {
  return score >= 20 ? 'critical' : score >= 12 ? 'high' : score >= 6 ? 'medium' : 'low';
}

export function likelihoodFromDays(days: number): number {
  return days <= 30 ? 5 : days <= 60 ? 4 : days <= 90 ? 3 : days <= 180 ? 2 : 1;
}

const KPI_IMPACT: Record<KpiName, number> = {
  sla_attainment: 4,
  response_sla_attainment: 4,
  csat: 4,
  backlog: 3,
  backlog_8_30d: 3,
  backlog_over_30d: 3,
  resolve_mean_h: 3,
  first_response_mean_min: 3,
  fcr_rate: 2,
  escalation_rate: 2,
  backlog_age_mean_d: 3,
  resolve_median_h: 3,
  resolve_p90_h: 3,
  first_response_median_min: 3,
  first_response_p90_min: 3,
  volume: 3,
  reopen_rate: 2,
  reassignment_rate: 2,
};

const DUE_DAYS: Record<Rating, number> = { critical: 7, high: 14, medium: 30, low: 60 };

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

function dueDate(today: string, launch: string, r: Rating): string {
  const due = addDays(today, DUE_DAYS[r]);
  const beforeLaunch = addDays(launch, -7);
  return beforeLaunch > today && beforeLaunch < due ? beforeLaunch : due;
}

export function buildRiskRegister(framework: Framework, findings: readonly Finding[], today: string): Risk[] {
  const clouds = new Map(framework.spec.clouds.map((c) => [c.id, c]));
  const criteria = new Map(framework.spec.criteria.map((c) => [c.id, c]));
  const risks: Risk[] = [];

  for (const f of findings) {
    if (f.subject.kind !== CRITERION_KIND || (f.status !== 'fail' && f.status !== 'unknown')) continue;
    const key = criterionOf(f);
    const cloud = key && clouds.get(key.cloud);
    const c = key && criteria.get(key.criterion);
    if (!key || !cloud || !c) continue;
    const days = daysBetween(today, cloud.launchDate);
    const impact = c.impact ?? (c.level <= 1 ? 5 : c.level === 2 ? 4 : 3);
    const likelihood = likelihoodFromDays(days);
    const score = likelihood * impact;
    const r = rating(score);
    const when =
      days < 0
        ? `launched ${-days} days ago (${cloud.launchDate})`
        : `launch in ${days} days (${cloud.launchDate})`;
    risks.push({
      id: `${cloud.id}/${c.id}`,
      cloud: cloud.id,
      source: 'gap',
      title: `${f.status === 'fail' ? 'Gap' : 'Unverified'}: ${c.title} (level ${c.level}, ${c.pillar})`,
      likelihood,
      impact,
      score,
      rating: r,
      owner: c.owner ?? cloud.owner ?? cloud.operatingPartner,
      due: dueDate(today, cloud.launchDate, r),
      basis: [f.message],
      scoring: `likelihood ${likelihood} from ${when}; impact ${impact} ${c.impact ? 'set on the criterion' : `for a level-${c.level} criterion`}`,
      checkId: f.checkId,
      location: `${f.location.file}:${f.location.line}`,
    });
  }

  // Anomalies: one risk per cloud and KPI, from its adverse findings.
  const series = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.subject.kind !== SERIES_KIND || f.status !== 'fail' || f.evidence?.adverse !== true) continue;
    const list = series.get(f.subject.id) ?? [];
    list.push(f);
    series.set(f.subject.id, list);
  }
  for (const [id, list] of series) {
    const ev = list[0].evidence as { cloud: string; kpi: KpiName };
    const cloud = clouds.get(ev.cloud);
    if (!cloud) continue;
    const weeks = [...new Set(list.map((f) => String(f.evidence?.at)))].sort();
    const lastWeek = String(
      (list[0].evidence as { lastPoint?: string }).lastPoint ?? weeks[weeks.length - 1],
    );
    const recent = weeks.filter((w) => daysBetween(w, lastWeek) <= 7);
    const lastFour = weeks.filter((w) => daysBetween(w, lastWeek) <= 21);
    const likelihood = lastFour.length >= 2 && recent.length > 0 ? 5 : recent.length > 0 ? 4 : 2;
    const impact = KPI_IMPACT[ev.kpi];
    const score = likelihood * impact;
    const r = rating(score);
    const latest = list
      .filter((f) => String(f.evidence?.at) === weeks[weeks.length - 1])
      .map((f) => f.message);
    risks.push({
      id: id,
      cloud: cloud.id,
      source: 'anomaly',
      title: `Anomaly: ${KPI_LABELS[ev.kpi]} of ${cloud.name}`,
      likelihood,
      impact,
      score,
      rating: r,
      owner: cloud.owner ?? cloud.operatingPartner,
      due: dueDate(today, cloud.launchDate, r),
      basis: latest.slice(0, 2),
      scoring: `likelihood ${likelihood}: ${weeks.length} anomalous period(s), latest ${weeks[weeks.length - 1]}, series ends ${lastWeek}; impact ${impact} for ${KPI_LABELS[ev.kpi]}`,
      checkId: list[0].checkId,
      location: `${list[0].location.file}:${list[0].location.line}`,
    });
  }
  return risks.sort(
    (a, b) => b.score - a.score || a.cloud.localeCompare(b.cloud, 'en') || a.id.localeCompare(b.id, 'en'),
  );
}
