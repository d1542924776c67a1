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
import type { KpiName } from './kpi-names.ts';

/** One row of KPIs. `week`, `priority` and `group` are `*` on rolled-up rows. */
export interface KpiRow {
  cloud: string;
  week: string;
  priority: string;
  group: string;
  /** Null in a week without data (no case opened or done in it), as are the other KPIs. */
  volume: number | null;
  first_response_median_min: number | null;
  first_response_p90_min: number | null;
  resolved: number;
  resolve_median_h: number | null;
  resolve_p90_h: number | null;
  backlog: number | null;
  backlog_age_mean_d: number | null;
  sla_met: number;
  sla_total: number;
  sla_attainment: number | null;
  reopened: number;
  reopen_base: number;
  reopen_rate: number | null;
  reassigned: number;
  reassign_base: number;
  reassignment_rate: number | null;
}

export const KPI_COLUMNS: (keyof KpiRow)[] = [
  'cloud',
  'week',
  'priority',
  'group',
  'volume',
  'first_response_median_min',
  'first_response_p90_min',
  'resolved',
  'resolve_median_h',
  'resolve_p90_h',
  'backlog',
  'backlog_age_mean_d',
  'sla_met',
  'sla_total',
  'sla_attainment',
  'reopened',
  'reopen_base',
  'reopen_rate',
  'reassigned',
  'reassign_base',
  'reassignment_rate',
];

const FRT_MIN = 'epoch(first_response_at - opened_at) / 60.0';
const TTR_H = 'epoch(done_at - opened_at) / 3600.0';

// Both quantiles in one call: one sort per group instead of two.
const OPENED_AGG = `count(*)::INTEGER AS volume,
  quantile_cont(${FRT_MIN}, [0.5, 0.9]) AS frt_q`;

const DONE_AGG = `count(*)::INTEGER AS resolved,
  quantile_cont(${TTR_H}, [0.5, 0.9]) AS ttr_q,
  count(*) FILTER (WHERE sla_met)::INTEGER AS sla_met,
  count(sla_met)::INTEGER AS sla_total,
  count(*) FILTER (WHERE reopen_count > 0)::INTEGER AS reopened,
  count(reopen_count)::INTEGER AS reopen_base,
  count(*) FILTER (WHERE reassignment_count > 0)::INTEGER AS reassigned,
  count(reassignment_count)::INTEGER AS reassign_base`;

/** A week with no case opened or done (for the row's cloud, priority and group) has no data: its KPIs are null. */
const HAS_DATA = '(o.volume IS NOT NULL OR d.resolved IS NOT NULL)';

function timestamp(d: Date): string {
  return `${sqlString(d.toISOString().slice(0, 19).replace('T', ' '))}::TIMESTAMP`;
}

const WEEK_SETS = '(cloud, week), (cloud, week, priority), (cloud, week, grp), (cloud, week, priority, grp)';
const TOTAL_SETS = '(cloud), (cloud, priority), (cloud, grp)';
const KEY = ['cloud', 'week', 'priority', 'grp'];
const same = (a: string, b: string, cols = KEY) =>
  cols.map((c) => `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`).join(' AND ');

/**
 * The KPI SQL: the whole computation, also run directly by the benchmark as its floor.
 * `source` picks one export's cases in the store (default: the private database's table).
 */
export function kpiSql(asOf?: Date, source?: number, until?: Date): string {
  const cases = casesRelation(source);
  const asOfExpr = asOf ? timestamp(asOf) : `(SELECT greatest(max(opened_at), max(done_at)) FROM ${cases})`;
  // The weekly series end at the week of the export's latest event, or of --until.
  const lastWeek = until ? `date_trunc('week', ${timestamp(until)})::DATE` : 'max(week)';
  return `
WITH c AS (
  SELECT cloud, priority, grp, opened_at, first_response_at, done_at, sla_met, reopen_count, reassignment_count,
    date_trunc('week', opened_at)::DATE AS open_week, date_trunc('week', done_at)::DATE AS done_week
  FROM ${cases}),
as_of AS (SELECT ${asOfExpr} AS t),
o AS (
  SELECT cloud, open_week AS week, priority, grp, ${OPENED_AGG}
  FROM c GROUP BY GROUPING SETS (${WEEK_SETS})),
d AS (
  SELECT cloud, done_week AS week, priority, grp, ${DONE_AGG}
  FROM c WHERE done_at IS NOT NULL GROUP BY GROUPING SETS (${WEEK_SETS})),
ot AS (SELECT cloud, NULL::DATE AS week, priority, grp, ${OPENED_AGG} FROM c GROUP BY GROUPING SETS (${TOTAL_SETS})),
dt AS (SELECT cloud, NULL::DATE AS week, priority, grp, ${DONE_AGG} FROM c WHERE done_at IS NOT NULL GROUP BY GROUPING SETS (${TOTAL_SETS})),
bt AS (
  SELECT cloud, NULL::DATE AS week, priority, grp,
    count(*)::INTEGER AS backlog,
    avg(epoch((SELECT t FROM as_of) - opened_at) / 86400.0) AS backlog_age_mean_d
  FROM c WHERE opened_at <= (SELECT t FROM as_of) AND (done_at IS NULL OR done_at > (SELECT t FROM as_of))
  GROUP BY GROUPING SETS (${TOTAL_SETS})),
delta AS (
  SELECT cloud, week, priority, grp, sum(n_open) AS n_open, sum(s_open) AS s_open, sum(n_done) AS n_done, sum(s_done) AS s_done
  FROM (
    SELECT cloud, priority, grp, open_week AS week, 1 AS n_open, epoch(opened_at) AS s_open, 0 AS n_done, 0.0 AS s_done FROM c
    UNION ALL
    SELECT cloud, priority, grp, done_week, 0, 0.0, 1, epoch(opened_at) FROM c WHERE done_at IS NOT NULL)
  GROUP BY GROUPING SETS (${WEEK_SETS})),
span AS (SELECT min(week) AS first, ${lastWeek} AS last FROM delta),
weeks AS (SELECT unnest(generate_series(first, last, INTERVAL 7 DAY))::DATE AS week FROM span),
keys AS (SELECT cloud, priority, grp, min(week) AS first_week FROM delta GROUP BY ALL),
b AS (
  SELECT k.cloud, w.week, k.priority, k.grp,
    sum(coalesce(x.n_open, 0) - coalesce(x.n_done, 0)) OVER win AS open_n,
    sum(coalesce(x.s_open, 0) - coalesce(x.s_done, 0)) OVER win AS open_s
  FROM keys k JOIN weeks w ON w.week >= k.first_week
  LEFT JOIN delta x ON x.week = w.week AND ${same('x', 'k', ['cloud', 'priority', 'grp'])}
  WINDOW win AS (PARTITION BY k.cloud, k.priority, k.grp ORDER BY w.week ROWS UNBOUNDED PRECEDING)),
weekly AS (
  SELECT b.cloud, b.week, b.priority, b.grp,
    CASE WHEN ${HAS_DATA} THEN coalesce(o.volume, 0) END AS volume, o.frt_q[1] AS first_response_median_min, o.frt_q[2] AS first_response_p90_min,
    coalesce(d.resolved, 0) AS resolved, d.ttr_q[1] AS resolve_median_h, d.ttr_q[2] AS resolve_p90_h,
    CASE WHEN ${HAS_DATA} THEN b.open_n::INTEGER END AS backlog,
    CASE WHEN ${HAS_DATA} AND b.open_n > 0 THEN (b.open_n * epoch(b.week + INTERVAL 7 DAY) - b.open_s) / b.open_n / 86400.0 END AS backlog_age_mean_d,
    coalesce(d.sla_met, 0) AS sla_met, coalesce(d.sla_total, 0) AS sla_total,
    coalesce(d.reopened, 0) AS reopened, coalesce(d.reopen_base, 0) AS reopen_base,
    coalesce(d.reassigned, 0) AS reassigned, coalesce(d.reassign_base, 0) AS reassign_base
  FROM b
  LEFT JOIN o ON ${same('o', 'b')}
  LEFT JOIN d ON ${same('d', 'b')}),
totals AS (
  SELECT ot.cloud, NULL::DATE AS week, ot.priority, ot.grp,
    ot.volume, ot.frt_q[1], ot.frt_q[2],
    coalesce(dt.resolved, 0), dt.ttr_q[1], dt.ttr_q[2],
    coalesce(bt.backlog, 0), bt.backlog_age_mean_d,
    coalesce(dt.sla_met, 0), coalesce(dt.sla_total, 0), coalesce(dt.reopened, 0), coalesce(dt.reopen_base, 0),
    coalesce(dt.reassigned, 0), coalesce(dt.reassign_base, 0)
  FROM ot
  LEFT JOIN dt ON ${same('dt', 'ot', ['cloud', 'priority', 'grp'])}
  LEFT JOIN bt ON ${same('bt', 'ot', ['cloud', 'priority', 'grp'])})
SELECT cloud, coalesce(strftime(week, '%Y-%m-%d'), '*') AS week, coalesce(priority, '*') AS priority, coalesce(grp, '*') AS "group",
  volume, first_response_median_min, first_response_p90_min, resolved, resolve_median_h, resolve_p90_h,
  backlog, backlog_age_mean_d, sla_met, sla_total,
  CASE WHEN sla_total > 0 THEN sla_met / sla_total END AS sla_attainment,
  reopened, reopen_base, CASE WHEN reopen_base > 0 THEN reopened / reopen_base END AS reopen_rate,
  reassigned, reassign_base, CASE WHEN reassign_base > 0 THEN reassigned / reassign_base END AS reassignment_rate
FROM (SELECT * FROM weekly UNION ALL SELECT * FROM totals)
ORDER BY cloud, week, priority, "group"`;
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

function toRow(r: Record<string, unknown>): KpiRow {
  const row = {} as Record<string, unknown>;
  for (const k of KPI_COLUMNS) {
    const v = r[k];
    row[k] = k === 'cloud' || k === 'week' || k === 'priority' || k === 'group' ? String(v) : num(v);
  }
  for (const k of [
    'resolved',
    'sla_met',
    'sla_total',
    'reopened',
    'reopen_base',
    'reassigned',
    'reassign_base',
  ])
    row[k] = row[k] ?? 0;
  return row as unknown as KpiRow;
}

/**
 * Every KPI row: weekly rows and, with week `*`, totals over the whole export. `source`: the
 * export's source id in the store (IngestReport.source); absent for a private database.
 */
export async function computeKpis(
  db: CaseDb,
  options: { asOf?: Date; source?: number; until?: Date } = {},
): Promise<KpiRow[]> {
  const rows = await db.all<Record<string, unknown>>(kpiSql(options.asOf, options.source, options.until));
  return rows.map(toRow);
}

/** Pooled KPIs of one cloud over a window [from, to), for rules like "SLA attainment over the last 4 weeks". */
export async function windowKpis(
  db: CaseDb,
  options: { cloud: string; from: Date; to: Date; priority?: string; source?: number },
): Promise<Record<KpiName, number | null> & { cases: number; resolved: number }> {
  const cases = casesRelation(options.source);
  const ts = timestamp;
  const filter = `cloud = ${sqlString(options.cloud)}${options.priority ? ` AND priority = ${sqlString(options.priority)}` : ''}`;
  const from = ts(options.from);
  const to = ts(options.to);
  const [r] = await db.all<Record<string, unknown>>(`
    SELECT
      (SELECT count(*) FROM ${cases} WHERE ${filter} AND opened_at >= ${from} AND opened_at < ${to})::INTEGER AS volume,
      (SELECT quantile_cont(${FRT_MIN}, 0.5) FROM ${cases} WHERE ${filter} AND opened_at >= ${from} AND opened_at < ${to}) AS first_response_median_min,
      (SELECT quantile_cont(${FRT_MIN}, 0.9) FROM ${cases} WHERE ${filter} AND opened_at >= ${from} AND opened_at < ${to}) AS first_response_p90_min,
      d.*,
      (SELECT count(*) FROM ${cases} WHERE ${filter} AND opened_at <= ${to} AND (done_at IS NULL OR done_at > ${to}))::INTEGER AS backlog,
      (SELECT avg(epoch(${to} - opened_at) / 86400.0) FROM ${cases} WHERE ${filter} AND opened_at <= ${to} AND (done_at IS NULL OR done_at > ${to})) AS backlog_age_mean_d
    FROM (SELECT ${DONE_AGG} FROM ${cases} WHERE ${filter} AND done_at >= ${from} AND done_at < ${to}) d`);
  const n = (k: string) => num(r?.[k]);
  const ratio = (a: string, b: string) => ((n(b) ?? 0) > 0 ? (n(a) ?? 0) / (n(b) as number) : null);
  return {
    cases: n('volume') ?? 0,
    resolved: n('resolved') ?? 0,
    volume: n('volume'),
    first_response_median_min: n('first_response_median_min'),
    first_response_p90_min: n('first_response_p90_min'),
    resolve_median_h: num((r?.ttr_q as number[] | null)?.[0]),
    resolve_p90_h: num((r?.ttr_q as number[] | null)?.[1]),
    backlog: n('backlog'),
    backlog_age_mean_d: n('backlog_age_mean_d'),
    sla_attainment: ratio('sla_met', 'sla_total'),
    reopen_rate: ratio('reopened', 'reopen_base'),
    reassignment_rate: ratio('reassigned', 'reassign_base'),
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
