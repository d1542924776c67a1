import { inferColumns, type ParquetColumn, writeParquet } from '../export/parquet.ts';
import { type CaseTarget, excludedValues, loadCases, unreadLines } from '../readiness/assess.ts';
import { type OwnedCaseDb, openCaseDb } from '../readiness/db.ts';
import { type KpiAvailability, unavailableKpis } from '../readiness/kpi-availability.ts';
import { isOverall, OPTIONAL_DIMENSIONS } from '../readiness/kpi-dimensions.ts';
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
const KPI_KEY_COLUMNS: ParquetColumn[] = [
  'cloud',
  'week',
  'priority',
  'group',
  'category',
  'ci',
  'channel',
].map((name) => ({
  name,
  type: 'text',
}));

/** The optional breakdown of a row (`category: X`), or nothing on the priority and group rows. */
function breakdown(r: KpiRow): string {
  if (r.category !== '*') return `category: ${r.category}`;
  if (r.ci !== '*') return `ci: ${r.ci}`;
  if (r.channel !== '*') return `channel: ${r.channel}`;
  return '';
}

function table(rows: KpiRow[], all: boolean): string {
  const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);
  const n1 = (v: number | null) => (v === null ? '' : v.toFixed(1));
  const int = (v: number | null) => (v === null ? '' : String(v));
  const headers = [
    'cloud',
    'week',
    'priority',
    'group',
    ...(all ? ['breakdown'] : []),
    'volume',
    'frt med min',
    'frt mean min',
    'resp sla',
    'ttr med h',
    'ttr p90 h',
    'ttr mean h',
    'backlog',
    'age d',
    '0-2d',
    '3-7d',
    '8-30d',
    '>30d',
    'res sla',
    'reopen',
    'reassign',
    'fcr',
    'escal',
    'csat',
  ];
  const body = rows.map((r) => [
    r.cloud,
    r.week,
    r.priority,
    r.group,
    ...(all ? [breakdown(r)] : []),
    r.volume === null ? 'no data' : String(r.volume),
    n1(r.first_response_median_min),
    n1(r.first_response_mean_min),
    pct(r.response_sla_attainment),
    n1(r.resolve_median_h),
    n1(r.resolve_p90_h),
    n1(r.resolve_mean_h),
    int(r.backlog),
    n1(r.backlog_age_mean_d),
    int(r.backlog_0_2d),
    int(r.backlog_3_7d),
    int(r.backlog_8_30d),
    int(r.backlog_over_30d),
    pct(r.sla_attainment),
    pct(r.reopen_rate),
    pct(r.reassignment_rate),
    pct(r.fcr_rate),
    pct(r.escalation_rate),
    pct(r.csat),
  ]);
  const first = all ? 5 : 4;
  return textTable(headers, body, new Set(headers.map((_, i) => i).filter((i) => i >= first)));
}

/** The KPIs and breakdowns the export cannot give, one line each with the reason. */
function unavailableText(availability: KpiAvailability): string {
  const lines = unavailableKpis(availability).map((u) => `unavailable: ${u.kpi}: ${u.reason}`);
  for (const d of OPTIONAL_DIMENSIONS) {
    const a = availability.dimensions[d];
    if (!a.available) lines.push(`no breakdown by ${d}: ${a.reason}`);
  }
  return lines.join('\n');
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
    const { ingest, kpis, availability } = await guard(() =>
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
      text = JSON.stringify(
        { ingest: { ...ingest, ms: Math.round(ingest.ms) }, availability, kpis },
        null,
        2,
      );
    else if (format === 'csv') text = renderKpisCsv(kpis);
    else {
      const notes = unavailableText(availability);
      text = `${table(flags.all ? kpis : kpis.filter(isOverall), flags.all === true)}${notes ? `\n\n${notes}` : ''}`;
    }
    // CSV and Parquet have no room for them: the unavailable KPIs go to stderr, as their empty columns say nothing.
    if (format === 'csv' || format === 'parquet')
      for (const line of unavailableText(availability).split('\n').filter(Boolean))
        process.stderr.write(`assay: ${line}\n`);
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
