import { seriesLabel } from '../core/run-scope.ts';
import type { RunSummary } from './store.ts';

/**
 * Run references as the history commands accept them: a run number (`7`), `latest`,
 * `previous`, `latest~N` (N runs before the latest) or `-N` (the Nth newest: `-1` is the
 * latest, `-2` the previous). Relative forms count within the runs given, so a caller that
 * filters by domain resolves within that domain.
 */
export const RUN_REF_HELP = 'a run number, latest, previous, latest~N or -N (-1 is the latest)';

/** The run a reference names among `runs` (newest first, as listRuns returns them), or why none does. */
export function resolveRunRef(
  runs: readonly RunSummary[],
  ref: string,
): { run: RunSummary } | { error: string } {
  const text = ref.trim().toLowerCase();
  let index: number | undefined;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    const found = runs.find((r) => r.run === n);
    return found ? { run: found } : { error: `no run ${n} in the store` };
  }
  if (text === 'latest') index = 0;
  else if (text === 'previous') index = 1;
  else if (/^latest~\d+$/.test(text)) index = Number(text.slice(7));
  else if (/^-\d+$/.test(text) && Number(text) < 0) index = -Number(text) - 1;
  else return { error: `'${ref}' is not a run reference: expected ${RUN_REF_HELP}` };
  const found = runs[index];
  if (found) return { run: found };
  return {
    error:
      runs.length === 0
        ? `no runs saved yet, so '${ref}' names none`
        : `'${ref}' names run ${index + 1} from the newest, but only ${runs.length} run(s) are saved`,
  };
}

/**
 * The two runs `diff` compares. The later one (`refB`, by default the newest run) picks the
 * series; the earlier one is looked up within that series, and relative forms (`previous`,
 * `-2`) count back from the later run. A run of another series is refused unless
 * `anySeries`: comparing a TRA with a scan, or InnerSource with readiness, reports noise.
 */
export function resolveRunPair(
  runs: readonly RunSummary[],
  refA: string,
  refB: string,
  anySeries: boolean,
): { a: RunSummary; b: RunSummary } | { error: string } {
  const later = resolveRunRef(runs, refB);
  if ('error' in later) return later;
  const b = later.run;
  if (anySeries) {
    const earlier = resolveRunRef(runs, refA);
    return 'error' in earlier ? earlier : { a: earlier.run, b };
  }
  const series = runs.filter((r) => r.series === b.series);
  const relative = /^\d+$/.test(refA.trim()) ? series : series.filter((r) => r.run <= b.run);
  const earlier = resolveRunRef(relative, refA);
  const elsewhere = 'error' in earlier ? resolveRunRef(runs, refA) : undefined;
  if (elsewhere && 'run' in elsewhere && /^\d+$/.test(refA.trim()))
    return {
      error: `run ${elsewhere.run.run} is of another series (${seriesLabel(elsewhere.run.series)}) than run ${b.run} (${seriesLabel(b.series)}); pass --any-series to compare them anyway`,
    };
  if ('error' in earlier) {
    const others = runs.length - series.length;
    const hint =
      others > 0 ? `; ${others} run(s) of other series are not counted (--any-series compares across)` : '';
    return {
      error: `${earlier.error.replace(' in the store', '')} in the series of run ${b.run} (${seriesLabel(b.series)})${hint}`,
    };
  }
  return { a: earlier.run, b };
}
