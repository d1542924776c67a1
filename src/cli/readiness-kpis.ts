import { inferColumns, type ParquetColumn, writeParquet } from '../export/parquet.ts';
import { type CaseTarget, excludedValues, loadCases, unreadLines } from '../readiness/assess.ts';
import { type OwnedCaseDb, openCaseDb } from '../readiness/db.ts';
import type { KpiRow } from '../readiness/kpis.ts';
import { renderKpisCsv } from '../readiness/kpis-csv.ts';
import { ConfigError, loadConfig } from './config.ts';
import { writeOutput } from './output.ts';
import {
  type CaseFlags,
  casesInput,
  guard,
  openSaveTarget,
  parseNow,
  parseUntil,
  reportIngest,
} from './readiness-input.ts';
import { textTable } from './text-table.ts';

export interface KpiFlags extends CaseFlags {
  format?: string;
  output?: string;
  all?: boolean;
  config?: string;
  store?: string;
  save?: boolean;
}

/** The key columns of the KPI table, for a Parquet file of no rows. */
const KPI_KEY_COLUMNS: ParquetColumn[] = ['cloud', 'week', 'priority', 'group'].map((name) => ({
  name,
  type: 'text',
}));

function table(rows: KpiRow[]): string {
  const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);
  const n1 = (v: number | null) => (v === null ? '' : v.toFixed(1));
  const headers = [
    'cloud',
    'week',
    'priority',
    'group',
    'volume',
    'frt med min',
    'ttr med h',
    'ttr p90 h',
    'backlog',
    'age d',
    'sla',
    'reopen',
    'reassign',
  ];
  const body = rows.map((r) => [
    r.cloud,
    r.week,
    r.priority,
    r.group,
    r.volume === null ? 'no data' : String(r.volume),
    n1(r.first_response_median_min),
    n1(r.resolve_median_h),
    n1(r.resolve_p90_h),
    r.backlog === null ? '' : String(r.backlog),
    n1(r.backlog_age_mean_d),
    pct(r.sla_attainment),
    pct(r.reopen_rate),
    pct(r.reassignment_rate),
  ]);
  return textTable(headers, body, new Set([4, 5, 6, 7, 8, 9, 10, 11, 12]));
}

export async function runKpis(flags: KpiFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (!['table', 'json', 'csv', 'parquet'].includes(format))
    throw new ConfigError(`--format expects table, json, csv or parquet; got '${format}'`);
  if (format === 'parquet' && !flags.output)
    throw new ConfigError('--format parquet writes a file: give it with --output <file>');
  const cases = casesInput(flags);
  if (!cases) throw new ConfigError('readiness kpis needs --cases <file>');
  const { config, file: configFile } = loadConfig(flags.config);
  const target = await openSaveTarget(flags, config, configFile);
  let db: OwnedCaseDb | undefined;
  try {
    const now = flags.now ? parseNow(flags.now) : undefined;
    const until = parseUntil(flags.until);
    if (!target.store) db = await openCaseDb();
    const into: CaseTarget = target.store ? { store: target.store } : { db: db as OwnedCaseDb };
    const { ingest, kpis } = await guard(() =>
      loadCases(into, cases, flags.root ?? process.cwd(), {
        ...(now ? { asOf: now } : {}),
        ...(until ? { until } : {}),
      }),
    );
    let text: string;
    if (format === 'parquet') {
      const rows = kpis as unknown as Record<string, unknown>[];
      await writeParquet(flags.output as string, inferColumns(rows, KPI_KEY_COLUMNS), rows);
      text = '';
    } else if (format === 'json')
      text = JSON.stringify({ ingest: { ...ingest, ms: Math.round(ingest.ms) }, kpis }, null, 2);
    else if (format === 'csv') text = renderKpisCsv(kpis);
    else text = table(flags.all ? kpis : kpis.filter((r) => r.priority === '*' && r.group === '*'));
    if (format !== 'parquet') writeOutput(text, flags.output);
    process.stderr.write(
      `assay: ${ingest.file}: ${ingest.records} records, ${ingest.loaded} loaded, ${ingest.badRows.length} bad${unreadLines(ingest)}${excludedValues(ingest)}, ${ingest.cases} cases\n`,
    );
    const inputError = reportIngest(ingest);
    if (target.save && !target.store) {
      process.stderr.write(`assay: ${target.error}; the KPIs were written, the cases were not saved\n`);
      return 2;
    }
    if (target.store)
      process.stderr.write(`assay: ${ingest.cases} cases kept in ${target.path} (source ${ingest.source})\n`);
    return inputError;
  } finally {
    await db?.close();
    await target.store?.close();
  }
}
