/**
 * The breakdowns of every KPI: priority and assignment group always (with their cross), and
 * category, configuration item and channel when the export has the column. Each optional
 * dimension is its own rollup (per cloud and week, and over the whole export), not crossed
 * with the others, so the rows grow with the dimensions' values, not their product.
 */

export const OPTIONAL_DIMENSIONS = ['category', 'ci', 'channel'] as const;
export type OptionalDimension = (typeof OPTIONAL_DIMENSIONS)[number];

/** Every breakdown column of a case row, in output order after `cloud, week`. */
export const ALL_DIMENSIONS = ['priority', 'grp', ...OPTIONAL_DIMENSIONS] as const;

/** The breakdown columns of a grouped SELECT: those outside every grouping set are NULL. */
export function groupedDimensions(dims: readonly OptionalDimension[]): string {
  return [
    'priority',
    'grp',
    ...OPTIONAL_DIMENSIONS.map((d) => (dims.includes(d) ? d : `NULL::VARCHAR AS ${d}`)),
  ].join(', ');
}

/** The GROUPING SETS of the weekly rows. */
export function weekSets(dims: readonly OptionalDimension[]): string {
  return [
    '(cloud, week)',
    '(cloud, week, priority)',
    '(cloud, week, grp)',
    '(cloud, week, priority, grp)',
    ...dims.map((d) => `(cloud, week, ${d})`),
  ].join(', ');
}

/** The GROUPING SETS of the rows over the whole export. */
export function totalSets(dims: readonly OptionalDimension[]): string {
  return ['(cloud)', '(cloud, priority)', '(cloud, grp)', ...dims.map((d) => `(cloud, ${d})`)].join(', ');
}

/** A row of the cloud and week as a whole: no breakdown. */
export function isOverall(row: {
  priority: string;
  group: string;
  category: string;
  ci: string;
  channel: string;
}): boolean {
  return (
    row.priority === '*' && row.group === '*' && row.category === '*' && row.ci === '*' && row.channel === '*'
  );
}
