/**
 * What a run's series is, as data and as words. Free of Node imports: the dashboard bundle
 * and the model's types use it; src/core/run-scope.ts works scopes and keys out.
 */

/**
 * What a run was: the command that produced it and what it looked at. Runs of the same
 * series (same domain, kind, root, targets and boundary) are comparable; `diff` and `trend`
 * stay within one series unless told otherwise, so an InnerSource run is never "diffed"
 * against a readiness run, nor a TRA against a plain scan.
 *
 * Baselines are recorded but are not part of the series: a baseline changes the compliance
 * view of the same findings, not the findings or the score.
 */
export interface RunScope {
  /** The command that produced the run: scan, tra, innersource, readiness. */
  kind: string;
  /** What was scanned, as given (paths relative to the working folder), sorted. */
  targets: string[];
  /** The sovereign boundary residency checks used, when one was set. */
  boundary?: string;
  /** Baselines the run was evaluated against. */
  baselines: string[];
  /** True when the scope was worked out from an assessment saved before runs recorded it. */
  inferred?: boolean;
}

/** `azure scan of examples/azure (boundary au) in /repo`; a key that is not a series key is shown as is. */
export function seriesLabel(key: string): string {
  try {
    const [domain, kind, root, targets, boundary] = JSON.parse(key) as [
      string,
      string,
      string,
      string[],
      string | null,
    ];
    const what = domain === kind ? domain : `${domain} ${kind}`;
    const of = targets.length > 0 ? ` of ${targets.join(', ')}` : '';
    return `${what}${of}${boundary ? ` (boundary ${boundary})` : ''} in ${root}`;
  } catch {
    return key;
  }
}
