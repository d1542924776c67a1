/**
 * Which series `history`, `trend` and `diff` show, from their flags, and how they say so.
 * One place, so the three resolve `--domain`, `--series-of` and `--any-series` alike and
 * word the result alike (docs/store.md, "Series").
 */
import { seriesLabel } from '../core/series.ts';
import { resolveRunRef } from '../store/runs.ts';
import type { RunFilter, RunSummary, Store } from '../store/store.ts';
import { UsageError } from './select-checks.ts';

export interface SeriesFlags {
  /** Only runs of this domain; relative run references count within it. */
  domain?: string;
  /** A run reference: show the series of that run. */
  seriesOf?: string;
  /** Mix every series. */
  anySeries?: boolean;
}

/** What a command shows without `--series-of`: the newest run's series (trend) or every series (history). */
export type SeriesDefault = 'latest' | 'every';

/** The runs a command shows, newest first, and the series they are of (absent when mixed). */
export interface SelectedRuns {
  runs: RunSummary[];
  series?: string;
}

/** What `--any-series` does, as the hint after the series shown. */
export const MIX_HINT = '--any-series to mix';

/** A store lookup failed for a reason the user can fix: exit 2, naming the domain looked in. */
export function seriesUsageError(error: string, domain: string | undefined): UsageError {
  return new UsageError(domain !== undefined ? `${error} (domain ${domain})` : error);
}

/** The domain filter of the flags, for `listRuns`. */
export function domainFilter(flags: Pick<SeriesFlags, 'domain'>): RunFilter {
  return flags.domain !== undefined ? { domain: flags.domain } : {};
}

/**
 * The series the flags name: `--series-of RUN` (resolved among the runs of `--domain`),
 * else the newest run's when `byDefault` is `latest`; none (every series) with
 * `--any-series` or when `byDefault` is `every`. An empty store names none rather than
 * failing, unless `--series-of` was given. Both flags at once contradict: a usage error.
 */
export async function resolveSeries(
  store: Pick<Store, 'listRuns'>,
  flags: SeriesFlags,
  byDefault: SeriesDefault,
): Promise<string | undefined> {
  if (flags.anySeries === true && flags.seriesOf !== undefined)
    throw new UsageError('--series-of picks one series and --any-series mixes them all: give one of them');
  if (flags.anySeries === true || (flags.seriesOf === undefined && byDefault === 'every')) return undefined;
  const ref = flags.seriesOf ?? 'latest';
  const domain = domainFilter(flags);
  // The newest run needs one row; another reference is looked up among the domain's runs.
  const runs = await store.listRuns(ref === 'latest' ? { ...domain, limit: 1 } : domain);
  const picked = resolveRunRef(runs, ref);
  if ('run' in picked) return picked.run.series;
  if (runs.length === 0 && flags.seriesOf === undefined) return undefined;
  throw seriesUsageError(picked.error, flags.domain);
}

/** The runs the flags select, newest first, at most `limit`, and their series. */
export async function seriesRuns(
  store: Pick<Store, 'listRuns'>,
  flags: SeriesFlags,
  byDefault: SeriesDefault,
  limit: number | undefined,
): Promise<SelectedRuns> {
  const series = await resolveSeries(store, flags, byDefault);
  const runs = await store.listRuns({
    ...domainFilter(flags),
    ...(series !== undefined ? { series } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  return series !== undefined ? { runs, series } : { runs };
}

/**
 * What the command shows, in the same words everywhere: `showing series <label>; <hint>`,
 * where the hint says how to see more (empty for none), or that every series is mixed.
 */
export function seriesNote(series: string | undefined, hint = MIX_HINT): string {
  if (series === undefined) return 'showing runs of every series (--any-series)';
  return `showing series ${seriesLabel(series)}${hint ? `; ${hint}` : ''}`;
}
