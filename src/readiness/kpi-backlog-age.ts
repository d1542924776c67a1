/**
 * Backlog age buckets at the end of each week: the open cases whose age (week end minus
 * opening, in whole days) is 0-2, 3-7, 8-30 or over 30 days. Like the backlog itself they come
 * from running sums over weeks: a case enters the "at least k days old" count in the first
 * week whose end is k days or more after its opening, and leaves it in the week it is done.
 */

/** The lower bound in days of each bucket after the first, and the bucket columns. */
export const AGE_THRESHOLDS = [3, 8, 31] as const;
export const BACKLOG_BUCKETS = ['backlog_0_2d', 'backlog_3_7d', 'backlog_8_30d', 'backlog_over_30d'] as const;
export type BacklogBucket = (typeof BACKLOG_BUCKETS)[number];

/** Running-sum column of the cases at least `k` days old. */
const atLeast = (k: number) => `n_ge${k}`;

/**
 * The first week whose end (Monday 00:00 of the next week) is at or after `opened_at + k days`:
 * the week holding the instant just before that time.
 */
function enterWeek(k: number): string {
  return `date_trunc('week', opened_at + INTERVAL ${k} DAY - INTERVAL 1 MICROSECOND)::DATE`;
}

/** The age columns of a delta arm that does not change them (named, for the union's first arm). */
export function ageDeltaZeros(): string {
  return AGE_THRESHOLDS.map((k) => `0 AS ${atLeast(k)}`).join(', ');
}

/**
 * The delta arm for the age counts, in one pass over the cases: per case, +1 in the week it is
 * first k days old at a week end and -1 in the week it is done, for each k; a case done before
 * it got that old is in neither (its weeks are NULL and dropped). `dims` is the arm's leading
 * columns, `restZeros` the other delta columns.
 */
export function ageDeltaArms(dims: string, restZeros: string): string[] {
  const enters = AGE_THRESHOLDS.map(
    (k) => `CASE WHEN done_at IS NULL OR done_week > ${enterWeek(k)} THEN ${enterWeek(k)} END`,
  );
  const leaves = AGE_THRESHOLDS.map(
    (k) => `CASE WHEN done_at IS NOT NULL AND done_week > ${enterWeek(k)} THEN done_week END`,
  );
  const step = (k: number, sign: string) => AGE_THRESHOLDS.map((j) => (j === k ? sign : '0'));
  const values = (i: number) =>
    `unnest([${[...step(AGE_THRESHOLDS[i], '1'), ...step(AGE_THRESHOLDS[i], '-1')].join(', ')}]) AS ${atLeast(AGE_THRESHOLDS[i])}`;
  return [
    `SELECT ${dims}, age_week, ${restZeros}, ${AGE_THRESHOLDS.map(atLeast).join(', ')} FROM (
      SELECT ${dims}, unnest([${[...enters, ...leaves].join(', ')}]) AS age_week, ${AGE_THRESHOLDS.map((_, i) => values(i)).join(', ')}
      FROM c) WHERE age_week IS NOT NULL`,
  ];
}

/** Sums of the age columns in the grouped delta. */
export function ageDeltaSums(): string {
  return AGE_THRESHOLDS.map((k) => `sum(${atLeast(k)}) AS ${atLeast(k)}`).join(', ');
}

/** Running sums over the weeks (window `win`), from the delta `x`. */
export function ageRunning(): string {
  return AGE_THRESHOLDS.map((k) => `sum(coalesce(x.${atLeast(k)}, 0)) OVER win AS ${atLeast(k)}`).join(', ');
}

/** The bucket columns of a weekly row from the running sums on `b` (null without data). */
export function ageBucketsWeekly(hasData: string): string {
  const [a, b, c] = AGE_THRESHOLDS.map((k) => `b.${atLeast(k)}`);
  const v = (expr: string) => `CASE WHEN ${hasData} THEN (${expr})::INTEGER END`;
  return [
    `${v(`b.open_n - ${a}`)} AS backlog_0_2d`,
    `${v(`${a} - ${b}`)} AS backlog_3_7d`,
    `${v(`${b} - ${c}`)} AS backlog_8_30d`,
    `${v(c)} AS backlog_over_30d`,
  ].join(', ');
}

/** The bucket counts of the backlog at one instant `t` (aggregates over the open cases). */
export function ageBucketsAt(t: string): string {
  const age = `epoch(${t} - opened_at) / 86400.0`;
  const [a, b, c] = AGE_THRESHOLDS;
  return [
    `count(*) FILTER (WHERE ${age} < ${a})::INTEGER AS backlog_0_2d`,
    `count(*) FILTER (WHERE ${age} >= ${a} AND ${age} < ${b})::INTEGER AS backlog_3_7d`,
    `count(*) FILTER (WHERE ${age} >= ${b} AND ${age} < ${c})::INTEGER AS backlog_8_30d`,
    `count(*) FILTER (WHERE ${age} >= ${c})::INTEGER AS backlog_over_30d`,
  ].join(', ');
}
