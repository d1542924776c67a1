/**
 * Which runs the dashboard shows: one series at a time (issue 13, docs/dashboard.md
 * "Series"), by default the newest run's, or every series when asked for explicitly.
 * Shared by the API (src/server/app.ts) and the single-file report (web/data.ts), so both
 * pick the same way. Pure: the browser bundle imports it, so no Node imports.
 */
import { seriesLabel } from '../core/series.ts';
import type { RunSummary } from '../store/store.ts';

/** The value of `?series=` that mixes every series. */
export const ALL_SERIES = 'all';

/** One series of runs, as the series picker lists it. */
export interface SeriesInfo {
  /** The opaque key (RunSummary.series): pass it back as `?series=`. */
  key: string;
  /** The key as people read it, e.g. `azure scan of examples/azure in /repo`. */
  label: string;
  domain: string;
  kind: string;
  /** Runs saved in this series. */
  runs: number;
  newestRun: number;
  newestAt: string;
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

/** The series of `runs` (newest first, as listRuns returns them), newest series first. */
export function seriesOf(runs: readonly RunSummary[]): SeriesInfo[] {
  const out = new Map<string, SeriesInfo>();
  for (const r of runs) {
    const known = out.get(r.series);
    if (known) {
      known.runs++;
      continue;
    }
    out.set(r.series, {
      key: r.series,
      label: seriesLabel(r.series),
      domain: r.domain,
      kind: r.kind,
      runs: 1,
      newestRun: r.run,
      newestAt: r.finishedAt,
    });
  }
  return [...out.values()];
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
  if (wanted === ALL_SERIES) return { runs: [...runs], all: true, available };
  const key = wanted === undefined || wanted === '' ? available[0]?.key : wanted;
  if (key === undefined) return { runs: [], all: false, available };
  if (!available.some((s) => s.key === key))
    return { error: `no saved run is of the series ${seriesLabel(key)}` };
  return {
    runs: runs.filter((r) => r.series === key),
    series: { key, label: seriesLabel(key) },
    all: false,
    available,
  };
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
