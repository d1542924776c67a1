/**
 * Which runs the dashboard shows: one series at a time (issue 13, docs/dashboard.md
 * "Series"), by default the newest run's, or every series when asked for explicitly.
 * Shared by the API (src/server/app.ts) and the single-file report (web/data.ts), so both
 * pick the same way. Pure: the browser bundle imports it, so no Node imports.
 */
import { seriesLabel } from '../core/series.ts';
import type { RunSummary, SeriesSummary } from '../store/store.ts';

/** The value of `?series=` that mixes every series. */
export const ALL_SERIES = 'all';

/**
 * One series of runs, as the series picker lists it: `key` is what `?series=` takes back,
 * `label` the key as people read it, e.g. `azure scan of examples/azure in /repo`.
 */
export type SeriesInfo = SeriesSummary & { label: string };

/** A series as the store lists it, with its label (the fields in the order the API has always sent them). */
export function seriesInfo(s: SeriesSummary): SeriesInfo {
  return {
    key: s.key,
    label: seriesLabel(s.key),
    domain: s.domain,
    kind: s.kind,
    runs: s.runs,
    newestRun: s.newestRun,
    newestAt: s.newestAt,
  };
}

/** The runs shown, and the series they come from. */
export interface SeriesRuns {
  /** Newest first. */
  runs: RunSummary[];
  /** The series shown, or absent when every series is mixed (`all` is true). */
  series?: { key: string; label: string };
  all: boolean;
  /** Every series among the runs considered, newest first (the one shown included). */
  available: SeriesInfo[];
}

/**
 * The series of `runs` (newest first, as listRuns returns them), newest series first: what
 * Store.listSeries gives, worked out in memory (the single-file report, the test store).
 */
export function seriesSummaries(runs: readonly RunSummary[]): SeriesSummary[] {
  const out = new Map<string, SeriesSummary>();
  for (const r of runs) {
    const known = out.get(r.series);
    if (known) {
      known.runs++;
      continue;
    }
    out.set(r.series, {
      key: r.series,
      domain: r.domain,
      kind: r.kind,
      runs: 1,
      newestRun: r.run,
      newestAt: r.finishedAt,
    });
  }
  return [...out.values()];
}

/** The series of `runs` (newest first), newest series first, labelled. */
export function seriesOf(runs: readonly RunSummary[]): SeriesInfo[] {
  return seriesSummaries(runs).map(seriesInfo);
}

/** Which runs `wanted` (a series key, `all`, or undefined for the newest) names among `available`. */
export type SeriesChoice =
  | { all: true }
  | { all: false; series?: { key: string; label: string } }
  | { error: string };

/**
 * Chooses among `available` (newest first): every series for `all`, the given key, or the
 * newest series when none is given; none when there are no runs. An unknown key is an
 * error (said in words), not an empty list.
 */
export function chooseSeries(available: readonly SeriesInfo[], wanted: string | undefined): SeriesChoice {
  if (wanted === ALL_SERIES) return { all: true };
  const key = wanted === undefined || wanted === '' ? available[0]?.key : wanted;
  if (key === undefined) return { all: false };
  if (!available.some((s) => s.key === key))
    return { error: `no saved run is of the series ${seriesLabel(key)}` };
  return { all: false, series: { key, label: seriesLabel(key) } };
}

/**
 * Picks the runs of one series: `wanted` is a series key, `all`, or undefined for the
 * newest run's series. An unknown key is an error (said in words), not an empty list.
 */
export function pickSeries(
  runs: readonly RunSummary[],
  wanted: string | undefined,
): SeriesRuns | { error: string } {
  const available = seriesOf(runs);
  const choice = chooseSeries(available, wanted);
  if ('error' in choice) return choice;
  if (choice.all) return { runs: [...runs], all: true, available };
  const { series } = choice;
  if (series === undefined) return { runs: [], all: false, available };
  return { runs: runs.filter((r) => r.series === series.key), series, all: false, available };
}

/**
 * How a run's value compares with the previous run's (both of `runs`, oldest first): a
 * change of series or of check set is said as such, never counted as better or worse.
 */
export type RunChange =
  | { kind: 'first' }
  | { kind: 'series-changed' }
  | { kind: 'rules-changed' }
  | { kind: 'delta'; delta: number | null };

export function runChanges(runsOldestFirst: readonly RunSummary[]): RunChange[] {
  return runsOldestFirst.map((r, i): RunChange => {
    const before = runsOldestFirst[i - 1];
    if (!before) return { kind: 'first' };
    if (before.series !== r.series) return { kind: 'series-changed' };
    if (before.checkSet !== r.checkSet) return { kind: 'rules-changed' };
    return {
      kind: 'delta',
      delta:
        r.score === null || before.score === null ? null : Math.round((r.score - before.score) * 10) / 10,
    };
  });
}
