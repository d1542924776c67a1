/**
 * The organisation-wide view: each project's standing from its newest run of every series,
 * ranked by failed findings at or above a severity and by compliance with a baseline, and each
 * project's trend over its runs. Pure: the server hands it the projects' run summaries.
 */
import { SEVERITIES, type Severity } from '../../core/model.ts';
import type { RunSummary } from '../../store/store.ts';

export interface ProjectStanding {
  project: string;
  scope: string;
  /** Runs pushed to the project. */
  runs: number;
  /** The newest run of each series the standing is made of. */
  latestRuns: number[];
  latestAt?: string;
  /** Failed findings at or above the severity asked for, over those runs. */
  failures: number;
  /** Per cent of the baseline's controls met (over those runs); null when no run has the baseline. */
  compliance: number | null;
  /** Controls of the baseline met and in total. */
  met: number;
  total: number;
  /** The baselines the newest runs were assessed against (the names `baseline=` takes). */
  baselines: string[];
}

export interface TrendPoint {
  run: number;
  at: string;
  series: string;
  failures: number;
  compliance: number | null;
}

export interface OrgView {
  severity: Severity;
  baseline?: string;
  /** Ranked: most failures first, then lowest compliance, then by name. */
  projects: ProjectStanding[];
}

/** Severities at or above `min` (critical is the highest). */
export function atOrAbove(min: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(min) + 1);
}

const failuresOf = (r: RunSummary, severities: readonly Severity[]) =>
  severities.reduce((n, s) => n + (r.failedBySeverity[s] ?? 0), 0);

function baselineOf(r: RunSummary, baseline: string | undefined) {
  return baseline === undefined ? undefined : r.baselines.find((b) => b.name === baseline);
}

const percent = (met: number, total: number) => (total === 0 ? null : Math.round((met / total) * 1000) / 10);

/** One project's standing from its runs (newest first, as listRuns gives them). */
export function standing(
  project: { name: string; scope: string },
  runs: readonly RunSummary[],
  severity: Severity,
  baseline: string | undefined,
): ProjectStanding {
  const severities = atOrAbove(severity);
  const latest = new Map<string, RunSummary>();
  for (const r of runs) if (!latest.has(r.series)) latest.set(r.series, r);
  let failures = 0;
  let met = 0;
  let total = 0;
  const baselines = new Set<string>();
  for (const r of latest.values()) {
    for (const b of r.baselines) baselines.add(b.name);
    failures += failuresOf(r, severities);
    const b = baselineOf(r, baseline);
    if (b) {
      met += b.met;
      total += b.total;
    }
  }
  return {
    project: project.name,
    scope: project.scope,
    runs: runs.length,
    latestRuns: [...latest.values()].map((r) => r.run),
    ...(runs[0] ? { latestAt: runs[0].finishedAt } : {}),
    failures,
    compliance: percent(met, total),
    met,
    total,
    baselines: [...baselines].sort(),
  };
}

export function rank(standings: ProjectStanding[]): ProjectStanding[] {
  return [...standings].sort(
    (a, b) =>
      b.failures - a.failures ||
      (a.compliance ?? 101) - (b.compliance ?? 101) ||
      (a.project < b.project ? -1 : a.project > b.project ? 1 : 0),
  );
}

/** A project's trend, oldest run first: failures at or above the severity and baseline compliance per run. */
export function trend(
  runs: readonly RunSummary[],
  severity: Severity,
  baseline: string | undefined,
): TrendPoint[] {
  const severities = atOrAbove(severity);
  return [...runs]
    .sort((a, b) => a.run - b.run)
    .map((r) => {
      const b = baselineOf(r, baseline);
      return {
        run: r.run,
        at: r.finishedAt,
        series: r.series,
        failures: failuresOf(r, severities),
        compliance: b ? percent(b.met, b.total) : null,
      };
    });
}

/**
 * The trend across projects: after each run (in time order), the failures of every project's
 * newest run of each series summed, so the line moves only when a project's standing moves.
 */
export function acrossTrend(projects: readonly { project: string; points: readonly TrendPoint[] }[]): {
  at: string;
  failures: number;
}[] {
  const events = projects
    .flatMap((p) => p.points.map((pt) => ({ key: `${p.project}\u0000${pt.series}`, pt })))
    .sort((a, b) => (a.pt.at < b.pt.at ? -1 : a.pt.at > b.pt.at ? 1 : a.pt.run - b.pt.run));
  const current = new Map<string, number>();
  let total = 0;
  return events.map(({ key, pt }) => {
    total += pt.failures - (current.get(key) ?? 0);
    current.set(key, pt.failures);
    return { at: pt.at, failures: total };
  });
}
