/**
 * Support KPIs in SQL over `readiness_cases`, per cloud and ISO week (Monday start), rolled
 * up by priority and assignment group with GROUPING SETS. Definitions (docs/readiness.md):
 *
 * - opened cohort (week the case was opened): volume, first response median and P90;
 * - done cohort (week the case was resolved, else closed): time to resolve median and P90,
 *   SLA attainment, reopen rate, reassignment rate;
 * - backlog at the end of each week: cases opened before the week ended and not done by
 *   then, with their mean age in days. Computed from running sums, so it costs one pass.
 */
import type { CaseDb } from './db.ts';
import { sqlString } from './db.ts';
import { casesRelation } from './ingest.ts';
import {
  ageBucketsAt,
  ageBucketsWeekly,
  ageDeltaArms,
  ageDeltaSums,
  ageDeltaZeros,
  ageRunning,
} from './kpi-backlog-age.ts';
import { CSAT } from './kpi-csat.ts';
import {
  ALL_DIMENSIONS,
  groupedDimensions,
  type OptionalDimension,
  totalSets,
  weekSets,
} from './kpi-dimensions.ts';
import { ESCALATION } from './kpi-escalation.ts';
import { FIRST_CONTACT } from './kpi-first-contact.ts';
import type { KpiName } from './kpi-names.ts';
import { type RateMeasure, rateAggregates, rateValue } from './kpi-rate.ts';
import { RESPONSE_SLA } from './kpi-response-sla.ts';

/** One row of KPIs. `week` and the breakdowns are `*` on rolled-up rows. */
export interface KpiRow {
  cloud: string;
  week: string;
  priority: string;
  group: string;
  /** Breakdowns present only when the export has the column; `*` elsewhere. */
  category: string;
  ci: string;
  channel: string;
  /** Null in a week without data (no case opened or done in it), as are the other KPIs. */
  volume: number | null;
  first_response_median_min: number | null;
  first_response_p90_min: number | null;
  first_response_mean_min: number | null;
  response_met: number;
  response_total: number;
  response_sla_attainment: number | null;
  resolved: number;
  resolve_median_h: number | null;
  resolve_p90_h: number | null;
  resolve_mean_h: number | null;
  backlog: number | null;
  backlog_age_mean_d: number | null;
  backlog_0_2d: number | null;
  backlog_3_7d: number | null;
  backlog_8_30d: number | null;
  backlog_over_30d: number | null;
  sla_met: number;
  sla_total: number;
  sla_attainment: number | null;
  reopened: number;
  reopen_base: number;
  reopen_rate: number | null;
  reassigned: number;
  reassign_base: number;
  reassignment_rate: number | null;
  fcr_resolved: number;
  fcr_base: number;
  fcr_rate: number | null;
  escalated_n: number;
  escalation_base: number;
  escalation_rate: number | null;
  csat_satisfied_n: number;
  csat_responses: number;
  csat: number | null;
}

const TEXT_COLUMNS = new Set<keyof KpiRow>([
  'cloud',
  'week',
  'priority',
  'group',
  'category',
  'ci',
  'channel',
]);

export const KPI_COLUMNS: (keyof KpiRow)[] = [
  'cloud',
  'week',
  'priority',
  'group',
  'category',
  'ci',
  'channel',
  'volume',
  'first_response_median_min',
  'first_response_p90_min',
  'first_response_mean_min',
  'response_met',
  'response_total',
  'response_sla_attainment',
  'resolved',
  'resolve_median_h',
  'resolve_p90_h',
  'resolve_mean_h',
  'backlog',
  'backlog_age_mean_d',
  'backlog_0_2d',
  'backlog_3_7d',
  'backlog_8_30d',
  'backlog_over_30d',
  'sla_met',
  'sla_total',
  'sla_attainment',
  'reopened',
  'reopen_base',
  'reopen_rate',
  'reassigned',
  'reassign_base',
  'reassignment_rate',
  'fcr_resolved',
  'fcr_base',
  'fcr_rate',
  'escalated_n',
  'escalation_base',
  'escalation_rate',
  'csat_satisfied_n',
  'csat_responses',
  'csat',
];

/** Counts that are 0, not null, when nothing was counted (their rates are null then). */
const COUNT_COLUMNS: (keyof KpiRow)[] = [
  'response_met',
  'response_total',
  'resolved',
  'sla_met',
  'sla_total',
  'reopened',
  'reopen_base',
  'reassigned',
  'reassign_base',
  'fcr_resolved',
  'fcr_base',
  'escalated_n',
  'escalation_base',
  'csat_satisfied_n',
  'csat_responses',
];

const FRT_MIN = 'epoch(first_response_at - opened_at) / 60.0';
const TTR_H = 'epoch(done_at - opened_at) / 3600.0';
// Means over integer milliseconds: DuckDB sums integers exactly, so the mean does not depend
// on the order its threads add the cases in (a sum of doubles does, in the last digits).
const FRT_MEAN_MIN = 'avg(epoch_ms(first_response_at) - epoch_ms(opened_at)) / 60000.0';
const TTR_MEAN_H = 'avg(epoch_ms(done_at) - epoch_ms(opened_at)) / 3600000.0';

const OPENED_RATES = [RESPONSE_SLA];
const DONE_RATES = [FIRST_CONTACT, ESCALATION, CSAT];

// Both quantiles in one call: one sort per group instead of two.
const OPENED_AGG = `count(*)::INTEGER AS volume,
  quantile_cont(${FRT_MIN}, [0.5, 0.9]) AS frt_q, ${FRT_MEAN_MIN} AS frt_mean,
  ${OPENED_RATES.map(rateAggregates).join(', ')}`;

const DONE_AGG = `count(*)::INTEGER AS resolved,
  quantile_cont(${TTR_H}, [0.5, 0.9]) AS ttr_q, ${TTR_MEAN_H} AS ttr_mean,
  count(*) FILTER (WHERE sla_met)::INTEGER AS sla_met,
  count(sla_met)::INTEGER AS sla_total,
  count(*) FILTER (WHERE reopen_count > 0)::INTEGER AS reopened,
  count(reopen_count)::INTEGER AS reopen_base,
  count(*) FILTER (WHERE reassignment_count > 0)::INTEGER AS reassigned,
  count(reassignment_count)::INTEGER AS reassign_base,
  ${DONE_RATES.map(rateAggregates).join(', ')}`;

/** The counts of the rate measures, 0 when the cohort is empty; `o` and `d` alias the two cohorts. */
const rateCounts = (o: string, d: string) =>
  [...OPENED_RATES.map((m) => [m, o] as const), ...DONE_RATES.map((m) => [m, d] as const)]
    .flatMap(([m, side]) => [m.hit, m.base].map((c) => `coalesce(${side}.${c}, 0) AS ${c}`))
    .join(', ');

/** A week with no case opened or done (for the row's cloud, priority and group) has no data: its KPIs are null. */
const HAS_DATA = '(o.volume IS NOT NULL OR d.resolved IS NOT NULL)';

function timestamp(d: Date): string {
  return `${sqlString(d.toISOString().slice(0, 19).replace('T', ' '))}::TIMESTAMP`;
}

const DIMS = ALL_DIMENSIONS.join(', ');
const KEY = ['cloud', 'week', ...ALL_DIMENSIONS];
const GROUP_KEY = ['cloud', ...ALL_DIMENSIONS];
const same = (a: string, b: string, cols = KEY) =>
  cols.map((c) => `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`).join(' AND ');

/**
 * The KPI SQL: the whole computation, also run directly by the benchmark as its floor.
 * `source` picks one export's cases in the store (default: the private database's table);
 * `dimensions` the optional breakdowns the export has columns for.
 */
export function kpiSql(
  asOf?: Date,
  source?: number,
  until?: Date,
  dimensions: readonly OptionalDimension[] = [],
): string {
  const cases = casesRelation(source);
  const asOfExpr = asOf ? timestamp(asOf) : `(SELECT greatest(max(opened_at), max(done_at)) FROM ${cases})`;
  // The weekly series end at the week of the export's latest event, or of --until.
  const lastWeek = until
    ? `date_trunc('week', ${timestamp(until)})::DATE`
    : 'max(week) FILTER (WHERE n_open > 0 OR n_done > 0)';
  const WEEK_SETS = weekSets(dimensions);
  // A breakdown outside the grouping sets cannot be selected: it is NULL (shown as `*`).
  const GROUPED = groupedDimensions(dimensions);
  const TOTAL_SETS = totalSets(dimensions);
  // Weekly changes to the backlog: +1 in the week a case is opened, -1 in the week it is done,
  // with the sums of opening times for the mean age (integer milliseconds: a sum of integers
  // does not depend on the order DuckDB's threads add them in), and the age buckets' changes.
  const arms = [
    `SELECT cloud, ${DIMS}, open_week AS week, 1 AS n_open, epoch_ms(opened_at) AS s_open, 0 AS n_done, 0 AS s_done, ${ageDeltaZeros()} FROM c`,
    `SELECT cloud, ${DIMS}, done_week, 0, 0, 1, epoch_ms(opened_at), ${ageDeltaZeros()} FROM c WHERE done_at IS NOT NULL`,
    ...ageDeltaArms(`cloud, ${DIMS}`, '0, 0, 0, 0'),
  ];
  return `
WITH c AS (
  SELECT cloud, ${DIMS}, opened_at, first_response_at, done_at, sla_met, reopen_count, reassignment_count,
    response_sla_met, response_due_at, first_contact_resolved, escalated, csat_satisfied,
    date_trunc('week', opened_at)::DATE AS open_week, date_trunc('week', done_at)::DATE AS done_week
  FROM ${cases}),
as_of AS (SELECT ${asOfExpr} AS t),
o AS (
  SELECT cloud, open_week AS week, ${GROUPED}, ${OPENED_AGG}
  FROM c GROUP BY GROUPING SETS (${WEEK_SETS})),
d AS (
  SELECT cloud, done_week AS week, ${GROUPED}, ${DONE_AGG}
  FROM c WHERE done_at IS NOT NULL GROUP BY GROUPING SETS (${WEEK_SETS})),
ot AS (SELECT cloud, NULL::DATE AS week, ${GROUPED}, ${OPENED_AGG} FROM c GROUP BY GROUPING SETS (${TOTAL_SETS})),
dt AS (SELECT cloud, NULL::DATE AS week, ${GROUPED}, ${DONE_AGG} FROM c WHERE done_at IS NOT NULL GROUP BY GROUPING SETS (${TOTAL_SETS})),
bt AS (
  SELECT cloud, NULL::DATE AS week, ${GROUPED},
    count(*)::INTEGER AS backlog,
    avg(epoch((SELECT t FROM as_of) - opened_at) / 86400.0) AS backlog_age_mean_d,
    ${ageBucketsAt('(SELECT t FROM as_of)')}
  FROM c WHERE opened_at <= (SELECT t FROM as_of) AND (done_at IS NULL OR done_at > (SELECT t FROM as_of))
  GROUP BY GROUPING SETS (${TOTAL_SETS})),
delta AS (
  SELECT cloud, week, ${GROUPED}, sum(n_open) AS n_open, sum(s_open) AS s_open, sum(n_done) AS n_done, sum(s_done) AS s_done,
    ${ageDeltaSums()}
  FROM (
    ${arms.join('\n    UNION ALL\n    ')})
  GROUP BY GROUPING SETS (${WEEK_SETS})),
span AS (SELECT min(week) AS first, ${lastWeek} AS last FROM delta),
weeks AS (SELECT unnest(generate_series(first, last, INTERVAL 7 DAY))::DATE AS week FROM span),
keys AS (SELECT cloud, ${DIMS}, min(week) AS first_week FROM delta GROUP BY ALL),
b AS (
  SELECT k.cloud, w.week, ${ALL_DIMENSIONS.map((c) => `k.${c}`).join(', ')},
    sum(coalesce(x.n_open, 0) - coalesce(x.n_done, 0)) OVER win AS open_n,
    sum(coalesce(x.s_open, 0) - coalesce(x.s_done, 0)) OVER win AS open_s,
    ${ageRunning()}
  FROM keys k JOIN weeks w ON w.week >= k.first_week
  LEFT JOIN delta x ON x.week = w.week AND ${same('x', 'k', GROUP_KEY)}
  WINDOW win AS (PARTITION BY k.cloud, ${ALL_DIMENSIONS.map((c) => `k.${c}`).join(', ')} ORDER BY w.week ROWS UNBOUNDED PRECEDING)),
weekly AS (
  SELECT b.cloud, b.week, ${ALL_DIMENSIONS.map((c) => `b.${c}`).join(', ')},
    CASE WHEN ${HAS_DATA} THEN coalesce(o.volume, 0) END AS volume,
    o.frt_q[1] AS first_response_median_min, o.frt_q[2] AS first_response_p90_min, o.frt_mean AS first_response_mean_min,
    coalesce(d.resolved, 0) AS resolved, d.ttr_q[1] AS resolve_median_h, d.ttr_q[2] AS resolve_p90_h, d.ttr_mean AS resolve_mean_h,
    CASE WHEN ${HAS_DATA} THEN b.open_n::INTEGER END AS backlog,
    CASE WHEN ${HAS_DATA} AND b.open_n > 0 THEN (b.open_n * epoch_ms(b.week + INTERVAL 7 DAY) - b.open_s) / b.open_n / 86400000.0 END AS backlog_age_mean_d,
    ${ageBucketsWeekly(HAS_DATA)},
    coalesce(d.sla_met, 0) AS sla_met, coalesce(d.sla_total, 0) AS sla_total,
    coalesce(d.reopened, 0) AS reopened, coalesce(d.reopen_base, 0) AS reopen_base,
    coalesce(d.reassigned, 0) AS reassigned, coalesce(d.reassign_base, 0) AS reassign_base,
    ${rateCounts('o', 'd')}
  FROM b
  LEFT JOIN o ON ${same('o', 'b')}
  LEFT JOIN d ON ${same('d', 'b')}),
totals AS (
  SELECT ot.cloud, NULL::DATE AS week, ${ALL_DIMENSIONS.map((c) => `ot.${c}`).join(', ')},
    ot.volume, ot.frt_q[1], ot.frt_q[2], ot.frt_mean,
    coalesce(dt.resolved, 0), dt.ttr_q[1], dt.ttr_q[2], dt.ttr_mean,
    coalesce(bt.backlog, 0), bt.backlog_age_mean_d,
    coalesce(bt.backlog_0_2d, 0), coalesce(bt.backlog_3_7d, 0), coalesce(bt.backlog_8_30d, 0), coalesce(bt.backlog_over_30d, 0),
    coalesce(dt.sla_met, 0), coalesce(dt.sla_total, 0), coalesce(dt.reopened, 0), coalesce(dt.reopen_base, 0),
    coalesce(dt.reassigned, 0), coalesce(dt.reassign_base, 0),
    ${rateCounts('ot', 'dt')}
  FROM ot
  LEFT JOIN dt ON ${same('dt', 'ot', GROUP_KEY)}
  LEFT JOIN bt ON ${same('bt', 'ot', GROUP_KEY)})
SELECT cloud, coalesce(strftime(week, '%Y-%m-%d'), '*') AS week, coalesce(priority, '*') AS priority, coalesce(grp, '*') AS "group",
  coalesce(category, '*') AS category, coalesce(ci, '*') AS ci, coalesce(channel, '*') AS channel,
  volume, first_response_median_min, first_response_p90_min, first_response_mean_min,
  response_met, response_total, ${rateValue(RESPONSE_SLA)},
  resolved, resolve_median_h, resolve_p90_h, resolve_mean_h,
  backlog, backlog_age_mean_d, backlog_0_2d, backlog_3_7d, backlog_8_30d, backlog_over_30d, sla_met, sla_total,
  CASE WHEN sla_total > 0 THEN sla_met / sla_total END AS sla_attainment,
  reopened, reopen_base, CASE WHEN reopen_base > 0 THEN reopened / reopen_base END AS reopen_rate,
  reassigned, reassign_base, CASE WHEN reassign_base > 0 THEN reassigned / reassign_base END AS reassignment_rate,
  ${DONE_RATES.map((m) => `${m.hit}, ${m.base}, ${rateValue(m)}`).join(',\n  ')}
FROM (SELECT * FROM weekly UNION ALL SELECT * FROM totals)
ORDER BY cloud, week, priority, "group", category, ci, channel`;
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

function toRow(r: Record<string, unknown>): KpiRow {
  const row = {} as Record<string, unknown>;
  for (const k of KPI_COLUMNS) row[k] = TEXT_COLUMNS.has(k) ? String(r[k]) : num(r[k]);
  for (const k of COUNT_COLUMNS) row[k] = row[k] ?? 0;
  return row as unknown as KpiRow;
}

/**
 * Every KPI row: weekly rows and, with week `*`, totals over the whole export. `source`: the
 * export's source id in the store (IngestReport.source); absent for a private database.
 * `dimensions`: the optional breakdowns to roll up (those the export has columns for).
 */
export async function computeKpis(
  db: CaseDb,
  options: { asOf?: Date; source?: number; until?: Date; dimensions?: readonly OptionalDimension[] } = {},
): Promise<KpiRow[]> {
  const rows = await db.all<Record<string, unknown>>(
    kpiSql(options.asOf, options.source, options.until, options.dimensions ?? []),
  );
  return rows.map(toRow);
}

/** Pooled KPIs of one cloud over a window [from, to), for rules like "SLA attainment over the last 4 weeks". */
export async function windowKpis(
  db: CaseDb,
  options: { cloud: string; from: Date; to: Date; priority?: string; source?: number },
): Promise<Record<KpiName, number | null> & { cases: number; resolved: number }> {
  const cases = casesRelation(options.source);
  const filter = `cloud = ${sqlString(options.cloud)}${options.priority ? ` AND priority = ${sqlString(options.priority)}` : ''}`;
  const from = timestamp(options.from);
  const to = timestamp(options.to);
  const open = `opened_at <= ${to} AND (done_at IS NULL OR done_at > ${to})`;
  const [r] = await db.all<Record<string, unknown>>(`
    SELECT o.*, d.*, b.*
    FROM (SELECT ${OPENED_AGG} FROM ${cases} WHERE ${filter} AND opened_at >= ${from} AND opened_at < ${to}) o,
      (SELECT ${DONE_AGG} FROM ${cases} WHERE ${filter} AND done_at >= ${from} AND done_at < ${to}) d,
      (SELECT count(*)::INTEGER AS backlog, avg(epoch(${to} - opened_at) / 86400.0) AS backlog_age_mean_d, ${ageBucketsAt(to)}
       FROM ${cases} WHERE ${filter} AND ${open}) b`);
  const n = (k: string) => num(r?.[k]);
  const ratio = (a: string, b: string) => ((n(b) ?? 0) > 0 ? (n(a) ?? 0) / (n(b) as number) : null);
  const q = (k: string, i: number) => num((r?.[k] as number[] | null)?.[i]);
  const rate = (m: RateMeasure) => ratio(m.hit, m.base);
  return {
    cases: n('volume') ?? 0,
    resolved: n('resolved') ?? 0,
    volume: n('volume'),
    first_response_median_min: q('frt_q', 0),
    first_response_p90_min: q('frt_q', 1),
    first_response_mean_min: n('frt_mean'),
    resolve_median_h: q('ttr_q', 0),
    resolve_p90_h: q('ttr_q', 1),
    resolve_mean_h: n('ttr_mean'),
    backlog: n('backlog'),
    backlog_age_mean_d: n('backlog_age_mean_d'),
    backlog_8_30d: n('backlog_8_30d'),
    backlog_over_30d: n('backlog_over_30d'),
    sla_attainment: ratio('sla_met', 'sla_total'),
    response_sla_attainment: rate(RESPONSE_SLA),
    reopen_rate: ratio('reopened', 'reopen_base'),
    reassignment_rate: ratio('reassigned', 'reassign_base'),
    fcr_rate: rate(FIRST_CONTACT),
    escalation_rate: rate(ESCALATION),
    csat: rate(CSAT),
  };
}

/** Cases opened per cloud and day, with zero days filled, for the seasonal baseline. */
export async function dailyVolume(
  db: CaseDb,
  source?: number,
): Promise<Map<string, { day: string; volume: number }[]>> {
  const rows = await db.all<{ cloud: string; day: string; volume: number }>(`
    WITH d AS (SELECT cloud, opened_at::DATE AS day, count(*)::INTEGER AS volume FROM ${casesRelation(source)} GROUP BY ALL),
    span AS (SELECT cloud, min(day) AS first, max(day) AS last FROM d GROUP BY cloud),
    days AS (SELECT cloud, unnest(generate_series(first, last, INTERVAL 1 DAY))::DATE AS day FROM span)
    SELECT days.cloud, strftime(days.day, '%Y-%m-%d') AS day, coalesce(d.volume, 0) AS volume
    FROM days LEFT JOIN d USING (cloud, day) ORDER BY days.cloud, days.day`);
  const out = new Map<string, { day: string; volume: number }[]>();
  for (const r of rows) {
    const list = out.get(r.cloud) ?? [];
    list.push({ day: r.day, volume: Number(r.volume) });
    out.set(r.cloud, list);
  }
  return out;
}
