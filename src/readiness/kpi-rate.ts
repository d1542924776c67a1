/**
 * A rate KPI over cases: the share of cases whose verdict is true among the cases that have
 * one. A case without a verdict (its column missing or empty) is in neither count, so a rate
 * with no verdict at all is null ("no data"), never 0.
 */
import type { KpiName } from './kpi-names.ts';

export interface RateMeasure {
  kpi: KpiName;
  /** `opened`: cases opened in the week; `done`: cases resolved (else closed) in the week. */
  cohort: 'opened' | 'done';
  /** Output column of the cases with a true verdict. */
  hit: string;
  /** Output column of the cases with a verdict. */
  base: string;
  /** The case's verdict: a BOOLEAN over the case columns, NULL when it has none. */
  verdict: string;
}

/** The two counts of a measure, as aggregate expressions for a SELECT list. */
export function rateAggregates(m: RateMeasure): string {
  return `count(*) FILTER (WHERE ${m.verdict})::INTEGER AS ${m.hit}, count(${m.verdict})::INTEGER AS ${m.base}`;
}

/** hit / base, NULL when base is 0. */
export function rateValue(m: RateMeasure): string {
  return `CASE WHEN ${m.base} > 0 THEN ${m.hit} / ${m.base} END AS ${m.kpi}`;
}
