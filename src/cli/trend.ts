import type { Command } from 'commander';
import { extent } from '../core/extent.ts';
import { RUN_REF_HELP } from '../store/runs.ts';
import type { RunSummary } from '../store/store.ts';
import { loadConfig } from './config.ts';
import { parseLimit } from './history.ts';
import { UsageError } from './select-checks.ts';
import { type SelectedRuns, type SeriesFlags, seriesNote, seriesRuns } from './series-options.ts';
import { addStoreOption, openHistory, type StoreFlags, storePath } from './store-options.ts';
import { bar, percent, shortTime, sparkline, textTable } from './text-table.ts';

interface TrendFlags extends StoreFlags, SeriesFlags {
  baseline?: string;
  limit?: string;
  format?: string;
  config?: string;
}

export interface TrendPoint {
  run: number;
  startedAt: string;
  label?: string;
  /** The score, or the baseline's met controls as a share of those assessed; null when undecided. */
  value: number | null;
  /** The check set differs from the previous point's: a change here may come from the rules. */
  checkSetChanged?: boolean;
  /** With --baseline: the counts behind the value. */
  met?: number;
  assessed?: number;
  total?: number;
}

export interface Trend {
  metric: 'score' | 'baseline';
  /** The series followed (RunSummary.series), or absent when runs of every series were mixed. */
  series?: string;
  baseline?: string;
  points: TrendPoint[];
}

export function registerTrend(program: Command): void {
  const command = program
    .command('trend')
    .description('the score, or a baseline met %, over saved runs (oldest first)')
    .option('--baseline <name>', 'follow this baseline: controls met as a share of those assessed')
    .option('--domain <domain>', 'only runs of this domain')
    .option('--series-of <run>', `follow the series of this run: ${RUN_REF_HELP} (default: latest)`)
    .option('--any-series', 'mix runs of every series (kind, targets, root, boundary) in one trend')
    .option('-n, --limit <n>', 'the last N runs (default: 30)')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
  addStoreOption(command).action(async (flags: TrendFlags) => {
    process.exitCode = await runTrend(flags);
  });
}

async function runTrend(flags: TrendFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unknown format '${format}'; expected table or json`);
  const limit = parseLimit(flags.limit) ?? 30;
  const { config } = loadConfig(flags.config);
  const store = await openHistory(storePath(flags, config), true);
  let picked: SelectedRuns;
  try {
    picked = await seriesRuns(store, flags, 'latest', limit);
  } finally {
    await store.close();
  }
  const { runs, series } = picked;
  const trend = buildTrend(runs, flags.baseline);
  if (series !== undefined) trend.series = series;
  process.stdout.write(format === 'json' ? `${JSON.stringify(trend, null, 2)}\n` : renderTrend(trend));
  return 0;
}

/** The trend over runs (given newest first, as listRuns returns them), oldest first. */
export function buildTrend(runs: readonly RunSummary[], baseline?: string): Trend {
  const ordered = [...runs].reverse();
  let previousSet: string | undefined;
  const common = (r: RunSummary) => {
    const changed = previousSet !== undefined && r.checkSet !== previousSet;
    previousSet = r.checkSet;
    return {
      run: r.run,
      startedAt: r.startedAt,
      ...(r.label ? { label: r.label } : {}),
      ...(changed ? { checkSetChanged: true } : {}),
    };
  };
  if (baseline === undefined)
    return { metric: 'score', points: ordered.map((r) => ({ ...common(r), value: r.score })) };
  const points: TrendPoint[] = [];
  for (const r of ordered) {
    const b = r.baselines.find((x) => x.name === baseline);
    if (!b) continue;
    points.push({
      ...common(r),
      value: b.assessed === 0 ? null : Math.round((b.met / b.assessed) * 1000) / 10,
      met: b.met,
      assessed: b.assessed,
      total: b.total,
    });
  }
  if (points.length === 0 && runs.length > 0) {
    const names = [...new Set(runs.flatMap((r) => r.baselines.map((x) => x.name)))].sort();
    throw new UsageError(
      `no saved run has baseline '${baseline}'${names.length ? `; runs have: ${names.join(', ')}` : '; no run was saved with a baseline'}`,
    );
  }
  return { metric: 'baseline', baseline, points };
}

export function renderTrend(trend: Trend): string {
  if (trend.points.length === 0) return 'no runs saved yet (assay scan --save)\n';
  const what = trend.metric === 'score' ? 'score' : `${trend.baseline} controls met (of assessed)`;
  const values = trend.points.map((p) => p.value).filter((v): v is number => v !== null);
  const first = values[0];
  const last = values[values.length - 1];
  const head =
    values.length > 0
      ? `${what}  ${sparkline(values)}  ${percent(first)} -> ${percent(last)} over ${trend.points.length} run(s) (min ${percent(extent(values).min)}, max ${percent(extent(values).max)})`
      : `${what}: no run has a decided value`;
  const headers = ['RUN', 'DATE (UTC)', trend.metric === 'score' ? 'SCORE' : 'MET', 'CHANGE', ''];
  if (trend.metric === 'baseline') headers.splice(3, 0, 'MET/ASSESSED/TOTAL');
  const anyLabel = trend.points.some((p) => p.label);
  if (anyLabel) headers.push('LABEL');
  let previous: number | null = null;
  const rows = trend.points.map((p) => {
    const change =
      p.value === null || previous === null
        ? ''
        : p.checkSetChanged
          ? 'rules changed'
          : `${p.value - previous >= 0 ? '+' : ''}${(p.value - previous).toFixed(1)}`;
    if (p.value !== null) previous = p.value;
    const row = [
      String(p.run),
      shortTime(p.startedAt),
      percent(p.value),
      change,
      p.value === null ? '' : bar(p.value),
    ];
    if (trend.metric === 'baseline') row.splice(3, 0, `${p.met}/${p.assessed}/${p.total}`);
    if (anyLabel) row.push(p.label ?? '');
    return row;
  });
  const right = new Set(trend.metric === 'baseline' ? [0, 2, 3, 4] : [0, 2, 3]);
  const about = [seriesNote(trend.series)];
  const changedAt = trend.points.filter((p) => p.checkSetChanged).map((p) => p.run);
  if (changedAt.length > 0)
    about.push(
      `the check set changed at run ${changedAt.join(', ')}: a change there may come from the rules, not the evidence`,
    );
  return `${head}\n${about.join('\n')}\n\n${textTable(headers, rows, right)}\n`;
}
