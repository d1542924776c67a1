/**
 * What the readiness commands share: the case-export flags, reading them, the store a run
 * loads its cases into, the assessment itself, and how ingest problems are told.
 */
import type { Command } from 'commander';
import type { Assessment, Check, Subject } from '../core/model.ts';
import { inputErrorLine, oneLine } from '../core/terminal-text.ts';
import { encodingName, TextEncodingError } from '../core/text-encoding.ts';
import type { Waiver } from '../core/waivers.ts';
import { assessReadiness, type CasesInput } from '../readiness/assess.ts';
import { FrameworkError } from '../readiness/framework.ts';
import { IngestError, type IngestReport } from '../readiness/ingest.ts';
import { MappingError, PRESETS, type PresetName } from '../readiness/mapping.ts';
import { limitCaseMemory, READINESS_MIGRATIONS } from '../readiness/store.ts';
import { StoreError } from '../store/errors.ts';
import { registerMigrations } from '../store/migrations.ts';
import type { SqlStore } from '../store/store.ts';
import { type AssayConfig, ConfigError } from './config.ts';
import { openHistory, saveScan, storePath } from './store-options.ts';

export interface CaseFlags {
  cases?: string;
  preset?: string;
  mapping?: string;
  cloud?: string;
  encoding?: string;
  now?: string;
  until?: string;
  root?: string;
}

export function caseOptions(command: Command): Command {
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
    )
    .option(
      '--until <date>',
      "last week of the weekly KPI series, ISO 8601 (default: the week of the export's latest event)",
    );
}

export function parseNow(now: string | undefined): Date {
  return now === undefined ? new Date() : parseDateFlag('--now', now);
}

/** `--until`: the end of the weekly series, or undefined for the data's last week. */
export function parseUntil(until: string | undefined): Date | undefined {
  return until === undefined ? undefined : parseDateFlag('--until', until);
}

function parseDateFlag(flag: string, value: string): Date {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new ConfigError(`${flag} expects an ISO 8601 date or time, got '${value}'`);
  return new Date(ms);
}

export function casesInput(flags: CaseFlags): CasesInput | undefined {
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
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FrameworkError || err instanceof MappingError || err instanceof IngestError)
      throw new ConfigError(err.message);
    throw err;
  }
}

/** An ingest's problems: unread spans fail the run as input errors; bad rows and the encoding note are warnings. */
export function ingestLines(ingest: IngestReport): { problems: string[]; warnings: string[] } {
  const { badRows, file } = ingest;
  const warnings: string[] = [];
  if (ingest.encodingNote) warnings.push(`${oneLine(file)}: ${ingest.encodingNote}`);
  const problems = ingest.unread.map((u) => inputErrorLine({ file, line: u.quoteLine, message: u.reason }));
  for (const b of badRows.slice(0, 20))
    warnings.push(inputErrorLine({ file, line: b.line, message: `bad row: ${b.reason}` }));
  if (badRows.length > 20) warnings.push(`${badRows.length - 20} more bad rows in ${oneLine(file)}`);
  for (const b of ingest.excluded.slice(0, 20))
    warnings.push(inputErrorLine({ file, line: b.line, message: `data error: ${b.reason}` }));
  if (ingest.excluded.length > 20)
    warnings.push(`${ingest.excluded.length - 20} more data errors in ${oneLine(file)}`);
  return { problems, warnings };
}

/** Prints an ingest's problems and warnings; returns 1 when lines were left unread, else 0. */
export function reportIngest(ingest: IngestReport): number {
  const { problems, warnings } = ingestLines(ingest);
  for (const line of [...warnings, ...problems]) process.stderr.write(`assay: ${line}\n`);
  return problems.length > 0 ? 1 : 0;
}

export const READINESS_STORE = { migrations: READINESS_MIGRATIONS, prepare: limitCaseMemory };

/** Whether the run is saved and, when it is, the store its cases go into. */
export interface SaveTarget {
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
export async function openSaveTarget(
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
export async function saveRun(
  target: SaveTarget,
  assessment: Assessment,
  flags: { store?: string; label?: string },
): Promise<boolean> {
  if (!target.save) return true;
  if (!target.store) {
    process.stderr.write(`assay: ${target.error}; the reports were written, the run was not saved\n`);
    return false;
  }
  // The same file in the same process: saveScan shares the open database instance.
  const label = flags.label !== undefined ? { label: flags.label } : {};
  return saveScan(assessment, { save: true, store: target.path, ...label }, {}, undefined);
}

/** Assesses a framework with the cases the flags name, into the store when one is open. */
export function assessFramework(
  framework: string,
  flags: CaseFlags,
  o: { store?: SqlStore; waivers: Waiver[]; select?: <C extends Check<Subject, unknown>>(all: C[]) => C[] },
) {
  const root = flags.root ?? process.cwd();
  const cases = casesInput(flags);
  return guard(() =>
    assessReadiness(framework, {
      root,
      now: parseNow(flags.now),
      ...(flags.until ? { until: parseUntil(flags.until) as Date } : {}),
      ...(cases ? { cases } : {}),
      ...(o.store ? { store: o.store } : {}),
      waivers: o.waivers,
      ...(o.select ? { selectChecks: o.select } : {}),
    }),
  );
}
