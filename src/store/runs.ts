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
