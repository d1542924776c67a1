/** Support KPI names, shared by the framework schema (kpi rules), the KPI SQL and the anomaly checks. */
export const KPI_NAMES = [
  'volume',
  'first_response_median_min',
  'first_response_p90_min',
  'first_response_mean_min',
  'resolve_median_h',
  'resolve_p90_h',
  'resolve_mean_h',
  'backlog',
  'backlog_age_mean_d',
  // The aged buckets only (for kpi rules such as "nothing open over 30 days"): the young ones
  // (0-2, 3-7 days) follow the week's volume.
  'backlog_8_30d',
  'backlog_over_30d',
  'sla_attainment',
  'response_sla_attainment',
  'reopen_rate',
  'reassignment_rate',
  'fcr_rate',
  'escalation_rate',
  'csat',
] as const;

export type KpiName = (typeof KPI_NAMES)[number];

/**
 * The KPIs whose weekly series get anomaly checks: every KPI but the backlog age buckets. A
 * bucket holds a handful of cases whose usual count is 0, so one aged case is "10 robust z from
 * the centre": a false alarm. The backlog and its mean age have their own series, and a kpi rule
 * on a bucket (`max: 0`) is the meaningful test.
 */
export const SERIES_KPIS: readonly KpiName[] = KPI_NAMES.filter(
  (k) => k !== 'backlog_8_30d' && k !== 'backlog_over_30d',
);

/** Rates (0-1) get an EWMA chart besides the robust z-score. */
export const RATE_KPIS: ReadonlySet<KpiName> = new Set([
  'sla_attainment',
  'response_sla_attainment',
  'reopen_rate',
  'reassignment_rate',
  'fcr_rate',
  'escalation_rate',
  'csat',
]);

/** Counts of cases, shown as integers. */
export const COUNT_KPIS: ReadonlySet<KpiName> = new Set([
  'volume',
  'backlog',
  'backlog_8_30d',
  'backlog_over_30d',
]);

/** Direction that is bad news: an anomaly the other way is reported but scored lower. */
export const BAD_DIRECTION: Record<KpiName, 'up' | 'down'> = {
  volume: 'up',
  first_response_median_min: 'up',
  first_response_p90_min: 'up',
  first_response_mean_min: 'up',
  resolve_median_h: 'up',
  resolve_p90_h: 'up',
  resolve_mean_h: 'up',
  backlog: 'up',
  backlog_age_mean_d: 'up',
  backlog_8_30d: 'up',
  backlog_over_30d: 'up',
  sla_attainment: 'down',
  response_sla_attainment: 'down',
  reopen_rate: 'up',
  reassignment_rate: 'up',
  fcr_rate: 'down',
  escalation_rate: 'up',
  csat: 'down',
};

export const KPI_LABELS: Record<KpiName, string> = {
  volume: 'case volume',
  first_response_median_min: 'median first response (minutes)',
  first_response_p90_min: 'P90 first response (minutes)',
  first_response_mean_min: 'mean first response (minutes)',
  resolve_median_h: 'median time to resolve (hours)',
  resolve_p90_h: 'P90 time to resolve (hours)',
  resolve_mean_h: 'mean time to resolve (hours)',
  backlog: 'backlog at week end',
  backlog_age_mean_d: 'mean backlog age (days)',
  backlog_8_30d: 'backlog aged 8-30 days',
  backlog_over_30d: 'backlog aged over 30 days',
  sla_attainment: 'resolution SLA attainment',
  response_sla_attainment: 'response SLA attainment',
  reopen_rate: 'reopen rate',
  reassignment_rate: 'reassignment rate',
  fcr_rate: 'first-contact resolution rate',
  escalation_rate: 'escalation rate',
  csat: 'CSAT (share satisfied)',
};
