/** Support KPI names, shared by the framework schema (kpi rules), the KPI SQL and the anomaly checks. */
export const KPI_NAMES = [
  'volume',
  'first_response_median_min',
  'first_response_p90_min',
  'resolve_median_h',
  'resolve_p90_h',
  'backlog',
  'backlog_age_mean_d',
  'sla_attainment',
  'reopen_rate',
  'reassignment_rate',
] as const;

export type KpiName = (typeof KPI_NAMES)[number];

/** Rates (0-1) get an EWMA chart besides the robust z-score. */
export const RATE_KPIS: ReadonlySet<KpiName> = new Set([
  'sla_attainment',
  'reopen_rate',
  'reassignment_rate',
]);

/** Direction that is bad news: an anomaly the other way is reported but scored lower. */
export const BAD_DIRECTION: Record<KpiName, 'up' | 'down'> = {
  volume: 'up',
  first_response_median_min: 'up',
  first_response_p90_min: 'up',
  resolve_median_h: 'up',
  resolve_p90_h: 'up',
  backlog: 'up',
  backlog_age_mean_d: 'up',
  sla_attainment: 'down',
  reopen_rate: 'up',
  reassignment_rate: 'up',
};

export const KPI_LABELS: Record<KpiName, string> = {
  volume: 'case volume',
  first_response_median_min: 'median first response (minutes)',
  first_response_p90_min: 'P90 first response (minutes)',
  resolve_median_h: 'median time to resolve (hours)',
  resolve_p90_h: 'P90 time to resolve (hours)',
  backlog: 'backlog at week end',
  backlog_age_mean_d: 'mean backlog age (days)',
  sla_attainment: 'SLA attainment',
  reopen_rate: 'reopen rate',
  reassignment_rate: 'reassignment rate',
};
