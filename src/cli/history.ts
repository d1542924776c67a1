import type { Command } from 'commander';
import { seriesLabel } from '../core/run-scope.ts';
import { RUN_REF_HELP } from '../store/runs.ts';
import type { RunSummary } from '../store/store.ts';
import { loadConfig } from './config.ts';
import { UsageError } from './select-checks.ts';
import { type SeriesFlags, seriesNote, seriesRuns } from './series-options.ts';
import { addStoreOption, openHistory, type StoreFlags, storePath } from './store-options.ts';
import { percent, shortTime, textTable } from './text-table.ts';

interface HistoryFlags extends StoreFlags, SeriesFlags {
  limit?: string;
  format?: string;
  config?: string;
}

export function registerHistory(program: Command): void {
  const command = program
    .command('history')
    .description('list saved runs, newest first, with their scores and baselines')
    .option('--domain <domain>', 'only runs of this domain, e.g. azure')
    .option('--series-of <run>', `only runs of the series of this run: ${RUN_REF_HELP}`)
    .option('-n, --limit <n>', 'at most this many runs (default: all)')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
  addStoreOption(command).action(async (flags: HistoryFlags) => {
    process.exitCode = await runHistory(flags);
  });
}

export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--limit expects a positive whole number, got '${value}'`);
  return n;
}

async function runHistory(flags: HistoryFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unknown format '${format}'; expected table or json`);
  const limit = parseLimit(flags.limit);
  const { config } = loadConfig(flags.config);
  const store = await openHistory(storePath(flags, config), true);
  try {
    // Every series unless --series-of picks one: history is where run numbers are looked up.
    const { runs, series } = await seriesRuns(store, flags, 'every', limit);
    process.stdout.write(
      format === 'json' ? `${JSON.stringify(runs, null, 2)}\n` : renderHistory(runs, series),
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** One baseline as a short cell: `ism-protected 12/40 met, 5 not met`. */
function baselineCell(b: RunSummary['baselines'][number]): string {
  const parts = [`${b.met}/${b.assessed} met`];
  if (b.notMet) parts.push(`${b.notMet} not met`);
  if (b.partiallyMet) parts.push(`${b.partiallyMet} partly`);
  if (b.unknown) parts.push(`${b.unknown} unknown`);
  return `${b.name} ${parts.join(', ')}`;
}

/** The table; `series` is the one --series-of picked, said above it. */
export function renderHistory(runs: readonly RunSummary[], series?: string): string {
  if (runs.length === 0) return 'no runs saved yet (assay scan --save)\n';
  const roots = new Set(runs.map((r) => r.root));
  const oneRoot = roots.size === 1;
  const headers = [
    'RUN',
    'DATE (UTC)',
    'KIND',
    'SUBJECTS',
    'FINDINGS',
    'FAIL',
    'UNKNOWN',
    'SCORE',
    'BEFORE WAIVERS',
  ];
  const anyBaseline = runs.some((r) => r.baselines.length > 0);
  const anyLabel = runs.some((r) => r.label);
  if (anyBaseline) headers.push('BASELINES');
  if (anyLabel) headers.push('LABEL');
  if (!oneRoot) headers.push('ROOT');
  const rows = runs.map((r) => {
    const row = [
      String(r.run),
      shortTime(r.startedAt),
      r.kind === r.domain ? r.domain : `${r.domain} ${r.kind}`,
      String(r.subjects),
      String(r.findings),
      String(r.byStatus.fail),
      String(r.byStatus.unknown + r.byStatus.error),
      percent(r.score),
      percent(r.scoreBeforeWaivers),
    ];
    if (anyBaseline) row.push(r.baselines.map(baselineCell).join('; ') || '-');
    if (anyLabel) row.push(r.label ?? '');
    if (!oneRoot) row.push(r.root);
    return row;
  });
  const shown = new Set(runs.map((r) => r.series));
  if (shown.size > 1) headers.push('SERIES');
  const numbering = new Map([...shown].map((k, i) => [k, `s${i + 1}`]));
  if (shown.size > 1) for (const [i, row] of rows.entries()) row.push(numbering.get(runs[i].series) ?? '');
  const head = [
    oneRoot ? `root ${[...roots][0]}` : '',
    series !== undefined ? seriesNote(series, 'without --series-of to list every series') : '',
    shown.size > 1
      ? `${shown.size} series: ${[...numbering].map(([k, n]) => `${n} ${seriesLabel(k)}`).join('; ')}\ndiff and trend compare runs within one series (--series-of RUN picks one)`
      : '',
  ]
    .filter(Boolean)
    .map((l) => `${l}\n`)
    .join('');
  return `${head}${textTable(headers, rows, new Set([0, 3, 4, 5, 6, 7, 8]))}\n`;
}
