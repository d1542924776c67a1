import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Assessment, type Check, SEVERITIES, type Severity, type Subject } from '../core/model.ts';
import { failsThreshold } from '../core/scoring.ts';
import { inputErrorLine, oneLine } from '../core/terminal-text.ts';
import { encodingName, TextEncodingError } from '../core/text-encoding.ts';
import {
  assessReadiness,
  type CasesInput,
  type CaseTarget,
  loadCases,
  READINESS_DOMAIN,
  unreadLines,
} from '../readiness/assess.ts';
import { renderBrief, renderBriefHtml } from '../readiness/brief.ts';
import { type OwnedCaseDb, openCaseDb } from '../readiness/db.ts';
import { FrameworkError } from '../readiness/framework.ts';
import { IngestError, type IngestReport } from '../readiness/ingest.ts';
import type { KpiRow } from '../readiness/kpis.ts';
import { renderKpisCsv } from '../readiness/kpis-csv.ts';
import { MappingError, PRESETS, type PresetName } from '../readiness/mapping.ts';
import { limitCaseMemory, READINESS_MIGRATIONS } from '../readiness/store.ts';
import { ChromiumNotFoundError, chromiumProblem } from '../report/chromium.ts';
import { isReportFormat, renderPieces } from '../report/index.ts';
import { StoreError } from '../store/errors.ts';
import { registerMigrations } from '../store/migrations.ts';
import type { SqlStore } from '../store/store.ts';
import { type AssayConfig, ConfigError, loadConfig } from './config.ts';
import { useColor, writeOutput } from './output.ts';
import { listValues, selectChecks } from './select-checks.ts';
import { openHistory, saveScan, storePath } from './store-options.ts';
import { textTable } from './text-table.ts';
import { loadWaivers } from './waivers.ts';
import { parseReportSpec, writeReports } from './write-reports.ts';

interface CaseFlags {
  cases?: string;
  preset?: string;
  mapping?: string;
  cloud?: string;
  encoding?: string;
}

interface CommonFlags extends CaseFlags {
  now?: string;
  root?: string;
  output?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface AssessFlags extends CommonFlags {
  format?: string;
  report?: string[];
  checks?: string[];
  skipChecks?: string[];
  failOn?: string;
  waivers?: string;
  config?: string;
  store?: string;
  save?: boolean;
  label?: string;
  verbose?: boolean;
}

interface BriefFlags extends AssessFlags {
  previous?: string;
}

export const BRIEF_FORMATS = ['markdown', 'html', 'pdf'] as const;

interface KpiFlags extends CommonFlags {
  format?: string;
  all?: boolean;
  config?: string;
  store?: string;
  save?: boolean;
}

function caseOptions(command: Command): Command {
  return command
    .option('--cases <file>', 'case or incident export (CSV or JSON)')
    .option('--preset <name>', `field mapping preset: ${PRESETS.join(', ')} (default: generic)`)
    .option('--mapping <file>', 'field mapping file (YAML); overrides the preset')
    .option('--cloud <id>', 'cloud of cases whose export names none')
    .option(
      '--encoding <name>',
      'text encoding of the export: utf-8, utf-16le, utf-16be, windows-1252 (latin1)... (default: detected)',
    )
    .option(
      '--now <date>',
      'run date, ISO 8601: stale attestations and KPI windows are judged against it (default: now)',
    );
}

function parseNow(now: string | undefined): Date {
  if (now === undefined) return new Date();
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(now) ? `${now}T00:00:00Z` : now);
  if (Number.isNaN(ms)) throw new ConfigError(`--now expects an ISO 8601 date or time, got '${now}'`);
  return new Date(ms);
}

function casesInput(flags: CaseFlags): CasesInput | undefined {
  if (!flags.cases) {
    if (flags.preset || flags.mapping) throw new ConfigError('--preset and --mapping need --cases');
    return undefined;
  }
  if (flags.preset && !(PRESETS as readonly string[]).includes(flags.preset))
    throw new ConfigError(`--preset expects one of ${PRESETS.join(', ')}; got '${flags.preset}'`);
  return {
    file: flags.cases,
    ...(flags.preset ? { preset: flags.preset as PresetName } : {}),
    ...(flags.mapping ? { mappingFile: flags.mapping } : {}),
    ...(flags.cloud ? { cloud: flags.cloud } : {}),
    ...(flags.encoding ? { encoding: optionEncoding(flags.encoding) } : {}),
  };
}

function optionEncoding(label: string): string {
  try {
    return encodingName(label);
  } catch (err) {
    if (err instanceof TextEncodingError) throw new ConfigError(`--encoding: ${err.message}`);
    throw err;
  }
}

/** Readiness errors are input problems with a file and line: shown as config errors (exit 2). */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FrameworkError || err instanceof MappingError || err instanceof IngestError)
      throw new ConfigError(err.message);
    throw err;
  }
}

/**
 * Prints the encoding note, unread spans and bad rows of an ingest; returns 1 when an
 * unterminated quote left lines unread (an input error, as for a scan), else 0.
 */
function reportIngest(ingest: IngestReport): number {
  const { badRows, file } = ingest;
  if (ingest.encodingNote) process.stderr.write(`assay: ${oneLine(file)}: ${ingest.encodingNote}\n`);
  for (const u of ingest.unread)
    process.stderr.write(`assay: ${inputErrorLine({ file, line: u.quoteLine, message: u.reason })}\n`);
  for (const b of badRows.slice(0, 20))
    process.stderr.write(
      `assay: ${inputErrorLine({ file, line: b.line, message: `bad row: ${b.reason}` })}\n`,
    );
  if (badRows.length > 20)
    process.stderr.write(`assay: ${badRows.length - 20} more bad rows in ${oneLine(file)}\n`);
  return ingest.unread.length > 0 ? 1 : 0;
}

export function registerReadiness(program: Command): void {
  const readiness = program
    .command('readiness')
    .description(
      'sovereign cloud support readiness: framework levels, support KPIs, anomalies, risks, brief',
    );

  const assess = readiness
    .command('assess')
    .description('assess every cloud of a readiness framework, with KPIs and anomalies from a case export')
    .argument('<framework>', 'readiness framework file (YAML)');
  caseOptions(assess)
    .option(
      '-f, --format <format>',
      'report format: table, json, sarif, junit, markdown, csv, oscal-ar, oscal-poam (default: table)',
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-r, --report <format=file>', 'also write another report; repeatable', collect)
    .option('--checks <ids>', 'run only these check ids or globs (comma-separated, repeatable)', collect)
    .option('--skip-checks <ids>', 'skip these check ids or globs (comma-separated, repeatable)', collect)
    .option(
      '--fail-on <severity>',
      `exit 1 when a failed finding is at or above: ${SEVERITIES.join(', ')}, none (default: none)`,
    )
    .option('--waivers <file>', 'risk acceptances (default: ./assay.waivers.yaml when present)')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)')
    .option('--root <dir>', 'folder that reported paths are relative to (default: cwd)')
    .option('--store <file>', 'history database (default: config store.path, else .assay/assay.duckdb)')
    .option('--save', 'save the run and load the cases into the store (default when a config file is in use)')
    .option('--no-save', 'do not save the run')
    .option('--label <text>', 'label of the saved run')
    .option('-v, --verbose', 'also list passing findings')
    .action(async (framework: string, flags: AssessFlags) => {
      process.exitCode = await runAssess(framework, flags);
    });

  const kpis = readiness
    .command('kpis')
    .description('load a case export into DuckDB and print support KPIs per cloud, week, priority and group');
  caseOptions(kpis)
    .option('-f, --format <format>', 'table, json or csv (default: table)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--all', 'table: also rows per priority and per assignment group (json and csv always have them)')
    .option('--root <dir>', 'folder that reported paths are relative to (default: cwd)')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)')
    .option('--store <file>', 'history database (default: config store.path, else .assay/assay.duckdb)')
    .option(
      '--save',
      'load the cases into the store and compute the KPIs there (default when a config file is in use)',
    )
    .option('--no-save', 'keep the cases in memory only')
    .action(async (flags: KpiFlags) => {
      process.exitCode = await runKpis(flags);
    });

  const brief = readiness
    .command('brief')
    .description(
      'write the executive brief (Markdown, HTML or PDF): levels, changes since the last run, top risks, decisions',
    )
    .argument('<framework>', 'readiness framework file (YAML)');
  caseOptions(brief)
    .option('-f, --format <format>', `${BRIEF_FORMATS.join(', ')} (default: markdown; pdf needs Chromium)`)
    .option('-o, --output <file>', 'write the brief to a file instead of stdout (required for pdf)')
    .option(
      '--previous <file>',
      'previous readiness assessment (JSON) to compare with (default: the last saved run)',
    )
    .option('--waivers <file>', 'risk acceptances (default: ./assay.waivers.yaml when present)')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)')
    .option('--root <dir>', 'folder that reported paths are relative to (default: cwd)')
    .option(
      '--store <file>',
      'history database to read the last run from and save to (default: config store.path, else .assay/assay.duckdb)',
    )
    .option(
      '--save',
      'also save this run and load the cases into the store (default when a config file is in use)',
    )
    .option('--no-save', 'do not save the run')
    .option('--label <text>', 'label of the saved run')
    .action(async (framework: string, flags: BriefFlags) => {
      process.exitCode = await runBrief(framework, flags);
    });
}

/** Whether the run is saved and, when it is, the store its cases go into. */
interface SaveTarget {
  save: boolean;
  path: string;
  /** Open for writing, with the readiness tables; absent when not saving or when it could not be opened. */
  store?: SqlStore;
  /** Why the store could not be opened. */
  error?: string;
}

/**
 * A run is saved as `assay scan` decides (--save / --no-save, else config store.save, else
 * whenever a config file is in use). A saved run loads its cases into the store, so the store
 * is opened before the cases are read (waiting while another process holds it) and held until
 * the run is saved. When it cannot be opened the run goes on in memory, and is not saved.
 */
async function openSaveTarget(
  flags: { save?: boolean; store?: string },
  config: AssayConfig,
  configFile: string | undefined,
): Promise<SaveTarget> {
  const save = flags.save ?? config.store?.save ?? configFile !== undefined;
  const path = storePath(flags, config);
  if (!save) return { save, path };
  registerMigrations(READINESS_MIGRATIONS);
  let store: SqlStore | undefined;
  try {
    store = await openHistory(path, false);
    await limitCaseMemory(store);
    return { save, path, store };
  } catch (err) {
    await store?.close().catch(() => undefined);
    if (err instanceof StoreError) return { save, path, error: err.message };
    throw err;
  }
}

/** Saves the assessment when the run is saved; false when it was not (the reason is printed). */
async function saveRun(target: SaveTarget, assessment: Assessment, flags: AssessFlags): Promise<boolean> {
  if (!target.save) return true;
  if (!target.store) {
    process.stderr.write(`assay: ${target.error}; the reports were written, the run was not saved\n`);
    return false;
  }
  // The same file in the same process: saveScan shares the open database instance.
  return saveScan(assessment, { save: true, ...pick(flags) }, {}, undefined);
}

async function assessFromFlags(framework: string, flags: AssessFlags, target: SaveTarget) {
  const root = flags.root ?? process.cwd();
  const { waivers } = loadWaivers(flags.waivers, root);
  const cases = casesInput(flags);
  return guard(() =>
    assessReadiness(framework, {
      root,
      now: parseNow(flags.now),
      ...(cases ? { cases } : {}),
      ...(target.store ? { store: target.store } : {}),
      waivers,
      ...(flags.checks || flags.skipChecks
        ? {
            selectChecks: <C extends Check<Subject, unknown>>(all: C[]) =>
              selectChecks(all, listValues(flags.checks), listValues(flags.skipChecks)),
          }
        : {}),
    }),
  );
}

export async function runAssess(framework: string, flags: AssessFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (!isReportFormat(format)) throw new ConfigError(`unknown format '${format}'`);
  const failOn = flags.failOn ?? 'none';
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn))
    throw new ConfigError(`--fail-on expects one of ${SEVERITIES.join(', ')}, none; got '${failOn}'`);
  const { config, file: configFile } = loadConfig(flags.config);
  const target = await openSaveTarget(flags, config, configFile);
  try {
    const reports = (flags.report ?? []).map((spec) => parseReportSpec(spec));
    const result = await assessFromFlags(framework, flags, target);
    const toStdout = !flags.output;
    const reportFailures = await writeReports([
      {
        format,
        output: flags.output,
        pieces: () =>
          renderPieces(format, result.assessment, {
            color: toStdout && useColor(process.stdout),
            verbose: flags.verbose === true,
          }),
      },
      ...reports.map((r) => ({
        ...r,
        pieces: () =>
          renderPieces(r.format, result.assessment, { color: false, verbose: flags.verbose === true }),
      })),
    ]);
    const inputError = result.ingest ? reportIngest(result.ingest) : 0;
    for (const l of result.levels)
      process.stderr.write(`assay: ${oneLine(`${l.cloud}: level ${l.held} (${l.heldName})`)}\n`);
    if (!(await saveRun(target, result.assessment, { ...flags, store: target.path }))) return 2;
    if (reportFailures.length > 0) return 2;
    return failsThreshold(result.assessment.findings, failOn as Severity | 'none') ? 1 : inputError;
  } finally {
    await target.store?.close();
  }
}

function pick(flags: AssessFlags): { store?: string; label?: string } {
  return { ...(flags.store ? { store: flags.store } : {}), ...(flags.label ? { label: flags.label } : {}) };
}

export async function runBrief(framework: string, flags: BriefFlags): Promise<number> {
  const format = flags.format ?? 'markdown';
  if (!(BRIEF_FORMATS as readonly string[]).includes(format))
    throw new ConfigError(`--format expects one of ${BRIEF_FORMATS.join(', ')}; got '${format}'`);
  if (format === 'pdf') {
    if (!flags.output) throw new ConfigError('--format pdf needs --output FILE');
    // Said before any work (and before anything is saved), not after the assessment.
    const chromium = chromiumProblem();
    if (chromium) {
      process.stderr.write(`assay: ${chromium}\n`);
      return 2;
    }
  }
  const { config, file: configFile } = loadConfig(flags.config);
  let previous: Assessment | undefined;
  if (flags.previous) {
    try {
      previous = JSON.parse(readFileSync(flags.previous, 'utf8')) as Assessment;
    } catch (err) {
      throw new ConfigError(`cannot read previous assessment ${flags.previous}: ${(err as Error).message}`);
    }
  }
  const target = await openSaveTarget(flags, config, configFile);
  try {
    // Read before this run is saved; a store that could not be opened for saving is not retried.
    if (!flags.previous && !(target.save && !target.store))
      previous = target.store ? await lastRun(target.store) : await lastSavedRun(target.path);
    const result = await assessFromFlags(framework, flags, target);
    const options = previous ? { previous } : {};
    if (format === 'pdf') {
      const { writeDocumentPdf } = await import('../report/document.ts');
      try {
        await writeDocumentPdf(renderBriefHtml(result, options), flags.output as string);
      } catch (err) {
        if (!(err instanceof ChromiumNotFoundError)) throw err;
        process.stderr.write(`assay: ${err.message}\n`);
        return 2;
      }
      process.stderr.write(`assay: wrote ${flags.output}\n`);
    } else
      writeOutput(
        format === 'html' ? renderBriefHtml(result, options) : renderBrief(result, options),
        flags.output,
      );
    const inputError = result.ingest ? reportIngest(result.ingest) : 0;
    if (!(await saveRun(target, result.assessment, { ...flags, store: target.path }))) return 2;
    return inputError;
  } finally {
    await target.store?.close();
  }
}

/** The last readiness run in the store, when there is a store and such a run. */
async function lastSavedRun(path: string): Promise<Assessment | undefined> {
  if (!existsSync(path)) return undefined;
  const store = await openHistory(path, true);
  try {
    return await lastRun(store);
  } finally {
    await store.close();
  }
}

async function lastRun(store: SqlStore): Promise<Assessment | undefined> {
  const [last] = await store.listRuns({ domain: READINESS_DOMAIN, limit: 1 });
  return last ? await store.getAssessment(last.run) : undefined;
}

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
    String(r.volume),
    n1(r.first_response_median_min),
    n1(r.resolve_median_h),
    n1(r.resolve_p90_h),
    String(r.backlog),
    n1(r.backlog_age_mean_d),
    pct(r.sla_attainment),
    pct(r.reopen_rate),
    pct(r.reassignment_rate),
  ]);
  return textTable(headers, body, new Set([4, 5, 6, 7, 8, 9, 10, 11, 12]));
}

export async function runKpis(flags: KpiFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (!['table', 'json', 'csv'].includes(format))
    throw new ConfigError(`--format expects table, json or csv; got '${format}'`);
  const cases = casesInput(flags);
  if (!cases) throw new ConfigError('readiness kpis needs --cases <file>');
  const { config, file: configFile } = loadConfig(flags.config);
  const target = await openSaveTarget(flags, config, configFile);
  let db: OwnedCaseDb | undefined;
  try {
    const now = flags.now ? parseNow(flags.now) : undefined;
    if (!target.store) db = await openCaseDb();
    const into: CaseTarget = target.store ? { store: target.store } : { db: db as OwnedCaseDb };
    const { ingest, kpis } = await guard(() => loadCases(into, cases, flags.root ?? process.cwd(), now));
    let text: string;
    if (format === 'json')
      text = JSON.stringify({ ingest: { ...ingest, ms: Math.round(ingest.ms) }, kpis }, null, 2);
    else if (format === 'csv') text = renderKpisCsv(kpis);
    else text = table(flags.all ? kpis : kpis.filter((r) => r.priority === '*' && r.group === '*'));
    writeOutput(text, flags.output);
    process.stderr.write(
      `assay: ${ingest.file}: ${ingest.records} records, ${ingest.loaded} loaded, ${ingest.badRows.length} bad${unreadLines(ingest)}, ${ingest.cases} cases\n`,
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
